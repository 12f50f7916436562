/**
 * What an offline copy changed, read for its check-in: the file must verify (audit chain, every
 * message's content hash, every attachment's SHA-256, its messages as copied), and every slot and
 * note that differs from the check-out must be backed by an entry of the file's audit log after its
 * manifest. A change without one was made outside Holdfast, and the file is refused.
 */
import type { OfflineChangeDTO, OfflineCheckinDTO, OfflineNoteDTO } from '../../../api/offline-dto.ts';
import { HoldfastError } from '../../../api/errors.ts';
import type { CaseSession } from '../../../case/session.ts';
import { dataOf } from '../../../case/data/index.ts';
import { verifyCase } from '../../../case/verify.ts';
import { messageCountCheck } from '../../verify-counts.ts';
import { offlineManifest } from './copy.ts';
import { codingFromJson, codingOf, lastTouches, rebasedAfter, sameValue, tagSlots, textHash, touchOf } from './slots.ts';

const OUTSIDE = 'was changed outside Holdfast (no audit entry of the file records it)';

export function offlineChanges(session: CaseSession): Omit<OfflineCheckinDTO, 'force' | 'reason'> {
  const data = dataOf(session);
  const found = offlineManifest(data);
  if (!found) throw new HoldfastError('VALIDATION', `${session.path} is not an offline check-out of a review batch.`, { file: session.path });
  const { manifest, seq } = found;
  const verified = verifyCase(data, [messageCountCheck]);
  if (!verified.ok) {
    const p = verified.problems[0]!;
    throw new HoldfastError('VERIFY_FAILED', `${session.path} does not verify: ${p.message} (${p.table} ${p.id}); nothing was checked in.`, { file: session.path, problems: verified.problems.slice(0, 20) });
  }
  const ids = manifest.messageIds;
  const base = codingFromJson(manifest.base, ids);
  const { coding, bases } = codingOf(data, ids);
  const touches = lastTouches(data, seq, tagSlots(data));
  const rebased = rebasedAfter(data, seq);
  const changes: OfflineChangeDTO[] = [];
  for (const id of ids) {
    const was = base.get(id)!;
    const now = coding.get(id)!;
    for (const slot of new Set([...was.keys(), ...now.keys()])) {
      const value = now.get(slot);
      // A basis re-written on a tag the message kept changes no tag id, but is a change all the same.
      const rebasedTags = Array.isArray(value) ? value.filter((t) => rebased.has(`${id}:${t}`)) : [];
      if (sameValue(was.get(slot), value) && !rebasedTags.length) continue;
      const touch = touchOf(touches, id, slot);
      if (!touch) throw new HoldfastError('VERIFY_FAILED', `Message ${id}'s coding (${slot}) in ${session.path} ${OUTSIDE}; nothing was checked in.`, { file: session.path, messageId: id, slot });
      // A basis taken off offline travels as '' (the check-in takes it off on the matter too).
      const basisOf = (t: number) => bases.get(`${id}:${t}`) ?? (rebasedTags.includes(t) ? '' : undefined);
      const tagBases = Array.isArray(value) ? value.flatMap((t) => (basisOf(t) !== undefined ? [[String(t), basisOf(t)!] as const] : [])) : [];
      changes.push({ messageId: id, slot, value: value ?? null, ...(tagBases.length ? { bases: Object.fromEntries(tagBases) } : {}), by: touch.by, at: touch.at });
    }
  }
  const noted = new Set(
    data.read.audit.after(seq, undefined, -1).filter((e) => e.action === 'note.add' || e.action === 'note.edit').map((e) => (JSON.parse(e.details) as { noteId: number }).noteId),
  );
  const notes: OfflineNoteDTO[] = [];
  const kept = new Set<string>();
  for (const n of data.read.notes.all()) {
    if (manifest.baseNotes[n.id] === textHash(n.text)) {
      kept.add(String(n.id));
      continue;
    }
    if (!noted.has(n.id)) throw new HoldfastError('VERIFY_FAILED', `Note ${n.id} in ${session.path} ${OUTSIDE}; nothing was checked in.`, { file: session.path, noteId: n.id });
    notes.push({ messageId: n.message_id, conversationId: n.conversation_id, text: n.text, by: n.by, at: n.at });
  }
  const last = data.read.audit.last()!;
  return {
    checkout: manifest.checkout, caseId: manifest.caseId, matter: manifest.matter, batchId: manifest.batchId, serverAuditSeq: manifest.serverAudit.seq,
    fileAudit: { entries: last.seq, head: last.hash }, changes, notes, notesDeleted: Object.keys(manifest.baseNotes).filter((id) => !kept.has(id)).length,
  };
}
