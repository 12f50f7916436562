/**
 * The index's life inside the case: stored and reloaded without re-tokenizing, kept consistent
 * with the messages through deletes, a cancelled import and a kill -9 of `holdfast import`, and
 * never written anywhere in plaintext.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, filesContaining, makeCaseFile, newCase, PASSPHRASE, ROOT, tempDir } from '../helpers/case.ts';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { runImport } from '../../src/app/run-import.ts';
import { openSession } from '../../src/app/open-session.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { matchingMessageIds, searchMessages } from '../../src/search/search.ts';
import { ensureIndex, indexLoadInfo, prepareIndex, prepareIndexAsync } from '../../src/search/index-manager.ts';
import { readMeta } from '../../src/search/index-store.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { deleteMessages } from '../../src/review/delete.ts';
import { HoldfastError } from '../../src/api/errors.ts';

const signal = new AbortController().signal;

/** Reference: messages whose text has `word` as a whole word (case-insensitive, ASCII words only). */
function withWord(s: CaseSession, word: string): number[] {
  const re = new RegExp(`(^|[^\\p{L}\\p{N}])${word}($|[^\\p{L}\\p{N}])`, 'iu');
  return (s.db.prepare('SELECT id, text FROM messages ORDER BY id').all() as { id: number; text: string }[]).filter((m) => re.test(m.text)).map((m) => m.id);
}

