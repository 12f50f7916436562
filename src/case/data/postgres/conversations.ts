import type { Bridge } from './bridge.ts';
import type { ConversationBrief, ConversationReader, ConversationWriter, CustodianReader } from '../interface.ts';

export function conversationReader(b: Bridge): ConversationReader {
  return {
    brief: (conversationId) => b.get<ConversationBrief>('SELECT id, name, personal, platform, kind FROM conversations WHERE id = $1', [conversationId]),
    identity: (conversationId) =>
      b.get<{ id: number; platform: string; externalId: string; name: string | null }>(
        'SELECT id, platform, external_id AS "externalId", name FROM conversations WHERE id = $1',
        [conversationId],
      ),
    names: () => b.all<{ id: number; name: string | null }>('SELECT id, name FROM conversations ORDER BY id'),
  };
}

export function custodianReader(b: Bridge): CustodianReader {
  return {
    all: () => b.all<{ id: number; name: string }>('SELECT id, name FROM custodians ORDER BY id'),
    occurrences: () => b.rows<[number, number | null]>('SELECT message_id, custodian_id FROM message_occurrences ORDER BY message_id, source_id').values(),
  };
}

export function conversationWriter(b: Bridge): ConversationWriter {
  return {
    delete: (conversationId) => {
      b.run('DELETE FROM conversations WHERE id = $1', [conversationId]);
    },
    setPersonal: (conversationId, personal) => {
      b.run('UPDATE conversations SET personal = $1 WHERE id = $2', [personal ? 1 : 0, conversationId]);
    },
  };
}
