import type { DB } from './connection.ts';
import type { IdentityLinkReader, IdentityLinkWriter, LinkedHandleRow } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function identityLinkReader(db: DB): IdentityLinkReader {
  return {
    handles: (handleIds) =>
      db
        .prepare(
          `SELECT h.id, h.kind, h.value, h.participant_id AS participantId, p.display_name AS participant
             FROM handles h JOIN participants p ON p.id = h.participant_id WHERE h.id ${IN_IDS} ORDER BY h.id`,
        )
        .all(jsonIds(handleIds)) as LinkedHandleRow[],
    participants: (participantIds) =>
      db.prepare(`SELECT id, display_name AS name FROM participants WHERE id ${IN_IDS} ORDER BY id`).all(jsonIds(participantIds)) as { id: number; name: string }[],
    hasHandleValue: (participantId, value) => db.prepare('SELECT 1 FROM handles WHERE participant_id = ? AND value = ?').get(participantId, value) !== undefined,
  };
}

export function identityLinkWriter(db: DB): IdentityLinkWriter {
  return {
    merge: (target, merged) => {
      db.prepare(`UPDATE handles SET participant_id = ? WHERE participant_id ${IN_IDS}`).run(target, jsonIds(merged));
      db.prepare(`DELETE FROM participants WHERE id ${IN_IDS}`).run(jsonIds(merged));
    },
    rename: (participantId, name) => {
      db.prepare('UPDATE participants SET display_name = ? WHERE id = ?').run(name, participantId);
    },
  };
}