function writeLines(file: string, lines: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  let buf: string[] = [];
  for (const l of lines) {
    buf.push(l);
    if (buf.length === 10_000) {
      fs.writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  fs.writeSync(fd, buf.length ? `${buf.join('\n')}\n` : '');
  fs.closeSync(fd);
}

test('reopening a case loads the stored index: nothing is tokenized again', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  for (const f of writeCorpus(dir)) await runImport(s, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const meta = readMeta(dataOf(s))!;
  assert.equal(meta.docs, DEFAULT_CHATS.reduce((n, c) => n + c.messages, 0));
  const queries = ['price', '"wire the money"', 'pri*', '価格', 'angstrom -call', 'from:alice has:attachment'];
  const before = queries.map((q) => matchingMessageIds(s, q));
  s.close();

  const again = openSession(s.path, PASSPHRASE);
  const info = prepareIndex(again);
  assert.equal(info.tokenized, 0, 'no message was tokenized on reopen');
  assert.equal(info.fromStore, true);
  assert.equal(info.rebuilt, false);
  assert.deepEqual(queries.map((q) => matchingMessageIds(again, q)), before);
  assert.equal(readMeta(dataOf(again))!.builtAt, meta.builtAt, 'the stored index was not rewritten');
  again.close();
});

test('a reopened case answers phrases and proximity from its stored positions, none counted in memory', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  const files = writeCorpus(dir);
  for (const f of files.slice(0, -1)) await runImport(s, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  s.close();
  const queries = ['"wire the money"', 'price w/5 contract', 'wire pre/3 money', '(bonus OR kickback) w/10 (wire OR money)', 'price not w/2 pri*', '"the money" w/3 offshore'];

  const again = openSession(s.path, PASSPHRASE);
  prepareIndex(again);
  const firstPart = queries.map((q) => matchingMessageIds(again, q));
  const stats = ensureIndex(again).positionStats;
  assert.equal(stats.counted, 0, 'no token was counted in memory');
  assert.ok(stats.decoded > 0, 'term lists were read from the stored positions');
  // Messages imported while the index is loaded come with their stored index: their positions are read too.
  const lastId = again.db.prepare('SELECT max(id) FROM messages').pluck().get() as number;
  const decodedBefore = stats.decoded;
  await runImport(again, { source: files.at(-1)!, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const all = queries.map((q) => matchingMessageIds(again, q));
  assert.equal(ensureIndex(again).positionStats.counted, 0, 'nothing counted in memory');
  assert.ok(ensureIndex(again).positionStats.decoded > decodedBefore, 'the new segments\' positions were read from the case');
  assert.deepEqual(all.map((ids) => ids.filter((id) => id <= lastId)), firstPart);
  assert.ok(all.every((ids) => ids.some((id) => id > lastId)), 'every query has hits among the messages added since the load');
  again.close();

  const reopened = openSession(s.path, PASSPHRASE);
  prepareIndex(reopened);
  assert.deepEqual(queries.map((q) => matchingMessageIds(reopened, q)), all);
  assert.equal(ensureIndex(reopened).positionStats.counted, 0);
  // An index stored before positions were: the same answers, every range counted in memory.
  reopened.db.prepare("DELETE FROM search_index_chunks WHERE key LIKE 'pos.%'").run();
  reopened.close();
  const old = openSession(s.path, PASSPHRASE);
  prepareIndex(old);
  assert.deepEqual(queries.map((q) => matchingMessageIds(old, q)), all);
  assert.equal(ensureIndex(old).positionStats.decoded, 0);
  assert.ok(ensureIndex(old).positionStats.counted > 0);
  old.close();
});

test('deleted messages vanish from results at once and after reopening; a delete behind the index\'s back too', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  for (const f of writeCorpus(dir)) await runImport(s, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const hits = matchingMessageIds(s, 'price');
  const gone = hits.slice(0, 5);
  deleteMessages(s, { messageIds: gone, reason: 'test' });
  assert.deepEqual(matchingMessageIds(s, 'price'), hits.slice(5));
  assert.equal(searchMessages(s, { query: 'price' }).total, hits.length - 5);
  assert.equal(readMeta(dataOf(s))!.dead, 5, 'the deletion is recorded in the stored index');

  // Another connection deletes without telling the index: the next search notices.
  const other = openSession(s.path, PASSPHRASE);
  other.db.prepare('DELETE FROM messages WHERE id = ?').run(hits[5]);
  other.close();
  assert.deepEqual(matchingMessageIds(s, 'price'), hits.slice(6));
  s.close();

  const again = openSession(s.path, PASSPHRASE);
  assert.deepEqual(matchingMessageIds(again, 'price'), hits.slice(6));
  assert.deepEqual(matchingMessageIds(again, 'price'), withWord(again, 'price'));
  assert.equal(indexLoadInfo(again)!.tokenized, 0);
  again.close();
});

test('a session open while another imports reads each committed batch\'s index from the case: nothing tokenized again, totals exact', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  // One reader opened the case while it was empty, the other after a first import.
  const early = openSession(s.path, PASSPHRASE);
  prepareIndex(early);
  const [first] = writeCorpus(dir, DEFAULT_CHATS.slice(0, 1));
  await runImport(s, { source: first!, tz: 'UTC', dateOrder: 'dmy' }, signal);
  assert.deepEqual(matchingMessageIds(early, 'price'), withWord(early, 'price'));
  const reader = openSession(s.path, PASSPHRASE);
  prepareIndex(reader);
  assert.equal(ensureIndex(reader).fromStoreOnly, true);
  const big = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeLines(big, whatsappLines({ messages: 45_000, seed: 9 }));
  const seen = new Set<number>();
  await runImport(s, { source: big, tz: 'UTC', dateOrder: 'dmy' }, signal, () => {
    // Between the writer's batches: the reader sees what is committed, and searches it exactly.
    const committed = reader.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    if (seen.has(committed)) return;
    seen.add(committed);
    assert.deepEqual(matchingMessageIds(reader, 'price'), withWord(reader, 'price'), `after ${committed} messages`);
    assert.equal(ensureIndex(reader).maxId, reader.db.prepare('SELECT max(id) FROM messages').pluck().get());
  });
  assert.ok(seen.size >= 3, `the reader searched between several batches (${[...seen].join(', ')})`);
  const queries = ['price', '"wire the money"', 'pri*', 'deal OR call', 'from:alice'];
  const fresh = openSession(s.path, PASSPHRASE);
  assert.deepEqual(queries.map((q) => matchingMessageIds(reader, q)), queries.map((q) => matchingMessageIds(fresh, q)));
  assert.equal(ensureIndex(reader).fromStoreOnly, true, 'the reader tokenized nothing: every batch came with its stored index');
  assert.deepEqual(queries.map((q) => matchingMessageIds(early, q)), queries.map((q) => matchingMessageIds(fresh, q)));
  assert.equal(ensureIndex(early).fromStoreOnly, true, 'nor did the reader that opened the empty case');
  assert.equal(ensureIndex(early).positionStats.counted, 0, 'its phrases read the stored positions');
  early.close();
  fresh.close();
  reader.close();
  s.close();
});

test('a cancelled import leaves no trace in the index, in memory or stored', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  const [first] = writeCorpus(dir, DEFAULT_CHATS.slice(0, 1));
  await runImport(s, { source: first!, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const before = matchingMessageIds(s, 'price');
  const firstMax = s.db.prepare('SELECT max(id) FROM messages').pluck().get() as number;
  const big = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeLines(big, whatsappLines({ messages: 30_000, seed: 3 }));
  const controller = new AbortController();
  let committedSeen = 0;
  await assert.rejects(
    runImport(s, { source: big, tz: 'UTC', dateOrder: 'dmy' }, controller.signal, (p) => {
      // Cancel once the stored index has taken at least one committed batch of this run.
      committedSeen = readMeta(dataOf(s))!.watermark;
      if (p.messages > 10_000 && committedSeen > firstMax) controller.abort();
    }),
    (err: unknown) => err instanceof HoldfastError && err.code === 'CANCELLED',
  );
  assert.ok(committedSeen > firstMax, 'the run had indexed batches before it was cancelled');
  assert.deepEqual(matchingMessageIds(s, 'price'), before);
  s.close();
  const again = openSession(s.path, PASSPHRASE);
  assert.deepEqual(matchingMessageIds(again, 'price'), before);
  assert.deepEqual(matchingMessageIds(again, 'price'), withWord(again, 'price'));
  again.close();
});

/** Starts `holdfast import` on `source` and SIGKILLs it once `killWhen(messages in the case)` holds. */
async function killImportWhen(casePath: string, source: string, killWhen: (messages: number) => boolean): Promise<number> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'import', casePath, source, '--tz', 'UTC', '--date-order', 'dmy'], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Tester' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const probe = new Database(casePath, { readonly: true, fileMustExist: true });
  probe.pragma(`cipher='sqlcipher'`);
  probe.pragma('legacy=4');
  probe.key(Buffer.from(PASSPHRASE));
  let seen = 0;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        seen = probe.prepare('SELECT count(*) FROM messages').pluck().get() as number;
      } catch {
        continue;
      }
      if (killWhen(seen) || child.exitCode !== null) break;
    }
  } finally {
    probe.close();
  }
  child.kill('SIGKILL');
  await exited;
  return seen;
}

