/** The typedstream decoder and the attributedBody reader on real blobs from chat.db, and on hostile bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { FIXTURES } from '../helpers/case.ts';
import { decodeTypedStream, TypedStreamError } from '../../src/importers/imessage/typedstream.ts';
import {
  attachmentGuids, decodeAttributedBody, links, partRanges, salvageAttributedBody,
} from '../../src/importers/imessage/attributed-body.ts';

const DIR = path.join(FIXTURES, 'imessage/typedstream');
const blob = (name: string) => new Uint8Array(fs.readFileSync(path.join(DIR, name)));

// Expected texts from imessage-exporter's own tests (origins in test/fixtures/README.md).
const EXPECTED: Record<string, string> = {
  AttributedBodyTextOnly: 'Noter test',
  AttributedBodyTextOnly2: 'Test 3',
  WeirdText: '𝖍𝖊𝖑𝖑𝖔 𝖜𝖔𝖗𝖑𝖉',
  URL: 'https://github.com/ReagentX/Logria',
  MultiPart: '\uFFFCtest 1\uFFFCtest 2 \uFFFCtest 3',
};

for (const [name, text] of Object.entries(EXPECTED)) {
  test(`typedstream ${name} decodes to its text`, () => {
    assert.equal(decodeAttributedBody(blob(name)).text, text);
  });
}

test('the header is read: streamer version 4, little-endian "streamtyped", system version 1000', () => {
  const { header, groups } = decodeTypedStream(blob('AttributedBodyTextOnly'));
  assert.deepEqual(header, { streamerVersion: 4, byteOrder: 'little', systemVersion: 1000 });
  assert.equal(groups.length, 1);
});

test('ExtraData: a string longer than the blob fails strictly, and salvage keeps the text up to the damage', () => {
  assert.throws(() => decodeAttributedBody(blob('ExtraData')), (e: unknown) => e instanceof TypedStreamError && e.reason === 'truncated');
  const body = salvageAttributedBody(blob('ExtraData'));
  assert.ok(body.text.startsWith('This is parsing'), body.text);
  assert.ok(!body.text.includes('\uFFFD'), 'no bytes after the damage leak into the text');
  assert.ok(body.damaged && body.damaged.offset > 0);
});

test('Blank (an attributed string with no text) is a typed "empty" error, not a crash', () => {
  assert.throws(() => decodeAttributedBody(blob('Blank')), (e: unknown) => e instanceof TypedStreamError && e.reason === 'empty');
  assert.throws(() => salvageAttributedBody(blob('Blank')), (e: unknown) => e instanceof TypedStreamError && e.reason === 'empty');
});

test('every other fixture decodes without error', () => {
  for (const name of ['AppMessage', 'Attachment', 'CustomReaction', 'LongMessage', 'MultiAttachment', 'TextStyles']) {
    const body = decodeAttributedBody(blob(name));
    assert.ok(body.text.length > 0, name);
    const covered = body.runs.reduce((n, r) => n + r.length, 0);
    assert.equal(covered, body.text.length, `${name}: runs cover the whole text`);
  }
});

test('attribute runs: attachment GUIDs in text order, message parts, links, file names', () => {
  const multi = decodeAttributedBody(blob('MultiPart'));
  assert.deepEqual(attachmentGuids(multi), [
    'at_0_F0668F79-20C2-49C9-A87F-1B007ABB0CED', 'at_2_F0668F79-20C2-49C9-A87F-1B007ABB0CED', 'at_4_F0668F79-20C2-49C9-A87F-1B007ABB0CED',
  ]);
  const parts = partRanges(multi);
  assert.equal(parts.size, 6);
  assert.deepEqual(parts.get(1), { start: 1, end: 7 });
  assert.equal(multi.text.slice(parts.get(3)!.start, parts.get(3)!.end), 'test 2 ');

  assert.deepEqual(links(decodeAttributedBody(blob('URL'))), [{ text: 'https://github.com/ReagentX/Logria', url: 'https://github.com/ReagentX/Logria' }]);

  const attachment = decodeAttributedBody(blob('Attachment'));
  assert.equal(attachment.runs[0]!.attributes.__kIMFilenameAttributeName, 'Messages Image(785748029).png');
  assert.equal(attachment.runs[0]!.attributes.__kIMInlineMediaHeightAttributeName, 1139);
  assert.deepEqual(attachmentGuids(decodeAttributedBody(blob('MultiAttachment'))).length, 19);

  const styles = decodeAttributedBody(blob('TextStyles'));
  const last = styles.runs.at(-1)!;
  assert.equal(styles.text.slice(last.start, last.start + last.length), 'four');
  for (const k of ['Bold', 'Italic', 'Underline', 'Strikethrough']) assert.ok(`__kIMText${k}AttributeName` in last.attributes, k);
});

test('UTF-16 offsets: runs over astral-plane characters count code units, as Apple does', () => {
  const weird = decodeAttributedBody(blob('WeirdText'));
  assert.equal(weird.runs[0]!.length, weird.text.length);
  assert.equal(weird.text.length, 21);
});

/** A minimal archiver for test streams (big-endian, which chat.db never uses, to prove byte order is honoured). */
function bigEndianNSString(text: string): Uint8Array {
  const s = Buffer.from(text, 'utf8');
  const len = s.length < 128 ? Buffer.from([s.length]) : Buffer.from([0x81, s.length >> 8, s.length & 0xff]);
  return new Uint8Array(Buffer.concat([
    Buffer.from([4, 11]), Buffer.from('typedstream', 'latin1'), Buffer.from([0x81, 0x03, 0xe8]),
    Buffer.from([0x84, 1]), Buffer.from('@'),
    Buffer.from([0x84, 0x84, 0x84, 8]), Buffer.from('NSString'), Buffer.from([1]),
    Buffer.from([0x84, 0x84, 8]), Buffer.from('NSObject'), Buffer.from([0, 0x85]),
    Buffer.from([0x84, 1]), Buffer.from('+'), len, s, Buffer.from([0x86]),
  ]));
}

