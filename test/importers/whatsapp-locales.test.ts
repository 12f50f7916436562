/**
 * Generated exports in many locale forms are read exactly as whatsapp-chat-parser reads them
 * (time, author, text) — both parsers run on the same files here — and each matches the chat
 * the generator wrote. Plus the timestamp forms one by one, time zones and date-order rules.
 */
process.env.TZ = 'UTC'; // whatsapp-chat-parser builds local Dates; in UTC their fields are the wall clock.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseString } from 'whatsapp-chat-parser';
import { tempDir } from '../helpers/case.ts';
import { EXPORT_FORMATS, chatEvents, renderExport, wallMillis } from '../helpers/whatsapp-export.ts';
import type { ChatEvent } from '../helpers/whatsapp-export.ts';
import { readExport } from './whatsapp-read.ts';
import { parseHeader, ZoneClock, wallClock } from '../../src/importers/whatsapp/stamp.ts';

const dir = tempDir('holdfast-wa-locales-');

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const EVENTS = chatEvents({ messages: 400, seed: 11 });
// Days only 1–12 and months moving on: the date order has to be inferred from how dates progress.
const AMBIGUOUS = chatEvents({ messages: 60, seed: 5, start: { year: 2022, month: 3, day: 1 }, maxGapMinutes: 60 * 8 }).filter((e) => e.day <= 12);

for (const format of EXPORT_FORMATS) {
  for (const [label, events] of [['', EVENTS], [' (days ≤ 12 only)', AMBIGUOUS]] as [string, ChatEvent[]][]) {
    test(`${format.id}${label}: ${format.describe} — same as whatsapp-chat-parser and as generated`, async () => {
      const text = renderExport(events, format);
      const file = write(`WhatsApp Chat with Test ${format.id}${label ? ' ambiguous' : ''}.txt`, text);
      const ours = await readExport(file, { tz: 'UTC' });
      const theirs = parseString(text, { parseAttachments: false });
      assert.equal(ours.messages.length, theirs.length, 'same number of messages');
      assert.equal(ours.messages.length, events.length, 'every generated line is a message');
      const withSeconds = format.id.includes('ios');
      for (let i = 0; i < theirs.length; i++) {
        const o = ours.messages[i]!;
        const t = theirs[i]!;
        const where = `${format.id} message ${i}: ${JSON.stringify(o.rawTime)}`;
        assert.equal(o.sentAt, t.date.getTime(), `${where} time`);
        assert.equal(o.sender?.display ?? null, t.author, `${where} author`);
        // The one difference by design: whatsapp-chat-parser keeps the file's final line end in the last message.
        assert.equal(o.text, i === theirs.length - 1 ? t.message.replace(/\n+$/, '') : t.message, `${where} text`);
        // And both are what the generator wrote.
        const e = events[i]!;
        assert.equal(o.sentAt, wallMillis(e, withSeconds), `${where} generated time`);
        assert.equal(o.kind, e.author === null ? 'system' : 'message', `${where} kind`);
        assert.equal(o.text, e.text, `${where} generated text`);
      }
      assert.ok(!ours.warnings.some((w) => w.code === 'BAD_DATE' || w.code === 'BAD_LINE'), JSON.stringify(ours.warnings.slice(0, 3)));
    });
  }
}

test('CRLF line ends and a BOM read the same as LF', async () => {
  const format = EXPORT_FORMATS.find((f) => f.id === 'en-US-ios')!;
  const lf = await readExport(write('WhatsApp Chat with LF.txt', renderExport(EVENTS, format)));
  const crlf = await readExport(write('WhatsApp Chat with CRLF.txt', `\ufeff${renderExport(EVENTS, format, '\r\n')}`));
  assert.deepEqual(crlf.messages.map((m) => [m.sentAt, m.text, m.sender?.value]), lf.messages.map((m) => [m.sentAt, m.text, m.sender?.value]));
  const utf16File = path.join(dir, 'WhatsApp Chat with UTF16.txt');
  fs.writeFileSync(utf16File, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(renderExport(EVENTS, format, '\r\n'), 'utf16le')]));
  const utf16 = await readExport(utf16File);
  assert.deepEqual(utf16.messages.map((m) => [m.sentAt, m.text]), lf.messages.map((m) => [m.sentAt, m.text]));
});

