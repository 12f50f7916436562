/**
 * Checking an offline batch back in, on the matter: the file's changes (read and verified by the
 * client, changes.ts) are merged per message and slot against the base the matter recorded at the
 * check-out and the matter's coding now. Only the file changed: applied. Only the matter changed:
 * kept. Both changed, differently: the later change (each side's audit time) wins and the conflict is
 * recorded for the project manager. Notes written offline are added (never replacing one). Each
 * applied change is audited as the reviewer's (the account checking in, which held the batch), with
 * the time it was made offline, the name the file recorded and the check-out; the check-in is one
 * more entry with the counts. All in one transaction: a refusal
 * changes nothing.
 */
import type { OfflineChangeDTO, OfflineCheckinDTO, OfflineCheckinResultDTO } from '../../../api/offline-dto.ts';
import { HoldfastError } from '../../../api/errors.ts';
import type { CaseSession } from '../../../case/session.ts';
import { appendAudit } from '../../../case/audit.ts';
import { dataOf } from '../../../case/data/index.ts';
import type { CaseData, TagRow } from '../../../case/data/interface.ts';
import { appendAuditItems } from '../../audit-items.ts';
import { batchUnits, requireBatch, unitReviewed } from '../counts.ts';
import { CHECKOUT_ACTION, state } from './checkout.ts';
import { codingFromJson, codingOf, lastTouches, sameValue, slotOfTag, tagSlots, touchOf } from './slots.ts';
import type { SlotValue, Touch } from './slots.ts';

export const CHECKIN_ACTION = 'batch.checkin-offline';

