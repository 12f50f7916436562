/**
 * One spec of the typed API, run twice: dispatching in-process and over the loopback transport
 * (WebSocket with the per-run token). Expected values come from the generated source itself.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Client } from '../../src/api/client.ts';
import { METHODS } from '../../src/api/methods/index.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { failure, inProcessHarness, loopbackHarness, jobDone, nextEvent, writeWhatsAppExport } from '../helpers/app.ts';
import type { Harness } from '../helpers/app.ts';

const PASS = 'contract passphrase';
const MESSAGES = 1500;

function jsonSafe(value: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

/** What the generator wrote: authors and their counts, straight from the lines. */
function expected(opts: { messages: number; seed: number }) {
  const byAuthor = new Map<string, number>();
  for (const line of whatsappLines(opts)) {
    const author = /^\S+, \S+ - ([^:]+):/.exec(line)![1]!;
    byAuthor.set(author, (byAuthor.get(author) ?? 0) + 1);
  }
  return { byAuthor };
}

function spec(make: () => Promise<Harness>) {
  let h: Harness;
  let client: Client;
  let casePath: string;
  let source: string;
  before(async () => {
    h = await make();
    client = h.client;
    casePath = path.join(h.dir, 'matter.hfcase');
    source = writeWhatsAppExport(h.dir, 'Dana', { messages: MESSAGES, seed: 7 });
  });
  after(() => h.close());

  test('app.info names the transport', async () => {
    const info = await client.call('app.info', {});
    assert.equal(info.transport, h.name);
    assert.equal(info.canPickPaths, false);
    jsonSafe(info);
  });

  test('unknown methods and bad arguments are VALIDATION errors naming the problem', async () => {
    const unknown = await failure(client.call('cases.nope' as 'cases.info', {}));
    assert.equal(unknown.code, 'VALIDATION');
    const wrongType = await failure(client.call('cases.open', { path: 5, passphrase: 'x' } as never));
    assert.equal(wrongType.code, 'VALIDATION');
    assert.deepEqual((wrongType.details?.issues as { path: string }[]).map((i) => i.path), ['path']);
    const extra = await failure(client.call('cases.info', { sneaky: true } as never));
    assert.equal(extra.code, 'VALIDATION');
    const proto = await failure(client.call('__proto__' as 'cases.info', {}));
    assert.equal(proto.code, 'VALIDATION');
    const nul = await failure(client.call('cases.open', { path: 'a\0b', passphrase: 'x' }));
    assert.equal(nul.code, 'VALIDATION');
  });

  test('without a case, case methods are CASE_NOT_OPEN', async () => {
    assert.equal((await client.call('cases.current', {})).open, false);
    for (const call of [client.call('cases.info', {}), client.call('conversations.list', {}), client.call('imports.start', { source: '/x' })]) {
      assert.equal((await failure(call)).code, 'CASE_NOT_OPEN');
    }
  });

  test('cases.create opens an encrypted case and announces it', async () => {
    const changed = nextEvent(client, 'case.changed', (e) => e.what === 'created');
    const state = await client.call('cases.create', { path: casePath, passphrase: PASS, matter: 'Contract matter', examiner: 'Rev Iewer' });
    assert.deepEqual({ open: state.open, path: state.path, matter: state.matter, examiner: state.examiner }, { open: true, path: casePath, matter: 'Contract matter', examiner: 'Rev Iewer' });
    assert.equal((await changed).path, casePath);
    assert.equal(fs.readFileSync(casePath).subarray(0, 16).toString('latin1').startsWith('SQLite format 3'), false, 'the file is encrypted');
    const info = await client.call('cases.info', {});
    assert.equal(info.messages, 0);
    assert.equal((await failure(client.call('cases.create', { path: casePath, passphrase: PASS }))).code, 'VALIDATION');
  });

  test('imports.detect names the format; a foreign file is IMPORT_UNSUPPORTED_SOURCE', async () => {
    const d = await client.call('imports.detect', { path: source });
    assert.equal(d.format, 'whatsapp-txt');
    assert.ok(d.confidence > 0.5);
    assert.equal(d.timeZone.zone, 'UTC', "the case's matter time zone, not the computer's");
    assert.match(d.timeZone.reason, /matter time zone/);
    jsonSafe(d);
    const junk = path.join(h.dir, 'junk.bin');
    fs.writeFileSync(junk, Buffer.from([0, 1, 2, 3, 255, 254]));
    assert.equal((await failure(client.call('imports.detect', { path: junk }))).code, 'IMPORT_UNSUPPORTED_SOURCE');
    assert.ok((await client.call('imports.formats', {})).some((f) => f.id === 'whatsapp-txt'));
  });

  test('imports.start runs a job with progress and finishes with the import report', async () => {
    const imported = nextEvent(client, 'case.changed', (e) => e.what === 'imported');
    const { jobId } = await client.call('imports.start', { source, custodian: 'Dana Custodian', tz: 'UTC', dateOrder: 'dmy' });
    const job = await jobDone(client, jobId);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.kind, 'import');
    if (job.kind !== 'import' || !job.result) assert.fail('no import result');
    assert.equal(job.result.messages, MESSAGES);
    assert.equal(job.result.format, 'whatsapp-txt');
    assert.deepEqual(job.result.report.timeZone, { zone: 'UTC', reason: 'named for this import (--tz)' });
    assert.equal(job.result.report.read, job.result.report.imported + job.result.report.duplicates);
    await imported;
    jsonSafe(job);
    const info = await client.call('cases.info', {});
    assert.equal(info.messages, MESSAGES);
    assert.equal(info.custodians, 1);
    assert.ok((await client.call('jobs.list', {})).some((j) => j.id === jobId && j.state === 'succeeded'));
    assert.equal((await failure(client.call('jobs.get', { jobId: 'no-such-job' }))).code, 'NOT_FOUND');
  });

  test('conversations.list and windows around a message', async () => {
    const list = await client.call('conversations.list', {});
    assert.equal(list.length, 1);
    const conv = list[0]!;
    assert.equal(conv.name, 'Dana');
    assert.equal(conv.messages, MESSAGES);
    assert.deepEqual(conv.participants.map((p) => p.name).sort(), [...expected({ messages: MESSAGES, seed: 7 }).byAuthor.keys()].sort());
    jsonSafe(list);
    assert.equal((await client.call('conversations.get', { conversationId: conv.id })).custodians[0], 'Dana Custodian');
    // The generator numbers message i as "#i" in file (and time) order.
    const first = await client.call('conversations.messages', { conversationId: conv.id, limit: 5 });
    assert.equal(first.total, MESSAGES);
    assert.deepEqual(first.messages.map((m) => /#(\d+)$/.exec(m.text)![1]), ['0', '1', '2', '3', '4']);
    const target = (await client.call('conversations.messages', { conversationId: conv.id, offset: 1000, limit: 1 })).messages[0]!;
    assert.match(target.text, /#1000$/);
    const win = await client.call('conversations.messages', { conversationId: conv.id, around: target.id, limit: 21 });
    assert.equal(win.anchorIndex, 1000);
    assert.equal(win.offset, 990);
    assert.equal(win.messages[win.anchorIndex! - win.offset]!.id, target.id);
    const last = await client.call('conversations.messages', { conversationId: conv.id, around: (await client.call('conversations.messages', { conversationId: conv.id, offset: MESSAGES - 1, limit: 1 })).messages[0]!.id, limit: 10 });
    assert.equal(last.offset, MESSAGES - 10);
    assert.equal(last.messages.length, 10);
    jsonSafe(win);
    assert.equal((await failure(client.call('conversations.get', { conversationId: 999_999 }))).code, 'NOT_FOUND');
    assert.equal((await failure(client.call('conversations.messages', { conversationId: conv.id, around: 999_999 }))).code, 'NOT_FOUND');
  });

  test('search: exact totals, stable paging, hits per conversation, typed errors', async () => {
    const expectedTotal = [...whatsappLines({ messages: MESSAGES, seed: 7 })].filter((l) => / Zürich\b/.test(l)).length;
    assert.ok(expectedTotal > 20);
    const r = await client.call('search.query', { query: 'zurich', sort: 'time-asc', limit: 10 });
    assert.equal(r.total, expectedTotal);
    for (const h of r.hits) assert.deepEqual([...new Set(h.highlights.map(([s, e]) => h.snippet.slice(s, e)))], ['Zürich']);
    const next = await client.call('search.query', { query: 'zurich', sort: 'time-asc', offset: 10, limit: 10 });
    assert.ok(next.hits[0]!.sentAt >= r.hits[9]!.sentAt);
    assert.equal(new Set([...r.hits, ...next.hits].map((h) => h.messageId)).size, 20);
    jsonSafe(r);
    const inConv = await client.call('search.inConversation', { query: 'zurich', conversationId: r.hits[0]!.conversationId });
    assert.equal(inConv.total, expectedTotal);
    assert.deepEqual(inConv.items.slice(0, 10).map((i) => i.id), r.hits.map((h) => h.messageId));
    const hitIds = r.hits.map((h) => h.messageId);
    const everyHit = new Set(inConv.items.map((i) => i.id));
    const notHit = hitIds.map((i) => i + 1).find((i) => !everyHit.has(i))!;
    const marks = await client.call('search.highlights', { query: 'zurich', messageIds: [notHit, ...hitIds] });
    assert.deepEqual(marks.map((m) => m.messageId), [...hitIds].sort((a, b) => a - b), 'only the matches, ascending');
    const texts = new Map((await client.call('messages.get', { ids: hitIds })).map((m) => [m.id, m.text]));
    for (const m of marks) assert.deepEqual([...new Set(m.highlights.map(([s, e]) => texts.get(m.messageId)!.slice(s, e)))], ['Zürich']);
    jsonSafe(marks);
    assert.equal((await failure(client.call('search.query', { query: 'from:' }))).code, 'VALIDATION');
    assert.equal((await failure(client.call('search.query', { query: 'x', limit: 5000 }))).code, 'VALIDATION');
  });

  test('review: tag by query, notes, holds refuse deletion, retention dry run', async () => {
    const total = (await client.call('search.query', { query: 'zurich', limit: 0 })).total;
    const tags = await client.call('tags.list', {});
    assert.ok(tags.some((t) => t.name === 'Hot'));
    const changed = nextEvent(client, 'case.changed', (e) => e.what === 'tags');
    const tagged = await client.call('tags.apply', { tag: 'Hot', target: { query: 'zurich' } });
    assert.deepEqual([tagged.changed, tagged.selected], [total, total]);
    await changed;
    assert.equal((await client.call('search.query', { query: 'tag:Hot', limit: 0 })).total, total);
    assert.equal((await failure(client.call('tags.apply', { tag: 'Hot', target: { query: 'zurich', conversationId: 1 } }))).code, 'VALIDATION');
    const first = (await client.call('search.query', { query: 'zurich', sort: 'time-asc', limit: 1 })).hits[0]!;
    const note = await client.call('notes.add', { messageId: first.messageId, text: 'Ask the custodian about this.' });
    assert.deepEqual((await client.call('notes.list', { messageId: first.messageId })).map((n) => n.id), [note.id]);
    const hold = await client.call('holds.create', { name: 'Zurich hold', query: 'zurich', reason: 'litigation' });
    assert.equal(hold.messages, total);
    assert.equal((await failure(client.call('messages.delete', { messageIds: [first.messageId], reason: 'test' }))).code, 'HOLD_VIOLATION');
    assert.equal((await client.call('messages.get', { ids: [first.messageId] })).length, 1);
    const dry = await client.call('retention.run', { olderThan: '1d', dryRun: true });
    assert.deepEqual([dry.purged, dry.spared], [MESSAGES - total, total]);
    assert.equal((await client.call('cases.info', {})).messages, MESSAGES);
    const released = await client.call('holds.release', { holdId: hold.holdId, reason: 'matter closed' });
    assert.equal(released.active, false);
    assert.equal((await client.call('tags.remove', { tag: 'Hot', target: { query: 'tag:Hot' } })).changed, total);
    const units = await client.call('conversations.units', { conversationId: first.conversationId });
    assert.equal(units.reduce((a, u) => a + u.events, 0), MESSAGES);
    jsonSafe(units);
  });

  test('productions: a PDF in a job, its files hashed, listed and verified', async () => {
    const selected = (await client.call('search.query', { query: 'zurich meeting', limit: 0 })).total;
    assert.ok(selected > 0);
    const out = path.join(h.dir, `production-${h.name}`);
    const { jobId } = await client.call('productions.start', { format: 'pdf', out, query: 'zurich meeting', batesPrefix: 'HF', batesStart: 1, per: 'conversation' });
    const job = await jobDone(client, jobId);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    if (job.kind !== 'produce' || !job.result) assert.fail('no production result');
    assert.equal(job.result.messages, selected);
    assert.match(job.result.batesFirst ?? '', /^HF\d+$/);
    for (const f of job.result.files) {
      assert.equal(createHash('sha256').update(fs.readFileSync(f.path)).digest('hex'), f.sha256, f.path);
    }
    assert.ok(job.result.files.some((f) => f.path.endsWith('.pdf')));
    const list = await client.call('productions.list', {});
    assert.deepEqual(list.map((p) => p.id), [job.result.productionId]);
    assert.equal((await client.call('productions.get', { productionId: job.result.productionId })).definition.selection.query, 'zurich meeting');
    assert.equal((await client.call('productions.verify', { productionId: job.result.productionId })).ok, true);
    jsonSafe(job);
  });

  test('messages.get returns messages in the order asked', async () => {
    const got = await client.call('messages.get', { ids: [5, 3, 999_999, 4] });
    assert.deepEqual(got.map((m) => m.id), [5, 3, 4]);
    assert.match(got[0]!.text, /#4$/);
    jsonSafe(got);
  });

  test('stats.dashboard counts agree with the source', async () => {
    const { byAuthor } = expected({ messages: MESSAGES, seed: 7 });
    const d = await client.call('stats.dashboard', { bucket: 'day', top: 10 });
    assert.equal(d.totals.messages, MESSAGES);
    assert.equal(d.volume.reduce((a, v) => a + v.messages, 0), MESSAGES);
    assert.deepEqual(
      Object.fromEntries(d.topParticipants.map((p) => [p.name, p.messages])),
      Object.fromEntries([...byAuthor.entries()]),
    );
    // Everyone writes to everyone else in one chat: each sender's count per other author.
    const alice = d.pairs.filter((p) => p.from === 'Alice Smith');
    assert.equal(alice.length, byAuthor.size - 1);
    for (const p of alice) assert.equal(p.messages, byAuthor.get('Alice Smith'));
    jsonSafe(d);
  });

  test('audit.list shows the import, newest first', async () => {
    const page = await client.call('audit.list', { limit: 10 });
    assert.ok(page.total >= 2);
    assert.ok(page.items.some((e) => e.action === 'import'));
    assert.ok(page.items[0]!.seq > page.items[1]!.seq);
    assert.ok((await client.call('audit.list', { action: 'tag.apply' })).total >= 1);
    assert.equal((await client.call('audit.list', { action: 'case.create' })).total, 1);
    jsonSafe(page);
  });

  test('verify.run is a job whose result is the verification', async () => {
    const { jobId } = await client.call('verify.run', {});
    const job = await jobDone(client, jobId);
    assert.equal(job.state, 'succeeded');
    if (job.kind !== 'verify' || !job.result) assert.fail('no verify result');
    assert.equal(job.result.ok, true);
    assert.ok(job.result.checked >= MESSAGES);
  });

  test('a cancelled import leaves nothing behind', async () => {
    const big = writeWhatsAppExport(h.dir, 'Big', { messages: 80_000, seed: 11 });
    const progressed = nextEvent(client, 'job.progress');
    const { jobId } = await client.call('imports.start', { source: big, tz: 'UTC' });
    const p = await progressed;
    assert.equal(p.jobId, jobId);
    await client.call('jobs.cancel', { jobId });
    const job = await jobDone(client, jobId);
    assert.equal(job.state, 'cancelled', JSON.stringify(job.error));
    assert.equal(job.error?.code, 'CANCELLED');
    assert.equal((await client.call('cases.info', {})).messages, MESSAGES);
  });

  test('cases.rekey needs the current passphrase; the new one opens the case', async () => {
    assert.equal((await failure(client.call('cases.rekey', { passphrase: 'wrong', newPassphrase: 'new one' }))).code, 'BAD_PASSPHRASE');
    assert.equal((await failure(client.call('cases.rekey', { passphrase: PASS, newPassphrase: 'a' }))).code, 'WEAK_PASSPHRASE');
    assert.equal((await client.call('audit.list', { action: 'case.rekey' })).total, 0, 'a refused rekey is not recorded as done');
    assert.deepEqual(await client.call('cases.rekey', { passphrase: PASS, newPassphrase: 'new one, long enough' }), { ok: true });
    assert.equal((await client.call('cases.close', {})).open, false);
    assert.equal((await failure(client.call('cases.open', { path: casePath, passphrase: PASS }))).code, 'BAD_PASSPHRASE');
    const state = await client.call('cases.open', { path: casePath, passphrase: 'new one, long enough' });
    assert.equal(state.matter, 'Contract matter');
    assert.equal((await client.call('cases.info', {})).messages, MESSAGES);
    // Jobs use the new passphrase too.
    const job = await jobDone(client, (await client.call('verify.run', {})).jobId);
    assert.equal(job.state, 'succeeded');
  });

  test('cases.setDisplayTz changes the zone (audited) and says so', async () => {
    const changed = nextEvent(client, 'case.changed', (e) => e.what === 'settings');
    assert.equal((await client.call('cases.setDisplayTz', { tz: 'Asia/Tokyo' })).displayTz, 'Asia/Tokyo');
    await changed;
    assert.equal((await client.call('cases.info', {})).displayTz, 'Asia/Tokyo');
    assert.equal((await client.call('audit.list', { action: 'case.display-tz' })).total, 1);
    assert.equal((await failure(client.call('cases.setDisplayTz', { tz: 'Mars/Olympus' }))).code, 'VALIDATION');
    await client.call('cases.setDisplayTz', { tz: 'UTC' });
  });

  test('cases.recent remembers the case; cases.forget drops it', async () => {
    const recent = await client.call('cases.recent', {});
    assert.deepEqual(recent.map((r) => [r.path, r.matter, r.exists]), [[casePath, 'matter', true]]);
    // The list on disk holds paths and times only: no matter name outside the encrypted case.
    const onDisk = fs.readFileSync(path.join(h.dir, 'config', 'recent-cases.json'), 'utf8');
    assert.ok(onDisk.includes(JSON.stringify(casePath)));
    assert.ok(!onDisk.includes('Contract matter'));
    assert.deepEqual(await client.call('cases.forget', { path: casePath }), []);
  });

  test('dialog.pickPath is refused where the host has no dialogs', async () => {
    assert.equal((await failure(client.call('dialog.pickPath', { mode: 'open-file' }))).code, 'VALIDATION');
  });

  test('a missing case file is NOT_FOUND; a non-case is NOT_A_CASE', async () => {
    assert.equal((await failure(client.call('cases.open', { path: path.join(h.dir, 'none.hfcase'), passphrase: 'x' }))).code, 'NOT_FOUND');
    assert.equal((await failure(client.call('cases.open', { path: source, passphrase: 'x' }))).code, 'NOT_A_CASE');
  });
}

describe('API contract, in-process', () => spec(() => inProcessHarness()));
describe('API contract, over the loopback transport', () => spec(() => loopbackHarness()));

test('every method in the map has a schema that rejects non-objects', () => {
  for (const [name, m] of Object.entries(METHODS)) {
    assert.equal(m.args.safeParse('a string').success, false, name);
    assert.equal(m.args.safeParse([1]).success, false, name);
  }
});
