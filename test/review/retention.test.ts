import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, tempDir } from '../helpers/case.ts';
import type { RetentionResultDTO } from '../../src/api/dto.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { createHold, releaseHold } from '../../src/review/holds.ts';
import { runRetention, parseRetentionPeriod, retentionCutoff } from '../../src/review/retention.ts';
import { matchingMessageIds } from '../../src/search/search.ts';
import { chatter, writeExport, writeExportZip } from './corpus.ts';
import type { Line } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, lastSeq, messagesOf, snapshot, withCase } from './helpers.ts';
import { dataOf } from '../../src/case/data/index.ts';

const MONTH = 30 * 86_400_000;

test('retention purges exactly the expired unheld messages and their orphaned attachments; holds spare theirs until released', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  // Ops: monthly from 2016 to 2025, with three photos: A only on the oldest message, B on an old
  // one and (same bytes) on the newest, so B's content must survive the purge.
  const ops: Line[] = chatter({ start: Date.UTC(2016, 0, 3, 10), count: 120, stepMs: MONTH, authors: ['Alice Smith', 'Bob Jones'], seed: 11, keywordEvery: 4 });
  const photoA = Buffer.from('photo A: only on the oldest message');
  const photoB = Buffer.from('photo B: on an old and on the newest message');
  ops[0] = { ...ops[0]!, media: { name: 'IMG-20160103-WA0001.jpg', data: photoA } };
  ops[1] = { ...ops[1]!, media: { name: 'IMG-20160203-WA0002.jpg', data: photoB } };
  ops[119] = { ...ops[119]!, media: { name: 'IMG-20251101-WA0003.jpg', data: photoB } };
  const board = chatter({ start: Date.UTC(2017, 5, 1, 8), count: 60, stepMs: 2 * MONTH, authors: ['Carol King', 'Dan Brown'], seed: 12, keywordEvery: 3 });
  await importFile(caseFile, await writeExportZip(dir, 'Ops', ops), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Board', board), 'Bob');
  // Carol's older, shorter export of the same chat: its messages are also hers.
  await importFile(caseFile, writeExport(dir, 'Ops', ops.slice(2, 60)), 'Carol');

  const { idOf, boardId, hold } = await withCase(caseFile, async (s) => {
    const all = messagesOf(s);
    assert.equal(all.length, ops.length + board.length, 'Carol\'s copy added no new messages');
    const byText = new Map(all.map((m) => [m.text.split('\n').at(-1)!, m]));
    const idOf = (l: Line) => {
      const m = byText.get(l.text) ?? all.find((x) => x.text.endsWith(l.text));
      assert.ok(m, `no message for line ${l.text}`);
      return m.id;
    };
    const boardId = all.find((m) => m.conversation === 'Board')!.conversationId;
    const hold = await createHold(s, { name: 'Board minutes', reason: 'regulator request', conversations: [boardId] });
    assert.equal(hold.messages, board.length);
    return { idOf, boardId, hold };
  });

  // Custodian-scoped (dry run): Alice's expired messages that Carol's source also holds are kept.
  await withCase(caseFile, async (s) => {
    const r = await runRetention(s, { olderThan: '3y', custodians: ['Alice'], dryRun: true });
    const cutoff = Date.parse(r.cutoff);
    const expired = ops.filter((l) => l.at < cutoff);
    const carols = new Set(ops.slice(2, 60).map((l) => l.text));
    assert.deepEqual(r.purgedIds, expired.filter((l) => !carols.has(l.text)).map(idOf).sort((x, y) => x - y));
    assert.equal(r.keptForOtherCustodians, expired.filter((l) => carols.has(l.text)).length);
    assert.equal(r.spared, 0, 'Board is Bob\'s: out of scope');
    assert.equal(await codeOf(() => runRetention(s, { olderThan: '3y', custodians: ['Nobody'] })), 'NOT_FOUND');
  });

  // Dry run: exactly what would go, and nothing changes.
  const { before, seq } = await withCase(caseFile, (s) => ({ before: snapshot(s), seq: lastSeq(s) }));
  const dry = cliJson<RetentionResultDTO>(['retention', caseFile, '--older-than', '3y', '--dry-run', '--json']);
  const cutoff = Date.parse(dry.cutoff);
  const expiredOps = ops.filter((l) => l.at < cutoff);
  const expiredBoard = board.filter((l) => l.at < cutoff);
  assert.ok(expiredOps.length > 10 && expiredOps.length < ops.length && expiredBoard.length > 0 && expiredBoard.length < board.length);
  assert.equal(dry.dryRun, true);
  assert.equal(dry.purged, expiredOps.length);
  assert.deepEqual(dry.purgedIds, expiredOps.map(idOf).sort((x, y) => x - y));
  assert.equal(dry.spared, expiredBoard.length);
  assert.deepEqual(dry.sparedIds, expiredBoard.map(idOf).sort((x, y) => x - y));
  assert.deepEqual(dry.sparedByHold, [{ holdId: hold.holdId, name: 'Board minutes', messages: expiredBoard.length }]);
  assert.equal(dry.attachments, 2);
  assert.equal(dry.blobs, 1, 'photo A would go; photo B is still used by the newest message');
  await withCase(caseFile, (s) => {
    assert.deepEqual(snapshot(s), before, 'a dry run changes nothing');
    assert.equal(lastSeq(s), seq);
  });

  // The real run.
  const stored = await withCase(caseFile, (s) =>
    new Map((s.db.prepare('SELECT id, fingerprint, content_sha256 FROM messages').all() as { id: number; fingerprint: string; content_sha256: string }[]).map((r) => [r.id, r])),
  );
  const real = cliJson<RetentionResultDTO>(['retention', caseFile, '--older-than', '3y', '--json']);
  assert.equal(real.dryRun, false);
  assert.deepEqual(real.purgedIds, dry.purgedIds);
  assert.deepEqual(real.sparedIds, dry.sparedIds);
  assert.deepEqual([real.purged, real.spared, real.attachments, real.blobs], [dry.purged, dry.spared, 2, 1]);

  await withCase(caseFile, async (s) => {
    const left = messagesOf(s);
    const expectLeft = [...ops.filter((l) => l.at >= cutoff), ...board].map(idOf).sort((x, y) => x - y);
    assert.deepEqual(left.map((m) => m.id).sort((x, y) => x - y), expectLeft);
    const blobs = s.db.prepare('SELECT sha256 FROM blobs').pluck().all() as string[];
    assert.equal(blobs.length, 1);
    assert.equal(left.find((m) => m.id === idOf(ops[119]!))!.attachments[0]!.sha256, blobs[0]);
    assert.equal(s.db.prepare('SELECT count(*) FROM blob_chunks WHERE sha256 <> ?').pluck().get(blobs[0]), 0, 'no chunk of photo A is left');
    // Search no longer finds purged messages.
    const purged = new Set(real.purgedIds);
    const hits = matchingMessageIds(s, 'falcon', { includePersonal: true });
    assert.equal(hits.filter((id) => purged.has(id)).length, 0);
    assert.equal(hits.length, [...ops.filter((l) => l.at >= cutoff), ...board].filter((l) => /\bfalcon\b/.test(l.text)).length);
    assert.equal(verifyCase(dataOf(s)).ok, true, 'verify stays green after an audited purge');

    // The audit entry proves what went: each purged message's fingerprint and content hash.
    const entry = auditOf(s, 'retention.purge').at(-1)!;
    const rec = entry.details.before as { columns: string[]; messages: unknown[][]; blobs: string[] };
    assert.equal(rec.messages.length, real.purged);
    for (const row of rec.messages) {
      const id = row[rec.columns.indexOf('id')] as number;
      assert.equal(row[rec.columns.indexOf('fingerprint')], stored.get(id)!.fingerprint);
      assert.equal(row[rec.columns.indexOf('contentSha256')], stored.get(id)!.content_sha256);
    }
    assert.equal(rec.blobs.length, 1);
    assert.equal(entry.details.after, null);
    assert.equal(entry.details.spared, expiredBoard.length);

    // Released, the hold no longer spares the Board's expired messages.
    releaseHold(s, { holdId: hold.holdId, reason: 'regulator closed the inquiry' });
    const again = await runRetention(s, { olderThan: '3y' });
    assert.deepEqual(again.purgedIds, expiredBoard.map(idOf).sort((x, y) => x - y));
    assert.equal(again.spared, 0);
    assert.deepEqual(s.db.prepare('SELECT count(*) FROM hold_items').pluck().get(), board.length - expiredBoard.length, 'released items go with their messages');
    assert.equal(s.db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(boardId), board.length - expiredBoard.length);
    assert.equal(verifyCase(dataOf(s)).ok, true);
  });
});

test('retention periods are calendar periods and bad ones are refused', async () => {
  const now = Date.UTC(2024, 1, 29, 12);
  assert.equal(new Date(retentionCutoff('1y', now)).toISOString(), '2023-02-28T12:00:00.000Z');
  assert.equal(new Date(retentionCutoff('18m', now)).toISOString(), '2022-08-29T12:00:00.000Z');
  assert.equal(new Date(retentionCutoff('90d', now)).toISOString(), '2023-12-01T12:00:00.000Z');
  assert.equal(new Date(retentionCutoff('2w', now)).toISOString(), '2024-02-15T12:00:00.000Z');
  assert.equal(parseRetentionPeriod(' 7Y ').text, '7y');
  for (const bad of ['', '3', 'y', '0d', '-1y', '3 years', '1.5y', '99999y']) {
    assert.equal(await codeOf(() => parseRetentionPeriod(bad)), 'VALIDATION', bad);
  }
});
