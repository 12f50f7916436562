import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, cliJson, tempDir } from '../helpers/case.ts';
import type { DeleteResultDTO, HoldDTO } from '../../src/api/dto.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { deleteConversation, deleteMessages } from '../../src/review/delete.ts';
import { createHold, listHolds, releaseHold } from '../../src/review/holds.ts';
import { chatter, writeExport } from './corpus.ts';
import type { Line } from './corpus.ts';
import { auditOf, cliFails, codeOf, createCaseFile, importFile, lastSeq, messagesOf, snapshot, withCase } from './helpers.ts';
import { dataOf } from '../../src/case/data/index.ts';

const DAY = 86_400_000;

test('deleting a held message fails with HOLD_VIOLATION, changes nothing, and the refusal is audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const alice = chatter({ start: Date.UTC(2023, 0, 2, 9), count: 20, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 1 });
  const carol = chatter({ start: Date.UTC(2023, 1, 2, 9), count: 5, stepMs: 3_600_000, authors: ['Carol King', 'Dan Brown'], seed: 2 });
  await importFile(caseFile, writeExport(dir, 'Alice team', alice), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Carol desk', carol), 'Carol');
  const hold = cliJson<HoldDTO>(['hold', caseFile, 'create', '--name', 'SEC inquiry', '--matter', 'SEC v Falcon', '--reason', 'subpoena of 2 Jan', '--custodian', 'Alice', '--json']);
  assert.equal(hold.messages, alice.length);
  assert.equal(hold.active, true);
  assert.equal(hold.createdBy, 'Tester');

  const { held, free, before, seq } = await withCase(caseFile, (s) => {
    const all = messagesOf(s);
    return { held: all.filter((m) => m.conversation === 'Alice team'), free: all.filter((m) => m.conversation === 'Carol desk'), before: snapshot(s), seq: lastSeq(s) };
  });
  assert.equal(held.length, alice.length);
  const stderr = cliFails(['delete', caseFile, '--message', String(held[3]!.id)], 'HOLD_VIOLATION');
  assert.match(stderr, /"SEC inquiry" \(hold 1, 1 message\)/);

  await withCase(caseFile, async (s) => {
    // A mixed selection is refused as a whole: the unheld message stays too.
    assert.equal(await codeOf(() => deleteMessages(s, { messageIds: [free[0]!.id, held[0]!.id] })), 'HOLD_VIOLATION');
    assert.equal(await codeOf(() => deleteConversation(s, { conversationId: held[0]!.conversationId })), 'HOLD_VIOLATION');
    assert.deepEqual(snapshot(s), before, 'a refused delete changes nothing');
    assert.equal(verifyCase(dataOf(s)).ok, true);

    const refusals = auditOf(s, undefined, seq);
    assert.deepEqual(refusals.map((e) => [e.action, e.actor]), [['hold.violation', 'Tester'], ['hold.violation', 'Tester'], ['hold.violation', 'Tester']]);
    const [one, mixed, conv] = refusals.map((e) => e.details as { attempted: string; held: number; heldMessageIds: number[]; holds: { holdId: number; name: string }[]; outcome: string });
    assert.equal(one!.attempted, 'messages.delete');
    assert.equal(one!.outcome, 'refused');
    assert.deepEqual(one!.heldMessageIds, [held[3]!.id]);
    assert.deepEqual(one!.holds.map((h) => [h.holdId, h.name]), [[1, 'SEC inquiry']]);
    assert.deepEqual(mixed!.heldMessageIds, [held[0]!.id]);
    assert.equal(conv!.attempted, 'conversation.delete');
    assert.equal(conv!.held, held.length);

    // The unheld message goes, and the audit entry proves what it was.
    const stored = s.db.prepare('SELECT fingerprint, content_sha256 FROM messages WHERE id = ?').get(free[0]!.id) as { fingerprint: string; content_sha256: string };
    assert.equal((await deleteMessages(s, { messageIds: [free[0]!.id], reason: 'duplicate of a produced copy' })).deleted, 1);
    assert.equal(messagesOf(s).length, held.length + free.length - 1);
    const entry = auditOf(s, 'messages.delete').at(-1)!;
    const rec = entry.details.before as { columns: string[]; messages: unknown[][] };
    assert.equal(entry.details.reason, 'duplicate of a produced copy');
    assert.equal(entry.details.after, null);
    const row = rec.messages[0]!;
    assert.equal(row[rec.columns.indexOf('id')], free[0]!.id);
    assert.equal(row[rec.columns.indexOf('fingerprint')], stored.fingerprint);
    assert.equal(row[rec.columns.indexOf('contentSha256')], stored.content_sha256);
  });
  assert.equal(cli(['verify', caseFile]).status, 0, 'verify stays green after an audited delete');

  // Deleting the rest of an unheld conversation removes the conversation too.
  const rest = cliJson<DeleteResultDTO>(['delete', caseFile, '--conversation', String(free[0]!.conversationId), '--json']);
  assert.equal(rest.deleted, free.length - 1);
  assert.deepEqual(rest.conversationsRemoved, [free[0]!.conversationId]);
  await withCase(caseFile, (s) => {
    // Carol and Dan appeared only there: their handles and people go too, on the record.
    assert.deepEqual(s.db.prepare("SELECT value FROM handles WHERE value IN ('Carol King', 'Dan Brown', 'Alice Smith')").pluck().all(), ['Alice Smith']);
    const gone = auditOf(s, 'conversation.delete').at(-1)!.details.before as { handles: { value: string }[]; participants: { name: string }[] };
    assert.deepEqual(gone.handles.map((h) => h.value).sort(), ['Carol King', 'Dan Brown']);
    assert.deepEqual(gone.participants.map((p) => p.name).sort(), ['Carol King', 'Dan Brown']);
  });
  cliFails(['delete', caseFile, '--message', '999999'], 'NOT_FOUND');
});

