/**
 * Telegram defect classes, on exports the test writes in Telegram Desktop's JSON: an account
 * export whose `chats` has no `about`, a foreign JSON refused with what was expected and found,
 * and messages with only a local `date` read with the offset the export's other messages reveal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../helpers/case.ts';
import { createCase, importSource, messages } from './helpers.ts';
import { telegramJson } from '../../src/importers/telegram/importer.ts';

const dir = tempDir('holdfast-tg-real-');

function write(name: string, value: unknown): string {
  const p = path.join(dir, name, 'result.json');
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify(value, null, 1));
  return p;
}

// Local time at UTC+02:00 (summer) and what Telegram writes for it.
const both = (id: number, local: string, text: string) => ({
  id, type: 'message', date: local, date_unixtime: String((Date.parse(`${local}Z`) - 2 * 3600_000) / 1000), from: 'Dana', from_id: 'user11', text,
});

test('an account export whose "chats" has no "about" is recognised and imported', async () => {
  const file = write('no-about', {
    chats: { list: [{ name: 'Dana', type: 'personal_chat', id: 11, messages: [both(1, '2021-06-01T10:00:00', 'hi'), both(2, '2021-06-01T10:01:00', 'there')] }] },
  });
  assert.equal((await telegramJson.detect(file)).variant, 'account');
  const c = createCase();
  const r = await importSource(c, path.dirname(file));
  assert.equal(r.report.imported, 2);
  assert.deepEqual((await messages(c)).map((m) => m.sentAt), ['2021-06-01T08:00:00.000Z', '2021-06-01T08:01:00.000Z']);
});

test('a JSON file that is not a Telegram export is refused saying what was expected and what was found', () => {
  const file = write('foreign', { version: 3, items: [{ a: 1 }], chats: 'none' });
  const c = createCase();
  const r = cli(['import', c, path.dirname(file), '--format', 'telegram-json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: IMPORT_UNSUPPORTED_SOURCE: .*expected an object with "personal_information" or "chats": \{"list": \[…\]\}.*found an object with "version", "items", "chats" at the start/);
});

test('messages with only a local "date" take the offset that the export\'s messages with both times reveal, whatever --tz says', async () => {
  const file = write('mixed', {
    name: 'Dana', type: 'personal_chat', id: 11,
    messages: [
      { id: 1, type: 'message', date: '2021-06-01T09:00:00', from: 'Dana', from_id: 'user11', text: 'only date, before' },
      both(2, '2021-06-01T10:00:00', 'both'),
      { id: 3, type: 'message', date: '2021-06-01T11:00:00', from: 'Dana', from_id: 'user11', text: 'only date, after' },
    ],
  });
  const c = createCase();
  const r = await importSource(c, path.dirname(file), ['--tz', 'America/New_York']);
  assert.ok(r.warnings.some((w) => w.code === 'AMBIGUOUS_DATE' && /UTC\+02:00/.test(w.message) && /reveal/.test(w.message)), JSON.stringify(r.warnings));
  assert.deepEqual((await messages(c)).map((m) => [m.text, m.sentAt]), [
    ['only date, before', '2021-06-01T07:00:00.000Z'],
    ['both', '2021-06-01T08:00:00.000Z'],
    ['only date, after', '2021-06-01T09:00:00.000Z'],
  ]);
});
