import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { FIXTURES, tempDir } from '../helpers/case.ts';
import { bySourceLocator, createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { repairCharRefs } from '../../src/importers/sms-backup-restore/xml-events.ts';
import { smsBackupRestore } from '../../src/importers/sms-backup-restore/importer.ts';

const REAL = path.join(FIXTURES, 'sms-backup-restore/sms.xml');

/** A 1x1 PNG, the bytes an MMS image part carries base64-encoded in its `data` attribute. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A backup as the app (v10+) writes it: SMS and MMS, group MMS, media, app-style character references. */
function generatedBackup(): string {
  const sms = (a: Record<string, string>) =>
    `  <sms protocol="0" address="${a.address}" date="${a.date}" type="${a.type}" subject="null" body="${a.body}" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="x" contact_name="${a.contact ?? '(Unknown)'}" />`;
  return [
    `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>`,
    `<!--File Created By SMS Backup & Restore v10.20.002 on 01/03/2024 10:00:00-->`,
    `<?xml-stylesheet type="text/xsl" href="sms.xsl"?>`,
    `<smses count="8" backup_set="5f0c3d4e-1111-2222-3333-444455556666" backup_date="1704103200000" type="full">`,
    sms({ address: '+14155550101', date: '1704103200123', type: '1', body: 'Nice &#55357;&#56842; see you&#10;tomorrow', contact: 'Alice Archer' }),
    sms({ address: '+1 (415) 555-0101', date: '1704103260456', type: '2', body: `${esc('Deal: 5 < 6 & "quotes"')}`, contact: 'Alice Archer' }),
    sms({ address: '+14155550101', date: '1704103320789', type: '1', body: 'nul here:&#0;| literal: &amp;#55357;', contact: 'Alice Archer' }),
    sms({ address: '+14155550101', date: 'null', type: '1', body: 'no date', contact: 'Alice Archer' }),
    sms({ address: '+14155550101', date: '1704103320789', type: '1', body: 'nul here:&#0;| literal: &amp;#55357;', contact: 'Alice Archer' }),
    sms({ address: '24273', date: '1704103400000', type: '1', body: 'Your code is 1234' }),
    `  <mms date="1704189600000" rr="null" sub="Photos" ct_t="application/vnd.wap.multipart.related" read_status="null" seen="1" msg_box="1" address="+14155550101~+14155550102" m_id="abc" sub_id="1" m_type="132" read="1" text_only="0" readable_date="x" contact_name="Alice Archer, Bob Baker">`,
    `    <parts>`,
    `      <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="&lt;smil&gt;&lt;body&gt;&lt;/body&gt;&lt;/smil&gt;" />`,
    `      <part seq="0" ct="image/png" name="null" chset="null" cd="null" fn="null" cid="&lt;img1&gt;" cl="IMG_0001.png" ctt_s="null" ctt_t="null" text="null" data="${PNG.toString('base64')}" />`,
    `      <part seq="1" ct="text/plain" name="null" chset="106" cd="null" fn="null" cid="&lt;text1&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" text="Look at this &#55357;&#56832;" />`,
    `    </parts>`,
    `    <addrs>`,
    `      <addr address="+14155550102" type="137" charset="106" />`,
    `      <addr address="+14155550101" type="151" charset="106" />`,
    `      <addr address="+14155550199" type="151" charset="106" />`,
    `    </addrs>`,
    `  </mms>`,
    `  <mms date="1704189660000" sub="null" msg_box="2" address="+14155550101~+14155550102" m_type="128" read="1" text_only="0" contact_name="Alice Archer, Bob Baker">`,
    `    <parts>`,
    `      <part seq="0" ct="text/plain" name="null" chset="106" cl="text_0.txt" text="Thanks both" />`,
    `      <part seq="1" ct="video/mp4" name="clip.mp4" chset="null" cl="clip.mp4" text="null" />`,
    `    </parts>`,
    `    <addrs>`,
    `      <addr address="insert-address-token" type="137" charset="106" />`,
    `      <addr address="+14155550101" type="151" charset="106" />`,
    `      <addr address="+14155550102" type="151" charset="106" />`,
    `    </addrs>`,
    `  </mms>`,
    `</smses>`,
    '',
  ].join('\n');
}

test('repairCharRefs: surrogate pairs join, forbidden references become U+FFFD, valid ones stay', () => {
  assert.equal(repairCharRefs('a&#55357;&#56842;b'), 'a&#x1f60a;b');
  assert.equal(repairCharRefs('&#xD83D;&#xDE0A;'), '&#x1f60a;');
  assert.equal(repairCharRefs('x&#0;y&#1;'), 'x&#xfffd;y&#xfffd;');
  assert.equal(repairCharRefs('lone &#55357; high'), 'lone &#xfffd; high');
  assert.equal(repairCharRefs('&#55357;&#65;'), '&#xfffd;&#65;');
  assert.equal(repairCharRefs('&amp;#55357; &#233;'), '&amp;#55357; &#233;');
});

test('the real backup imports; its exact duplicate row is counted, not added', async () => {
  const c = createCase();
  const r = await importSource(c, REAL);
  assert.equal(r.format, 'sms-backup-restore');
  assert.equal(r.messages, 1);
  assert.equal(r.duplicatesSkipped, 1);
  assert.equal(r.conversations, 1);
  const [m, ...rest] = await messages(c);
  assert.equal(rest.length, 0);
  // date="1365481757533" (readable_date "2013/04/09 12:29:17" is the phone's UTC+8 wall clock).
  assert.equal(m!.sentAt, '2013-04-09T04:29:17.533Z');
  assert.equal(m!.text, 'Hey! :) What you doing?');
  assert.equal(m!.direction, 'out');
  assert.equal(m!.conversation, 'Cute Chic');
  assert.equal(m!.kind, 'message');
  assert.equal(m!.subject, null, 'subject="null" is no subject');
  const again = await importSource(c, REAL);
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(c)).length, 1);
});

