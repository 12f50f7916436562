/**
 * Twenty reviewers, each with an account and a WebSocket of its own, work through the same batch set
 * of one matter at once for a fixed time (HOLDFAST_REVIEWERS_SECONDS, default 10; 60 for the
 * minute-long run): check out the next batch, code its units' messages a few at a time, check it in
 * (test/helpers/reviewers.ts). Afterwards: every acknowledged tag and mark is there (no lost write),
 * each batch's state, holder and counts are what the reviewers did, the audit log's sequence has no
 * gap, its chain verifies, and each acknowledged change is its reviewer's audit entry. Prints the
 * calls per second and the calls' latency p50/p95.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createClient } from '../../src/api/client.ts';
import type { AuditEntryDTO } from '../../src/api/dto.ts';
import { verifyAuditChain } from '../../src/case/audit.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { importCaseFile } from '../../src/server/matter/case-import.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import type { MatterConnection } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { importRun } from '../case-data/backends.ts';
import { newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { latencySummary, runReviewers } from '../helpers/reviewers.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';

const REVIEWERS = 20;
const SECONDS = Number(process.env.HOLDFAST_REVIEWERS_SECONDS ?? 10);
const TAGS = ['Relevant', 'Follow up', 'Key'];
const PASSWORD = 'correct horse battery';
const CONVERSATIONS = ['deal', 'board', 'ops', 'legal'];
/** Review units (a conversation's day) of 12 messages, 25 per second of the run: 20 reviewers need ~5 calls a unit. */
const DAYS = Math.ceil((SECONDS * 25) / CONVERSATIONS.length);
const PER_DAY = 12;
/** A fingerprint whose dedupe key (its first 13 hex digits) is the message's own, so seeding stays linear. */
const key = (n: number) => `${String(n).padStart(13, '0')}${'0'.repeat(19)}`;
let pg: Postgres;
let url: string;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let dir: string;
let conversationIds: number[];

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  // Seeded in a case file and copied in with server-import: quicker than a row per call on PostgreSQL.
  dir = tempDir('holdfast-busy-');
  const seed = newCase(dir);
  const day0 = Date.UTC(2024, 0, 1, 9);
  importRun(dataOf(seed), 'a'.repeat(64), 'Alice', Array.from({ length: CONVERSATIONS.length * DAYS * PER_DAY }, (_, i) => ({
    conversation: CONVERSATIONS[i % CONVERSATIONS.length]!, text: `message ${i}`, sentAt: day0 + Math.floor(i / (CONVERSATIONS.length * PER_DAY)) * 86_400_000 + (i % (CONVERSATIONS.length * PER_DAY)) * 60_000, fingerprint: key(i + 1),
  })));
  conversationIds = dataOf(seed).read.conversations.names().map((c) => c.id);
  seed.close();
  importCaseFile({ file: seed.path, passphrase: PASSPHRASE, databaseUrl: url, matter: 'busy', actor: 'tester' });
  tls = selfSignedCertificate();
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'lead', role: 'project-manager', password: PASSWORD });
  for (let i = 1; i <= REVIEWERS; i++) await accounts.add('tester', { name: `reviewer${i}`, role: 'reviewer', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key } });
});

