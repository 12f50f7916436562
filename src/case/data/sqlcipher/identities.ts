import type { DB } from './connection.ts';
import type { HandleRow, IdentityReader, IdentityWriter } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

const HANDLE_SELECT = `SELECT h.id, h.kind, h.value, h.display, h.participant_id,
  (SELECT count(*) FROM messages m WHERE m.sender_handle_id = h.id) AS messages FROM handles h`;

export function identityReader(db: DB): IdentityReader {
  return {
    participants: (ids) => {
      const filter = ids ? `WHERE p.id ${IN_IDS}` : '';
      const params = ids ? [jsonIds(ids)] : [];
      return db.prepare(`SELECT p.id, p.display_name AS name FROM participants p ${filter} ORDER BY p.display_name COLLATE NOCASE, p.id`).all(...params) as { id: number; name: string }[];
    },
    participantNames: () => db.prepare('SELECT id, display_name FROM participants').raw().all() as [number, string][],
    participantName: (participantId) => db.prepare('SELECT display_name FROM participants WHERE id = ?').pluck().get(participantId) as string | undefined,
    handlesOf: (participantIds) => db.prepare(`${HANDLE_SELECT} WHERE h.participant_id ${IN_IDS} ORDER BY h.kind, h.value`).all(jsonIds(participantIds)) as HandleRow[],
    handles: (handleIds) => db.prepare(`${HANDLE_SELECT} WHERE h.id ${IN_IDS} ORDER BY h.id`).all(jsonIds(handleIds)) as HandleRow[],
    linkedHandles: () => db.prepare(`${HANDLE_SELECT} WHERE h.participant_id IS NOT NULL ORDER BY h.id`).all() as HandleRow[],
    conversationCounts: (participantIds) =>
      db
        .prepare(
          `SELECT h.participant_id AS id, count(DISTINCT x.conversation_id) AS n FROM handles h
           JOIN (SELECT DISTINCT conversation_id, sender_handle_id AS handle_id FROM messages WHERE sender_handle_id IS NOT NULL
                 UNION SELECT conversation_id, handle_id FROM conversation_members) x ON x.handle_id = h.id
          WHERE h.participant_id ${IN_IDS} GROUP BY h.participant_id`,
        )
        .all(jsonIds(participantIds)) as { id: number; n: number }[],
    otherHandles: (participantId, handleId) => db.prepare('SELECT count(*) FROM handles WHERE participant_id = ? AND id <> ?').pluck().get(participantId, handleId) as number,
  };
}

export function identityWriter(db: DB): IdentityWriter {
  return {
    createParticipant: (name, createdAt) => Number(db.prepare('INSERT INTO participants(display_name, created_at) VALUES (?, ?)').run(name, createdAt).lastInsertRowid),
    renameParticipant: (participantId, name) => {
      db.prepare('UPDATE participants SET display_name = ? WHERE id = ?').run(name, participantId);
    },
    assignHandles: (participantId, handleIds) => {
      db.prepare(`UPDATE handles SET participant_id = ? WHERE id ${IN_IDS}`).run(participantId, jsonIds(handleIds));
    },
    moveHandle: (handleId, participantId) => {
      db.prepare('UPDATE handles SET participant_id = ? WHERE id = ?').run(participantId, handleId);
    },
    dropEmptyParticipants: (candidates) => {
      const empty = db
        .prepare(`SELECT id, display_name AS name FROM participants WHERE id ${IN_IDS} AND id NOT IN (SELECT participant_id FROM handles WHERE participant_id IS NOT NULL)`)
        .all(jsonIds(candidates)) as { id: number; name: string }[];
      db.prepare(`DELETE FROM participants WHERE id ${IN_IDS}`).run(jsonIds(empty.map((p) => p.id)));
      return empty;
    },
  };
}
