/** Review batches: the cut, frozen membership, checkout, check-in, QC sampling and overturns, deletions, all audited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PASSPHRASE, cli, cliHere, cliInProcess, copyCaseFile, newCase, tempDir } from '../helpers/case.ts';
import { importRun } from '../case-data/backends.ts';
import { dataOf } from '../../src/case/data/index.ts';
import type { BatchDTO, BatchDetailDTO, BatchProgressDTO, BatchSetDTO, QcSampleDTO, QcSampleResultDTO } from '../../src/api/dto.ts';
import { openSession } from '../../src/app/open-session.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { createBatchSet } from '../../src/review/batches/create.ts';
import { assignBatch, checkInBatch, checkOutBatch } from '../../src/review/batches/checkout.ts';
import { batchProgress, getBatch, listBatchSets } from '../../src/review/batches/progress.ts';
import { decideQc, qcQueue, sampleForQc } from '../../src/review/batches/qc.ts';
import { saveSearch } from '../../src/review/saved-searches.ts';
import { markReviewed } from '../../src/review/reviewed.ts';
import { tagMessages } from '../../src/review/tags.ts';
import { deleteMessages } from '../../src/review/delete.ts';
import { listConversations } from '../../src/review/conversations.ts';
import { unitMessageIds } from '../../src/review/units.ts';
import { MAX_UNIT_EVENTS, parseUnitKey } from '../../src/case/review-units.ts';
import { describeAudit } from '../../src/api/audit-text.ts';
import { chatter, writeExport } from './corpus.ts';
import type { Line } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile } from './helpers.ts';

const DAY = 86_400_000;
const START = Date.UTC(2024, 4, 6, 9);

/** `perDay` messages a day for `days` days (UTC), every third saying "falcon". */
function days(n: number, perDay: number, tag: string, authors: string[]): Line[] {
  const out: Line[] = [];
  for (let d = 0; d < n; d++) {
    const lines = chatter({ start: START + d * DAY, count: perDay, stepMs: 20 * 60_000, authors, seed: d + 1, keywordEvery: 3, tag: `${tag}${d} ` });
    out.push(...lines);
  }
  return out;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function as<T>(caseFile: string, actor: string, fn: (s: CaseSession) => T | Promise<T>): Promise<T> {
  const s = openSession(caseFile, PASSPHRASE, { actor });
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

async function imported() {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const desk = days(7, 3, 'desk', ['Ann', 'Bo']);
  const floor = days(4, 2, 'floor', ['Cy', 'Di', 'Ed']);
  await importFile(caseFile, writeExport(dir, 'Desk', desk), 'Ann');
  await importFile(caseFile, writeExport(dir, 'Floor', floor), 'Ann');
  return { caseFile, desk, floor };
}

let template: Awaited<ReturnType<typeof imported>> | undefined;

/** Two conversations imported once for the file; each test works on its own copy of the case. */
async function setup() {
  template ??= await imported();
  const dir = tempDir();
  return { dir, caseFile: copyCaseFile(template.caseFile, dir), desk: template.desk, floor: template.floor };
}

/** A `holdfast batches`/`tag` command by the CLI's code in this process, as HOLDFAST_EXAMINER (default Tester); its printed JSON. */
async function cliJson<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const r = await cliInProcess(args, env);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Exit 1 with `holdfast: CODE: ...` (the first of each code also from a child process). */
async function cliFails(args: string[], code: string): Promise<string> {
  const r = await cliHere(args);
  assert.equal(r.status, 1, `expected exit 1 from holdfast ${args.join(' ')}; stdout ${r.stdout} stderr ${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^holdfast: ${code}: `), r.stderr);
  return r.stderr;
}

/** The units (conversation, day) the lines fall in, in (conversation, time) order, as keys. */
function expectedKeys(conversationId: number, lines: readonly Line[], keep: (l: Line) => boolean = () => true): string[] {
  return [...new Set(lines.filter(keep).map((l) => `${conversationId}:${utcDay(l.at)}:1`))];
}

test('a set cuts its units into batches of N in (conversation, time) order, each exactly once, frozen at the cut', async () => {
  const { dir, caseFile, desk, floor } = await setup();
  await as(caseFile, 'Manager', (s) => {
    const convs = listConversations(s, {});
    const deskId = convs.find((c) => c.name === 'Desk')!.id;
    const floorId = convs.find((c) => c.name === 'Floor')!.id;
    const all = [...expectedKeys(deskId, desk), ...expectedKeys(floorId, floor)].sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0]));
    assert.equal(all.length, 11);

    const set = createBatchSet(s, { name: 'First pass', unitSize: 3, conversationIds: [floorId, deskId] });
    assert.deepEqual(set.batches.map((b) => b.units), [3, 3, 3, 2], 'N units a batch, the last one shorter');
    assert.equal(set.messages, desk.length + floor.length);
    const cut = set.batches.flatMap((b) => getBatch(s, { batchId: b.batchId }).unitList.map((u) => u.key));
    assert.deepEqual(cut, all, 'every unit exactly once, in (conversation, time) order');
    const firstUnit = getBatch(s, { batchId: set.batches[0]!.batchId }).unitList[0]!;
    assert.deepEqual(firstUnit.messageIds, unitMessageIds(s, parseUnitKey(firstUnit.key)));

    const saved = saveSearch(s, { name: 'Falcon', query: 'falcon' });
    const fromSearch = createBatchSet(s, { name: 'Falcon units', unitSize: 4, savedSearchId: saved.id });
    const falconKeys = [...expectedKeys(deskId, desk, (l) => l.text.includes('falcon')), ...expectedKeys(floorId, floor, (l) => l.text.includes('falcon'))];
    assert.deepEqual(fromSearch.batches.flatMap((b) => getBatch(s, { batchId: b.batchId }).unitList.map((u) => u.key)), falconKeys);
    assert.deepEqual(fromSearch.source, { savedSearchId: saved.id, name: 'Falcon', query: 'falcon', includePersonal: false });

    const created = auditOf(s, 'batch.create');
    assert.equal(created.length, 2);
    assert.deepEqual((created[0]!.details.after as { batches: { units: string[] }[] }).batches.flatMap((b) => b.units), all);
    assert.equal(describeAudit('batch.create', created[0]!.details), 'Made batch set “First pass”: 11 review units in 4 batches.');
    assert.equal(listBatchSets(s).length, 2);
  });
  await as(caseFile, 'Manager', async (s) => {
    assert.equal(await codeOf(() => createBatchSet(s, { name: 'first PASS', unitSize: 3, conversationIds: [1] })), 'VALIDATION', 'names are unique ignoring case');
    assert.equal(await codeOf(() => createBatchSet(s, { name: 'Zero', unitSize: 0, conversationIds: [1] })), 'VALIDATION');
  });

  // A later import adds messages to the same days: the units grow, the batches do not.
  const later = desk.map((l) => ({ ...l, at: l.at + 5 * 60_000, text: `${l.text} (later)` }));
  await importFile(caseFile, writeExport(dir, 'Desk', [...desk, ...later].sort((a, b) => a.at - b.at)), 'Ann');
  await as(caseFile, 'Manager', (s) => {
    const set = listBatchSets(s).find((x) => x.name === 'First pass')!;
    const unit = getBatch(s, { batchId: set.batches[0]!.batchId }).unitList[0]!;
    const now = unitMessageIds(s, parseUnitKey(unit.key));
    assert.equal(now.length, 6, 'the day now holds the later messages too');
    assert.equal(unit.messageIds.length, 3, 'the batch keeps the unit as cut');
    assert.ok(unit.messageIds.every((id) => now.includes(id)));
    assert.equal(set.messages, desk.length + floor.length);
  });
});

