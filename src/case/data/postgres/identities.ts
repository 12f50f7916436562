import type { Bridge } from './bridge.ts';
import type { HandleRow, IdentityReader, IdentityWriter } from '../interface.ts';

const HANDLE_SELECT = `SELECT h.id, h.kind, h.value, h.display, h.participant_id,
  (SELECT count(*) FROM messages m WHERE m.sender_handle_id = h.id) AS messages FROM handles h`;

export function identityReader(b: Bridge): IdentityReader {
  return {
    participants: (ids) =>
      ids
        ? b.all('SELECT id, display_name AS name FROM participants WHERE id = ANY($1::bigint[]) ORDER BY lower(display_name), id', [ids])
        : b.all('SELECT id, display_name AS name FROM participants ORDER BY lower(display_name), id'),
    participantNames: () => b.rows<[number, string]>('SELECT id, display_name FROM participants ORDER BY id'),
    participantName: (participantId) => b.value<string>('SELECT display_name FROM participants WHERE id = $1', [participantId]),
    handlesOf: (participantIds) => b.all<HandleRow>(`${HANDLE_SELECT} WHERE h.participant_id = ANY($1::bigint[]) ORDER BY h.kind, h.value`, [participantIds]),
    handles: (handleIds) => b.all<HandleRow>(`${HANDLE_SELECT} WHERE h.id = ANY($1::bigint[]) ORDER BY h.id`, [handleIds]),
    linkedHandles: () => b.all<HandleRow>(`${HANDLE_SELECT} WHERE h.participant_id IS NOT NULL ORDER BY h.id`),
    conversationCounts: (participantIds) =>
      b.all(
        `SELECT h.participant_id AS id, count(DISTINCT x.conversation_id) AS n FROM handles h
         JOIN (SELECT DISTINCT conversation_id, sender_handle_id AS handle_id FROM messages WHERE sender_handle_id IS NOT NULL
               UNION SELECT conversation_id, handle_id FROM conversation_members) x ON x.handle_id = h.id
         WHERE h.participant_id = ANY($1::bigint[]) GROUP BY h.participant_id ORDER BY h.participant_id`,
        [participantIds],
      ),
    otherHandles: (participantId, handleId) => b.value<number>('SELECT count(*) FROM handles WHERE participant_id = $1 AND id <> $2', [participantId, handleId]) ?? 0,
  };
}

export function identityWriter(b: Bridge): IdentityWriter {
  return {
    createParticipant: (name, createdAt) => b.value<number>('INSERT INTO participants(display_name, created_at) VALUES ($1, $2) RETURNING id', [name, createdAt])!,
    renameParticipant: (participantId, name) => {
      b.run('UPDATE participants SET display_name = $1 WHERE id = $2', [name, participantId]);
    },
    assignHandles: (participantId, handleIds) => {
      b.run('UPDATE handles SET participant_id = $1 WHERE id = ANY($2::bigint[])', [participantId, handleIds]);
    },
    moveHandle: (handleId, participantId) => {
      b.run('UPDATE handles SET participant_id = $1 WHERE id = $2', [participantId, handleId]);
    },
    dropEmptyParticipants: (candidates) =>
      b.all<{ id: number; name: string }>(
        `WITH gone AS (DELETE FROM participants WHERE id = ANY($1::bigint[]) AND id NOT IN (SELECT participant_id FROM handles WHERE participant_id IS NOT NULL)
           RETURNING id, display_name AS name)
         SELECT id, name FROM gone ORDER BY id`,
        [candidates],
      ),
  };
}
