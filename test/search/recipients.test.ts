/**
 * to: and cc: search the recipients a source recorded for each message (email To/Cc), by any name the
 * identity is known by, checked against the recipients stored in a real encrypted case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runImport } from '../../src/app/run-import.ts';
import { searchMessages } from '../../src/search/search.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { newCase, tempDir } from '../helpers/case.ts';

const mail = (id: string, from: string, to: string, cc: string | null, date: string, body: string) => [
  `From ${from.replace(/.*</, '').replace('>', '')} ${date}`,
  `From: ${from}`, `To: ${to}`, ...(cc ? [`Cc: ${cc}`] : []), 'Subject: Budget', `Date: ${date}`, `Message-ID: <${id}@example.com>`, '', body, '',
].join('\n');

test('to: and cc: find messages by their own recipients, by name or address', async () => {
  const d = tempDir('holdfast-to-');
  const src = path.join(d, 'budget.mbox');
  fs.writeFileSync(src, [
    mail('a', 'Ann Lee <ann@example.com>', 'Ben Ode <ben@example.com>', 'Cat Ruiz <cat@example.com>', 'Mon, 4 Mar 2024 09:00:00 +0000', 'first'),
    mail('b', 'Ben Ode <ben@example.com>', 'Cat Ruiz <cat@example.com>', null, 'Mon, 4 Mar 2024 10:00:00 +0000', 'second'),
    mail('c', 'Cat Ruiz <cat@example.com>', 'Ann Lee <ann@example.com>', 'Ben Ode <ben@example.com>, Dev Shah <dev@example.com>', 'Mon, 4 Mar 2024 11:00:00 +0000', 'third'),
  ].join('\n'));
  const s = newCase(d);
  await runImport(s, { source: src, tz: 'UTC' }, new AbortController().signal);
  const stored = (role: string, address: string) =>
    (s.db.prepare('SELECT m.text FROM message_recipients r JOIN handles h ON h.id = r.handle_id JOIN messages m ON m.id = r.message_id WHERE r.role = ? AND h.value = ? ORDER BY m.sent_at')
      .pluck().all(role, address) as string[]).map((t) => t.trim());
  const textOf = (id: number) => (s.db.prepare('SELECT text FROM messages WHERE id = ?').pluck().get(id) as string).trim();
  const found = (q: string) => searchMessages(s, { query: q, limit: 50 }).hits.map((h) => textOf(h.messageId)).sort();
  assert.deepEqual(stored('to', 'cat@example.com'), ['second']);
  assert.deepEqual(found('to:"Cat Ruiz"'), ['second']);
  assert.deepEqual(found('to:cat@example.com'), ['second']);
  assert.deepEqual(stored('cc', 'cat@example.com'), ['first']);
  assert.deepEqual(found('cc:cat'), ['first']);
  assert.deepEqual(found('cc:ben OR to:ben'), ['first', 'third']);
  assert.deepEqual(found('cc:nobody'), []);
  assert.throws(() => searchMessages(s, { query: 'lang:en' }), (e: unknown) => e instanceof HoldfastError && e.code === 'VALIDATION');
  s.close();
});
