/**
 * Custom coding fields made in the app: free text, one of fixed choices, or a date, with a value per
 * message. Creating and deleting a field, and every value set or cleared, is audited with the value
 * before and after. Values are work product: productions carry them only when named (`coding`).
 */
import type { CodingFieldDTO, FieldSetResultDTO, FieldValueDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseReaders, CodingFieldRow } from '../case/data/interface.ts';
import { appendAuditItems } from './audit-items.ts';
import { requireMessage } from './ids.ts';
import { resolveTarget } from './targets.ts';
import type { MessageTarget } from './targets.ts';

export const FIELD_TYPES = ['text', 'choice', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
const MAX_NAME = 100;
const MAX_CHOICES = 50;
const MAX_VALUE = 4000;

function choicesOf(f: CodingFieldRow): string[] {
  return f.choices === null ? [] : (JSON.parse(f.choices) as string[]);
}

function toDto(f: CodingFieldRow & { messages: number }): CodingFieldDTO {
  return { id: f.id, name: f.name, type: f.type, choices: choicesOf(f), messages: f.messages, createdBy: f.created_by, createdAt: new Date(f.created_at).toISOString() };
}

function state(f: CodingFieldRow) {
  return { name: f.name, type: f.type, choices: choicesOf(f) };
}

function requireField(read: CaseReaders, fieldId: number): CodingFieldRow {
  const f = read.fields.get(fieldId);
  if (!f) throw new HoldfastError('NOT_FOUND', `No coding field with id ${fieldId} in this case.`, { fieldId });
  return f;
}

function checkChoices(type: FieldType, choices: readonly string[] | undefined): string[] | null {
  if (type !== 'choice') {
    if (choices?.length) throw new HoldfastError('VALIDATION', `Only a choice field has choices, not a ${type} field.`);
    return null;
  }
  const list = [...new Set((choices ?? []).map((c) => c.trim()).filter(Boolean))];
  if (list.length === 0) throw new HoldfastError('VALIDATION', 'A choice field needs at least one choice.');
  if (list.length > MAX_CHOICES) throw new HoldfastError('VALIDATION', `A choice field has at most ${MAX_CHOICES} choices.`);
  const long = list.find((c) => c.length > MAX_NAME);
  if (long) throw new HoldfastError('VALIDATION', `A choice is at most ${MAX_NAME} characters: "${long.slice(0, 40)}…".`);
  return list;
}

/** The value as stored, or null to clear it; refused when it does not fit the field's type. */
function checkValue(f: CodingFieldRow, value: string | null): string | null {
  const v = value?.trim() ?? '';
  if (!v) return null;
  if (v.length > MAX_VALUE) throw new HoldfastError('VALIDATION', `A field value is at most ${MAX_VALUE.toLocaleString('en')} characters.`);
  if (f.type === 'choice' && !choicesOf(f).includes(v)) {
    throw new HoldfastError('VALIDATION', `"${v.slice(0, 60)}" is not one of the choices of ${f.name}: ${choicesOf(f).join(', ')}.`);
  }
  if (f.type === 'date') {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const t = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))) : null;
    if (!t || t.toISOString().slice(0, 10) !== v) throw new HoldfastError('VALIDATION', `${f.name} is a date (YYYY-MM-DD), not "${v.slice(0, 40)}".`);
  }
  return v;
}

export function listCodingFields(session: CaseSession): CodingFieldDTO[] {
  return dataOf(session).read.fields.all().map(toDto);
}

export function createCodingField(session: CaseSession, args: { name: string; type: string; choices?: string[] }): CodingFieldDTO {
  const name = args.name.trim();
  if (!name) throw new HoldfastError('VALIDATION', 'A coding field needs a name.');
  if (name.length > MAX_NAME) throw new HoldfastError('VALIDATION', `A coding field name is at most ${MAX_NAME} characters.`);
  if (!(FIELD_TYPES as readonly string[]).includes(args.type)) throw new HoldfastError('VALIDATION', `A coding field is ${FIELD_TYPES.join(', ')}, not "${args.type}".`);
  const type = args.type as FieldType;
  const choices = checkChoices(type, args.choices);
  const { read, write } = dataOf(session);
  return dataOf(session).write.transaction.run(() => {
    if (read.fields.named(name) !== undefined) throw new HoldfastError('VALIDATION', `There is already a coding field named "${name}".`);
    const id = write.fields.create({ name, type, choices: choices && JSON.stringify(choices), by: session.actor, at: Date.now() });
    const f = requireField(read, id);
    appendAudit(dataOf(session), session.actor, 'field.create', { fieldId: id, before: null, after: state(f) });
    return toDto({ ...f, messages: 0 });
  });
}

/** Deletes the field and its values; the audit entries keep every value it held. */
export function deleteCodingField(session: CaseSession, args: { fieldId: number }): { deleted: string; cleared: number } {
  const { read, write } = dataOf(session);
  return dataOf(session).write.transaction.run(() => {
    const f = requireField(read, args.fieldId);
    const values = read.fields.everyValue(f.id);
    write.fields.delete(f.id);
    appendAuditItems(dataOf(session), session.actor, 'field.delete', values, (slice, first) => ({
      fieldId: f.id, ...(first ? { before: state(f), after: null } : {}), cleared: values.length, values: slice,
    }));
    return { deleted: f.name, cleared: values.length };
  });
}

/** A message's values in every field that has one. */
export function fieldValues(session: CaseSession, args: { messageId: number }): FieldValueDTO[] {
  requireMessage(dataOf(session), args.messageId);
  return dataOf(session).read.fields.onMessage(args.messageId).map((v) => ({ fieldId: v.field_id, field: v.name, value: v.value, by: v.by, at: new Date(v.at).toISOString() }));
}

/** Sets the field's value on the target (an empty value clears it); messages already so are left as they are. */
export function setFieldValue(session: CaseSession, args: MessageTarget & { fieldId: number; value: string | null }): FieldSetResultDTO {
  const { read, write } = dataOf(session);
  const f = requireField(read, args.fieldId);
  const value = checkValue(f, args.value);
  const { ids, description } = resolveTarget(session, args);
  return dataOf(session).write.transaction.run(() => {
    const before = new Map(read.fields.valuesOf(f.id, ids));
    const changes = ids.filter((id) => (before.get(id) ?? null) !== value).map((id) => ({ messageId: id, before: before.get(id) ?? null }));
    if (changes.length) {
      const at = Date.now();
      const changed = changes.map((c) => c.messageId);
      if (value === null) write.fields.clear(f.id, changed);
      else write.fields.set(f.id, changed, { value, by: session.actor, at });
      appendAuditItems(dataOf(session), session.actor, 'field.set', changes, (slice) => ({
        field: { id: f.id, name: f.name }, target: description, selected: ids.length, changed: changes.length, after: value, changes: slice,
      }), at);
    }
    return { field: f.name, value, selected: ids.length, changed: changes.length };
  });
}