test('big-endian "typedstream" streams and two-byte lengths are read in their byte order', () => {
  const text = 'x'.repeat(300);
  const stream = decodeTypedStream(bigEndianNSString(text));
  assert.deepEqual(stream.header, { streamerVersion: 4, byteOrder: 'big', systemVersion: 1000 });
  assert.equal(decodeAttributedBody(bigEndianNSString(text)).text, text);
});

test('bad headers and references are typed errors with the byte offset', () => {
  const cases: [Uint8Array, string][] = [
    [new Uint8Array([]), 'header'],
    [new Uint8Array(Buffer.from('bplist00 not a typedstream')), 'header'],
    [new Uint8Array([3, 11, ...Buffer.from('streamtyped'), 0x81, 0xe8, 0x03]), 'header'],
    [new Uint8Array([4, 11, ...Buffer.from('streamtyped'), 0x81, 0xe8, 0x03, 0x99]), 'invalid'],
    [blob('URL').subarray(0, 300), 'truncated'],
  ];
  for (const [bytes, reason] of cases) {
    assert.throws(() => decodeTypedStream(bytes), (e: unknown) => e instanceof TypedStreamError && e.reason === reason && e.offset >= 0, reason);
  }
});

const onlyTypedErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TypedStreamError)) throw err;
  }
};

test('property: arbitrary bytes never throw anything but TypedStreamError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
    onlyTypedErrors(() => decodeTypedStream(bytes));
    onlyTypedErrors(() => salvageAttributedBody(bytes));
  }), { numRuns: 2000 });
});

test('property: a real header followed by arbitrary bytes never throws anything but TypedStreamError', () => {
  const header = blob('AttributedBodyTextOnly').subarray(0, 16);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
    const bytes = new Uint8Array([...header, ...tail]);
    onlyTypedErrors(() => decodeTypedStream(bytes));
    onlyTypedErrors(() => salvageAttributedBody(bytes));
  }), { numRuns: 2000 });
});

test('property: real blobs with bytes changed or cut never throw anything but TypedStreamError', () => {
  const names = fs.readdirSync(DIR);
  fc.assert(fc.property(
    fc.constantFrom(...names), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.option(fc.nat()),
    (name, edits, cut) => {
      const bytes = blob(name);
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      const input = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      onlyTypedErrors(() => decodeAttributedBody(input));
      onlyTypedErrors(() => salvageAttributedBody(input));
    },
  ), { numRuns: 3000 });
});

test('hostile structure: deep nesting and huge zero-size arrays stop with a "limit" error', () => {
  const head = [4, 11, ...Buffer.from('streamtyped'), 0x81, 0xe8, 0x03];
  // An array of a billion `!` (ignored, zero-byte) values.
  const enc = Buffer.from('[999999999!]');
  assert.throws(() => decodeTypedStream(new Uint8Array([...head, 0x84, enc.length, ...enc])), (e: unknown) => e instanceof TypedStreamError && e.reason === 'limit');
  // Objects nested far deeper than any archive: each an NSObject holding an object.
  const nested: number[] = [...head, 0x84, 1, 0x40, 0x84, 0x84, 0x84, 8, ...Buffer.from('NSObject'), 0, 0x85];
  for (let i = 0; i < 400; i++) nested.push(0x92, 0x84, 0x93);
  assert.throws(() => decodeTypedStream(new Uint8Array(nested)), (e: unknown) => e instanceof TypedStreamError && e.reason === 'limit');
});
