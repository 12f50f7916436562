import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, tempDir } from '../helpers/case.ts';
import type { ReviewUnitDTO, TagResultDTO } from '../../src/api/dto.ts';
import { listReviewUnits, listUnitMessages } from '../../src/review/units.ts';
import { MAX_UNIT_EVENTS } from '../../src/case/review-units.ts';
import { setDisplayTimeZone } from '../../src/review/time-zone.ts';
import { listConversations } from '../../src/review/conversations.ts';
import { writeExport } from './corpus.ts';
import type { Line } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, withCase } from './helpers.ts';

/** The calendar day of `ms` in `tz`, by Intl (the implementation uses luxon). */
function localDay(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

function groupByDay(lines: Line[], tz: string): [string, number][] {
  const out = new Map<string, number>();
  for (const l of lines) out.set(localDay(l.at, tz), (out.get(localDay(l.at, tz)) ?? 0) + 1);
  return [...out];
}

test('review units are calendar days in the display time zone, across both DST changes', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const at = (iso: string) => Date.parse(iso);
  const lines: Line[] = [
    { at: at('2024-03-30T23:30:00Z'), text: 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.' },
    { at: at('2024-03-30T23:31:00Z'), author: 'Alice Smith', text: 'Saturday night, GMT' },
    { at: at('2024-03-31T00:30:00Z'), author: 'Bob Jones', text: 'after midnight, before the clocks go forward' },
    { at: at('2024-03-31T22:30:00Z'), author: 'Alice Smith', text: '23:30 BST, still the 31st in London' },
    { at: at('2024-03-31T23:30:00Z'), author: 'Bob Jones', text: '00:30 BST on 1 April, still the 31st in UTC' },
    { at: at('2024-10-26T22:59:00Z'), author: 'Alice Smith', text: '23:59 BST on the 26th' },
    { at: at('2024-10-26T23:00:00Z'), author: 'Bob Jones', text: 'midnight BST: the long day begins' },
    { at: at('2024-10-27T23:59:00Z'), author: 'Alice Smith', text: '23:59 GMT, the 25th hour is over' },
    { at: at('2024-10-28T00:00:00Z'), author: 'Bob Jones', text: 'Monday' },
  ];
  await importFile(caseFile, writeExport(dir, 'Clocks', lines), 'Alice');
  const tz = cliJson<{ displayTz: string }>(['timezone', caseFile, 'Europe/London', '--json']);
  assert.equal(tz.displayTz, 'Europe/London');

  await withCase(caseFile, (s) => {
    assert.equal(s.displayTz, 'Europe/London');
    const [conv] = listConversations(s);
    const units = listReviewUnits(s, conv!.id);
    assert.deepEqual(units.map((u) => [u.day, u.events]), groupByDay(lines, 'Europe/London'));
    assert.deepEqual(units.map((u) => u.day), ['2024-03-30', '2024-03-31', '2024-04-01', '2024-10-26', '2024-10-27', '2024-10-28']);
    const spring = units.find((u) => u.day === '2024-03-31')!;
    assert.deepEqual([spring.from, spring.to], ['2024-03-31T00:00:00.000Z', '2024-03-31T23:00:00.000Z'], 'a 23-hour day');
    const autumn = units.find((u) => u.day === '2024-10-27')!;
    assert.deepEqual([autumn.from, autumn.to], ['2024-10-26T23:00:00.000Z', '2024-10-28T00:00:00.000Z'], 'a 25-hour day');
    assert.deepEqual(listUnitMessages(s, { unit: autumn.key }).map((m) => m.text), ['midnight BST: the long day begins', '23:59 GMT, the 25th hour is over']);
    assert.equal(units[0]!.events, 2);
    assert.equal(units[0]!.messages, 1, 'the encryption notice is an event, not a message');
    assert.ok(units.every((u) => u.status === 'uncoded' && u.parts === 1 && u.timeZone === 'Europe/London'));

    // The same messages in UTC fall on other days; the change is audited.
    setDisplayTimeZone(s, { tz: 'UTC' });
    assert.deepEqual(listReviewUnits(s, conv!.id).map((u) => [u.day, u.events]), groupByDay(lines, 'UTC'));
    const changes = auditOf(s, 'case.display-tz');
    assert.deepEqual(changes.map((e) => [e.details.before, e.details.after]), [
      [{ displayTz: 'UTC' }, { displayTz: 'Europe/London' }],
      [{ displayTz: 'Europe/London' }, { displayTz: 'UTC' }],
    ]);
    setDisplayTimeZone(s, { tz: 'America/New_York' });
    assert.deepEqual(listReviewUnits(s, conv!.id).map((u) => [u.day, u.events]), groupByDay(lines, 'America/New_York'));
    assert.equal(auditOf(s, 'case.display-tz').length, 3);
  });
  await withCase(caseFile, async (s) => {
    assert.equal(s.displayTz, 'America/New_York', 'the zone is kept in the case');
    assert.equal(await codeOf(() => setDisplayTimeZone(s, { tz: 'Mars/Olympus_Mons' })), 'VALIDATION');
    assert.equal(await codeOf(() => listUnitMessages(s, { unit: '1:2024-02-30' })), 'VALIDATION');
    assert.equal(await codeOf(() => listUnitMessages(s, { unit: '1:2023-01-01:1' })), 'NOT_FOUND');
  });
});

test('a day with more than 10,000 events is split into parts of at most 10,000', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const start = Date.UTC(2024, 5, 3, 0, 0);
  const count = MAX_UNIT_EVENTS + 37;
  // Seven messages a minute fill the day; one more on the next day.
  const lines: Line[] = Array.from({ length: count }, (_, i) => ({ at: start + Math.floor(i / 7) * 60_000, author: i % 2 ? 'Alice Smith' : 'Bob Jones', text: `busy day message ${i}` }));
  lines.push({ at: Date.UTC(2024, 5, 4, 9), author: 'Alice Smith', text: 'quiet next day' });
  await importFile(caseFile, writeExport(dir, 'Trading floor', lines), 'Alice');
  const units = cliJson<ReviewUnitDTO[]>(['conversations', caseFile, 'units', '1', '--json']);
  assert.deepEqual(units.map((u) => [u.key, u.part, u.parts, u.events]), [
    ['1:2024-06-03:1', 1, 2, MAX_UNIT_EVENTS],
    ['1:2024-06-03:2', 2, 2, 37],
    ['1:2024-06-04:1', 1, 1, 1],
  ]);
  assert.equal(units[1]!.firstAt, new Date(lines[MAX_UNIT_EVENTS]!.at).toISOString());
  const tagged = cliJson<TagResultDTO>(['tag', caseFile, '--tag', 'Responsive', '--unit', '1:2024-06-03:2', '--json']);
  assert.equal(tagged.changed, 37);
  await withCase(caseFile, (s) => {
    const after = listReviewUnits(s, 1);
    assert.deepEqual(after.map((u) => u.status), ['uncoded', 'coded', 'uncoded']);
    assert.deepEqual(listUnitMessages(s, { unit: '1:2024-06-03:2' }).map((m) => m.text), lines.slice(MAX_UNIT_EVENTS, count).map((l) => l.text));
  });
});
