import type { DB } from './connection.ts';
import type { ConversationBrief, ConversationReader, ConversationWriter, CustodianReader } from '../interface.ts';

export function conversationReader(db: DB): ConversationReader {
  return {
    brief: (conversationId) => db.prepare('SELECT id, name, personal, platform, kind FROM conversations WHERE id = ?').get(conversationId) as ConversationBrief | undefined,
    identity: (conversationId) =>
      db.prepare('SELECT id, platform, external_id AS externalId, name FROM conversations WHERE id = ?').get(conversationId) as
        | { id: number; platform: string; externalId: string; name: string | null }
        | undefined,
    names: () => db.prepare('SELECT id, name FROM conversations').all() as { id: number; name: string | null }[],
  };
}

export function custodianReader(db: DB): CustodianReader {
  return {
    all: () => db.prepare('SELECT id, name FROM custodians').all() as { id: number; name: string }[],
    occurrences: () => db.prepare('SELECT message_id, custodian_id FROM message_occurrences').raw().iterate() as IterableIterator<[number, number | null]>,
  };
}

export function conversationWriter(db: DB): ConversationWriter {
  return {
    delete: (conversationId) => {
      db.prepare('DELETE FROM conversations WHERE id = ?').run(conversationId);
    },
    setPersonal: (conversationId, personal) => {
      db.prepare('UPDATE conversations SET personal = ? WHERE id = ?').run(personal ? 1 : 0, conversationId);
    },
  };
}
