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
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';
import { appendAuditItems } from './audit-items.ts';
import { IN_IDS, jsonIds } from '../case/data/sqlcipher/ids.ts';
import { resolveTarget } from './targets.ts';
import type { MessageTarget, TargetDescription } from './targets.ts';

export const TAG_KINDS = ['coding', 'issue', 'privilege'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

interface TagRow {
  id: number;
  name: string;
  kind: TagKind;
  color: string | null;
  shortcut: number | null;
  builtin: number;
  group_id: number | null;
}

function toDto(t: TagRow, messages: number): TagDTO {
  return { id: t.id, name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut, builtin: t.builtin === 1, messages, group: t.group_id };
}

/** The audited state of a tag (the group only once a tag has one, so older entries read the same). */
function tagState(t: TagRow): { name: string; kind: TagKind; color: string | null; shortcut: number | null; group?: number } {
  return { name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut, ...(t.group_id !== null ? { group: t.group_id } : {}) };
}

/** The id the next audit entry will get: every entry of one coding action carries it as `change`, for undo. */
function nextChange(db: DB): number {
  return ((db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number | null) ?? 0) + 1;
}

export function listTags(session: CaseSession): TagDTO[] {
  const rows = session.db
    .prepare(
      `SELECT t.*, (SELECT count(*) FROM message_tags mt WHERE mt.tag_id = t.id) AS messages FROM tags t
        ORDER BY t.shortcut IS NULL, t.shortcut, t.name COLLATE NOCASE`,
    )
    .all() as (TagRow & { messages: number })[];
  return rows.map((r) => toDto(r, r.messages));
}

/** A tag by id, or by name (case-insensitive). */
export function findTag(db: DB, tag: string | number): TagRow | undefined {
  return (typeof tag === 'number'
    ? db.prepare('SELECT * FROM tags WHERE id = ?').get(tag)
    : db.prepare('SELECT * FROM tags WHERE name = ? COLLATE NOCASE').get(tag.trim())) as TagRow | undefined;
}

function requireTag(db: DB, tag: string | number): TagRow {
  const t = findTag(db, tag);
  if (!t) throw new HoldfastError('NOT_FOUND', `No tag ${typeof tag === 'number' ? `with id ${tag}` : `named "${tag}"`} in this case.`, { tag });
  return t;
}

function countTagged(db: DB, tagId: number): number {
  return db.prepare('SELECT count(*) FROM message_tags WHERE tag_id = ?').pluck().get(tagId) as number;
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

function checkShortcut(db: DB, shortcut: number | null | undefined, self?: number): number | null {
  if (shortcut === undefined || shortcut === null) return null;
  if (!Number.isInteger(shortcut) || shortcut < 0 || shortcut > 9) throw new HoldfastError('VALIDATION', `A tag shortcut is a key 0 to 9, not ${shortcut}.`);
  const taken = db.prepare('SELECT name FROM tags WHERE shortcut = ? AND id IS NOT ?').pluck().get(shortcut, self ?? null) as string | undefined;
  if (taken) throw new HoldfastError('VALIDATION', `Key ${shortcut} is already the shortcut of "${taken}".`);
  return shortcut;
}

function checkGroup(db: DB, group: number | null | undefined): number | null {
  if (group === undefined || group === null) return null;
  if (!db.prepare('SELECT 1 FROM tag_groups WHERE id = ?').get(group)) throw new HoldfastError('NOT_FOUND', `No tag group with id ${group} in this case.`, { group });
  return group;
}

interface NewTag { name: string; kind?: TagKind; color?: string | null; shortcut?: number | null; groupId?: number | null }

function insertTag(db: DB, actor: string, args: NewTag): TagRow {
  const name = checkName(args.name);
  const kind = args.kind ?? 'coding';
  if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new HoldfastError('VALIDATION', `Tag kind is one of ${TAG_KINDS.join(', ')}, not "${kind}".`);
  const existing = findTag(db, name);
  if (existing) throw new HoldfastError('VALIDATION', `There is already a tag named "${existing.name}".`);
  const color = checkColor(args.color);
  const shortcut = checkShortcut(db, args.shortcut);
  const group = checkGroup(db, args.groupId);
  const id = Number(db.prepare('INSERT INTO tags(name, kind, color, shortcut, group_id) VALUES (?, ?, ?, ?, ?)').run(name, kind, color, shortcut, group).lastInsertRowid);
  const row = requireTag(db, id);
  appendAudit(db, actor, 'tag.create', { tagId: id, before: null, after: tagState(row) });
  return row;
}

export function createTag(session: CaseSession, args: NewTag): TagDTO {
  const row = session.db.transaction(() => insertTag(session.db, session.actor, args))();
  return toDto(row, 0);
}

/** Renames, recolours or re-keys a tag. The default tags keep their names and kinds. */
export function updateTag(
  session: CaseSession,
  args: { tagId: number; name?: string; kind?: TagKind; color?: string | null; shortcut?: number | null; groupId?: number | null },
): TagDTO {
  const db = session.db;
  const row = db.transaction(() => {
    const before = requireTag(db, args.tagId);
    const name = args.name === undefined ? before.name : checkName(args.name);
    const kind = args.kind ?? before.kind;
    if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new HoldfastError('VALIDATION', `Tag kind is one of ${TAG_KINDS.join(', ')}, not "${kind}".`);
    if (before.builtin && (name !== before.name || kind !== before.kind)) {
      throw new HoldfastError('VALIDATION', `"${before.name}" is a default tag: its name and kind stay; its colour and shortcut can change.`);
    }
    const clash = findTag(db, name);
    if (clash && clash.id !== before.id) throw new HoldfastError('VALIDATION', `There is already a tag named "${clash.name}".`);
    const color = args.color === undefined ? before.color : checkColor(args.color);
    const shortcut = args.shortcut === undefined ? before.shortcut : checkShortcut(db, args.shortcut, before.id);
    const group = args.groupId === undefined ? before.group_id : checkGroup(db, args.groupId);
    db.prepare('UPDATE tags SET name = ?, kind = ?, color = ?, shortcut = ?, group_id = ? WHERE id = ?').run(name, kind, color, shortcut, group, before.id);
    const after = requireTag(db, before.id);
    appendAudit(db, session.actor, 'tag.update', { tagId: before.id, before: tagState(before), after: tagState(after) });
    return after;
  })();
  return toDto(row, countTagged(db, row.id));
}

/** Deletes a custom tag; the audit entries keep which messages carried it (and any basis). */
export function deleteTag(session: CaseSession, args: { tagId: number }): { deleted: string; untagged: number } {
  const db = session.db;
  return db.transaction(() => {
    const tag = requireTag(db, args.tagId);
    if (tag.builtin) throw new HoldfastError('VALIDATION', `"${tag.name}" is a default tag and cannot be deleted.`);
    const removed = db.prepare('SELECT message_id AS messageId, basis, by, at FROM message_tags WHERE tag_id = ? ORDER BY message_id').all(tag.id);
    db.prepare('DELETE FROM message_tags WHERE tag_id = ?').run(tag.id);
    db.prepare('DELETE FROM tags WHERE id = ?').run(tag.id);
    appendAuditItems(db, session.actor, 'tag.delete', removed, (slice) => ({
      tagId: tag.id, untagged: removed.length, before: { tag: tagState(tag), messages: slice }, after: null,
    }));
    return { deleted: tag.name, untagged: removed.length };
  })();
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
function removeTag(db: DB, actor: string, tag: TagRow, ids: readonly number[], description: TargetDescription, change: number, why?: string): number {
  const removed = db
    .prepare(`SELECT message_id AS messageId, basis, by, at FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS} ORDER BY message_id`)
    .all(tag.id, jsonIds(ids)) as { messageId: number; basis: string | null; by: string; at: number }[];
  if (!removed.length) return 0;
  db.prepare(`DELETE FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).run(tag.id, jsonIds(removed.map((r) => r.messageId)));
  appendAuditItems(db, actor, 'tag.remove', removed, (slice) => ({
    tag: { id: tag.id, name: tag.name, kind: tag.kind }, target: description, selected: ids.length, changed: removed.length, change,
    ...(why ? { why } : {}),
    messageIds: slice.map((r) => r.messageId), before: { tagged: true, tags: slice }, after: { tagged: false },
  }));
  return removed.length;
}

export function tagMessages(session: CaseSession, args: TagArgs): TagResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const db = session.db;
  return db.transaction(() => {
    const tag = findTag(db, args.tag) ?? (args.create && typeof args.tag === 'string' ? insertTag(db, session.actor, { name: args.tag }) : requireTag(db, args.tag));
    const basis = args.basis === undefined ? undefined : args.basis.trim() || null;
    if (basis !== undefined && tag.kind !== 'privilege') {
      throw new HoldfastError('VALIDATION', `A basis belongs on a privilege tag; "${tag.name}" is a ${tag.kind} tag.`);
    }
    if (basis && basis.length > 4000) throw new HoldfastError('VALIDATION', 'A privilege basis is at most 4,000 characters.');
    const change = nextChange(db);
    // A single-choice group: the tag replaces its siblings on these messages (never both Responsive and Non-responsive).
    let replaced = 0;
    const group = tag.group_id === null ? undefined : (db.prepare('SELECT name, choice FROM tag_groups WHERE id = ?').get(tag.group_id) as { name: string; choice: string } | undefined);
    if (group?.choice === 'single') {
      const siblings = db.prepare('SELECT * FROM tags WHERE group_id = ? AND id <> ?').all(tag.group_id, tag.id) as TagRow[];
      for (const other of siblings) replaced += removeTag(db, session.actor, other, ids, description, change, `"${group.name}" is single-choice: ${tag.name} replaces ${other.name}`);
    }
    const existing = new Map(
      (db.prepare(`SELECT message_id, basis FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).raw().all(tag.id, jsonIds(ids)) as [number, string | null][]),
    );
    const added = ids.filter((id) => !existing.has(id));
    const rebased = basis === undefined ? [] : ids.filter((id) => existing.has(id) && existing.get(id) !== basis);
    const at = Date.now();
    db.prepare(`INSERT INTO message_tags(message_id, tag_id, by, at, basis) SELECT value, ?, ?, ?, ? FROM json_each(?)`).run(tag.id, session.actor, at, basis ?? null, jsonIds(added));
    const ref = { id: tag.id, name: tag.name, kind: tag.kind };
    if (added.length) {
      appendAuditItems(db, session.actor, 'tag.apply', added, (slice) => ({
        tag: ref, target: description, selected: ids.length, changed: added.length, change, messageIds: slice,
        before: { tagged: false }, after: { tagged: true, basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    if (rebased.length) {
      db.prepare(`UPDATE message_tags SET basis = ?, by = ?, at = ? WHERE tag_id = ? AND message_id ${IN_IDS}`).run(basis ?? null, session.actor, at, tag.id, jsonIds(rebased));
      appendAuditItems(db, session.actor, 'tag.basis', rebased, (slice) => ({
        tag: ref, target: description, changed: rebased.length, change, messageIds: slice,
        before: { basis: slice.map((id) => existing.get(id) ?? null) }, after: { basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    const changed = added.length + rebased.length;
    return { tag: tag.name, changed, selected: ids.length, change: changed + replaced > 0 ? change : null, ...(replaced ? { replaced } : {}) };
  })();
}

export function untagMessages(session: CaseSession, args: MessageTarget & { tag: string | number }): TagResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const db = session.db;
  return db.transaction(() => {
    const tag = requireTag(db, args.tag);
    const change = nextChange(db);
    const changed = removeTag(db, session.actor, tag, ids, description, change);
    return { tag: tag.name, changed, selected: ids.length, change: changed > 0 ? change : null };
  })();
}

interface ChangeEntry {
  seq: number;
  action: 'tag.apply' | 'tag.remove' | 'tag.basis';
  details: {
    tag: { id: number; name: string };
    messageIds: number[];
    before: { tags?: { messageId: number; basis: string | null; by: string; at: number }[]; basis?: (string | null)[] };
    after: { at?: number };
  };
}

/**
 * Undoes one coding action (`change` from tags.apply / tags.remove): what it added is removed, what
 * it removed comes back with its basis, author and time, a changed basis returns to the old one.
 * Messages coded again since keep the later coding. The undo is its own audit entry (`tag.undo`).
 */
export function undoTagChange(session: CaseSession, args: { change: number }): UndoResultDTO {
  const db = session.db;
  return db.transaction(() => {
    const entries = (db
      .prepare(`SELECT seq, action, details FROM audit_log WHERE seq >= ? AND action IN ('tag.apply','tag.remove','tag.basis') AND json_extract(details, '$.change') = ? ORDER BY seq DESC`)
      .all(args.change, args.change) as { seq: number; action: ChangeEntry['action']; details: string }[])
      .map((r) => ({ ...r, details: JSON.parse(r.details) as ChangeEntry['details'] }));
    if (!entries.length) throw new HoldfastError('NOT_FOUND', `No coding change ${args.change} in this case.`, { change: args.change });
    const done = db.prepare("SELECT seq FROM audit_log WHERE action = 'tag.undo' AND json_extract(details, '$.undoes') = ?").pluck().get(args.change) as number | undefined;
    if (done !== undefined) throw new HoldfastError('VALIDATION', `Coding change ${args.change} was already undone (audit entry ${done}).`, { change: args.change });
    const restored: { tag: string; removed: number[]; readded: number[]; rebased: number[] }[] = [];
    const messages = new Set<number>();
    for (const e of entries) {
      const tagId = e.details.tag.id;
      const r = { tag: e.details.tag.name, removed: [] as number[], readded: [] as number[], rebased: [] as number[] };
      if (e.action === 'tag.apply') {
        // Only the rows this action wrote (same time): a later re-tag is someone's later decision.
        r.removed = db
          .prepare(`SELECT message_id FROM message_tags WHERE tag_id = ? AND at = ? AND message_id ${IN_IDS}`)
          .pluck()
          .all(tagId, e.details.after.at, jsonIds(e.details.messageIds)) as number[];
        db.prepare(`DELETE FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).run(tagId, jsonIds(r.removed));
      } else if (e.action === 'tag.remove') {
        if (!db.prepare('SELECT 1 FROM tags WHERE id = ?').get(tagId)) continue;
        const ins = db.prepare('INSERT OR IGNORE INTO message_tags(message_id, tag_id, by, at, basis) SELECT id, ?, ?, ?, ? FROM messages WHERE id = ?');
        for (const t of e.details.before.tags ?? []) if (ins.run(tagId, t.by, t.at, t.basis, t.messageId).changes) r.readded.push(t.messageId);
      } else {
        const upd = db.prepare('UPDATE message_tags SET basis = ? WHERE tag_id = ? AND message_id = ? AND at = ?');
        e.details.messageIds.forEach((id, i) => {
          if (upd.run(e.details.before.basis?.[i] ?? null, tagId, id, e.details.after.at).changes) r.rebased.push(id);
        });
      }
      for (const id of [...r.removed, ...r.readded, ...r.rebased]) messages.add(id);
      restored.push(r);
    }
    const all = [...messages].sort((a, b) => a - b);
    appendAuditItems(db, session.actor, 'tag.undo', all, (slice, first) => ({
      undoes: args.change, changed: all.length, messageIds: slice,
      ...(first ? { before: { entries: entries.map((e) => e.seq) }, after: restored.map((r) => ({ tag: r.tag, removed: r.removed.length, readded: r.readded.length, rebased: r.rebased.length })) } : {}),
    }));
    return { change: args.change, changed: all.length };
  })();
}

/** The privilege tags on a message with their basis, so what a reviewer saved shows again. */
export function tagBasis(session: CaseSession, args: { messageId: number }): { tagId: number; tag: string; basis: string | null }[] {
  return session.db
    .prepare("SELECT t.id AS tagId, t.name AS tag, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ? AND t.kind = 'privilege' ORDER BY t.name")
    .all(args.messageId) as { tagId: number; tag: string; basis: string | null }[];
}