test('a generated v10 backup: SMS, group MMS, media, character references, bad rows', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'sms-20240101.xml');
  fs.writeFileSync(file, generatedBackup());
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.messages, 7, 'the row without a usable date is kept, its time unknown');
  assert.equal(r.duplicatesSkipped, 1);
  assert.equal(r.conversations, 3);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'sms 4 (line 8)'), JSON.stringify(r.warnings));
  assert.ok(r.warnings.some((w) => w.code === 'MISSING_ATTACHMENT' && /clip\.mp4/.test(w.message)));
  const list = await messages(c);
  assert.equal(list.length, 7);
  const undated = bySourceLocator(list, 'sms 4 (line 8)');
  assert.deepEqual([undated.text, undated.rawTime, undated.timeUnknown, undated.sentAt], ['no date', 'null', true, '1970-01-01T00:00:00.000Z']);

  const first = bySourceLocator(list, 'sms 1 (line 5)');
  assert.equal(first.text, 'Nice 😊 see you\ntomorrow');
  assert.equal(first.sentAt, '2024-01-01T10:00:00.123Z');
  assert.equal(first.sender, 'Alice Archer');
  assert.equal(first.senderHandle, '+14155550101');
  assert.equal(first.direction, 'in');

  const sent = bySourceLocator(list, 'sms 2 (line 6)');
  assert.equal(sent.text, 'Deal: 5 < 6 & "quotes"');
  assert.equal(sent.direction, 'out');
  assert.equal(sent.sender, 'Me (device owner)');
  assert.equal(sent.conversationId, first.conversationId, '+1 (415) 555-0101 is the same number as +14155550101');

  const odd = bySourceLocator(list, 'sms 3 (line 7)');
  assert.equal(odd.text, 'nul here:\uFFFD| literal: &#55357;');

  const shortCode = bySourceLocator(list, 'sms 6 (line 10)');
  assert.equal(shortCode.senderHandle, '24273');
  assert.notEqual(shortCode.conversationId, first.conversationId);

  const group = bySourceLocator(list, 'mms 1 (line 11)');
  assert.equal(group.text, 'Look at this 😀');
  assert.equal(group.subject, 'Photos');
  assert.equal(group.sender, 'Bob Baker', 'from = addr type 137, named by its place in contact_name');
  assert.equal(group.sentAt, '2024-01-02T10:00:00.000Z');
  assert.equal(group.conversation, 'Alice Archer, Bob Baker');
  assert.deepEqual(
    group.attachments.map((a) => ({ name: a.name, mime: a.mime, size: a.size, sha256: a.sha256 })),
    [{ name: 'IMG_0001.png', mime: 'image/png', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') }],
  );

  const groupSent = bySourceLocator(list, 'mms 2 (line 23)');
  assert.equal(groupSent.conversationId, group.conversationId);
  assert.equal(groupSent.direction, 'out');
  assert.equal(groupSent.text, 'Thanks both');
  assert.equal(groupSent.attachments[0]!.name, 'clip.mp4');
  assert.equal(groupSent.attachments[0]!.sha256, null);
  assert.match(groupSent.attachments[0]!.missingReason ?? '', /without MMS media/);

  assert.equal((await importSource(c, file)).alreadyImported, true);
  assert.equal((await messages(c)).length, 7);
});