test('kill -9 of holdfast import: the index matches the messages before and after the rollback, in an open session and on reopen', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  const [small] = writeCorpus(dir, DEFAULT_CHATS.slice(0, 1));
  assert.equal(cli(['import', file, small!, '--tz', 'UTC', '--date-order', 'dmy']).status, 0);
  const big = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeLines(big, whatsappLines({ messages: 40_000, seed: 5 }));
  const kept = 450;

  // Killed at two moments: soon after the first commit, and deeper into the run.
  for (const threshold of [1, 12_000]) {
    // A reviewer's session, open (index loaded) while the import runs and dies.
    const watcher = openSession(file, PASSPHRASE);
    prepareIndex(watcher);
    const seen = await killImportWhen(file, big, (n) => n >= kept + threshold);
    assert.ok(seen > kept, `the import committed messages before the kill (saw ${seen})`);
    // The dead run's committed batches are still in the table: the open session finds them.
    assert.ok((watcher.db.prepare('SELECT count(*) FROM messages').pluck().get() as number) > kept);
    for (const word of ['price', 'deal']) assert.deepEqual(matchingMessageIds(watcher, word), withWord(watcher, word), `${word} before the rollback`);

    // Opening the case again rolls the dead run back; the reopened index and the open one both follow.
    const s = openSession(file, PASSPHRASE);
    assert.equal(s.db.prepare('SELECT status FROM import_runs ORDER BY id DESC LIMIT 1').pluck().get(), 'interrupted');
    assert.equal(s.db.prepare('SELECT count(*) FROM messages').pluck().get(), kept);
    for (const word of ['price', 'deal', 'client']) assert.deepEqual(matchingMessageIds(s, word), withWord(s, word), `${word} on reopen`);
    assert.equal(searchMessages(s, { query: 'price OR deal' }).total, new Set([...withWord(s, 'price'), ...withWord(s, 'deal')]).size);
    for (const word of ['price', 'deal']) assert.deepEqual(matchingMessageIds(watcher, word), withWord(watcher, word), `${word} in the open session after the rollback`);
    s.close();
    watcher.close();
  }
  const again = openSession(file, PASSPHRASE);
  for (const word of ['price', 'deal', 'client']) assert.deepEqual(matchingMessageIds(again, word), withWord(again, word), `${word} at the end`);
  assert.equal(indexLoadInfo(again)!.tokenized, 0, 'the rolled-back messages were recorded: nothing to redo on the next open');
  again.close();
});

