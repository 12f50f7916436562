/**
 * Address-book evidence applied to the case: the handles one entry names together (an Outlook
 * contact's email addresses and phone numbers) become one identity. Whole people are merged, so
 * handles a reviewer already linked stay together; the change is audited like a reviewer's link,
 * with the source and the entry it rests on.
 */
import { appendAudit } from '../case/audit.ts';
import type { IdentityRecord } from '../importers/types.ts';
import { toE164 } from '../importers/common/handles.ts';
import type { CaseData } from '../case/data/interface.ts';

interface Evidence {
  runId: number;
  sourceId: number;
  source: string;
}

/** Links `handleIds` (already in the case) into one participant, the oldest of theirs. Call inside the run's transaction. */
export function linkIdentity(data: CaseData, actor: string, record: IdentityRecord, handleIds: readonly number[], evidence: Evidence): void {
  const rows = data.read.identityLinks.handles(handleIds);
  const people = [...new Set(rows.map((r) => r.participantId))].sort((a, b) => a - b);
  if (people.length < 2) return;
  const [target, ...merged] = people as [number, ...number[]];
  const before = rows.find((r) => r.participantId === target)!.participant;
  const removed = data.read.identityLinks.participants(merged);
  data.write.identityLinks.merge(target, merged);
  // A person known so far only by a number or address takes the name the address book gives them.
  const bare = toE164(before) !== undefined || data.read.identityLinks.hasHandleValue(target, before);
  const name = record.name && bare ? record.name : before;
  if (name !== before) data.write.identityLinks.rename(target, name);
  appendAudit(data, actor, 'identity.link', {
    participantId: target,
    before: { handles: rows.map((r) => ({ handleId: r.id, kind: r.kind, value: r.value, participantId: r.participantId, participant: r.participant })), name: before },
    after: { participantId: target, name, handleIds: rows.map((r) => r.id) },
    removedParticipants: removed,
    evidence: { kind: 'address book', ...evidence, locator: record.locator, ...(record.name ? { name: record.name } : {}) },
  });
}
