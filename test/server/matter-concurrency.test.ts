/**
 * Twenty reviewers, each with an account and a WebSocket of its own, tag and mark the same
 * conversations of one matter at once for a fixed time (HOLDFAST_REVIEWERS_SECONDS, default 10; the
 * bench runs 60). Afterwards: every acknowledged tag is on its message (no lost write), the tag counts
 * are exactly what was acknowledged, the audit log's sequence has no gap, its chain verifies, and
 * each acknowledged change is its reviewer's audit entry.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../src/api/client.ts';
import type { Client } from '../../src/api/client.ts';
import type { AuditEntryDTO } from '../../src/api/dto.ts';
import { verifyAuditChain } from '../../src/case/audit.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import type { MatterConnection } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { fp, importRun } from '../case-data/backends.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';

const REVIEWERS = 20;
const SECONDS = Number(process.env.HOLDFAST_REVIEWERS_SECONDS ?? 10);
const TAGS = ['Relevant', 'Follow up', 'Key'];
const PASSWORD = 'correct horse battery';
let pg: Postgres;
let url: string;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let messageIds: number[];

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  const seed = openPostgresData(url, { matter: 'busy' });
  messageIds = importRun(
    seed,
    'a'.repeat(64),
    'Alice',
    Array.from({ length: 40 }, (_, i) => ({ conversation: i % 2 ? 'deal' : 'board', text: `message ${i}`, sentAt: 1_700_000_000_000 + i * 60_000, fingerprint: fp(i + 1) })),
  ).messageIds;
  seed.close();
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
});

const connect = (user: string) => connectMatter({ origin: server.url, matter: 'busy' }, { user, password: PASSWORD, ca: tls.cert });

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

test(`${REVIEWERS} reviewers tagging and marking the same conversations for ${SECONDS} s lose no write and keep the audit chain`, async (t) => {
  const lead = await connect('lead');
  for (const name of TAGS) await createClient(lead.transport).call('tags.create', { name });
  const connections: MatterConnection[] = [];
  for (let i = 1; i <= REVIEWERS; i++) connections.push(await connect(`reviewer${i}`));
  const acknowledged = new Map(TAGS.map((t) => [t, new Set<number>()]));
  const changes: { change: number; actor: string }[] = [];
  let calls = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    connections.map(async (c, i) => {
      const api = createClient(c.transport);
      const r = random(i + 1);
      while (Date.now() < until) {
        const ids = Array.from({ length: 1 + Math.floor(r() * 4) }, () => messageIds[Math.floor(r() * messageIds.length)]!);
        if (r() < 0.2) {
          await api.call('review.mark', { target: { messageIds: ids }, reviewed: true });
        } else {
          const tag = TAGS[Math.floor(r() * TAGS.length)]!;
          const result = await api.call('tags.apply', { tag, target: { messageIds: ids } });
          for (const id of ids) acknowledged.get(tag)!.add(id);
          if (result.change !== null) changes.push({ change: result.change, actor: `reviewer${i + 1}` });
        }
        calls++;
      }
    }),
  );
  const api = createClient(lead.transport);
  for (const name of TAGS) {
    const tagged = await api.call('search.query', { query: `tag:"${name}"`, limit: 1000 });
    assert.deepEqual(tagged.hits.map((h) => h.messageId).sort((a, b) => a - b), [...acknowledged.get(name)!].sort((a, b) => a - b), name);
  }
  const entries: AuditEntryDTO[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api.call('audit.list', { offset, limit: 1000 });
    entries.push(...page.items);
    if (page.items.length < 1000) break;
  }
  const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'audit sequence without gaps');
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  for (const { change, actor } of changes) {
    assert.equal(bySeq.get(change)?.action, 'tag.apply', `change ${change}`);
    assert.equal(bySeq.get(change)?.actor, actor, `change ${change}`);
  }
  const data = openPostgresData(url, { matter: 'busy' });
  try {
    const chain = verifyAuditChain(data);
    assert.deepEqual(chain.problems, []);
    assert.equal(chain.checked, seqs.length);
  } finally {
    data.close();
  }
  for (const c of [lead, ...connections]) await c.close();
  t.diagnostic(`${calls} calls by ${REVIEWERS} reviewers in ${SECONDS} s (${Math.round(calls / SECONDS)}/s), ${changes.length} tag changes, ${seqs.length} audit entries`);
  assert.ok(changes.length > 0);
});
