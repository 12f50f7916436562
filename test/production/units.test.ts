/**
 * Productions page by the review units reviewers code: for a day longer than one part, in a display
 * zone other than UTC, every produced message's group is the review unit that holds it in review.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/case.ts';
import { MAX_UNIT_EVENTS, unitKey } from '../../src/case/review-units.ts';
import { listReviewUnits, unitMessageIds } from '../../src/review/units.ts';
import { setDisplayTimeZone } from '../../src/review/time-zone.ts';
import { groupSelection } from '../../src/production/units.ts';
import type { Selection } from '../../src/production/select.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase } from '../review/helpers.ts';
import { dataOf } from '../../src/case/data/index.ts';

test('the same day gets the same part keys in review and in a production', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const start = Date.UTC(2024, 5, 3, 0, 0);
  // 15,000 events, seven a minute: New York's 3 June holds 10,080 of them (two parts).
  const lines: Line[] = Array.from({ length: 15_000 }, (_, i) => ({ at: start + Math.floor(i / 7) * 60_000, author: i % 2 ? 'Alice Smith' : 'Bob Jones', text: `busy day message ${i}` }));
  await importFile(caseFile, writeExport(dir, 'Trading floor', lines), 'Alice');
  await withCase(caseFile, (s) => {
    setDisplayTimeZone(s, { tz: 'America/New_York' });
    const review = new Map<number, string>();
    const units = listReviewUnits(s, 1);
    assert.ok(units.some((u) => u.parts === 2 && u.part === 2), 'a day of two parts');
    for (const u of units) for (const id of unitMessageIds(s, u)) review.set(id, u.key);

    // A production selects some of the day's messages (here two in three), in conversation then time order.
    const rows = s.db.prepare('SELECT id, conversation_id AS c, sent_at AS t FROM messages ORDER BY conversation_id, sent_at, id').all() as { id: number; c: number; t: number }[];
    const picked = rows.filter((r) => r.id % 3 !== 0);
    const sel: Selection = { ids: picked.map((r) => r.id), context: new Set(), withheld: new Set(), conversations: picked.map((r) => r.c), times: picked.map((r) => r.t) };
    const groups = groupSelection(dataOf(s), sel, 'unit', s.displayTz);
    let checked = 0;
    for (const g of groups) {
      const key = unitKey({ conversationId: g.conversationId, day: g.day!, part: g.part });
      assert.equal(g.parts, units.find((u) => u.key === key)!.parts, `${key}: parts`);
      for (const id of sel.ids.slice(g.start, g.end)) {
        assert.equal(review.get(id), key, `message ${id}`);
        checked++;
      }
    }
    assert.equal(checked, picked.length);
    assert.ok(groups.every((g) => g.end - g.start <= MAX_UNIT_EVENTS));
    assert.deepEqual(groups.map((g) => `${g.day}:${g.part}/${g.parts}`), ['2024-06-02:1/1', '2024-06-03:1/2', '2024-06-03:2/2', '2024-06-04:1/1']);
  });
});
