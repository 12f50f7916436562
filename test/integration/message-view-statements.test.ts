/**
 * The message view compiles its statements once per open case: reading messages by id in batches of
 * 500 prepares each statement on the first batch and reuses it after, across calls, and a second open
 * case has statements of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { tempDir } from '../helpers/case.ts';
import { getMessages } from '../../src/case/messages.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase } from '../review/helpers.ts';

async function caseWith(count: number, seed: number): Promise<string> {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 1), count, stepMs: 600_000, authors: ['Ann', 'Bo'], seed })), 'Ann');
  return caseFile;
}

/** Every statement the connection prepares from now on, by SQL text. */
function watchPrepares(s: CaseSession): { sql: string; stmt: Statement }[] {
  const seen: { sql: string; stmt: Statement }[] = [];
  const prepare = s.db.prepare.bind(s.db);
  s.db.prepare = ((sql: string) => {
    const stmt = prepare(sql);
    seen.push({ sql, stmt });
    return stmt;
  }) as typeof s.db.prepare;
  return seen;
}

const allIds = (s: CaseSession) => s.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];

test('reading messages in batches prepares each statement once per open case, and not across cases', async () => {
  const first = await caseWith(1200, 3);
  const second = await caseWith(700, 4);
  await withCase(first, async (a) => {
    await withCase(second, (b) => {
      const idsA = allIds(a);
      const idsB = allIds(b);
      assert.ok(idsA.length > 1000, 'more than two batches of 500');

      const preparedA = watchPrepares(a);
      assert.equal(getMessages(a, idsA).length, idsA.length);
      const texts = preparedA.map((p) => p.sql);
      assert.ok(texts.length > 0);
      assert.equal(new Set(texts).size, texts.length, 'no statement prepared twice over the batches');

      const before = preparedA.length;
      assert.equal(getMessages(a, idsA).length, idsA.length);
      assert.equal(preparedA.length, before, 'a second read prepares nothing');

      const preparedB = watchPrepares(b);
      assert.equal(getMessages(b, idsB).length, idsB.length);
      const ofA = new Map(preparedA.map((p) => [p.sql, p.stmt]));
      const shared = preparedB.filter((p) => ofA.has(p.sql));
      assert.ok(shared.length > 0, 'the second case runs some of the same SQL');
      for (const p of shared) assert.notEqual(p.stmt, ofA.get(p.sql), 'its own statement, not the first case\'s');
    });
  });
});
