import type { DB } from './connection.ts';
import type { TagReader } from '../interface.ts';

export function tagReader(db: DB): TagReader {
  return {
    namesOn: (messageIds) =>
      db
        .prepare('SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id IN (SELECT value FROM json_each(?)) ORDER BY t.name')
        .raw()
        .all(JSON.stringify(messageIds)) as [number, string][],
  };
}
