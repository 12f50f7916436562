import type { Bridge } from './bridge.ts';
import type { IdentityLinkReader, IdentityLinkWriter, LinkedHandleRow } from '../interface.ts';

export function identityLinkReader(b: Bridge): IdentityLinkReader {
  return {
    handles: (handleIds) =>
      b.all<LinkedHandleRow>(
        `SELECT h.id, h.kind, h.value, h.participant_id AS "participantId", p.display_name AS participant
           FROM handles h JOIN participants p ON p.id = h.participant_id WHERE h.id = ANY($1::bigint[]) ORDER BY h.id`,
        [handleIds],
      ),
    participants: (participantIds) => b.all<{ id: number; name: string }>('SELECT id, display_name AS name FROM participants WHERE id = ANY($1::bigint[]) ORDER BY id', [participantIds]),
    hasHandleValue: (participantId, value) => b.get('SELECT 1 FROM handles WHERE participant_id = $1 AND value = $2', [participantId, value]) !== undefined,
  };
}

export function identityLinkWriter(b: Bridge): IdentityLinkWriter {
  return {
    merge: (target, merged) => {
      b.run('UPDATE handles SET participant_id = $1 WHERE participant_id = ANY($2::bigint[])', [target, merged]);
      b.run('DELETE FROM participants WHERE id = ANY($1::bigint[])', [merged]);
    },
    rename: (participantId, name) => {
      b.run('UPDATE participants SET display_name = $1 WHERE id = $2', [name, participantId]);
    },
  };
}