test('checkout is exclusive, check-in waits for every unit to be reviewed (or force with a reason), all audited', async () => {
  const { caseFile } = await setup();
  const { batchId, other } = await as(caseFile, 'Manager', (s) => {
    const set = createBatchSet(s, { name: 'Pass', unitSize: 4, conversationIds: listConversations(s, {}).map((c) => c.id) });
    assignBatch(s, { batchId: set.batches[0]!.batchId, assignee: 'Ann' });
    return { batchId: set.batches[0]!.batchId, other: set.batches[1]!.batchId };
  });
  await as(caseFile, 'Bo', async (s) => {
    assert.equal(await codeOf(() => checkOutBatch(s, { batchId })), 'VALIDATION', 'assigned to Ann');
    assert.equal(checkOutBatch(s, { batchId: other }).holder, 'Bo');
  });
  await as(caseFile, 'Ann', async (s) => {
    const out = checkOutBatch(s, { batchId });
    assert.deepEqual([out.state, out.holder], ['checked-out', 'Ann']);
    try {
      checkOutBatch(s, { batchId: other });
      assert.fail('a second checkout must be refused');
    } catch (err) {
      assert.equal((err as { code: string }).code, 'CASE_BUSY');
      assert.match((err as Error).message, /checked out by Bo/);
    }
    const batch = getBatch(s, { batchId });
    assert.equal(await codeOf(() => checkInBatch(s, { batchId })), 'VALIDATION', 'nothing reviewed yet');
    const [first, ...rest] = batch.unitList;
    tagMessages(s, { tag: 'Responsive', messageIds: first!.messageIds });
    for (const u of rest.slice(0, -1)) markReviewed(s, { messageIds: u.messageIds, reviewed: true });
    const last = rest.at(-1)!;
    markReviewed(s, { messageIds: last.messageIds.slice(1), reviewed: true });
    assert.equal(await codeOf(() => checkInBatch(s, { batchId })), 'VALIDATION', 'one message of one unit is still unreviewed');
    assert.deepEqual(getBatch(s, { batchId }).unitList.map((u) => u.status), [...batch.unitList.slice(0, -1).map(() => 'reviewed'), 'partial']);
    assert.equal(await codeOf(() => checkInBatch(s, { batchId, force: true })), 'VALIDATION', 'force needs a reason');
    markReviewed(s, { messageIds: last.messageIds.slice(0, 1), reviewed: true });
    const done = checkInBatch(s, { batchId });
    assert.deepEqual([done.state, done.checkedInBy, done.reviewedUnits, done.units], ['checked-in', 'Ann', batch.units, batch.units]);
    assert.equal(done.codedMessages, first!.messageIds.length);
    assert.equal(await codeOf(() => checkOutBatch(s, { batchId })), 'VALIDATION', 'checked in');
  });
  await as(caseFile, 'Bo', (s) => {
    const forced = checkInBatch(s, { batchId: other, force: true, reason: 'handed back: conflict of interest' });
    assert.equal(forced.state, 'checked-in');
    const entry = auditOf(s, 'batch.checkin').at(-1)!;
    assert.equal(entry.actor, 'Bo');
    assert.equal(entry.details.forced, true);
    assert.equal(entry.details.reason, 'handed back: conflict of interest');
    assert.equal((entry.details.unreviewedUnits as number[]).length, forced.units);
    assert.deepEqual(auditOf(s).filter((e) => e.action.startsWith('batch.')).map((e) => [e.action, e.actor]), [
      ['batch.create', 'Manager'], ['batch.assign', 'Manager'], ['batch.checkout', 'Bo'], ['batch.checkout', 'Ann'], ['batch.checkin', 'Ann'], ['batch.checkin', 'Bo'],
    ]);
    const p = batchProgress(s, { setId: forced.setId });
    const ann = p.reviewers.find((r) => r.reviewer === 'Ann')!;
    assert.deepEqual([ann.batches, ann.checkedIn, ann.reviewedUnits, ann.units], [1, 1, 4, 4]);
    assert.equal(p.reviewers.find((r) => r.reviewer === 'Bo')!.reviewedUnits, 0);
  });
});

