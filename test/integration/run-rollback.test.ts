/**
 * A run is removed by what it wrote, never by more: its new messages lie above the id the run began
 * at, and its occurrences belong to its source. A cancelled overlapping import leaves the earlier
 * import exactly as it was — messages, their occurrences, and the stored index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newCase, tempDir } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { runImport } from '../../src/app/run-import.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { readMeta } from '../../src/search/index-store.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { matchingMessageIds } from '../../src/search/search.ts';

const write = (file: string, messages: number) => fs.writeFileSync(file, `${[...whatsappLines({ messages, seed: 5 })].join('\n')}\n`);

test('a cancelled overlapping import removes only its own messages and occurrences', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  const early = path.join(dir, 'WhatsApp Chat with Desk.txt');
  const later = path.join(dir, 'later', 'WhatsApp Chat with Desk.txt');
  fs.mkdirSync(path.dirname(later));
  write(early, 5_000);
  write(later, 80_000); // the same chat exported later: the first 5,000 messages again, then new ones
  await runImport(s, { source: early, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  const count = (sql: string) => s.db.prepare(sql).pluck().get() as number;
  const before = {
    messages: s.db.prepare('SELECT id, content_sha256 FROM messages ORDER BY id').raw().all(),
    occurrences: count('SELECT count(*) FROM message_occurrences'),
    watermark: readMeta(dataOf(s))!.watermark,
    hits: matchingMessageIds(s, 'invoice'),
  };
  assert.equal(before.messages.length, 5_000);

  const abort = new AbortController();
  let committed = 0;
  await assert.rejects(
    runImport(s, { source: later, tz: 'UTC', dateOrder: 'dmy' }, abort.signal, () => {
      // Cancel once batches of the later export are committed (new messages and second occurrences).
      committed = count('SELECT count(*) FROM messages');
      if (committed > 5_000) abort.abort();
    }),
    (err: unknown) => err instanceof HoldfastError && err.code === 'CANCELLED',
  );
  assert.ok(committed > 5_000, `the later import committed new messages before it was cancelled (saw ${committed})`);

  assert.deepEqual(s.db.prepare('SELECT id, content_sha256 FROM messages ORDER BY id').raw().all(), before.messages);
  assert.equal(count('SELECT count(*) FROM message_occurrences'), before.occurrences);
  assert.equal(count("SELECT count(*) FROM import_runs WHERE status = 'cancelled'"), 1);
  assert.deepEqual(matchingMessageIds(s, 'invoice'), before.hits);
  assert.equal(verifyCase(dataOf(s)).ok, true);

  // Done again to the end: the overlap is recognised and only the new messages are added.
  const redo = await runImport(s, { source: later, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  assert.equal(redo.duplicatesSkipped, 5_000);
  assert.equal(redo.messages, 75_000);
  assert.equal(count('SELECT count(*) FROM message_occurrences'), 85_000);
  assert.ok(readMeta(dataOf(s))!.watermark > before.watermark);
  s.close();
});
