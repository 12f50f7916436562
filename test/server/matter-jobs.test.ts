/**
 * Jobs on a matter through the matter server: an import started by an account runs in a worker on
 * the matter's PostgreSQL data (progress events, the same messages as the same import into a case
 * file, its audit entry naming the account), a second import of it adds nothing, a hold on a
 * custodian covers what that custodian's import brings, a cancelled import leaves nothing, a
 * production writes the same Bates files as from the case file, inside the server's output folder
 * only, and verification and re-indexing run on the matter.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createClient } from '../../src/api/client.ts';
import type { Client } from '../../src/api/client.ts';
import type { ImportResultDTO, JobDTO, MessageDTO, ProductionResultDTO } from '../../src/api/dto.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { importCaseFile } from '../../src/server/matter/case-import.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import type { MatterConnection } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { PASSPHRASE, tempDir } from '../helpers/case.ts';
import { failure, inProcessHarness, jobDone, nextEvent, writeWhatsAppExport } from '../helpers/app.ts';
import type { Harness } from '../helpers/app.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'correct horse battery';
const MESSAGES = 2_000;
let pg: Postgres;
let url: string;
let accounts: Accounts;
let server: RunningMatterServer;
let dir: string;
let outputRoot: string;
let file: Harness;
let lead: MatterConnection;
let lc: Client;
let chat: string;

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  dir = tempDir();
  outputRoot = path.join(dir, 'productions');
  fs.mkdirSync(outputRoot);
  chat = writeWhatsAppExport(dir, 'Desk', { messages: MESSAGES, seed: 7 });
  // The same empty case on both sides: a case file, and its copy as the matter (same case id and signing key).
  file = await inProcessHarness();
  await file.client.call('cases.create', { path: path.join(dir, 'case.hfcase'), passphrase: PASSPHRASE, matter: 'Desk', examiner: 'Examiner' });
  await file.ctx.close();
  importCaseFile({ file: path.join(dir, 'case.hfcase'), passphrase: PASSPHRASE, databaseUrl: url, matter: 'desk', actor: 'tester' });
  await file.client.call('cases.open', { path: path.join(dir, 'case.hfcase'), passphrase: PASSPHRASE });
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'lead', role: 'project-manager', password: PASSWORD });
  await accounts.add('tester', { name: 'prod', role: 'producer', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, outputRoot, importRoot: dir });
  lead = await connectMatter({ origin: server.url, matter: 'desk' }, { user: 'lead', password: PASSWORD });
  lc = createClient(lead.transport);
});

after(async () => {
  await lead?.close();
  await server?.close();
  await accounts?.close();
  await file?.close();
  pg?.stop();
});

async function finished(client: Client, jobId: string): Promise<JobDTO> {
  return jobDone(client, jobId);
}

/**
 * Every message of the case as the reviewer sees it, conversation by conversation, ids included: a
 * matter reserves message ids in blocks but hands the unused ones back, so its ids run on as the case file's.
 */
async function allMessages(client: Client): Promise<MessageDTO[]> {
  const out: MessageDTO[] = [];
  for (const c of await client.call('conversations.list', {})) {
    for (let offset = 0; ; offset += 500) {
      const page = await client.call('conversations.messages', { conversationId: c.id, offset, limit: 500 });
      out.push(...page.messages);
      if (offset + 500 >= page.total) break;
    }
  }
  return out;
}

/** Import runs left 'running' in the matter, read on a connection of its own. */
function runsLeftRunning(): number[] {
  const data = openPostgresData(url, { matter: 'desk' });
  try {
    return data.read.importRuns.running();
  } finally {
    data.close();
  }
}

