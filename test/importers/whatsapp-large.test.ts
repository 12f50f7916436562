/**
 * Sizes that break naive readers: a 30 MB single line (longer than one line piece, so it arrives
 * in pieces and is put back together), text before the first message, lines that look like
 * timestamps but are not dates, and the line splitter on chunk boundaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { tempDir } from '../helpers/case.ts';
import { readExport } from './whatsapp-read.ts';
import { lineBatches } from '../../src/importers/whatsapp/lines.ts';

const dir = tempDir('holdfast-wa-large-');

test('a 30 MB single-line message is kept whole', async () => {
  const big = 'x'.repeat(10_000_000) + '€'.repeat(10_000_000) + 'y'.repeat(10_000_000);
  const file = path.join(dir, 'WhatsApp Chat with Big Line.txt');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '01/07/2023, 10:00 - Alice: short\n01/07/2023, 10:01 - Bob: ');
  fs.writeSync(fd, big);
  fs.writeSync(fd, '\n01/07/2023, 10:02 - Alice: after\n');
  fs.closeSync(fd);
  const r = await readExport(file);
  assert.equal(r.messages.length, 3);
  assert.equal(r.messages[1]!.text.length, big.length);
  assert.ok(r.messages[1]!.text === big, 'same text, pieces joined without line breaks');
  assert.equal(r.messages[2]!.text, 'after');
  assert.equal(r.messages[2]!.locator, 'line 3');
});

test('line pieces: an over-long line is split into flagged pieces, never inside a surrogate pair', async () => {
  const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}\nnext\r\nlast`;
  const chunks = [Buffer.from(text.slice(0, 13)), Buffer.from(text.slice(13))];
  const out: { line: string; piece: boolean }[] = [];
  for await (const b of lineBatches(Readable.from(chunks), undefined, 10)) {
    b.lines.forEach((line, i) => out.push({ line, piece: b.pieces?.has(i) ?? false }));
  }
  assert.equal(out.map((o) => o.line).join('|'), `${'a'.repeat(9)}|😀${'b'.repeat(5)}|next|last`);
  assert.deepEqual(out.map((o) => o.piece), [false, true, false, false]);
});

test('text before the first message is kept as a note; a line with an impossible date is its author\'s own message, its time flagged', async () => {
  const file = path.join(dir, 'WhatsApp Chat with Odd.txt');
  fs.writeFileSync(file, [
    'Exported by a tool',
    '',
    '13/07/2023, 10:00 - Alice: first',
    '32/07/2023, 10:01 - Bob: not a date',
    '13/07/2023, 25:01 - Bob: not a time',
    '14/07/2023, 10:02 - Bob: second',
  ].join('\n'));
  const r = await readExport(file);
  // The author is never lost to the message before; the time is the one before, said to be so.
  assert.deepEqual(r.messages.map((m) => [m.kind, m.sender?.value ?? null, m.text, new Date(m.sentAt).toISOString(), m.timeSource ?? null]), [
    ['system', null, 'Exported by a tool', '2023-07-13T10:00:00.000Z', null],
    ['message', 'Alice', 'first', '2023-07-13T10:00:00.000Z', null],
    ['message', 'Bob', 'not a date', '2023-07-13T10:00:00.000Z', 'previous-message'],
    ['message', 'Bob', 'not a time', '2023-07-13T10:00:00.000Z', 'previous-message'],
    ['message', 'Bob', 'second', '2023-07-14T10:02:00.000Z', null],
  ]);
  assert.deepEqual(r.warnings.filter((w) => w.code !== 'BAD_RECORD').map((w) => [w.code, w.locator]), [
    ['BAD_LINE', 'line 1'], ['BAD_DATE', 'line 4'], ['BAD_DATE', 'line 5'],
  ]);
});

test('a long export: 200k messages, every one read, the last one right', async () => {
  const file = path.join(dir, 'WhatsApp Chat with Long.txt');
  const ws = fs.createWriteStream(file);
  const n = 200_000;
  let t = Date.UTC(2020, 0, 1, 0, 0);
  for (let i = 0; i < n; i++) {
    t += 61_000;
    const d = new Date(t);
    const line = `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}, ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')} - P${i % 7}: message ${i}\n`;
    if (!ws.write(line)) await new Promise<void>((resolve) => ws.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => ws.end(resolve));
  const r = await readExport(file);
  assert.equal(r.messages.length, n);
  assert.equal(r.conversation.kind, 'group');
  assert.equal(r.messages.at(-1)!.text, `message ${n - 1}`);
  assert.equal(r.messages.at(-1)!.sentAt, Math.floor(t / 60_000) * 60_000);
});