test('QC samples X% of each reviewer\'s reviewed units from a seed, reproducibly; overturns recode and count in the rate', async () => {
  const { caseFile } = await setup();
  const setId = await as(caseFile, 'Manager', (s) => {
    const ids = listConversations(s, {}).map((c) => c.id);
    return createBatchSet(s, { name: 'QC me', unitSize: 4, conversationIds: ids }).setId;
  });
  const review = (actor: string, number: number) =>
    as(caseFile, actor, (s) => {
      const b = batchProgress(s, { setId }).batches.find((x) => x.number === number)!;
      checkOutBatch(s, { batchId: b.batchId });
      for (const u of getBatch(s, { batchId: b.batchId }).unitList) tagMessages(s, { tag: 'Responsive', messageIds: u.messageIds });
      checkInBatch(s, { batchId: b.batchId });
    });
  await review('Ann', 1);
  await review('Ann', 2);
  await review('Bo', 3);

  const seed = 'reproducible-42';
  const result = await as(caseFile, 'Manager', (s) => {
    const units = (n: number) => getBatch(s, { batchId: batchProgress(s, { setId }).batches.find((x) => x.number === n)!.batchId }).unitList.map((u) => u.key);
    const annUnits = [...units(1), ...units(2)];
    const boUnits = units(3);
    const r = sampleForQc(s, { setId, percent: 30, seed });
    const pick = (keys: string[], k: number) =>
      [...keys].sort((a, b) => {
        const ha = createHash('sha256').update(`${seed}:${a}`).digest('hex');
        const hb = createHash('sha256').update(`${seed}:${b}`).digest('hex');
        return ha < hb ? -1 : 1;
      }).slice(0, k);
    assert.deepEqual(r.reviewers, [
      { reviewer: 'Ann', candidates: 8, sampled: pick(annUnits, Math.ceil(8 * 0.3)) },
      { reviewer: 'Bo', candidates: 3, sampled: pick(boUnits, Math.ceil(3 * 0.3)) },
    ]);
    const entry = auditOf(s, 'qc.sample').at(-1)!;
    assert.equal(entry.details.seed, seed);
    assert.deepEqual(entry.details.reviewers, r.reviewers);
    assert.equal(sampleForQc(s, { setId, percent: 30, seed }).samples.length, Math.ceil(5 * 0.3) + Math.ceil(2 * 0.3), 'units already sampled are not sampled again');
    return r;
  });
  const [first, second, third, fourth] = result.samples;
  await as(caseFile, 'Quinn', async (s) => {
    assert.equal(qcQueue(s, { setId }).length, 7);
    const confirmed = decideQc(s, { sampleId: first!.sampleId, decision: 'confirm' });
    assert.deepEqual([confirmed.decision, confirmed.decidedBy], ['confirmed', 'Quinn']);
    assert.equal(await codeOf(() => decideQc(s, { sampleId: first!.sampleId, decision: 'confirm' })), 'VALIDATION', 'decided once');
    assert.equal(await codeOf(() => decideQc(s, { sampleId: second!.sampleId, decision: 'overturn' })), 'VALIDATION', 'an overturn names a change');
    const over = decideQc(s, { sampleId: second!.sampleId, decision: 'overturn', apply: ['Non-responsive'], reason: 'about lunch' });
    assert.equal(over.decision, 'overturned');
    assert.deepEqual(over.changes!.before, { Responsive: second!.messageIds });
    assert.deepEqual(over.changes!.after, { 'Non-responsive': second!.messageIds }, 'single-choice: Non-responsive replaces Responsive');
    const entry = auditOf(s, 'qc.overturn').at(-1)!;
    assert.deepEqual(entry.details.before, { decision: null, tags: { Responsive: second!.messageIds } });
    assert.deepEqual(entry.details.after, { decision: 'overturned', tags: { 'Non-responsive': second!.messageIds } });
    assert.equal(entry.details.reviewer, second!.reviewer);
    const tagEntries = auditOf(s, 'tag.apply').filter((e) => e.details.change === over.changes!.changes[0]);
    assert.equal(tagEntries.length, 1, 'the recoding went through the normal tagging path');
    assert.equal(auditOf(s, 'qc.confirm').length, 1);

    // Ann had 8 reviewed units: 3 sampled, then 2 of the 5 left; Bo 3: 1, then 1 of 2.
    assert.deepEqual(result.samples.map((x) => x.reviewer), ['Ann', 'Ann', 'Ann', 'Bo']);
    decideQc(s, { sampleId: third!.sampleId, decision: 'confirm' });
    decideQc(s, { sampleId: fourth!.sampleId, decision: 'overturn', remove: ['Responsive'], reason: 'not responsive, not coded' });
    const p = batchProgress(s, { setId });
    const rates = Object.fromEntries(p.reviewers.map((r) => [r.reviewer, [r.qcSampled, r.qcDecided, r.qcOverturned, r.overturnRate]]));
    assert.deepEqual(rates, { Ann: [5, 3, 1, 1 / 3], Bo: [2, 1, 1, 1] });
    assert.deepEqual(qcQueue(s, { setId, pending: true }).map((x) => x.reviewer), ['Ann', 'Ann', 'Bo']);
    assert.equal(sampleForQc(s, { setId, percent: 100 }).samples.length, 4, 'the rest: 3 of Ann\'s, 1 of Bo\'s');
    assert.equal(await codeOf(() => sampleForQc(s, { setId, percent: 100 })), 'VALIDATION', 'nothing left to sample');
    assert.equal(auditOf(s, 'qc.sample').length, 3, 'the refusal is not audited as a sample');
  });
});

