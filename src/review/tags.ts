/**
 * Tags and coding. Every case starts with the default set (Responsive, Non-responsive, Privileged,
 * Hot, Needs redaction on keys 1..5, created by the schema); reviewers add their own. Tagging a
 * selection, a review unit, a conversation or a query's results is one transaction with its audit
 * entries: which messages changed, before and after. Privileged items carry a basis text for the
 * privilege log.
 */
import type { TagDTO, TagResultDTO, UndoResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { appendAuditItems } from './audit-items.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseData, TagRow, Tagging } from '../case/data/interface.ts';
import { resolveTarget } from './targets.ts';
import type { MessageTarget, TargetDescription } from './targets.ts';

export const TAG_KINDS = ['coding', 'issue', 'privilege'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

function toDto(t: TagRow, messages: number): TagDTO {
  return { id: t.id, name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut, builtin: t.builtin === 1, messages, group: t.group_id };
}

/** The audited state of a tag (the group only once a tag has one, so older entries read the same). */
function tagState(t: TagRow): { name: string; kind: TagKind; color: string | null; shortcut: number | null; group?: number } {
  return { name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut, ...(t.group_id !== null ? { group: t.group_id } : {}) };
}

/** The id the next audit entry will get: every entry of one coding action carries it as `change`, for undo. */
function nextChange(data: CaseData): number {
  return (data.read.audit.last()?.seq ?? 0) + 1;
}

export function listTags(session: CaseSession): TagDTO[] {
  return dataOf(session).read.tagging.withCounts().map((r) => toDto(r, r.messages));
}

/** A tag by id, or by name (case-insensitive). */
export function findTag(data: CaseData, tag: string | number): TagRow | undefined {
  return typeof tag === 'number' ? data.read.tagging.get(tag) : data.read.tagging.byName(tag.trim());
}

function requireTag(data: CaseData, tag: string | number): TagRow {
  const t = findTag(data, tag);
  if (!t) throw new HoldfastError('NOT_FOUND', `No tag ${typeof tag === 'number' ? `with id ${tag}` : `named "${tag}"`} in this case.`, { tag });
  return t;
}

function checkName(name: string): string {
  const n = name.trim();
  if (!n) throw new HoldfastError('VALIDATION', 'A tag needs a name.');
  if (n.length > 100) throw new HoldfastError('VALIDATION', 'A tag name is at most 100 characters.');
  if (/[\u0000-\u001f]/.test(n)) throw new HoldfastError('VALIDATION', 'A tag name cannot contain control characters.');
  return n;
}

function checkColor(color: string | null | undefined): string | null {
  if (color === undefined || color === null || color === '') return null;
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new HoldfastError('VALIDATION', `Tag colour "${color}" is not #RRGGBB.`);
  return color.toLowerCase();
}

function checkShortcut(data: CaseData, shortcut: number | null | undefined, self?: number): number | null {
  if (shortcut === undefined || shortcut === null) return null;
  if (!Number.isInteger(shortcut) || shortcut < 0 || shortcut > 9) throw new HoldfastError('VALIDATION', `A tag shortcut is a key 0 to 9, not ${shortcut}.`);
  const taken = data.read.tagging.shortcutOwner(shortcut, self ?? null);
  if (taken) throw new HoldfastError('VALIDATION', `Key ${shortcut} is already the shortcut of "${taken}".`);
  return shortcut;
}

function checkGroup(data: CaseData, group: number | null | undefined): number | null {
  if (group === undefined || group === null) return null;
  if (!data.read.tagGroups.get(group)) throw new HoldfastError('NOT_FOUND', `No tag group with id ${group} in this case.`, { group });
  return group;
}

interface NewTag { name: string; kind?: TagKind; color?: string | null; shortcut?: number | null; groupId?: number | null }

function insertTag(data: CaseData, actor: string, args: NewTag): TagRow {
  const name = checkName(args.name);
  const kind = args.kind ?? 'coding';
  if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new HoldfastError('VALIDATION', `Tag kind is one of ${TAG_KINDS.join(', ')}, not "${kind}".`);
  const existing = findTag(data, name);
  if (existing) throw new HoldfastError('VALIDATION', `There is already a tag named "${existing.name}".`);
  const color = checkColor(args.color);
  const shortcut = checkShortcut(data, args.shortcut);
  const group = checkGroup(data, args.groupId);
  const id = data.write.tagging.create({ name, kind, color, shortcut, groupId: group });
  const row = requireTag(data, id);
  appendAudit(data, actor, 'tag.create', { tagId: id, before: null, after: tagState(row) });
  return row;
}

export function createTag(session: CaseSession, args: NewTag): TagDTO {
  const row = dataOf(session).write.transaction.run(() => insertTag(dataOf(session), session.actor, args));
  return toDto(row, 0);
}

/** Renames, recolours or re-keys a tag. The default tags keep their names and kinds. */
export function updateTag(
  session: CaseSession,
  args: { tagId: number; name?: string; kind?: TagKind; color?: string | null; shortcut?: number | null; groupId?: number | null },
): TagDTO {
  const data = dataOf(session);
  const row = data.write.transaction.run(() => {
    const before = requireTag(data, args.tagId);
    const name = args.name === undefined ? before.name : checkName(args.name);
    const kind = args.kind ?? before.kind;
    if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new HoldfastError('VALIDATION', `Tag kind is one of ${TAG_KINDS.join(', ')}, not "${kind}".`);
    if (before.builtin && (name !== before.name || kind !== before.kind)) {
      throw new HoldfastError('VALIDATION', `"${before.name}" is a default tag: its name and kind stay; its colour and shortcut can change.`);
    }
    const clash = findTag(data, name);
    if (clash && clash.id !== before.id) throw new HoldfastError('VALIDATION', `There is already a tag named "${clash.name}".`);
    const color = args.color === undefined ? before.color : checkColor(args.color);
    const shortcut = args.shortcut === undefined ? before.shortcut : checkShortcut(data, args.shortcut, before.id);
    const group = args.groupId === undefined ? before.group_id : checkGroup(data, args.groupId);
    data.write.tagging.update(before.id, { name, kind, color, shortcut, groupId: group });
    const after = requireTag(data, before.id);
    appendAudit(dataOf(session), session.actor, 'tag.update', { tagId: before.id, before: tagState(before), after: tagState(after) });
    return after;
  });
  return toDto(row, data.read.tagging.countTagged(row.id));
}

/** Deletes a custom tag; the audit entries keep which messages carried it (and any basis). */
export function deleteTag(session: CaseSession, args: { tagId: number }): { deleted: string; untagged: number } {
  const data = dataOf(session);
  return data.write.transaction.run(() => {
    const tag = requireTag(data, args.tagId);
    if (tag.builtin) throw new HoldfastError('VALIDATION', `"${tag.name}" is a default tag and cannot be deleted.`);
    const removed = data.read.tagging.taggings(tag.id);
    data.write.tagging.delete(tag.id);
    appendAuditItems(data, session.actor, 'tag.delete', removed, (slice) => ({
      tagId: tag.id, untagged: removed.length, before: { tag: tagState(tag), messages: slice }, after: null,
    }));
    return { deleted: tag.name, untagged: removed.length };
  });
}

export interface TagArgs extends MessageTarget {
  /** Tag name (case-insensitive) or id. */
  tag: string | number;
  /** Privilege basis (privilege tags only): set on every selected message, replacing an earlier one. */
  basis?: string;
  /** Create a custom coding tag of that name when none exists (the CLI does). */
  create?: boolean;
}

/** Removes `tag` from `ids` (those that have it), audited as one `tag.remove` under `change`. */
function removeTag(data: CaseData, actor: string, tag: TagRow, ids: readonly number[], description: TargetDescription, change: number, why?: string): number {
  const removed = data.read.tagging.taggings(tag.id, ids);
  if (!removed.length) return 0;
  data.write.tagging.remove(tag.id, removed.map((r) => r.messageId));
  appendAuditItems(data, actor, 'tag.remove', removed, (slice) => ({
    tag: { id: tag.id, name: tag.name, kind: tag.kind }, target: description, selected: ids.length, changed: removed.length, change,
    ...(why ? { why } : {}),
    messageIds: slice.map((r) => r.messageId), before: { tagged: true, tags: slice }, after: { tagged: false },
  }));
  return removed.length;
}

export function tagMessages(session: CaseSession, args: TagArgs): TagResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const data = dataOf(session);
  return data.write.transaction.run(() => {
    const tag = findTag(data, args.tag) ?? (args.create && typeof args.tag === 'string' ? insertTag(data, session.actor, { name: args.tag }) : requireTag(data, args.tag));
    const basis = args.basis === undefined ? undefined : args.basis.trim() || null;
    if (basis !== undefined && tag.kind !== 'privilege') {
      throw new HoldfastError('VALIDATION', `A basis belongs on a privilege tag; "${tag.name}" is a ${tag.kind} tag.`);
    }
    if (basis && basis.length > 4000) throw new HoldfastError('VALIDATION', 'A privilege basis is at most 4,000 characters.');
    const change = nextChange(data);
    // A single-choice group: the tag replaces its siblings on these messages (never both Responsive and Non-responsive).
    let replaced = 0;
    const group = tag.group_id === null ? undefined : data.read.tagGroups.get(tag.group_id);
    if (group?.choice === 'single') {
      const siblings = data.read.tagging.siblings(group.id, tag.id);
      for (const other of siblings) replaced += removeTag(data, session.actor, other, ids, description, change, `"${group.name}" is single-choice: ${tag.name} replaces ${other.name}`);
    }
    const existing = new Map(data.read.tagging.bases(tag.id, ids));
    const added = ids.filter((id) => !existing.has(id));
    const rebased = basis === undefined ? [] : ids.filter((id) => existing.has(id) && existing.get(id) !== basis);
    const at = Date.now();
    data.write.tagging.apply(tag.id, added, { by: session.actor, at, basis: basis ?? null });
    const ref = { id: tag.id, name: tag.name, kind: tag.kind };
    if (added.length) {
      appendAuditItems(data, session.actor, 'tag.apply', added, (slice) => ({
        tag: ref, target: description, selected: ids.length, changed: added.length, change, messageIds: slice,
        before: { tagged: false }, after: { tagged: true, basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    if (rebased.length) {
      data.write.tagging.rebase(tag.id, rebased, { by: session.actor, at, basis: basis ?? null });
      appendAuditItems(data, session.actor, 'tag.basis', rebased, (slice) => ({
        tag: ref, target: description, changed: rebased.length, change, messageIds: slice,
        before: { basis: slice.map((id) => existing.get(id) ?? null) }, after: { basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    const changed = added.length + rebased.length;
    return { tag: tag.name, changed, selected: ids.length, change: changed + replaced > 0 ? change : null, ...(replaced ? { replaced } : {}) };
  });
}

export function untagMessages(session: CaseSession, args: MessageTarget & { tag: string | number }): TagResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const data = dataOf(session);
  return data.write.transaction.run(() => {
    const tag = requireTag(data, args.tag);
    const change = nextChange(data);
    const changed = removeTag(data, session.actor, tag, ids, description, change);
    return { tag: tag.name, changed, selected: ids.length, change: changed > 0 ? change : null };
  });
}

interface ChangeEntry {
  seq: number;
  action: 'tag.apply' | 'tag.remove' | 'tag.basis';
  details: {
    tag: { id: number; name: string };
    messageIds: number[];
    before: { tags?: Tagging[]; basis?: (string | null)[] };
    after: { at?: number };
  };
}

/**
 * Undoes one coding action (`change` from tags.apply / tags.remove): what it added is removed, what
 * it removed comes back with its basis, author and time, a changed basis returns to the old one.
 * Messages coded again since keep the later coding. The undo is its own audit entry (`tag.undo`).
 */
export function undoTagChange(session: CaseSession, args: { change: number }): UndoResultDTO {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const entries = read.tagging
      .changeEntries(args.change)
      .map((r) => ({ ...r, details: JSON.parse(r.details) as ChangeEntry['details'] }));
    if (!entries.length) throw new HoldfastError('NOT_FOUND', `No coding change ${args.change} in this case.`, { change: args.change });
    const done = read.tagging.undoneBy(args.change);
    if (done !== undefined) throw new HoldfastError('VALIDATION', `Coding change ${args.change} was already undone (audit entry ${done}).`, { change: args.change });
    const restored: { tag: string; removed: number[]; readded: number[]; rebased: number[] }[] = [];
    const messages = new Set<number>();
    for (const e of entries) {
      const tagId = e.details.tag.id;
      const r = { tag: e.details.tag.name, removed: [] as number[], readded: [] as number[], rebased: [] as number[] };
      if (e.action === 'tag.apply') {
        // Only the rows this action wrote (same time): a later re-tag is someone's later decision.
        r.removed = read.tagging.taggedAt(tagId, e.details.after.at!, e.details.messageIds);
        write.tagging.remove(tagId, r.removed);
      } else if (e.action === 'tag.remove') {
        if (!read.tagging.get(tagId)) continue;
        r.readded = write.tagging.restore(tagId, e.details.before.tags ?? []);
      } else {
        r.rebased = write.tagging.restoreBases(tagId, e.details.after.at!, e.details.messageIds, e.details.before.basis ?? []);
      }
      for (const id of [...r.removed, ...r.readded, ...r.rebased]) messages.add(id);
      restored.push(r);
    }
    const all = [...messages].sort((a, b) => a - b);
    appendAuditItems(data, session.actor, 'tag.undo', all, (slice, first) => ({
      undoes: args.change, changed: all.length, messageIds: slice,
      ...(first ? { before: { entries: entries.map((e) => e.seq) }, after: restored.map((r) => ({ tag: r.tag, removed: r.removed.length, readded: r.readded.length, rebased: r.rebased.length })) } : {}),
    }));
    return { change: args.change, changed: all.length };
  });
}

/** The privilege tags on a message with their basis, so what a reviewer saved shows again. */
export function tagBasis(session: CaseSession, args: { messageId: number }): { tagId: number; tag: string; basis: string | null }[] {
  return dataOf(session).read.tagging.privilegeBases(args.messageId);
}