test('an overlapping later backup adds only the new messages', async () => {
  const dir = tempDir();
  const older = path.join(dir, 'older.xml');
  const newer = path.join(dir, 'newer.xml');
  const full = generatedBackup();
  fs.writeFileSync(older, full);
  fs.writeFileSync(
    newer,
    full.replace('</smses>', '  <sms protocol="0" address="+14155550101" date="1704300000000" type="1" body="A new one" read="0" contact_name="Alice Archer" />\n</smses>'),
  );
  const c = createCase();
  await importSource(c, older);
  const r = await importSource(c, newer);
  assert.equal(r.messages, 1);
  assert.equal(r.duplicatesSkipped, 8);
  assert.equal((await messages(c)).length, 8);
});

test('DTDs are never processed: billion laughs and external entities stay literal', async () => {
  const dir = tempDir();
  const laughs = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('\n');
  const secret = path.join(dir, 'secret.txt');
  fs.writeFileSync(secret, 'TOP-SECRET-CONTENT');
  const file = path.join(dir, 'evil.xml');
  fs.writeFileSync(
    file,
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE smses [\n${laughs}\n<!ENTITY xxe SYSTEM "file://${secret}">\n]>\n<smses count="2">\n` +
      `<sms address="+14155550101" date="1704103200000" type="1" body="&lol9;" />\n` +
      `<sms address="+14155550101" date="1704103260000" type="1" body="x&xxe;y" />\n</smses>\n`,
  );
  const c = createCase();
  const r = await importSource(c, file, ['--format', 'sms-backup-restore']);
  assert.ok(r.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /DOCTYPE/.test(w.message)));
  const list = await messages(c);
  assert.deepEqual(list.map((m) => m.text), ['&lol9;', 'x&xxe;y']);
  assert.ok(!JSON.stringify(list).includes('TOP-SECRET'));
});

test('truncated, malformed and foreign XML fail with a typed error naming the place; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  await importSource(c, REAL);
  const before = await snapshot(c);
  const full = generatedBackup();
  const truncated = path.join(dir, 'truncated.xml');
  fs.writeFileSync(truncated, full.slice(0, full.indexOf('<addrs>') + 20));
  assert.match(await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', [], before), /truncated\.xml.*line \d+/);
  const broken = path.join(dir, 'broken.xml');
  fs.writeFileSync(broken, full.replace('<parts>', '<parts><part seq="0" ct="text/plain" text="oops></parts>'));
  assert.match(await expectImportFailure(c, broken, 'IMPORT_SOURCE_CORRUPT', [], before), /broken\.xml.*line \d+, column \d+/);
  const calls = path.join(dir, 'calls.xml');
  fs.writeFileSync(calls, `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count="1">\n<call number="+14155550101" duration="5" date="1704103200000" type="1" />\n</calls>\n`);
  await expectImportFailure(c, calls, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'sms-backup-restore'], before);
  await expectImportFailure(c, calls, 'IMPORT_UNSUPPORTED_SOURCE', [], before);
});

test('detect is cheap and never throws on foreign input', async () => {
  const dir = tempDir();
  const bin = path.join(dir, 'x.xml');
  fs.writeFileSync(bin, Buffer.from([0, 1, 2, 255, 254]));
  assert.equal((await smsBackupRestore.detect(bin)).confidence, 0);
  assert.equal((await smsBackupRestore.detect(dir)).confidence, 0);
  assert.equal((await smsBackupRestore.detect(path.join(dir, 'missing.xml'))).confidence, 0);
  assert.ok((await smsBackupRestore.detect(REAL)).confidence > 0.9);
  assert.deepEqual(await smsBackupRestore.probe(REAL, { tz: 'UTC' }), { variant: 'legacy', messages: 2, hasAttachments: false, hasReactions: false, hasEdits: false });
});