interface Recorded {
  checkout: string;
  batchId: number;
  at: number;
  messageIds: number[];
  base: Record<string, Record<string, SlotValue>>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The matter's own record of the check-out the file names; refused unless it is this batch's. */
function recordedCheckout(data: CaseData, dto: OfflineCheckinDTO): Recorded {
  const entry = data.read.audit.after(dto.serverAuditSeq - 1, CHECKOUT_ACTION, 1)[0];
  const details = entry?.seq === dto.serverAuditSeq ? (JSON.parse(entry.details) as Recorded) : undefined;
  if (!details || details.checkout !== dto.checkout || details.batchId !== dto.batchId) {
    throw new HoldfastError('VALIDATION', `The file's check-out ${dto.checkout} of batch id ${dto.batchId} is not one this matter made; nothing was changed.`, { checkout: dto.checkout, batchId: dto.batchId });
  }
  return details;
}

function checkedInBefore(data: CaseData, dto: OfflineCheckinDTO): { seq: number; at: number } | undefined {
  return data.read.audit.after(dto.serverAuditSeq, CHECKIN_ACTION, -1).find((e) => (JSON.parse(e.details) as { checkout?: string }).checkout === dto.checkout);
}

/** A tag's name: the matter's, or for a tag deleted since the check-out the name it had. */
type TagName = (tagId: number) => string;

/** What a slot names, for conflict lists. */
function slotLabel(data: CaseData, slot: string, tagName: TagName): string {
  const [kind, id] = slot.split(':');
  if (kind === 'group') return data.read.tagGroups.get(Number(id))?.name ?? slot;
  if (kind === 'tag') return tagName(Number(id));
  if (kind === 'field') return data.read.fields.get(Number(id))?.name ?? slot;
  return 'Reviewed';
}

/** A slot's value as the conflict list shows it; a tag with a privilege basis shows the basis (`basisOf`), so a re-based tag is told apart. */
function shown(tagName: TagName, slot: string, v: SlotValue | undefined, basisOf: (tagId: number) => string | null = () => null): string[] | string | boolean | null {
  if (slot === 'review') return v === true;
  if (slot.startsWith('field:')) return (v as string | undefined) ?? null;
  return ((v as number[] | undefined) ?? []).map((id) => {
    const name = tagName(id);
    const basis = basisOf(id);
    return basis ? `${name} (basis: ${basis})` : name;
  });
}

/** A privilege basis on the matter now. */
type BasisOn = (messageId: number, tagId: number) => string | null;

const basisOnMatter = (data: CaseData): BasisOn => (messageId, tagId) => data.read.tagging.bases(tagId, [messageId])[0]?.[1] ?? null;

/** The tags of a change that the matter also has on the message, with a basis the file changed to another than the matter's. */
function rebasedTags(c: OfflineChangeDTO, serverV: SlotValue | undefined, basisOn: BasisOn): number[] {
  const bases = c.bases;
  if (!bases || !Array.isArray(c.value) || !Array.isArray(serverV)) return [];
  return c.value.filter((t) => serverV.includes(t) && String(t) in bases && (bases[String(t)] || null) !== basisOn(c.messageId, t));
}

/** Refuses a change the matter cannot take as it is (a tag outside its slot, an unknown field). */
function checkChange(data: CaseData, c: OfflineChangeDTO, tags: Map<number, TagRow>): void {
  const bad = (why: string) => new HoldfastError('VALIDATION', `The file's change to message ${c.messageId} (${c.slot}) does not fit this matter: ${why}; nothing was changed.`, { messageId: c.messageId, slot: c.slot });
  if (c.slot === 'review') {
    if (c.value !== null && c.value !== true) throw bad('a review mark is true or absent');
  } else if (c.slot.startsWith('field:')) {
    if (!data.read.fields.get(Number(c.slot.slice(6)))) throw bad('no such coding field');
    if (c.value !== null && typeof c.value !== 'string') throw bad("a field's value is text");
  } else {
    if (c.value !== null && !Array.isArray(c.value)) throw bad('a tag slot holds tags');
    for (const id of c.value ?? []) {
      const t = tags.get(id);
      if (!t || slotOfTag(t) !== c.slot) throw bad(`tag ${id} is not in it`);
    }
  }
}

interface DeletedTag extends Touch { name: string }

/** Tags deleted on the matter after the check-out, by id, with who deleted them and when (the audit log's `tag.delete`). */
function tagsDeletedSince(data: CaseData, afterSeq: number): Map<number, DeletedTag> {
  const out = new Map<number, DeletedTag>();
  for (const e of data.read.audit.after(afterSeq, 'tag.delete', -1)) {
    const d = JSON.parse(e.details) as { tagId: number; before: { tag: { name: string } } };
    if (!out.has(d.tagId)) out.set(d.tagId, { name: d.before.tag.name, by: e.actor, at: e.at });
  }
  return out;
}

/** The change without the tags the matter deleted meanwhile: those cannot be applied (the deletion stands, listed as a conflict). */
function withoutDeleted(c: OfflineChangeDTO, deleted: Map<number, DeletedTag>): { change: OfflineChangeDTO; lost: DeletedTag[] } {
  if (!Array.isArray(c.value) || !c.value.some((t) => deleted.has(t))) return { change: c, lost: [] };
  const kept = c.value.filter((t) => !deleted.has(t));
  const lost = c.value.filter((t) => deleted.has(t)).map((t) => deleted.get(t)!);
  return { change: { ...c, value: kept.length ? kept : null }, lost };
}

interface TagOp { action: 'tag.apply' | 'tag.remove' | 'tag.basis'; tag: TagRow; by: string; at: number; basis: string | null; ids: number[] }
interface FieldOp { fieldId: number; value: string | null; by: string; at: number; changes: { messageId: number; before: string | null }[] }
interface MarkOp { marked: boolean; by: string; at: number; ids: number[] }

/**
 * The applied changes, grouped by what they do and when (and by whom the file says) they were made,
 * then written and audited as the reviewer's: the account that checks the file in, which held the
 * batch. The name the file recorded is kept beside the offline time in each entry's `offline`.
 */
class Changes {
  readonly tagOps = new Map<string, TagOp>();
  readonly fieldOps = new Map<string, FieldOp>();
  readonly markOps = new Map<string, MarkOp>();
  readonly tags: Map<number, TagRow>;
  readonly basisOn: BasisOn;

  constructor(tags: Map<number, TagRow>, basisOn: BasisOn) {
    this.tags = tags;
    this.basisOn = basisOn;
  }

