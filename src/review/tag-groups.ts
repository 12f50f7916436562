/**
 * Coding layouts: tag groups. A single-choice group's tags exclude each other on a message
 * (tagMessages replaces the sibling); a required group is one every coded message should answer
 * (the coding panel says when it does not). Creating, changing and deleting a group is audited.
 */
import type { TagGroupDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';

export const GROUP_CHOICES = ['single', 'multi'] as const;
export type GroupChoice = (typeof GROUP_CHOICES)[number];

interface GroupRow {
  id: number;
  name: string;
  choice: GroupChoice;
  required: number;
}

function state(g: GroupRow) {
  return { name: g.name, choice: g.choice, required: g.required === 1 };
}

function requireGroup(db: DB, id: number): GroupRow {
  const g = db.prepare('SELECT * FROM tag_groups WHERE id = ?').get(id) as GroupRow | undefined;
  if (!g) throw new HoldfastError('NOT_FOUND', `No tag group with id ${id} in this case.`, { groupId: id });
  return g;
}

function checkName(db: DB, name: string, self?: number): string {
  const n = name.trim();
  if (!n) throw new HoldfastError('VALIDATION', 'A tag group needs a name.');
  if (n.length > 100) throw new HoldfastError('VALIDATION', 'A tag group name is at most 100 characters.');
  const clash = db.prepare('SELECT name FROM tag_groups WHERE name = ? COLLATE NOCASE AND id IS NOT ?').pluck().get(n, self ?? null) as string | undefined;
  if (clash) throw new HoldfastError('VALIDATION', `There is already a tag group named "${clash}".`);
  return n;
}

function checkChoice(choice: string): GroupChoice {
  if (!(GROUP_CHOICES as readonly string[]).includes(choice)) throw new HoldfastError('VALIDATION', `A group is single- or multi-choice, not "${choice}".`);
  return choice as GroupChoice;
}

function toDto(db: DB, g: GroupRow): TagGroupDTO {
  const tags = db.prepare('SELECT id FROM tags WHERE group_id = ? ORDER BY shortcut IS NULL, shortcut, name COLLATE NOCASE').pluck().all(g.id) as number[];
  return { id: g.id, name: g.name, choice: g.choice, required: g.required === 1, tags };
}

export function listTagGroups(session: CaseSession): TagGroupDTO[] {
  const db = session.db;
  return (db.prepare('SELECT * FROM tag_groups ORDER BY name COLLATE NOCASE').all() as GroupRow[]).map((g) => toDto(db, g));
}

/**
 * Single-choice groups whose tags a message already carries more than one of (coded before the
 * group was made single-choice): the conflicts a reviewer should resolve.
 */
function conflicts(db: DB, groupId: number): number {
  return db
    .prepare('SELECT count(*) FROM (SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.group_id = ? GROUP BY mt.message_id HAVING count(*) > 1)')
    .pluck()
    .get(groupId) as number;
}

export function createTagGroup(session: CaseSession, args: { name: string; choice: string; required?: boolean; tagIds?: number[] }): TagGroupDTO {
  const db = session.db;
  return db.transaction(() => {
    const name = checkName(db, args.name);
    const choice = checkChoice(args.choice);
    const id = Number(db.prepare('INSERT INTO tag_groups(name, choice, required) VALUES (?, ?, ?)').run(name, choice, args.required ? 1 : 0).lastInsertRowid);
    const setTag = db.prepare('UPDATE tags SET group_id = ? WHERE id = ?');
    for (const t of args.tagIds ?? []) if (!setTag.run(id, t).changes) throw new HoldfastError('NOT_FOUND', `No tag with id ${t} in this case.`, { tag: t });
    const g = requireGroup(db, id);
    if (choice === 'single' && conflicts(db, id) > 0) {
      throw new HoldfastError('VALIDATION', `${conflicts(db, id)} messages already carry more than one of these tags; resolve them before making the group single-choice.`);
    }
    appendAudit(db, session.actor, 'tag.group.create', { groupId: id, before: null, after: { ...state(g), tags: args.tagIds ?? [] } });
    return toDto(db, g);
  })();
}

export function updateTagGroup(session: CaseSession, args: { groupId: number; name?: string; choice?: string; required?: boolean }): TagGroupDTO {
  const db = session.db;
  return db.transaction(() => {
    const before = requireGroup(db, args.groupId);
    const name = args.name === undefined ? before.name : checkName(db, args.name, before.id);
    const choice = args.choice === undefined ? before.choice : checkChoice(args.choice);
    const required = args.required === undefined ? before.required : args.required ? 1 : 0;
    if (choice === 'single' && before.choice !== 'single' && conflicts(db, before.id) > 0) {
      throw new HoldfastError('VALIDATION', `${conflicts(db, before.id)} messages carry more than one of this group's tags; resolve them before making it single-choice.`);
    }
    db.prepare('UPDATE tag_groups SET name = ?, choice = ?, required = ? WHERE id = ?').run(name, choice, required, before.id);
    const after = requireGroup(db, before.id);
    appendAudit(db, session.actor, 'tag.group.update', { groupId: before.id, before: state(before), after: state(after) });
    return toDto(db, after);
  })();
}

/** Deletes the group; its tags stay, ungrouped. */
export function deleteTagGroup(session: CaseSession, args: { groupId: number }): { deleted: string } {
  const db = session.db;
  return db.transaction(() => {
    const g = requireGroup(db, args.groupId);
    const tags = db.prepare('SELECT id FROM tags WHERE group_id = ?').pluck().all(g.id) as number[];
    db.prepare('UPDATE tags SET group_id = NULL WHERE group_id = ?').run(g.id);
    db.prepare('DELETE FROM tag_groups WHERE id = ?').run(g.id);
    appendAudit(db, session.actor, 'tag.group.delete', { groupId: g.id, before: { ...state(g), tags }, after: null });
    return { deleted: g.name };
  })();
}