after(async () => {
  await server?.close();
  await accounts?.close();
  tls?.remove();
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const connect = (user: string) => connectMatter({ origin: server.url, matter: 'busy' }, { user, password: PASSWORD, ca: tls.cert });

test(`${REVIEWERS} reviewers coding one batch set for ${SECONDS} s lose no write, keep the batches' counts and the audit chain`, async (t) => {
  const lead = await connect('lead');
  const api = createClient(lead.transport);
  for (const name of TAGS) await api.call('tags.create', { name });
  const t0 = performance.now();
  const set = await api.call('batches.create', { name: 'First pass', unitSize: 2, conversationIds });
  const createMs = performance.now() - t0;
  assert.equal(set.units, CONVERSATIONS.length * DAYS);
  const connections: { name: string; connection: MatterConnection }[] = [];
  for (let i = 1; i <= REVIEWERS; i++) connections.push({ name: `reviewer${i}`, connection: await connect(`reviewer${i}`) });
  const load = os.loadavg()[0]!;
  const run = await runReviewers({ connections, batchIds: set.batches.map((b) => b.batchId), tags: TAGS, seconds: SECONDS });

  const data = openPostgresData(url, { matter: 'busy' });
  try {
    // No lost write: every tag and mark the server acknowledged is there, and nothing else.
    const coded = new Set<number>();
    for (const name of TAGS) {
      const tagId = data.read.tagging.byName(name)!.id;
      const expected = [...run.tagged.get(name)!].sort((a, b) => a - b);
      assert.deepEqual(data.read.searchLookups.messagesTagged([tagId]), expected, name);
      for (const id of expected) coded.add(id);
    }
    const reviewed = new Set([...run.marked, ...coded]);
    assert.deepEqual(data.read.reviewMarks.reviewedIds().sort((a, b) => a - b), [...reviewed].sort((a, b) => a - b), 'reviewed messages');

    // Each batch's state, holder and counts are what its reviewer did; the reviewers' rows add up.
    const progress = await api.call('batches.progress', { setId: set.setId });
    for (const b of progress.batches) {
      const units = run.units.get(b.batchId) ?? [];
      const messages = units.flat();
      const expectState = run.checkedIn.has(b.batchId) ? 'checked-in' : run.checkedOut.has(b.batchId) ? 'checked-out' : 'open';
      assert.equal(b.state, expectState, `batch ${b.number}`);
      assert.equal(b.holder, run.checkedOut.get(b.batchId) ?? null, `batch ${b.number} holder`);
      if (!run.units.has(b.batchId)) {
        assert.deepEqual([b.reviewedMessages, b.codedMessages], [0, 0], `batch ${b.number} untouched`);
        continue;
      }
      assert.equal(b.messages, messages.length, `batch ${b.number} messages`);
      assert.equal(b.reviewedMessages, messages.filter((id) => reviewed.has(id)).length, `batch ${b.number} reviewed`);
      assert.equal(b.codedMessages, messages.filter((id) => coded.has(id)).length, `batch ${b.number} coded`);
      assert.equal(b.reviewedUnits, units.filter((u) => u.every((id) => reviewed.has(id))).length, `batch ${b.number} reviewed units`);
      if (b.state === 'checked-in') assert.equal(b.reviewedUnits, b.units, `batch ${b.number} checked in complete`);
    }
    assert.equal(progress.reviewedMessages, reviewed.size, 'the set counts every reviewed message once');
    assert.equal(progress.codedMessages, coded.size);
    for (const { name } of connections) {
      const row = progress.reviewers.find((r) => r.reviewer === name);
      const held = [...run.checkedOut.values()].filter((n) => n === name).length;
      assert.equal(row?.batches ?? 0, held, `${name} batches`);
      assert.equal(row?.checkedIn ?? 0, [...run.checkedIn.values()].filter((n) => n === name).length, `${name} checked in`);
    }

    // The audit log: no gap, the chain verifies, each acknowledged change is its reviewer's entry.
    const entries: AuditEntryDTO[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await api.call('audit.list', { offset, limit: 1000 });
      entries.push(...page.items);
      if (page.items.length < 1000) break;
    }
    const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'audit sequence without gaps');
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    for (const { change, actor, action } of run.changes) assert.deepEqual([bySeq.get(change)?.action, bySeq.get(change)?.actor], [action, actor], `change ${change}`);
    const count = (action: string) => entries.filter((e) => e.action === action).length;
    assert.equal(count('batch.checkout'), run.checkedOut.size);
    assert.equal(count('batch.checkin'), run.checkedIn.size);
    const chain = verifyAuditChain(data);
    assert.deepEqual(chain.problems, []);
    assert.equal(chain.checked, seqs.length);

    const calls = [...run.calls.values()].reduce((n, l) => n + l.length, 0);
    const l = latencySummary(run);
    t.diagnostic(
      `${calls} calls by ${REVIEWERS} reviewers in ${run.seconds.toFixed(1)} s (${Math.round(calls / run.seconds)}/s), load ${load.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}; ` +
        `batch set of ${set.units} units created in ${Math.round(createMs)} ms; ${run.checkedOut.size} batches checked out, ${run.checkedIn.size} checked in of ${set.batches.length}${run.ranOut ? ' (the set ran out)' : ''}, ` +
        `${run.refusedCheckouts} checkouts of held batches refused, ${run.changes.length} tag changes, ${seqs.length} audit entries; ` +
        `latency ms p50/p95: coding ${l.coding.p50}/${l.coding.p95} (${l.coding.n}), batch calls ${l.batches.p50}/${l.batches.p95} (${l.batches.n}), all ${l.all.p50}/${l.all.p95}`,
    );
    assert.ok(run.changes.length > 0 && run.checkedIn.size > 0);
  } finally {
    data.close();
    for (const c of [lead, ...connections.map((c) => c.connection)]) await c.close();
  }
});