test('timestamp forms: 12 h markers, words between date and time, marks, and what is not a timestamp', () => {
  const cases: [string, string, string][] = [
    // line, expected wall clock (d/m/y order), raw
    ['12/06/2023, 12:05 AM - A: x', '2023-06-12T00:05', '12/06/2023, 12:05 AM'],
    ['12/06/2023, 12:05\u202fPM - A: x', '2023-06-12T12:05', '12/06/2023, 12:05\u202fPM'],
    ['13/06/2023, 1:05 p.\u00a0m. - A: x', '2023-06-13T13:05', '13/06/2023, 1:05 p.\u00a0m.'],
    ['13/06/2023, 1:05 a. m. - A: x', '2023-06-13T01:05', '13/06/2023, 1:05 a. m.'],
    ['\u200e[13/06/2023, 9:47:19 pm] A: x', '2023-06-13T21:47:19', '13/06/2023, 9:47:19 pm'],
    ['13.6.2023 klo 9.05 - A: x', '2023-06-13T09:05', '13.6.2023 klo 9.05'],
    ['13/06/2023 下午3:04 - A: x', '2023-06-13T15:04', '13/06/2023 下午3:04'],
    ['[2023/06/13 15:04] A: x', '2023-06-13T15:04', '2023/06/13 15:04'],
  ];
  for (const [line, iso, raw] of cases) {
    const h = parseHeader(line);
    assert.ok(h, line);
    assert.equal(h.raw, raw);
    const pos = h.la === 4 ? 'first' : 'last';
    const w = wallClock(h, { pos, dayFirst: pos === 'last' })!;
    assert.ok(w, line);
    const got = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)).toISOString();
    assert.ok(got.startsWith(iso), `${line}: ${got} vs ${iso}`);
  }
  for (const notHeader of ['hello', '12/06/2023 meeting room 10:30 sharp', '[12/06/2023, 10:30 - A: unbalanced', '10:30 - A: x', '12/06/2023, 10:30']) {
    assert.equal(parseHeader(notHeader), undefined, notHeader);
  }
  const bad = parseHeader('31/02/2023, 10:30 - A: x')!;
  assert.equal(wallClock(bad, { pos: 'last', dayFirst: true }), undefined, '31 February is no date');
  assert.equal(wallClock(parseHeader('12/06/2023, 13:05 PM - A: x')!, { pos: 'last', dayFirst: true }), undefined, '13 PM is no time');
});

test('time zones: wall clock → UTC with summer time, gaps and overlaps as luxon reads them', () => {
  const london = new ZoneClock('Europe/London');
  const at = (y: number, mo: number, d: number, h: number, mi: number) => london.toUtc({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0 });
  assert.equal(new Date(at(2023, 1, 15, 12, 0)).toISOString(), '2023-01-15T12:00:00.000Z');
  assert.equal(new Date(at(2023, 7, 15, 12, 0)).toISOString(), '2023-07-15T11:00:00.000Z');
  // 26 March 2023 01:30 does not exist in London (clocks go 01:00 → 02:00); luxon moves it forward.
  assert.equal(new Date(at(2023, 3, 26, 1, 30)).toISOString(), '2023-03-26T01:30:00.000Z');
  assert.equal(new Date(at(2023, 3, 26, 2, 30)).toISOString(), '2023-03-26T01:30:00.000Z');
  // Cached per hour: the second call in the same hour answers the same.
  assert.equal(at(2023, 7, 15, 12, 59) - at(2023, 7, 15, 12, 0), 59 * 60_000);
  const kolkata = new ZoneClock('Asia/Kolkata');
  assert.equal(new Date(kolkata.toUtc({ year: 2023, month: 6, day: 1, hour: 9, minute: 0, second: 0 })).toISOString(), '2023-06-01T03:30:00.000Z');
  assert.throws(() => new ZoneClock('Mars/Olympus'), /not an IANA time zone/);
});

test('mixed date forms in one file: each form keeps its own order; a line that only reads one way is read that way', async () => {
  const text = [
    '6/30/23, 16:13 - A: month first, two-digit year',
    '7/1/23, 09:00 - A: still month first (1 July)',
    '30/6/2023, 16:15 - B: day first, four-digit year',
    '1/7/2023, 09:05 - B: still day first (1 July)',
    '2/14/2023, 10:00 - B: only reads month first',
  ].join('\n');
  const r = await readExport(write('WhatsApp Chat with Mixed.txt', text));
  assert.deepEqual(r.messages.map((m) => new Date(m.sentAt).toISOString()), [
    '2023-06-30T16:13:00.000Z', '2023-07-01T09:00:00.000Z', '2023-06-30T16:15:00.000Z', '2023-07-01T09:05:00.000Z', '2023-02-14T10:00:00.000Z',
  ]);
  assert.ok(r.warnings.some((w) => w.code === 'AMBIGUOUS_DATE' && w.locator === 'line 5' && /read as m\/d\/y/.test(w.message)));
  // --date-order decides for every line (a line that cannot be read so falls back, with a warning).
  const forced = await readExport(write('WhatsApp Chat with Forced.txt', '01/02/2023, 10:00 - A: x\n03/04/2023, 10:00 - A: y\n'), { dateOrder: 'mdy' });
  assert.deepEqual(forced.messages.map((m) => new Date(m.sentAt).toISOString().slice(0, 10)), ['2023-01-02', '2023-03-04']);
  const dmy = await readExport(write('WhatsApp Chat with Forced2.txt', '01/02/2023, 10:00 - A: x\n03/04/2023, 10:00 - A: y\n'), { dateOrder: 'dmy' });
  assert.deepEqual(dmy.messages.map((m) => new Date(m.sentAt).toISOString().slice(0, 10)), ['2023-02-01', '2023-04-03']);
});