  set(c: OfflineChangeDTO, now: SlotValue | undefined): void {
    const { messageId: id, by, at } = c;
    if (c.slot === 'review') {
      const marked = c.value === true;
      const op = group(this.markOps, [marked, by, at], () => ({ marked, by, at, ids: [] }));
      op.ids.push(id);
    } else if (c.slot.startsWith('field:')) {
      const fieldId = Number(c.slot.slice(6));
      const value = (c.value as string | null) ?? null;
      group(this.fieldOps, [fieldId, value, by, at], () => ({ fieldId, value, by, at, changes: [] })).changes.push({ messageId: id, before: (now as string | undefined) ?? null });
    } else {
      const want = new Set((c.value as number[] | null) ?? []);
      const have = new Set((now as number[] | undefined) ?? []);
      for (const t of have) if (!want.has(t)) this.#tag('tag.remove', t, id, by, at, null);
      for (const t of want) if (!have.has(t)) this.#tag('tag.apply', t, id, by, at, c.bases?.[t] || null);
      for (const t of rebasedTags(c, now, this.basisOn)) this.#tag('tag.basis', t, id, by, at, c.bases![t] || null);
    }
  }

  #tag(action: TagOp['action'], tagId: number, id: number, by: string, at: number, basis: string | null): void {
    group(this.tagOps, [action, tagId, by, at, basis], () => ({ action, tag: this.tags.get(tagId)!, by, at, basis, ids: [] })).ids.push(id);
  }

  /**
   * Writes them as `reviewer`'s; the coding change id (the first entry's seq, for tags.undo), or null when no
   * tag changed (field values and review marks carry no change id: tags.undo would find nothing under it).
   */
  write(data: CaseData, reviewer: string, checkout: string): number | null {
    const { write, read } = data;
    const change = (read.audit.last()?.seq ?? 0) + 1;
    const context = (op: { at: number; by: string }) => ({ offline: { at: op.at, by: op.by, checkout } });
    const target = (ids: number[]) => ({ messages: ids });
    // Removals first, so a single-choice group never holds two tags at once; new bases last.
    const order = { 'tag.remove': 0, 'tag.apply': 1, 'tag.basis': 2 };
    const tagOps = [...this.tagOps.values()].sort((a, b) => order[a.action] - order[b.action]);
    for (const op of tagOps) {
      const ref = { id: op.tag.id, name: op.tag.name, kind: op.tag.kind };
      if (op.action === 'tag.remove') {
        const removed = read.tagging.taggings(op.tag.id, op.ids);
        write.tagging.remove(op.tag.id, op.ids);
        appendAuditItems(data, reviewer, 'tag.remove', removed, (slice) => ({
          tag: ref, target: target(op.ids), selected: op.ids.length, changed: removed.length, change, ...context(op),
          messageIds: slice.map((r) => r.messageId), before: { tagged: true, tags: slice }, after: { tagged: false },
        }));
      } else if (op.action === 'tag.basis') {
        const was = new Map(read.tagging.bases(op.tag.id, op.ids));
        write.tagging.rebase(op.tag.id, op.ids, { by: reviewer, at: op.at, basis: op.basis });
        appendAuditItems(data, reviewer, 'tag.basis', op.ids, (slice) => ({
          tag: ref, target: target(op.ids), changed: op.ids.length, change, ...context(op), messageIds: slice,
          before: { basis: slice.map((id) => was.get(id) ?? null) }, after: { basis: op.basis, by: reviewer, at: op.at },
        }));
      } else {
        write.tagging.apply(op.tag.id, op.ids, { by: reviewer, at: op.at, basis: op.basis });
        appendAuditItems(data, reviewer, 'tag.apply', op.ids, (slice) => ({
          tag: ref, target: target(op.ids), selected: op.ids.length, changed: op.ids.length, change, ...context(op), messageIds: slice,
          before: { tagged: false }, after: { tagged: true, basis: op.basis, by: reviewer, at: op.at },
        }));
      }
    }
    for (const op of this.fieldOps.values()) {
      const ids = op.changes.map((c) => c.messageId);
      if (op.value === null) write.fields.clear(op.fieldId, ids);
      else write.fields.set(op.fieldId, ids, { value: op.value, by: reviewer, at: op.at });
      const f = read.fields.get(op.fieldId)!;
      appendAuditItems(data, reviewer, 'field.set', op.changes, (slice) => ({
        field: { id: f.id, name: f.name }, target: target(ids), selected: ids.length, changed: ids.length, after: op.value, changes: slice, ...context(op),
      }));
    }
    for (const op of this.markOps.values()) {
      if (op.marked) write.reviewMarks.mark(op.ids, reviewer, op.at);
      else write.reviewMarks.unmark(op.ids);
      appendAuditItems(data, reviewer, op.marked ? 'review.mark' : 'review.unmark', op.ids, (slice) => ({
        target: target(op.ids), selected: op.ids.length, changed: op.ids.length, messageIds: slice, before: { marked: !op.marked }, after: { marked: op.marked }, ...context(op),
      }));
    }
    return this.tagOps.size ? change : null;
  }
}

