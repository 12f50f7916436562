/**
 * One batch of a /regex/ scan (src/search/scan-batch.ts) on a real encrypted case, each way it reads: a run of
 * consecutive ids (every row of the range wanted), ids with gaps read as their range (rows not asked for
 * skipped), and sparse ids read one by one. Each must find exactly the messages whose subject, text or
 * attachment names RE2 matches, read here from the whole documents (searchDocs.after), not by the scan's reads.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { dataOf } from '../../src/case/data/index.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { ensureIndex } from '../../src/search/index-manager.ts';
import { members } from '../../src/search/rank.ts';
import { compileRegex } from '../../src/search/query-parser.ts';
import { textMatcher } from '../../src/search/regex-engine.ts';
import { BATCH, scanBatch } from '../../src/search/scan-batch.ts';

let session: CaseSession;
let ids: Uint32Array;

before(async () => {
  const dir = tempDir('holdfast-scan-batch-');
  session = newCase(dir);
  const chats = [{ name: 'Batch Room', authors: ['Alice Smith', 'Bob Jones'], messages: 2_500 }];
  for (const f of writeCorpus(dir, chats, 11)) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  const index = ensureIndex(session);
  ids = members(index.live, index.live.count());
  assert.ok(ids.length > 8 * BATCH, `${ids.length} messages make several batches`);
});

/** The rows of `wanted`, read whole. */
function docsOf(wanted: Uint32Array) {
  const set = new Set(wanted);
  return dataOf(session).read.searchDocs.after(0, Number.MAX_SAFE_INTEGER, 1_000_000).filter((d) => set.has(d.id));
}

/** The ids among `wanted` whose fields RE2 matches (empty fields skipped, as the scan does). */
function reference(wanted: Uint32Array, pattern: string, flags: string): number[] {
  const re2 = compileRegex(pattern, flags);
  const fields = (d: { subject: string | null; text: string; attachments: string | null; edits: string | null }) =>
    [d.subject ?? '', d.text, ...(d.attachments ?? '').split('\u001f'), ...(d.edits ?? '').split('\u001f')].filter((f) => f !== '');
  return docsOf(wanted)
    .filter((d) => fields(d).some((f) => re2.matcher(f).find()))
    .map((d) => d.id)
    .sort((a, b) => a - b);
}

function scanned(wanted: Uint32Array, pattern: string, flags: string): number[] {
  const matches = textMatcher(pattern, flags);
  const found = new Set<number>();
  for (let i = 0; i < wanted.length; i += BATCH) scanBatch(dataOf(session).read.searchDocs, wanted.subarray(i, i + BATCH), matches, found);
  return [...found].sort((a, b) => a - b);
}

const selections: [string, (all: Uint32Array) => Uint32Array][] = [
  ['consecutive ids', (all) => all],
  ['every other id (read as ranges, with gaps)', (all) => all.filter((_, i) => i % 2 === 0)],
  ['every 9th id (read by id)', (all) => all.filter((_, i) => i % 9 === 0)],
];

for (const [name, pick] of selections) {
  for (const [pattern, flags] of [['\\b\\d{2,}\\b', ''], ['price|DEAL', 'i'], ['WA\\d{4}\\.jpg$', ''], ['^.{0,12}$', 's']] as const) {
    test(`${name}: /${pattern}/${flags} finds exactly what RE2 finds in the whole documents`, () => {
      const wanted = pick(ids);
      const expected = reference(wanted, pattern, flags);
      assert.ok(expected.length > 0 && expected.length < wanted.length, `${expected.length} of ${wanted.length} match`);
      assert.deepEqual(scanned(wanted, pattern, flags), expected);
    });
  }
}

test('attachment names are matched on their own: a file name pattern finds messages whose text does not hold it', () => {
  const byName = reference(ids, 'WA\\d{4}\\.jpg$', '');
  const byText = docsOf(Uint32Array.from(byName)).filter((d) => /WA\d{4}\.jpg$/.test(d.text));
  assert.ok(byName.length > 0);
  assert.equal(byText.length, 0);
});
