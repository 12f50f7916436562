/** Review units of a chosen length: 24 hours are the days, shorter lengths cut each local day from midnight, whole days count from the first day; a slice's ids are its events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, tempDir } from '../helpers/case.ts';
import { listReviewUnits } from '../../src/review/units.ts';
import { listReviewSlices, reviewSliceIds } from '../../src/review/slices.ts';
import { writeExport } from './corpus.ts';
import type { Line } from './corpus.ts';
import { codeOf, createCaseFile, importFile, withCase } from './helpers.ts';

test('review slices of 1, 6, 24 hours and 7 days in the display zone, across a DST change', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const at = (iso: string) => Date.parse(iso);
  const lines: Line[] = [
    { at: at('2024-03-30T08:10:00Z'), author: 'Alice Smith', text: 'Saturday 08:10 GMT' },
    { at: at('2024-03-30T08:50:00Z'), author: 'Bob Jones', text: 'Saturday 08:50 GMT' },
    { at: at('2024-03-30T13:00:00Z'), author: 'Alice Smith', text: 'Saturday 13:00 GMT' },
    { at: at('2024-03-31T05:30:00Z'), author: 'Bob Jones', text: 'Sunday 06:30 BST' },
    { at: at('2024-04-06T10:00:00Z'), author: 'Alice Smith', text: 'next Saturday 11:00 BST' },
  ];
  await importFile(caseFile, writeExport(dir, 'Clocks', lines), 'Alice');
  cliJson(['timezone', caseFile, 'Europe/London', '--json']);
  await withCase(caseFile, async (s) => {
    const conversationId = s.db.prepare('SELECT id FROM conversations LIMIT 1').pluck().get() as number;
    const span = (hours: number) => listReviewSlices(s, { conversationId, hours }).map((x) => [x.from, x.to, x.events]);

    const days = listReviewUnits(s, conversationId).map((u) => [u.from, u.to, u.events]);
    assert.deepEqual(span(24), days, '24 hours are the review units');
    assert.deepEqual(span(1), [
      ['2024-03-30T08:00:00.000Z', '2024-03-30T09:00:00.000Z', 2],
      ['2024-03-30T13:00:00.000Z', '2024-03-30T14:00:00.000Z', 1],
      ['2024-03-31T05:00:00.000Z', '2024-03-31T06:00:00.000Z', 1],
      ['2024-04-06T10:00:00.000Z', '2024-04-06T11:00:00.000Z', 1],
    ]);
    assert.deepEqual(span(6), [
      ['2024-03-30T06:00:00.000Z', '2024-03-30T12:00:00.000Z', 2],
      ['2024-03-30T12:00:00.000Z', '2024-03-30T18:00:00.000Z', 1],
      // Sunday has 23 hours: its first 6 hours end at 07:00 BST.
      ['2024-03-31T00:00:00.000Z', '2024-03-31T06:00:00.000Z', 1],
      ['2024-04-06T05:00:00.000Z', '2024-04-06T11:00:00.000Z', 1],
    ]);
    assert.deepEqual(span(7 * 24), [
      ['2024-03-30T00:00:00.000Z', '2024-04-05T23:00:00.000Z', 4],
      ['2024-04-05T23:00:00.000Z', '2024-04-12T23:00:00.000Z', 1],
    ], 'weeks from the first day, at local midnights');
    assert.deepEqual(span(10 * 24).map((x) => x[2]), [5]);

    const six = listReviewSlices(s, { conversationId, hours: 6 })[0]!;
    const ids = reviewSliceIds(s, { conversationId, from: six.from, to: six.to, part: 1 });
    assert.deepEqual(ids.map((id) => s.db.prepare('SELECT text FROM messages WHERE id = ?').pluck().get(id)), ['Saturday 08:10 GMT', 'Saturday 08:50 GMT']);
    assert.equal(await codeOf(() => listReviewSlices(s, { conversationId, hours: 0 })), 'VALIDATION');
    assert.equal(await codeOf(() => listReviewSlices(s, { conversationId, hours: 1.5 })), 'VALIDATION');
    assert.equal(await codeOf(() => reviewSliceIds(s, { conversationId, from: six.to, to: six.from, part: 1 })), 'VALIDATION');
  });
});
