import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { cliJson, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { discordExport as writeExport, PNG } from '../helpers/discord-export.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { discordExport, looksLikeDiscordExport, parseDiscordTime } from '../../src/importers/discord/importer.ts';
import { embedText } from '../../src/importers/discord/embeds.ts';
import { detectImporter } from '../../src/importers/registry.ts';
import { listFiles } from '../../src/importers/common/source-hash.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('times: ISO 8601 with an offset only; any instant written with any offset reads back', () => {
  assert.equal(parseDiscordTime('2021-10-12T22:47:14.472+00:00'), Date.UTC(2021, 9, 12, 22, 47, 14, 472));
  assert.equal(parseDiscordTime('2024-03-04T11:30:00+01:00'), Date.UTC(2024, 2, 4, 10, 30));
  for (const bad of ['2024-03-04 10:00', '2024-03-04T10:00:00', 'yesterday', 1709546400, null, '2024-13-04T10:00:00Z']) assert.equal(parseDiscordTime(bad), undefined, String(bad));
  fc.assert(fc.property(fc.integer({ min: 0, max: 4102444800000 }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (ms, offsetMin) => {
    const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    assert.equal(parseDiscordTime(text), ms);
  }));
  fc.assert(fc.property(fc.string(), (s) => {
    const t = parseDiscordTime(s);
    assert.ok(t === undefined || Number.isFinite(t));
  }));
});

test('embeds and the file signature', () => {
  assert.equal(embedText({ title: 'T', url: 'https://x', description: 'D', fields: [{ name: 'a', value: '1' }], footer: { text: 'F' } }), '[embed: T <https://x>]\nD\na: 1\nF');
  assert.equal(embedText(null), '');
  assert.equal(looksLikeDiscordExport('\uFEFF{\n  "guild": {"id": "0"},\n  "channel": {}'), true);
  assert.equal(looksLikeDiscordExport('{"messages": [], "guild": {}}'), false);
  fc.assert(fc.property(fc.string(), (s) => {
    looksLikeDiscordExport(s);
    embedText({ title: s, description: s });
  }));
});

test('a DiscordChatExporter folder: channel, thread, DM; replies, reactions, media bytes, link-only files, embeds, edits, system messages', async () => {
  const root = writeExport(tempDir());
  assert.equal((await detectImporter(root)).importer.id, 'discord-dce', 'the import wizard detects it');
  assert.ok(cliJson<{ id: string }[]>(['formats', '--json']).some((f) => f.id === 'discord-dce'), 'holdfast formats lists it');
  const c = createCase();
  const r = await importSource(c, root);
  assert.equal(r.format, 'discord-dce');
  assert.equal(r.messages, 7);
  assert.equal(r.conversations, 3);
  assert.equal(r.attachments, 2);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'Acme Traders - Text channels - deals [900000000000000010].json messages[5]'));
  assert.ok(r.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /message 1002 of channel 900000000000000010/.test(w.message)));
  const list = await messages(c);
  const byText = (t: string) => {
    const m = list.find((x) => x.text.startsWith(t));
    assert.ok(m, t);
    return m;
  };
  const price = byText('Price is 42');
  assert.equal(price.sender, 'Ann');
  assert.equal(price.senderHandle, 'discord:111111111111111111');
  assert.equal(price.sentAt, '2024-03-04T10:00:00.123Z');
  assert.equal(price.conversation, 'Acme Traders #deals');
  assert.deepEqual(price.reactions.map((x) => `${x.value} ${x.sender ?? '-'}`).sort(), [':stonks: bo_chen', '👍 -', '👍 Ann', '👍 bo_chen']);

  const reply = byText('Agreed');
  assert.equal(reply.replyTo, price.id);
  assert.equal(reply.edited, true);
  assert.equal(reply.sentAt, '2024-03-04T10:30:00.000Z');
  assert.equal(reply.rawTime, '2024-03-04T11:30:00.000+01:00');
  assert.deepEqual(reply.attachments.map((a) => [a.name, a.mime, a.size, a.sha256]), [
    ['price chart.png', 'image/png', PNG.length, sha(PNG)], ['terms.pdf', 'application/pdf', 52_000, null],
  ]);
  assert.match(reply.attachments[1]!.missingReason!, /exported as a link only \(https:\/\/cdn\.discordapp\.com\/attachments\/.*terms\.pdf\)/);

  assert.equal(byText('https://example.org/q').text, 'https://example.org/q\n[embed: Q1 quote <https://example.org/q>]\nFinal numbers\nTotal: 42\nexample.org');
  const join = byText('Joined the server.');
  assert.deepEqual([join.kind, join.systemType, join.sender], ['system', 'join', 'bo_chen']);
  const pin = byText('Pinned a message.');
  assert.deepEqual([pin.systemType, pin.replyTo], ['pin', price.id]);
  assert.equal(byText('thread start').conversation, 'Acme Traders #deals › Q1 follow-up');
  assert.equal(byText('private hello').conversation, 'bo_chen');

  assert.equal((await importSource(c, root)).alreadyImported, true);
  // One channel file alone, and the whole export zipped, add nothing: messages are identified by their Discord ids.
  const one = await importSource(c, path.join(root, 'Direct Messages - Private - bo_chen [900000000000000030].json'));
  assert.deepEqual([one.messages, one.duplicatesSkipped], [0, 1]);
  const zip = path.join(tempDir(), 'discord.zip');
  fs.writeFileSync(zip, await buildZip(listFiles(root).map((rel) => ({ name: rel.split(path.sep).join('/'), data: fs.readFileSync(path.join(root, rel)) }))));
  const z = await importSource(c, zip);
  assert.deepEqual([z.messages, z.duplicatesSkipped], [0, 7]);
  assert.equal(z.sha256, sha(fs.readFileSync(zip)));
  assert.equal((await messages(c)).length, 7);
});

test('a single channel file with its media folder beside it', async () => {
  const root = writeExport(tempDir());
  const file = path.join(root, 'Acme Traders - Text channels - deals [900000000000000010].json');
  assert.equal((await discordExport.detect(file)).variant, 'file');
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.messages, 5);
  const chart = (await messages(c)).flatMap((m) => m.attachments).find((a) => a.name === 'price chart.png')!;
  assert.equal(chart.sha256, sha(PNG));
});

test('truncated and foreign files fail with the right code; the case is unchanged', async () => {
  const dir = tempDir();
  const root = writeExport(dir);
  const c = createCase();
  await importSource(c, path.join(root, 'Direct Messages - Private - bo_chen [900000000000000030].json'));
  const before = await snapshot(c);
  const file = path.join(root, 'Acme Traders - Text channels - deals [900000000000000010].json');
  const truncated = path.join(dir, 'truncated.json');
  fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, 1500));
  assert.match(await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', [], before), /truncated\.json is not valid JSON at end of file/);
  const foreign = path.join(dir, 'foreign.json');
  fs.writeFileSync(foreign, JSON.stringify({ messages: [{ id: '1', content: 'x' }] }));
  assert.equal((await discordExport.detect(foreign)).confidence, 0);
  await expectImportFailure(c, foreign, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'discord-dce'], before);
});
