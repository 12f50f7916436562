import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { tempDir } from '../helpers/case.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { emailImporter } from '../../src/importers/email/importer.ts';
import { fromLineDate } from '../../src/importers/email/mbox.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

/**
 * Generated messages in the shapes real mail clients write (no public mbox corpus could be used):
 * multipart/alternative with quoted-printable, RFC 2047 words, a base64 attachment with an RFC 2231
 * name, ISO-8859-1 and windows-1252 bodies, a thread by In-Reply-To/References, mboxrd escapes.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

const A = CRLF(`Return-Path: <andre@example.com>
From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <Andre@Example.com>
To: Beatrice Okafor <beatrice@example.org>
Cc: "Chen, Li" <li.chen@example.net>
Subject: =?UTF-8?B?UHJpeCBkdSBjb250cmF0IOKAkyByw6l2aXPDqQ==?=
Date: Mon, 15 Jan 2024 09:30:00 +0100
Message-ID: <a1.4711@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="==alt-1=="

--==alt-1==
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Bonjour B=C3=A9atrice,

le prix r=C3=A9vis=C3=A9 est de 12=E2=80=AF500 =E2=82=AC. Une tr=C3=A8s longue ligne qu=
i continue ici.
--==alt-1==
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

<p>Bonjour B=C3=A9atrice,</p><p>le prix r=C3=A9vis=C3=A9 est de 12=E2=80=AF500 =E2=82=AC.</p>
--==alt-1==--
`);

function messageB(): Buffer {
  const head = CRLF(`From: Beatrice Okafor <beatrice@example.org>
To: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.com>
Subject: Re: =?UTF-8?B?UHJpeCBkdSBjb250cmF0IOKAkyByw6l2aXPDqQ==?=
Date: Someday soon
Message-ID: <b2.0815@mail.example.org>
In-Reply-To: <a1.4711@mail.example.com>
References: <a1.4711@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-b"

--mixed-b
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: 8bit

`);
  const body = Buffer.from('Très bien, ci-joint le contrat.\r\n', 'latin1');
  const att = CRLF(`--mixed-b
Content-Type: application/pdf; name="contrat.pdf"
Content-Disposition: attachment; filename*=UTF-8''contrat%20r%C3%A9vis%C3%A9.pdf
Content-Transfer-Encoding: base64

${PDF.toString('base64').replace(/(.{76})/g, '$1\n')}
--mixed-b--
`);
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from(att, 'latin1')]);
}

function messageC(): Buffer {
  const head = CRLF(`From: Li Chen <li.chen@example.net>
To: andre@example.com
Subject: =?windows-1252?Q?Co=FBt_=80?=
Date: Tue, 16 Jan 2024 17:05:09 -0500
Message-ID: <c3@example.net>
MIME-Version: 1.0
Content-Type: text/html; charset=windows-1252
Content-Transfer-Encoding: 8bit

`);
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from('<html><body><p>Le co\xfbt est de 5 \x80.</p><p>Merci</p></body></html>\r\n', 'latin1')]);
}

const D = CRLF(`From: andre@example.com
To: beatrice@example.org
Subject: Re: Re: Prix
Date: Wed, 17 Jan 2024 08:00:00 +0000
Message-ID: <d4@mail.example.com>
In-Reply-To: <b2.0815@mail.example.org>
References: <a1.4711@mail.example.com> <b2.0815@mail.example.org>
Content-Type: text/plain; charset=us-ascii

Merci.
>From the desk of Andre: signed.
>>From quoted text
`);

function mbox(): Buffer {
  const sep = (line: string) => Buffer.from(`${line}\n`, 'latin1');
  return Buffer.concat([
    sep('From andre@example.com Mon Jan 15 08:30:00 2024'), Buffer.from(A, 'latin1'), sep(''),
    sep('From beatrice@example.org Mon Jan 15 10:00:00 2024'), messageB(), sep(''),
    sep('From li.chen@example.net Tue Jan 16 22:05:09 2024'), messageC(), sep(''),
    sep('From andre@example.com Wed Jan 17 08:00:00 2024'), Buffer.from(D, 'latin1'), sep(''),
  ]);
}

const find = (list: MessageDTO[], start: string) => {
  const m = list.find((x) => x.text.startsWith(start));
  assert.ok(m, start);
  return m;
};

test('From-line dates', () => {
  assert.equal(fromLineDate('From a@b Mon Jan 15 08:30:00 2024'), Date.UTC(2024, 0, 15, 8, 30));
  assert.equal(fromLineDate('From a@b Sat Jan  6 07:05:09 +0200 2024'), Date.UTC(2024, 0, 6, 5, 5, 9));
  assert.equal(fromLineDate('From nobody'), undefined);
});

test('an mbox: encodings, HTML-only text, attachments, threads, mboxrd unescaping, bad dates', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'Inbox.mbox');
  fs.writeFileSync(file, mbox());
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.format, 'email');
  assert.equal(r.messages, 4);
  assert.equal(r.conversations, 2, 'A, B and D are one thread; C another');
  assert.equal(r.attachments, 1);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && /Someday soon/.test(w.message) && w.locator.startsWith('message 2 ')), JSON.stringify(r.warnings));
  const list = await messages(c);

  const a = find(list, 'Bonjour');
  assert.equal(a.text, 'Bonjour Béatrice,\n\nle prix révisé est de 12\u202f500 €. Une très longue ligne qui continue ici.');
  assert.equal(a.subject, 'Prix du contrat – révisé');
  assert.equal(a.conversation, 'Prix du contrat – révisé');
  assert.equal(a.sender, 'André Müller');
  assert.equal(a.senderHandle, 'andre@example.com', 'addresses are lower-cased');
  assert.equal(a.sentAt, '2024-01-15T08:30:00.000Z');
  assert.equal(a.rawTime, 'Mon, 15 Jan 2024 09:30:00 +0100');

  const b = find(list, 'Très bien');
  assert.equal(b.text, 'Très bien, ci-joint le contrat.');
  assert.equal(b.sentAt, '2024-01-15T10:00:00.000Z', 'invalid Date header: the From line');
  assert.equal(b.replyTo, a.id);
  assert.equal(b.conversationId, a.conversationId);
  assert.deepEqual(b.attachments.map((x) => [x.name, x.mime, x.size, x.sha256]), [
    ['contrat révisé.pdf', 'application/pdf', PDF.length, createHash('sha256').update(PDF).digest('hex')],
  ]);

  const cMsg = find(list, 'Le coût');
  assert.match(cMsg.text, /^Le coût est de 5 €\.\s+Merci$/, 'text from the HTML part, windows-1252 decoded');
  assert.equal(cMsg.subject, 'Coût €');
  assert.equal(cMsg.sentAt, '2024-01-16T22:05:09.000Z');
  assert.notEqual(cMsg.conversationId, a.conversationId);

  const d = find(list, 'Merci.');
  assert.equal(d.text, 'Merci.\nFrom the desk of Andre: signed.\n>From quoted text');
  assert.equal(d.replyTo, b.id);
  assert.equal(d.conversationId, a.conversationId);

  assert.equal((await importSource(c, file)).alreadyImported, true);
  // The first message again as a lone .eml: the same Message-ID in the same thread adds nothing.
  const eml = path.join(dir, 'prix.eml');
  fs.writeFileSync(eml, A);
  const again = await importSource(c, eml);
  assert.equal(again.messages, 0);
  assert.equal(again.duplicatesSkipped, 1);
  assert.equal((await messages(c)).length, 4);
});

test('a folder of .eml files', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'mail');
  fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(folder, '1.eml'), A);
  fs.writeFileSync(path.join(folder, 'sub/2.eml'), messageB());
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not mail');
  const c = createCase();
  const r = await importSource(c, folder, ['--format', 'email']);
  // B has no usable date, no Received header and no From line: kept, with its attachment, time unknown.
  assert.equal(r.messages, 2);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'sub/2.eml'));
  const b = (await messages(c)).find((m) => m.source.locator === 'sub/2.eml')!;
  assert.equal(b.timeSource, 'none');
  assert.equal(b.attachments.length, 1);
});

test('truncated, foreign and empty sources fail with the right code; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  const good = path.join(dir, 'good.eml');
  fs.writeFileSync(good, A);
  await importSource(c, good);
  const before = await snapshot(c);
  const full = mbox();
  const truncated = path.join(dir, 'cut.mbox');
  fs.writeFileSync(truncated, full.subarray(0, full.length - 200));
  assert.match(await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', [], before), /cut\.mbox ends in the middle of a message \(message 4 \(line \d+, byte \d+\)\)/);
  const cutEml = path.join(dir, 'cut.eml');
  fs.writeFileSync(cutEml, A.slice(0, A.length - 40));
  assert.match(await expectImportFailure(c, cutEml, 'IMPORT_SOURCE_CORRUPT', [], before), /cut\.eml is cut off/);
  const notMail = path.join(dir, 'photo.eml');
  fs.writeFileSync(notMail, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
  await expectImportFailure(c, notMail, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'email'], before);
});

test('detect tells mbox from EML and ignores other files', async () => {
  const dir = tempDir();
  const m = path.join(dir, 'x.mbox');
  fs.writeFileSync(m, mbox());
  assert.equal((await emailImporter.detect(m)).variant, 'mbox');
  const e = path.join(dir, 'x.eml');
  fs.writeFileSync(e, D);
  assert.equal((await emailImporter.detect(e)).variant, 'eml');
  const t = path.join(dir, 'x.txt');
  fs.writeFileSync(t, 'Dear diary,\nFrom: my heart\n');
  assert.equal((await emailImporter.detect(t)).confidence, 0);
  assert.equal((await emailImporter.detect(path.join(dir, 'none'))).confidence, 0);
  assert.equal((await emailImporter.detect(dir)).confidence, 0.5, 'a folder with .eml files');
});
