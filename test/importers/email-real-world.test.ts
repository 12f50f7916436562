/**
 * Email defect classes from real mailboxes, on messages the test writes in the real format: no
 * Date header (Received, then the mbox From_ line, then nothing), list-archive and RFC 2047
 * ISO-8859-1 display names, To/Cc/Bcc, and a reply whose parent is in the same mbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, tempDir } from '../helpers/case.ts';
import { createCase, importSource, messages } from './helpers.ts';
import { dataOf } from '../../src/case/data/index.ts';

const dir = tempDir('holdfast-email-real-');
const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

function write(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  return p;
}

const NO_DATE_WITH_RECEIVED = CRLF(`Received: from relay.example.org by mx.example.com with ESMTP id 4711; Tue, 4 Jul 2023 10:00:05 +0200
Received: from laptop by relay.example.org; Tue, 4 Jul 2023 09:59:58 +0200
From: Dana Whitfield <dana@example.com>
To: Alex Morgan <alex@example.com>
Subject: Contract draft
Message-ID: <nodate.1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8

Draft attached.
--b1
Content-Type: application/pdf; name="draft.pdf"
Content-Disposition: attachment; filename="draft.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSVFT0YK
--b1--
`);

test('an EML without a Date header is kept, dated by its newest Received header, flagged, with its attachment', async () => {
  const c = createCase();
  const r = await importSource(c, write('no-date.eml', NO_DATE_WITH_RECEIVED));
  assert.equal(r.report.read, 1);
  assert.equal(r.report.imported, 1);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.equal(r.report.skipped.count, 0);
  const [m] = await messages(c);
  assert.equal(m!.sentAt, '2023-07-04T08:00:05.000Z');
  assert.equal(m!.timeSource, 'received');
  assert.equal(m!.attachments.length, 1);
  assert.equal(m!.attachments[0]!.name, 'draft.pdf');
  assert.ok(m!.attachments[0]!.sha256);
});

test('an EML with neither Date nor Received is kept with time unknown; an mbox message without Date takes its From_ line', async () => {
  const c = createCase();
  const bare = NO_DATE_WITH_RECEIVED.replace(/^Received:.*\r\n/gm, '').replace('nodate.1', 'nodate.2');
  await importSource(c, write('no-evidence.eml', bare));
  const mbox = `From dana@example.com Wed Jul  5 11:30:00 2023\r\n${NO_DATE_WITH_RECEIVED.replace(/^Received:.*\r\n/gm, '').replace('nodate.1', 'nodate.3')}\r\n`;
  const r = await importSource(c, write('no-date.mbox', mbox));
  assert.equal(r.report.flagged.timeUnknown, 1);
  const list = await messages(c);
  const none = list.find((m) => m.source.locator === 'no-evidence.eml')!;
  assert.equal(none.timeSource, 'none');
  assert.equal(none.attachments.length, 1);
  const fromLine = list.find((m) => m.source.locator.startsWith('message 1'))!;
  assert.equal(fromLine.timeSource, 'mbox-separator');
  assert.equal(fromLine.sentAt, '2023-07-05T11:30:00.000Z');
});

test('display names survive (list-archive "addr at host (Name)", RFC 2047 ISO-8859-1); To/Cc/Bcc are kept; from:"Name" finds them', async () => {
  const mail = CRLF(`From: andy at example.com (Andy Grunwald)
To: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.com>, bob at example.org (Bob Smith)
Cc: "Chen, Li" <li.chen@example.net>
Bcc: dee@example.com
Subject: Release
Date: Tue, 4 Jul 2023 10:00:00 +0200
Message-ID: <names.1@example.com>

Shipping today.
`);
  const mail2 = CRLF(`From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.com>
To: andy@example.com
Subject: Re: Release
Date: Tue, 4 Jul 2023 11:00:00 +0200
Message-ID: <names.2@example.com>
In-Reply-To: <names.1@example.com>
References: <root.not.here@example.com> <names.1@example.com>

Great.
`);
  const c = createCase();
  const r = await importSource(c, write('list.mbox', `From andy at example.com  Tue Jul  4 08:00:00 2023\r\n${mail}\r\nFrom andre at example.com  Tue Jul  4 09:00:00 2023\r\n${mail2}\r\n`));
  assert.ok(!r.warnings.some((w) => w.code === 'UNKNOWN_TARGET'), JSON.stringify(r.warnings));
  const list = await messages(c);
  const first = list.find((m) => m.text === 'Shipping today.')!;
  assert.equal(first.sender, 'Andy Grunwald');
  assert.equal(first.senderHandle, 'andy@example.com');
  assert.deepEqual(first.recipients, [
    { role: 'to', name: 'André Müller', handle: 'andre@example.com' },
    { role: 'to', name: 'Bob Smith', handle: 'bob@example.org' },
    { role: 'cc', name: 'Chen, Li', handle: 'li.chen@example.net' },
    { role: 'bcc', name: null, handle: 'dee@example.com' },
  ]);
  const reply = list.find((m) => m.text === 'Great.')!;
  assert.equal(reply.sender, 'André Müller');
  assert.equal(reply.replyTo, first.id, 'the reply points at its parent in the same mbox');
  assert.equal(reply.conversationId, first.conversationId);
  for (const [q, expected] of [['from:"Andy Grunwald"', 'Shipping today.'], ['from:"André Müller"', 'Great.'], ['from:andy@example.com', 'Shipping today.']]) {
    const hits = cliJson<{ hits: { messageId: number }[] }>(['search', c, q!, '--json']).hits.map((h) => h.messageId);
    assert.deepEqual(hits.map((id) => list.find((m) => m.id === id)!.text), [expected], q);
  }
});

test('the import report counts what could not be read as skipped, with the reason', async () => {
  const folder = path.join(dir, 'mixed-folder');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'good.eml'), Buffer.from(NO_DATE_WITH_RECEIVED.replace('nodate.1', 'good.1'), 'latin1'));
  fs.writeFileSync(path.join(folder, 'garbage.eml'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]));
  const c = createCase();
  const r = await importSource(c, folder, ['--format', 'email']);
  assert.equal(r.report.imported, 1);
  assert.deepEqual(r.report.skipped, { count: 1, reasons: [{ reason: 'no mail headers; file skipped', count: 1 }] });
});

test('purging a message removes recipients only it named, and keeps a handle another message still addresses', async () => {
  const { openSession } = await import('../../src/app/open-session.ts');
  const { purgeMessages } = await import('../../src/review/purge.ts');
  const { PASSPHRASE } = await import('../helpers/case.ts');
  const mk = (id: string, to: string) => CRLF(`From: Dana <dana@example.com>\nTo: ${to}\nSubject: s\nDate: Tue, 4 Jul 2023 10:00:00 +0200\nMessage-ID: <${id}@example.com>\n\n${id}\n`);
  const c = createCase();
  await importSource(c, write('purge.mbox', `From dana@example.com Tue Jul  4 08:00:00 2023\r\n${mk('p1', 'only@example.com, shared@example.com')}\r\nFrom dana@example.com Tue Jul  4 08:00:00 2023\r\n${mk('p2', 'shared@example.com')}\r\n`));
  const s = openSession(c, PASSPHRASE);
  try {
    const id = s.db.prepare("SELECT id FROM messages WHERE external_id = 'p1@example.com'").pluck().get() as number;
    const r = s.db.transaction(() => purgeMessages(dataOf(s), [id]))();
    assert.deepEqual(r.handles.map((h) => h.value), ['only@example.com']);
    assert.deepEqual(s.db.prepare("SELECT value FROM handles WHERE kind = 'email' ORDER BY value").pluck().all(), ['dana@example.com', 'shared@example.com']);
  } finally {
    s.close();
  }
});