test('deleting a batched message takes it out of its unit, an emptied unit out of its batch, and says so in the deletion entry', async () => {
  const { caseFile } = await setup();
  await as(caseFile, 'Manager', (s) => {
    const floorId = listConversations(s, {}).find((c) => c.name === 'Floor')!.id;
    const set = createBatchSet(s, { name: 'Floor', unitSize: 3, conversationIds: [floorId] });
    const units = getBatch(s, { batchId: set.batches[0]!.batchId }).unitList;
    const [a, b] = units;
    deleteMessages(s, { messageIds: [a!.messageIds[0]!, ...b!.messageIds], reason: 'privileged by mistake' });
    const after = getBatch(s, { batchId: set.batches[0]!.batchId }).unitList;
    assert.deepEqual(after.map((u) => u.key), units.filter((u) => u !== b).map((u) => u.key), 'the emptied unit is gone');
    assert.deepEqual(after[0]!.messageIds, a!.messageIds.slice(1));
    assert.equal(listBatchSets(s)[0]!.messages, set.messages - 1 - b!.messageIds.length);
    const entry = auditOf(s, 'messages.delete').at(-1)!;
    const batches = (entry.details.before as { batches: { messages: { unitKey: string; messageId: number }[]; unitsRemoved: number[] } }).batches;
    assert.deepEqual(batches.messages.map((m) => [m.unitKey, m.messageId]), [[a!.key, a!.messageIds[0]], ...b!.messageIds.map((id) => [b!.key, id])]);
    assert.deepEqual(batches.unitsRemoved, [b!.unitId]);
    const dangling = s.db.prepare('SELECT count(*) FROM batch_unit_messages bm WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = bm.message_id)').pluck().get();
    assert.equal(dangling, 0);
  });
});

