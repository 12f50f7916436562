import type { DB } from '../../store.ts';
import type { ConversationBrief, ConversationReader, ConversationWriter } from '../interface.ts';

export function conversationReader(db: DB): ConversationReader {
  return {
    brief: (conversationId) => db.prepare('SELECT id, name, personal, platform, kind FROM conversations WHERE id = ?').get(conversationId) as ConversationBrief | undefined,
  };
}

export function conversationWriter(db: DB): ConversationWriter {
  return {
    setPersonal: (conversationId, personal) => {
      db.prepare('UPDATE conversations SET personal = ? WHERE id = ?').run(personal ? 1 : 0, conversationId);
    },
  };
}