/** A production's manifest without what differs by place and time (folder, production time). */
function manifestOf(result: ProductionResultDTO): unknown {
  const manifest = JSON.parse(fs.readFileSync(path.join(result.outDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  // The audit head differs: the matter's log also holds its copy from the case file.
  const { auditHead: _auditHead, ...rest } = manifest;
  return { ...rest, files: result.files.map((f) => ({ ...f, path: path.relative(result.outDir, f.path) })) };
}

test("imports read only inside the server's import folder: relative paths from there; outside, .. and links out are refused", async () => {
  const outside = tempDir();
  const foreign = writeWhatsAppExport(outside, 'Elsewhere', { messages: 5, seed: 3 });
  fs.symlinkSync(outside, path.join(dir, 'link-out'));
  const refused = [foreign, '/etc/hostname', `../${path.basename(outside)}/${path.basename(foreign)}`, `link-out/${path.basename(foreign)}`];
  for (const source of refused) {
    const e = await failure(lc.call('imports.start', { source, custodian: 'Mallory', tz: 'UTC', dateOrder: 'dmy' }));
    assert.deepEqual([e.code, e.message], ['VALIDATION', `${source} is outside the server's import folder; give a path inside ${dir}.`]);
    assert.equal((await failure(lc.call('imports.detect', { path: source }))).code, 'VALIDATION', source);
  }
  const found = await lc.call('imports.detect', { path: path.basename(chat) });
  assert.deepEqual([found.path, found.format], [path.join(fs.realpathSync(dir), path.basename(chat)), 'whatsapp-txt']);
  assert.equal((await lc.call('sources.list', {})).sources.length, 0, 'nothing was imported');
});

test('an import on the matter runs as a job: progress, the same messages as into the case file, audited as the account', async () => {
  const progress: number[] = [];
  const off = lc.on('job.progress', (p) => progress.push(p.progress.items));
  const { jobId } = await lc.call('imports.start', { source: chat, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' });
  const job = await finished(lc, jobId);
  off();
  assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
  const onMatter = job.result as ImportResultDTO;
  const fileJob = await finished(file.client, (await file.client.call('imports.start', { source: chat, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  const onFile = fileJob.result as ImportResultDTO;
  assert.equal(onMatter.messages, MESSAGES);
  assert.deepEqual({ ...onMatter, sourceId: 0 }, { ...onFile, sourceId: 0 });
  assert.ok(progress.length > 0, 'progress events arrived');
  assert.deepEqual(await allMessages(lc), await allMessages(file.client));
  const entry = (await lc.call('audit.list', { action: 'import' })).items[0];
  assert.equal(entry?.actor, 'lead');
  const search = await lc.call('search.query', { query: 'invoice' });
  assert.equal(search.total, (await file.client.call('search.query', { query: 'invoice' })).total);
});

test('importing the same source again adds nothing; an overlapping source adds only its new messages', async () => {
  const before = await lc.call('cases.info', {});
  const again = await finished(lc, (await lc.call('imports.start', { source: chat, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  assert.equal((again.result as ImportResultDTO).alreadyImported, true);
  // A hold on the next custodian covers what arrives with the import, in its last transaction.
  for (const c of [lc, file.client]) await c.call('holds.create', { name: 'Inquiry', custodians: ['Bob'] });
  // The same chat exported later by another custodian: the first 2,000 messages again, then 300 more.
  fs.mkdirSync(path.join(dir, 'later'));
  const later = writeWhatsAppExport(path.join(dir, 'later'), 'Desk', { messages: MESSAGES + 300, seed: 7 });
  const job = await finished(lc, (await lc.call('imports.start', { source: later, custodian: 'Bob', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  const fileJob = await finished(file.client, (await file.client.call('imports.start', { source: later, custodian: 'Bob', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  const r = job.result as ImportResultDTO;
  assert.deepEqual([r.messages, r.duplicatesSkipped], [300, MESSAGES]);
  assert.deepEqual({ ...r, sourceId: 0 }, { ...(fileJob.result as ImportResultDTO), sourceId: 0 });
  assert.equal((await lc.call('cases.info', {})).messages, before.messages + 300);
  const held = async (c: Client) => (await c.call('holds.list', {})).map((h) => h.messages);
  assert.deepEqual(await held(lc), await held(file.client));
  assert.equal((await held(lc))[0], MESSAGES + 300, 'every message Bob\'s export holds is held');
  assert.deepEqual(await allMessages(lc), await allMessages(file.client));
});

test('a cancelled import leaves nothing of its run', async () => {
  const before = await lc.call('cases.info', {});
  const big = writeWhatsAppExport(dir, 'Big', { messages: 200_000, seed: 9 });
  const { jobId } = await lc.call('imports.start', { source: big, custodian: 'Carol', tz: 'UTC', dateOrder: 'dmy' });
  await nextEvent(lc, 'job.progress', (p) => p.jobId === jobId && p.progress.items > 0);
  await lc.call('jobs.cancel', { jobId });
  const job = await finished(lc, jobId);
  assert.equal(job.state, 'cancelled');
  const after = await lc.call('cases.info', {});
  assert.deepEqual([after.messages, after.conversations, after.sources], [before.messages, before.conversations, before.sources]);
  const { sources, otherRuns } = await lc.call('sources.list', {});
  assert.equal(sources.some((x) => x.path === big), false);
  // Stopped cleanly it is 'cancelled'; past the grace period (a loaded machine) the thread is terminated and it is 'interrupted'.
  assert.ok(['cancelled', 'interrupted'].includes(otherRuns.find((r) => r.path === big)?.status ?? ''), JSON.stringify(otherRuns));
  assert.deepEqual(runsLeftRunning(), []);
  assert.equal((await lc.call('search.query', { query: 'Carol' })).total, 0);
});

test('a text holding U+0000: the case file keeps it as written; the matter refuses the import naming the file and the line, and keeps what it had', async () => {
  const nul = path.join(dir, 'WhatsApp Chat with Nul.txt');
  fs.writeFileSync(nul, '01/02/2023, 10:00 - Alice: first\n01/02/2023, 10:01 - Bob: before\u0000after\n01/02/2023, 10:02 - Alice: last\n');
  const onFile = await finished(file.client, (await file.client.call('imports.start', { source: nul, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  assert.equal(onFile.state, 'succeeded', JSON.stringify(onFile.error));
  assert.equal((await file.client.call('search.query', { query: 'before' })).total, 1);
  const kept = (await allMessages(file.client)).find((m) => m.text.startsWith('before'));
  assert.equal(kept?.text, 'before\u0000after');

  const before = await lc.call('cases.info', {});
  const job = await finished(lc, (await lc.call('imports.start', { source: nul, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  assert.equal(job.state, 'failed');
  assert.equal(job.error?.code, 'IMPORT_UNSUPPORTED_SOURCE');
  assert.match(job.error?.message ?? '', /^\/.*WhatsApp Chat with Nul\.txt: The text of messages row at line 2 holds a NUL character \(U\+0000\), which a matter database \(PostgreSQL\) cannot store; nothing of this import was kept\. Import the source into a case file/);
  assert.deepEqual(job.error?.details, { position: 'line 2', file: nul });
  const after = await lc.call('cases.info', {});
  assert.deepEqual([after.messages, after.sources], [before.messages, before.sources]);
  assert.deepEqual(runsLeftRunning(), []);
  // In a sender's name (written by a statement of its own, not COPY) the import names the file too.
  const nulName = path.join(dir, 'WhatsApp Chat with Nul Name.txt');
  fs.writeFileSync(nulName, '01/02/2023, 10:00 - Al\u0000ice: hello\n');
  const named = await finished(lc, (await lc.call('imports.start', { source: nulName, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' })).jobId);
  assert.deepEqual([named.state, named.error?.code, named.error?.details?.file], ['failed', 'IMPORT_UNSUPPORTED_SOURCE', nulName]);
  assert.match(named.error?.message ?? '', /^\/.*Nul Name\.txt: A name or text of this source holds a NUL character \(U\+0000\)/);
  // Any other text with U+0000 (a note here) is refused as such, not as an internal error.
  const anyMessage = (await allMessages(lc))[0]!;
  const note = await failure(lc.call('notes.add', { messageId: anyMessage.id, text: 'see\u0000this' }));
  assert.deepEqual([note.code, note.message], ['VALIDATION', 'A text holds a NUL character (U+0000), which the matter database (PostgreSQL) cannot store; the change was refused.']);
  // The case file holding that message cannot become a matter: refused before anything is copied.
  await file.ctx.close();
  try {
    assert.throws(() => importCaseFile({ file: path.join(dir, 'case.hfcase'), passphrase: PASSPHRASE, databaseUrl: url, matter: 'nul', actor: 'tester' }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'VALIDATION');
      assert.match(e.message, /^Row \d+ of the case file's table messages holds a NUL character \(U\+0000\) in text, which a matter database \(PostgreSQL\) cannot store; nothing was copied\./);
      return true;
    });
  } finally {
    await file.client.call('cases.open', { path: path.join(dir, 'case.hfcase'), passphrase: PASSPHRASE });
  }
});

test('a production on the matter writes the same Bates files as from the case file, inside the output folder only', async () => {
  const producer = await connectMatter({ origin: server.url, matter: 'desk' }, { user: 'prod', password: PASSWORD });
  try {
    const pc = createClient(producer.transport);
    const definition = { format: 'pdf', batesPrefix: 'HF', fixedDate: '2026-01-02T00:00:00Z', query: 'invoice OR deal' } as const;
    for (const out of ['/tmp/anywhere', '../escape', path.join(outputRoot, '..', 'sibling')]) {
      assert.equal((await failure(pc.call('productions.start', { ...definition, out }))).code, 'VALIDATION', out);
    }
    const job = await finished(pc, (await pc.call('productions.start', { ...definition, out: 'REG-001' })).jobId);
    assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
    const onMatter = job.result as ProductionResultDTO;
    assert.equal(onMatter.outDir, path.join(fs.realpathSync(outputRoot), 'REG-001'));
    const fileJob = await finished(file.client, (await file.client.call('productions.start', { ...definition, out: path.join(dir, 'from-file') })).jobId);
    const onFile = fileJob.result as ProductionResultDTO;
    assert.ok(onMatter.messages > 0);
    assert.deepEqual(manifestOf(onMatter), manifestOf(onFile));
    assert.equal((await pc.call('audit.list', { action: 'production.create' })).items[0]?.actor, 'prod');
  } finally {
    await producer.close();
  }
});

test('verification and a rebuild of the search index run on the matter', async () => {
  const job = await finished(lc, (await lc.call('verify.run', {})).jobId);
  assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
  const result = job.result as { ok: boolean; problems: unknown[] };
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  const reindexed = await finished(lc, (await lc.call('search.reindex', {})).jobId);
  assert.equal(reindexed.state, 'succeeded', JSON.stringify(reindexed.error));
  for (const query of ['invoice', '"the deal"', 'price NOT call']) {
    assert.equal((await lc.call('search.query', { query })).total, (await file.client.call('search.query', { query })).total, query);
  }
});
