/**
 * Tags and coding. Every case starts with the default set (Responsive, Non-responsive, Privileged,
 * Hot, Needs redaction on keys 1..5, created by the schema); reviewers add their own. Tagging a
 * selection, a review unit, a conversation or a query's results is one transaction with its audit
 * entries: which messages changed, before and after. Privileged items carry a basis text for the
 * privilege log.
 */
import type { TagDTO, TagResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../session/session.ts';
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';
import { appendAuditItems } from './audit-items.ts';
import { IN_IDS, jsonIds } from './ids.ts';
import { resolveTarget } from './targets.ts';
import type { MessageTarget } from './targets.ts';

export const TAG_KINDS = ['coding', 'issue', 'privilege'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

interface TagRow {
  id: number;
  name: string;
  kind: TagKind;
  color: string | null;
  shortcut: number | null;
  builtin: number;
}

function toDto(t: TagRow, messages: number): TagDTO {
  return { id: t.id, name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut, builtin: t.builtin === 1, messages };
}

function tagState(t: TagRow): { name: string; kind: TagKind; color: string | null; shortcut: number | null } {
  return { name: t.name, kind: t.kind, color: t.color, shortcut: t.shortcut };
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

function insertTag(db: DB, actor: string, args: { name: string; kind?: TagKind; color?: string | null; shortcut?: number | null }): TagRow {
  const name = checkName(args.name);
  const kind = args.kind ?? 'coding';
  if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new HoldfastError('VALIDATION', `Tag kind is one of ${TAG_KINDS.join(', ')}, not "${kind}".`);
  const existing = findTag(db, name);
  if (existing) throw new HoldfastError('VALIDATION', `There is already a tag named "${existing.name}".`);
  const color = checkColor(args.color);
  const shortcut = checkShortcut(db, args.shortcut);
  const id = Number(db.prepare('INSERT INTO tags(name, kind, color, shortcut) VALUES (?, ?, ?, ?)').run(name, kind, color, shortcut).lastInsertRowid);
  const row = requireTag(db, id);
  appendAudit(db, actor, 'tag.create', { tagId: id, before: null, after: tagState(row) });
  return row;
}

export function createTag(session: CaseSession, args: { name: string; kind?: TagKind; color?: string | null; shortcut?: number | null }): TagDTO {
  const row = session.db.transaction(() => insertTag(session.db, session.actor, args))();
  return toDto(row, 0);
}

/** Renames, recolours or re-keys a tag. The default tags keep their names and kinds. */
export function updateTag(
  session: CaseSession,
  args: { tagId: number; name?: string; kind?: TagKind; color?: string | null; shortcut?: number | null },
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
    db.prepare('UPDATE tags SET name = ?, kind = ?, color = ?, shortcut = ? WHERE id = ?').run(name, kind, color, shortcut, before.id);
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
        tag: ref, target: description, selected: ids.length, changed: added.length, messageIds: slice,
        before: { tagged: false }, after: { tagged: true, basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    if (rebased.length) {
      db.prepare(`UPDATE message_tags SET basis = ?, by = ?, at = ? WHERE tag_id = ? AND message_id ${IN_IDS}`).run(basis ?? null, session.actor, at, tag.id, jsonIds(rebased));
      appendAuditItems(db, session.actor, 'tag.basis', rebased, (slice) => ({
        tag: ref, target: description, changed: rebased.length, messageIds: slice,
        before: { basis: slice.map((id) => existing.get(id) ?? null) }, after: { basis: basis ?? null, by: session.actor, at },
      }), at);
    }
    return { tag: tag.name, changed: added.length + rebased.length, selected: ids.length };
  })();
}

export function untagMessages(session: CaseSession, args: MessageTarget & { tag: string | number }): TagResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const db = session.db;
  return db.transaction(() => {
    const tag = requireTag(db, args.tag);
    const removed = db
      .prepare(`SELECT message_id AS messageId, basis, by, at FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS} ORDER BY message_id`)
      .all(tag.id, jsonIds(ids)) as { messageId: number; basis: string | null; by: string; at: number }[];
    db.prepare(`DELETE FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).run(tag.id, jsonIds(removed.map((r) => r.messageId)));
    if (removed.length) {
      appendAuditItems(db, session.actor, 'tag.remove', removed, (slice) => ({
        tag: { id: tag.id, name: tag.name, kind: tag.kind }, target: description, selected: ids.length, changed: removed.length,
        messageIds: slice.map((r) => r.messageId), before: { tagged: true, tags: slice }, after: { tagged: false },
      }));
    }
    return { tag: tag.name, changed: removed.length, selected: ids.length };
  })();
}
