/**
 * The parser thread delivers exactly what the importer yields in this thread: the same records in
 * the same order, the same warnings, and the same typed error for a source it cannot read.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readRecords } from '../../src/ingest/parallel-read.ts';
import type { ReadRecord } from '../../src/ingest/parallel-read.ts';
import { recordTerms } from '../../src/search/record-terms.ts';
import { importerById } from '../../src/importers/registry.ts';
import type { ImportContext, ImportRecord, ImportWarning } from '../../src/importers/types.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { tempDir } from '../helpers/case.ts';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of source) out.push(r);
  return out;
}

function context(file: string, warnings: ImportWarning[]): ImportContext {
  return { path: file, options: { tz: 'UTC' }, signal: new AbortController().signal, warn: (w) => void warnings.push(w), progress: () => {} };
}

test('records, warnings and their order are the same through the parser thread', async () => {
  const file = path.join(tempDir(), 'WhatsApp Chat with Deal Room.txt');
  // 12,000 messages (several batches) with broken lines in between, which the importer warns about.
  const lines = [...whatsappLines({ messages: 12_000, seed: 3 })];
  let broken = 0;
  for (let i = 500; i < lines.length; i += 3_000, broken++) lines.splice(i, 0, '32/13/2023, 25:61 - Nobody: not a real stamp');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const importer = importerById('whatsapp-txt');
  const inlineWarnings: ImportWarning[] = [];
  const inline = await collect(importer.read(context(file, inlineWarnings)));
  const threadWarnings: ImportWarning[] = [];
  const read: ReadRecord[] = await collect(readRecords(importer, context(file, threadWarnings)));
  const threaded = read.map((r) => r.record);
  // Each broken stamp is kept as its author's own message (time flagged), never dropped.
  assert.equal(inline.filter((r) => r.type === 'message').length, 12_000 + broken);
  assert.ok(inlineWarnings.length >= broken, `the broken lines should warn (got ${inlineWarnings.length})`);
  assert.deepEqual(threaded, inline);
  // Messages arrive with the index terms the writer would otherwise make itself.
  for (const r of read) assert.deepEqual(r.terms, r.record.type === 'message' ? recordTerms(r.record) : undefined);
  assert.deepEqual(threadWarnings, inlineWarnings);
});

test('an unreadable source fails with the same typed error through the parser thread', async () => {
  const file = path.join(tempDir(), 'WhatsApp Chat with Nobody.txt');
  fs.writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x13, 0x37, 0x00, 0x00]).toString('latin1').repeat(64));
  const importer = importerById('whatsapp-txt');
  const failure = async (source: AsyncIterable<ImportRecord | ReadRecord>) => {
    try {
      for await (const _ of source) void _;
      return null;
    } catch (err) {
      return err;
    }
  };
  const inline = await failure(importer.read(context(file, [])));
  const threaded = await failure(readRecords(importer, context(file, [])));
  assert.ok(inline instanceof HoldfastError, `inline read should fail with a typed error, got ${String(inline)}`);
  assert.ok(threaded instanceof HoldfastError);
  assert.equal(threaded.code, inline.code);
  assert.equal(threaded.message, inline.message);
});

test('a cancel ends the reading as CANCELLED, not as a parser thread that stopped early', async () => {
  const file = path.join(tempDir(), 'WhatsApp Chat with Long.txt');
  fs.writeFileSync(file, [...whatsappLines({ messages: 200_000, seed: 5 })].join('\n') + '\n');
  const controller = new AbortController();
  const ctx = { ...context(file, []), signal: controller.signal };
  let read = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of readRecords(importerById('whatsapp-txt'), ctx)) {
        // Cancelled after the first record; reading on, the reader meets the stopped thread.
        if (++read === 1) controller.abort();
      }
    })(),
    (e: unknown) => e instanceof HoldfastError && e.code === 'CANCELLED',
  );
  assert.ok(read < 200_000, `stopped early (${read} records read)`);
});