test('holdfast reindex rebuilds the same index; the index is never on disk in plaintext', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  const corpus = path.join(dir, 'WhatsApp Chat with Marker.txt');
  fs.writeFileSync(corpus, '01/02/2023, 10:00 - Alice: the zqxjmarker is here\n01/02/2023, 10:01 - Bob: 価格を確認してください zqxjmarker\n');
  assert.equal(cli(['import', file, corpus, '--tz', 'UTC', '--date-order', 'dmy']).status, 0);
  const before = cliJson<{ total: number; hits: { messageId: number }[] }>(['search', file, 'zqxjmarker', '--json']);
  assert.equal(before.total, 2);
  const rebuilt = cliJson<{ messages: number; terms: number }>(['reindex', file, '--json']);
  assert.equal(rebuilt.messages, 2);
  const after = cliJson<{ total: number; hits: { messageId: number }[] }>(['search', file, 'zqxjmarker', '--json']);
  assert.deepEqual(after.hits.map((h) => h.messageId), before.hits.map((h) => h.messageId));
  const audit = cliJson<{ action: string }[]>(['audit', file, '--json']);
  assert.ok(audit.some((a) => a.action === 'search.reindex'));
  fs.rmSync(corpus);
  assert.deepEqual(filesContaining(dir, 'zqxjmarker'), []);
  assert.deepEqual(filesContaining(dir, '確認'), []);
});

test('prepareIndexAsync loads in slices, then builds every term\'s postings; a search meanwhile finishes the load; the results are the same', async () => {
  const dir = tempDir();
  const s = newCase(dir);
  for (const f of writeCorpus(dir)) await runImport(s, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const expected = matchingMessageIds(s, 'price OR deal');
  s.close();

  const a = openSession(s.path, PASSPHRASE);
  const info = await prepareIndexAsync(a);
  assert.equal(info.tokenized, 0);
  assert.equal(ensureIndex(a).allPostingsBuilt, true, 'every term\'s postings are built in the background');
  assert.deepEqual(matchingMessageIds(a, 'price OR deal'), expected);
  a.close();

  const b = openSession(s.path, PASSPHRASE);
  const loading = prepareIndexAsync(b);
  assert.deepEqual(matchingMessageIds(b, 'price OR deal'), expected);
  await loading;
  assert.equal(ensureIndex(b).allPostingsBuilt, true);
  assert.deepEqual(matchingMessageIds(b, 'price OR deal'), expected);
  b.close();
});
