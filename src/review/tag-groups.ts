/**
 * Coding layouts: tag groups. A single-choice group's tags exclude each other on a message
 * (tagMessages replaces the sibling); a required group is one every coded message should answer
 * (the coding panel says when it does not). Creating, changing and deleting a group is audited.
 */
import type { TagGroupDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseReaders, TagGroupRow as GroupRow } from '../case/data/interface.ts';

export const GROUP_CHOICES = ['single', 'multi'] as const;
export type GroupChoice = (typeof GROUP_CHOICES)[number];

function state(g: GroupRow) {
  return { name: g.name, choice: g.choice, required: g.required === 1 };
}

function requireGroup(read: CaseReaders, id: number): GroupRow {
  const g = read.tagGroups.get(id);
  if (!g) throw new HoldfastError('NOT_FOUND', `No tag group with id ${id} in this case.`, { groupId: id });
  return g;
}

function checkName(read: CaseReaders, name: string, self?: number): string {
  const n = name.trim();
  if (!n) throw new HoldfastError('VALIDATION', 'A tag group needs a name.');
  if (n.length > 100) throw new HoldfastError('VALIDATION', 'A tag group name is at most 100 characters.');
  const clash = read.tagGroups.nameTaken(n, self ?? null);
  if (clash) throw new HoldfastError('VALIDATION', `There is already a tag group named "${clash}".`);
  return n;
}

function checkChoice(choice: string): GroupChoice {
  if (!(GROUP_CHOICES as readonly string[]).includes(choice)) throw new HoldfastError('VALIDATION', `A group is single- or multi-choice, not "${choice}".`);
  return choice as GroupChoice;
}

function toDto(read: CaseReaders, g: GroupRow): TagGroupDTO {
  const tags = read.tagGroups.tagIds(g.id);
  return { id: g.id, name: g.name, choice: g.choice, required: g.required === 1, tags };
}

export function listTagGroups(session: CaseSession): TagGroupDTO[] {
  const { read } = dataOf(session);
  return read.tagGroups.all().map((g) => toDto(read, g));
}

/**
 * Single-choice groups whose tags a message already carries more than one of (coded before the
 * group was made single-choice): the conflicts a reviewer should resolve.
 */
function conflicts(read: CaseReaders, groupId: number): number {
  return read.tagGroups.conflicts(groupId);
}

export function createTagGroup(session: CaseSession, args: { name: string; choice: string; required?: boolean; tagIds?: number[] }): TagGroupDTO {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const name = checkName(read, args.name);
    const choice = checkChoice(args.choice);
    const id = write.tagGroups.create({ name, choice, required: args.required ? 1 : 0 });
    for (const t of args.tagIds ?? []) if (!write.tagGroups.assignTag(t, id)) throw new HoldfastError('NOT_FOUND', `No tag with id ${t} in this case.`, { tag: t });
    const g = requireGroup(read, id);
    if (choice === 'single' && conflicts(read, id) > 0) {
      throw new HoldfastError('VALIDATION', `${conflicts(read, id)} messages already carry more than one of these tags; resolve them before making the group single-choice.`);
    }
    appendAudit(dataOf(session), session.actor, 'tag.group.create', { groupId: id, before: null, after: { ...state(g), tags: args.tagIds ?? [] } });
    return toDto(read, g);
  });
}

export function updateTagGroup(session: CaseSession, args: { groupId: number; name?: string; choice?: string; required?: boolean }): TagGroupDTO {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const before = requireGroup(read, args.groupId);
    const name = args.name === undefined ? before.name : checkName(read, args.name, before.id);
    const choice = args.choice === undefined ? before.choice : checkChoice(args.choice);
    const required = args.required === undefined ? before.required : args.required ? 1 : 0;
    if (choice === 'single' && before.choice !== 'single' && conflicts(read, before.id) > 0) {
      throw new HoldfastError('VALIDATION', `${conflicts(read, before.id)} messages carry more than one of this group's tags; resolve them before making it single-choice.`);
    }
    write.tagGroups.update(before.id, { name, choice, required });
    const after = requireGroup(read, before.id);
    appendAudit(dataOf(session), session.actor, 'tag.group.update', { groupId: before.id, before: state(before), after: state(after) });
    return toDto(read, after);
  });
}

/** Deletes the group; its tags stay, ungrouped. */
export function deleteTagGroup(session: CaseSession, args: { groupId: number }): { deleted: string } {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const g = requireGroup(read, args.groupId);
    const tags = read.tagGroups.members(g.id);
    write.tagGroups.delete(g.id);
    appendAudit(dataOf(session), session.actor, 'tag.group.delete', { groupId: g.id, before: { ...state(g), tags }, after: null });
    return { deleted: g.name };
  });
}