function group<T>(ops: Map<string, T>, key: unknown[], make: () => T): T {
  const k = JSON.stringify(key);
  let op = ops.get(k);
  if (!op) ops.set(k, (op = make()));
  return op;
}

export function checkInOffline(session: CaseSession, dto: OfflineCheckinDTO): OfflineCheckinResultDTO {
  const data = dataOf(session);
  const me = session.actor;
  const reason = dto.reason?.trim() || null;
  if (dto.force && !reason) throw new HoldfastError('VALIDATION', 'Checking a batch in with units unreviewed needs a reason.');
  return data.write.transaction.immediate(() => {
    const matter = data.read.caseMeta.get('matter') ?? session.path;
    const caseId = data.read.caseMeta.get('case_id') ?? null;
    if (dto.caseId !== caseId || dto.matter !== matter) {
      throw new HoldfastError('VALIDATION', `The file is a check-out of matter "${dto.matter}", not of this one ("${matter}"); nothing was changed.`, { matter: dto.matter, caseId: dto.caseId });
    }
    const recorded = recordedCheckout(data, dto);
    const earlier = checkedInBefore(data, dto);
    if (earlier) {
      throw new HoldfastError('VALIDATION', `This check-out was already checked in at ${iso(earlier.at)} (audit entry ${earlier.seq}); nothing was changed.`, { checkout: dto.checkout, auditSeq: earlier.seq });
    }
    const before = requireBatch(data, dto.batchId);
    if (before.offline_checkout !== dto.checkout) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} is no longer checked out to this file (it was checked out again, or released); nothing was changed.`, { batchId: before.id, checkout: dto.checkout });
    }
    if (before.holder !== me) throw new HoldfastError('CASE_BUSY', `Batch ${before.number} is checked out offline by ${before.holder}; only they can check it in.`, { batchId: before.id, holder: before.holder });

    const inBatch = new Set(recorded.messageIds);
    const tags = new Map<number, TagRow>(data.read.tagging.withCounts().map((t) => [t.id, t]));
    const deleted = tagsDeletedSince(data, dto.serverAuditSeq);
    const tagName: TagName = (id) => tags.get(id)?.name ?? deleted.get(id)?.name ?? `tag ${id}`;
    const merging = dto.changes.map((original) => ({ original, ...withoutDeleted(original, deleted) }));
    for (const { change: c } of merging) {
      if (!inBatch.has(c.messageId)) throw new HoldfastError('VALIDATION', `The file changes message ${c.messageId}, which is not in batch ${before.number}; nothing was changed.`, { messageId: c.messageId });
      checkChange(data, c, tags);
    }
    const existing = new Set(data.read.messages.existing(recorded.messageIds));
    const base = codingFromJson(recorded.base, recorded.messageIds);
    const server = codingOf(data, [...existing]).coding;
    const serverTouches = lastTouches(data, dto.serverAuditSeq, tagSlots(data));
    const basisOn = basisOnMatter(data);
    const changes = new Changes(tags, basisOn);
    const at = Date.now();
    const counts = { applied: 0, conflicts: 0, offlineWon: 0, serverWon: 0, same: 0, gone: 0 };
    for (const { original, change: c, lost } of merging) {
      if (!existing.has(c.messageId)) {
        counts.gone++;
        continue;
      }
      const offlineV = c.value ?? undefined;
      const baseV = base.get(c.messageId)!.get(c.slot);
      const serverV = server.get(c.messageId)!.get(c.slot);
      const conflict = (winner: 'offline' | 'server', theirs: Touch) => {
        counts.conflicts++;
        if (winner === 'offline') counts.offlineWon++;
        else counts.serverWon++;
        // The file's value as it was made, tags deleted on the matter since included.
        data.write.batches.addConflict({
          set_id: before.set_id, batch_id: before.id, checkout: dto.checkout, message_id: c.messageId, slot: c.slot, label: slotLabel(data, c.slot, tagName),
          base: JSON.stringify(shown(tagName, c.slot, baseV)),
          offline: JSON.stringify(shown(tagName, c.slot, original.value ?? undefined, (t) => c.bases?.[t] || null)),
          server: JSON.stringify(shown(tagName, c.slot, serverV, (t) => basisOn(c.messageId, t))),
          offline_by: me, offline_at: c.at, server_by: theirs.by, server_at: theirs.at, winner, recorded_at: at,
        });
      };
      // What the file did with a tag the matter deleted meanwhile cannot be applied: the deletion wins, listed as a conflict.
      const lostTo = lost.reduce<Touch | undefined>((last, d) => (!last || d.at > last.at ? d : last), undefined);
      const sameTags = sameValue(serverV, offlineV);
      const rebases = sameTags ? rebasedTags(c, serverV, basisOn) : [];
      if (sameTags && !rebases.length) {
        counts.same++;
        if (lostTo) conflict('server', lostTo);
        continue;
      }
      // Only the file changed the slot: the matter's value is the base's, or (a basis re-written on the same tags) the matter did not touch the slot since.
      if (sameTags ? !touchOf(serverTouches, c.messageId, c.slot) : sameValue(serverV, baseV)) {
        changes.set(c, serverV);
        counts.applied++;
        if (lostTo) conflict('server', lostTo);
        continue;
      }
      // Both sides changed the slot: the later change wins (a tie keeps the matter's).
      const theirs = touchOf(serverTouches, c.messageId, c.slot) ?? lostTo ?? { by: 'unknown', at: recorded.at };
      const winner = c.at > theirs.at ? 'offline' : 'server';
      if (winner === 'offline') {
        changes.set(c, serverV);
        counts.applied++;
      }
      conflict(winner, theirs);
    }
    const change = changes.write(data, me, dto.checkout);
    let notesAdded = 0;
    for (const n of dto.notes) {
      const on = n.messageId !== null ? existing.has(n.messageId) : n.conversationId !== null && data.read.conversations.brief(n.conversationId) !== undefined;
      if (!on) {
        counts.gone++;
        continue;
      }
      const note = { messageId: n.messageId, conversationId: n.messageId === null ? n.conversationId : null, by: me, at: n.at, text: n.text };
      const noteId = data.write.notes.add(note);
      appendAudit(data, me, 'note.add', { noteId, before: null, after: note, offline: { at: n.at, by: n.by, checkout: dto.checkout } }, at);
      notesAdded++;
    }
    const units = batchUnits(data, before);
    const unreviewed = units.filter((u) => !unitReviewed(u)).map((u) => u.unitId);
    if (unreviewed.length && !dto.force) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} would have ${unreviewed.length} of ${units.length} units not yet reviewed: review them in the file, or check in with force and a reason. Nothing was changed.`, {
        batchId: before.id, unreviewedUnits: unreviewed.slice(0, 100),
      });
    }
    data.write.batches.checkIn(before.id, me, at);
    data.write.batches.markOffline(before.id, null);
    const entry = appendAudit(data, me, CHECKIN_ACTION, {
      setId: before.set_id, batchId: before.id, number: before.number, checkout: dto.checkout, checkedOutAt: recorded.at, file: dto.fileAudit,
      ...counts, notesAdded, notesDeleted: dto.notesDeleted, change, forced: unreviewed.length > 0, reason: unreviewed.length ? reason : null, unreviewedUnits: unreviewed,
      before: state(before), after: state(requireBatch(data, before.id)),
    }, at);
    return { batchId: before.id, number: before.number, checkout: dto.checkout, ...counts, notesAdded, notesDeleted: dto.notesDeleted, change, auditSeq: entry.seq };
  });
}