test('holds cover what arrives later: custodian, date-range and query scopes; release is audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const ids = await withCase(caseFile, async (s) => ({
    custodian: (await createHold(s, { name: 'Alice hold', custodians: ['Alice'] })).holdId,
    range: (await createHold(s, { name: 'March', after: '2023-03-01', before: '2023-04-01' })).holdId,
    query: (await createHold(s, { name: 'Falcon', query: 'falcon' })).holdId,
    both: (await createHold(s, { name: 'Bob in April', custodians: ['Bob'], after: '2023-04-01', before: '2023-05-01' })).holdId,
  }));

  const a = chatter({ start: Date.UTC(2023, 0, 5), count: 120, stepMs: DAY, authors: ['Alice Smith', 'Bob Jones'], seed: 3, keywordEvery: 7 });
  const b = chatter({ start: Date.UTC(2023, 1, 10), count: 90, stepMs: DAY, authors: ['Bob Jones', 'Erin Lee'], seed: 4, keywordEvery: 5 });
  await importFile(caseFile, writeExport(dir, 'Alice and Bob', a), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Bob and Erin', b), 'Bob');

  const inRange = (l: Line, from: number, to: number) => l.at >= from && l.at < to;
  const march = (l: Line) => inRange(l, Date.UTC(2023, 2, 1), Date.UTC(2023, 3, 1));
  const falcon = (l: Line) => /\bfalcon\b/.test(l.text);
  const expected = {
    [ids.custodian]: a.length,
    [ids.range]: [...a, ...b].filter(march).length,
    [ids.query]: [...a, ...b].filter(falcon).length,
    [ids.both]: b.filter((l) => inRange(l, Date.UTC(2023, 3, 1), Date.UTC(2023, 4, 1))).length,
  };
  assert.ok(Object.values(expected).every((n) => n > 0), 'every scope selects something');
  const listed = cliJson<HoldDTO[]>(['hold', caseFile, 'list', '--json']);
  assert.deepEqual(Object.fromEntries(listed.map((h) => [h.holdId, h.messages])), expected);

  await withCase(caseFile, async (s) => {
    const extended = auditOf(s, 'hold.extend').filter((e) => e.details.holdId === ids.query);
    assert.deepEqual(extended.map((e) => e.details.added), [a.filter(falcon).length, b.filter(falcon).length]);
    assert.deepEqual(extended.map((e) => e.details.after), [{ messages: a.filter(falcon).length }, { messages: expected[ids.query] }]);
    const imports = auditOf(s, 'import');
    assert.deepEqual(imports[0]!.details.held, { [ids.custodian]: a.length, [ids.range]: a.filter(march).length });

    // The holds are named in the error; a released hold protects no more.
    const aprilBob = messagesOf(s).find((m) => m.conversation === 'Bob and Erin' && m.sentAt.startsWith('2023-04-1') && !/falcon/.test(m.text))!;
    assert.equal(await codeOf(() => deleteMessages(s, { messageIds: [aprilBob.id] })), 'HOLD_VIOLATION');
    assert.equal(await codeOf(() => releaseHold(s, { holdId: ids.both, reason: '  ' })), 'VALIDATION');
    const released = releaseHold(s, { holdId: ids.both, reason: 'matter settled' });
    assert.equal(released.active, false);
    assert.equal(released.releaseReason, 'matter settled');
    assert.equal(await codeOf(() => releaseHold(s, { holdId: ids.both, reason: 'again' })), 'VALIDATION');
    const release = auditOf(s, 'hold.release').at(-1)!;
    assert.deepEqual(release.details.before, { active: true });
    assert.equal((release.details.after as { releaseReason: string }).releaseReason, 'matter settled');
    assert.equal(release.actor, 'Tester');
    assert.equal((await deleteMessages(s, { messageIds: [aprilBob.id] })).deleted, 1);
    assert.deepEqual(listHolds(s, { active: false }).map((h) => h.holdId), [ids.both]);

    // A hold needs a scope; an unknown conversation is named.
    assert.equal(await codeOf(() => createHold(s, { name: 'Empty' })), 'VALIDATION');
    assert.equal(await codeOf(() => createHold(s, { name: 'Nowhere', conversations: [4242] })), 'NOT_FOUND');
    assert.equal(await codeOf(() => createHold(s, { name: 'Backwards', after: '2023-05-01', before: '2023-04-01' })), 'VALIDATION');
  });
  // CLI.md's `hold CASE release HOLD_ID` works without a reason; the audit entry says none was given.
  const released = cliJson<{ holdId: number }>(['hold', caseFile, 'release', String(ids.query), '--json']);
  assert.equal(released.holdId, ids.query);
  const audit = cliJson<{ action: string; details: { after?: { releaseReason?: string } } }[]>(['audit', caseFile, '--json']);
  assert.equal(audit.filter((e) => e.action === 'hold.release').at(-1)?.details.after?.releaseReason, '(no reason given on the command line)');
});
