/**
 * Address-book evidence applied to the case: the handles one entry names together (an Outlook
 * contact's email addresses and phone numbers) become one identity. Whole people are merged, so
 * handles a reviewer already linked stay together; the change is audited like a reviewer's link,
 * with the source and the entry it rests on.
 */
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';
import type { IdentityRecord } from '../importers/types.ts';
import { IN_IDS, jsonIds } from '../case/data/sqlcipher/ids.ts';
import { toE164 } from '../importers/common/handles.ts';

interface Evidence {
  runId: number;
  sourceId: number;
  source: string;
}

interface Row {
  id: number;
  kind: string;
  value: string;
  participantId: number;
  participant: string;
}

/** Links `handleIds` (already in the case) into one participant, the oldest of theirs. Call inside the run's transaction. */
export function linkIdentity(db: DB, actor: string, record: IdentityRecord, handleIds: readonly number[], evidence: Evidence): void {
  const rows = db
    .prepare(
      `SELECT h.id, h.kind, h.value, h.participant_id AS participantId, p.display_name AS participant
         FROM handles h JOIN participants p ON p.id = h.participant_id WHERE h.id ${IN_IDS} ORDER BY h.id`,
    )
    .all(jsonIds(handleIds)) as Row[];
  const people = [...new Set(rows.map((r) => r.participantId))].sort((a, b) => a - b);
  if (people.length < 2) return;
  const [target, ...merged] = people as [number, ...number[]];
  const before = rows.find((r) => r.participantId === target)!.participant;
  db.prepare(`UPDATE handles SET participant_id = ? WHERE participant_id ${IN_IDS}`).run(target, jsonIds(merged));
  const removed = db.prepare(`SELECT id, display_name AS name FROM participants WHERE id ${IN_IDS} ORDER BY id`).all(jsonIds(merged));
  db.prepare(`DELETE FROM participants WHERE id ${IN_IDS}`).run(jsonIds(merged));
  // A person known so far only by a number or address takes the name the address book gives them.
  const bare = toE164(before) !== undefined || db.prepare('SELECT 1 FROM handles WHERE participant_id = ? AND value = ?').get(target, before) !== undefined;
  const name = record.name && bare ? record.name : before;
  if (name !== before) db.prepare('UPDATE participants SET display_name = ? WHERE id = ?').run(name, target);
  appendAudit(db, actor, 'identity.link', {
    participantId: target,
    before: { handles: rows.map((r) => ({ handleId: r.id, kind: r.kind, value: r.value, participantId: r.participantId, participant: r.participant })), name: before },
    after: { participantId: target, name, handleIds: rows.map((r) => r.id) },
    removedParticipants: removed,
    evidence: { kind: 'address book', ...evidence, locator: record.locator, ...(record.name ? { name: record.name } : {}) },
  });
}