test('the batches command: create, checkout, refused check-in, progress and QC as JSON', async () => {
  const { caseFile } = await setup();
  const as = (who: string) => ({ HOLDFAST_EXAMINER: who });
  const set = await cliJson<BatchSetDTO>(['batches', caseFile, 'create', '--name', 'CLI pass', '--size', '5', '--conversation', '1', '--conversation', '2', '--json'], as('Manager'));
  assert.deepEqual(set.batches.map((b) => b.units), [5, 5, 1]);
  assert.deepEqual((await cliJson<BatchSetDTO[]>(['batches', caseFile, 'list', '--json'])).map((s) => s.setId), [set.setId]);
  const batchId = set.batches[2]!.batchId;
  assert.equal((await cliJson<BatchDTO>(['batches', caseFile, 'checkout', String(batchId), '--json'], as('Ann'))).holder, 'Ann');
  assert.match(await cliFails(['batches', caseFile, 'checkout', String(batchId)], 'CASE_BUSY'), /checked out by Ann/);
  await cliFails(['batches', caseFile, 'checkin', String(batchId)], 'CASE_BUSY');
  const shown = await cliJson<BatchDetailDTO>(['batches', caseFile, 'show', String(batchId), '--json']);
  await cliJson(['tag', caseFile, '--tag', 'Responsive', '--message', shown.unitList[0]!.messageIds.join(','), '--json'], as('Ann'));
  const done = await cliJson<BatchDTO>(['batches', caseFile, 'checkin', String(batchId), '--json'], as('Ann'));
  assert.equal(done.state, 'checked-in');
  const sample = await cliJson<QcSampleResultDTO>(['batches', caseFile, 'qc-sample', String(set.setId), '--percent', '100', '--seed', 'cli', '--json'], as('Manager'));
  assert.deepEqual(sample.reviewers, [{ reviewer: 'Ann', candidates: 1, sampled: [shown.unitList[0]!.key] }]);
  const decided = await cliJson<QcSampleDTO>(['batches', caseFile, 'qc-decide', String(sample.samples[0]!.sampleId), '--overturn', '--apply', 'Privileged', '--reason', 'advice', '--json'], as('Quinn'));
  assert.deepEqual(decided.changes!.after, { Privileged: shown.unitList[0]!.messageIds, Responsive: shown.unitList[0]!.messageIds });
  const progress = await cliJson<BatchProgressDTO>(['batches', caseFile, 'progress', String(set.setId), '--json']);
  assert.deepEqual(progress.reviewers.map((r) => [r.reviewer, r.units, r.reviewedUnits, r.overturnRate]), [['Ann', 1, 1, 1]]);
  assert.equal(cli(['batches', caseFile, 'frobnicate']).status, 2);
});

test('a batch set of one conversation with more messages than a function call takes as arguments', () => {
  const session = newCase();
  try {
    const n = 150_000;
    importRun(dataOf(session), 'b'.repeat(64), 'Alice', Array.from({ length: n }, (_, i) => ({
      conversation: 'big', text: `message ${i}`, sentAt: START + i * 1000, fingerprint: `${String(i + 1).padStart(13, '0')}${'0'.repeat(19)}`,
    })));
    const [conversation] = dataOf(session).read.conversations.names();
    const set = createBatchSet(session, { name: 'Everything', unitSize: 1, conversationIds: [conversation!.id] });
    assert.equal(set.messages, n);
    // Each day's messages, cut into parts of at most MAX_UNIT_EVENTS.
    const perDay = new Map<string, number>();
    for (let i = 0; i < n; i++) perDay.set(utcDay(START + i * 1000), (perDay.get(utcDay(START + i * 1000)) ?? 0) + 1);
    assert.equal(set.units, [...perDay.values()].reduce((sum, c) => sum + Math.ceil(c / MAX_UNIT_EVENTS), 0));
  } finally {
    session.close();
    fs.rmSync(path.dirname(session.path), { recursive: true, force: true });
  }
});
