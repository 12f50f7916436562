/** Custom coding fields: typed values checked, set on a selection, audited with the value before, read back, deleted with their values kept in the audit log. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/case.ts';
import { createCodingField, deleteCodingField, fieldValues, listCodingFields, setFieldValue } from '../../src/review/coding-fields.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, withCase } from './helpers.ts';

test('coding fields: created, valued per message, audited old → new, read back after reopening, deleted', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 1), count: 10, stepMs: 3_600_000, authors: ['Ann', 'Bo'], seed: 3 })), 'Ann');
  const ids = await withCase(caseFile, (s) => {
    const ids = s.db.prepare("SELECT id FROM messages WHERE kind = 'message' ORDER BY id").pluck().all() as number[];
    const issue = createCodingField(s, { name: 'Issue', type: 'text' });
    const stage = createCodingField(s, { name: 'Stage', type: 'choice', choices: ['Draft', 'Final', 'Draft'] });
    const due = createCodingField(s, { name: 'Due', type: 'date' });
    assert.deepEqual(stage.choices, ['Draft', 'Final'], 'choices without repeats');
    return { ids, issue: issue.id, stage: stage.id, due: due.id };
  });
  await withCase(caseFile, async (s) => {
    assert.equal(await codeOf(() => createCodingField(s, { name: 'ISSUE', type: 'text' })), 'VALIDATION', 'names are unique whatever the case');
    assert.equal(await codeOf(() => createCodingField(s, { name: 'Kind', type: 'choice' })), 'VALIDATION', 'a choice field needs choices');
    assert.equal(await codeOf(() => setFieldValue(s, { fieldId: ids.stage, messageIds: [ids.ids[0]!], value: 'Maybe' })), 'VALIDATION', 'not one of the choices');
    assert.equal(await codeOf(() => setFieldValue(s, { fieldId: ids.due, messageIds: [ids.ids[0]!], value: '2024-02-30' })), 'VALIDATION', 'not a date');
    assert.equal(await codeOf(() => setFieldValue(s, { fieldId: 999, messageIds: [ids.ids[0]!], value: 'x' })), 'NOT_FOUND');

    const first = setFieldValue(s, { fieldId: ids.issue, messageIds: ids.ids.slice(0, 3), value: '  Pricing  ' });
    assert.deepEqual(first, { field: 'Issue', value: 'Pricing', selected: 3, changed: 3 });
    const second = setFieldValue(s, { fieldId: ids.issue, messageIds: ids.ids.slice(2, 4), value: 'Kickbacks' });
    assert.equal(second.changed, 2);
    assert.equal(setFieldValue(s, { fieldId: ids.issue, messageIds: ids.ids.slice(2, 4), value: 'Kickbacks' }).changed, 0, 'the same value again changes nothing');
    setFieldValue(s, { fieldId: ids.stage, messageIds: [ids.ids[2]!], value: 'Final' });
    setFieldValue(s, { fieldId: ids.due, messageIds: [ids.ids[2]!], value: '2024-03-01' });

    const sets = auditOf(s, 'field.set');
    assert.equal(sets.length, 4, 'one entry per change that changed something');
    assert.deepEqual(sets[1]!.details.changes, [{ messageId: ids.ids[2], before: 'Pricing' }, { messageId: ids.ids[3], before: null }]);
    assert.equal(sets[1]!.details.after, 'Kickbacks');
    assert.equal(sets[1]!.actor, 'Tester');
  });
  // Reopened: the values are in the case.
  await withCase(caseFile, async (s) => {
    assert.deepEqual(fieldValues(s, { messageId: ids.ids[2]! }).map((v) => [v.field, v.value, v.by]), [['Due', '2024-03-01', 'Tester'], ['Issue', 'Kickbacks', 'Tester'], ['Stage', 'Final', 'Tester']]);
    assert.deepEqual(listCodingFields(s).map((f) => [f.name, f.type, f.messages]), [['Due', 'date', 1], ['Issue', 'text', 4], ['Stage', 'choice', 1]]);
    const cleared = setFieldValue(s, { fieldId: ids.issue, messageIds: [ids.ids[0]!], value: '' });
    assert.deepEqual([cleared.value, cleared.changed], [null, 1]);
    assert.deepEqual(auditOf(s, 'field.set').at(-1)!.details.changes, [{ messageId: ids.ids[0], before: 'Pricing' }]);

    assert.deepEqual(deleteCodingField(s, { fieldId: ids.issue }), { deleted: 'Issue', cleared: 3 });
    const gone = auditOf(s, 'field.delete').at(-1)!;
    assert.deepEqual(gone.details.values, [[ids.ids[1], 'Pricing'], [ids.ids[2], 'Kickbacks'], [ids.ids[3], 'Kickbacks']], 'the audit log keeps what the field held');
    assert.deepEqual(fieldValues(s, { messageId: ids.ids[2]! }).map((v) => v.field), ['Due', 'Stage']);
  });
});
