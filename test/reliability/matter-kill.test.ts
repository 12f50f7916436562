/**
 * kill -9 of the matter server while an import job writes into a matter: batches it committed are in
 * the database, its run is left 'running' and its lock names a process that is gone. Opening the
 * matter again (as the restarted server does) rolls the run back exactly as a case file's is: no
 * row of it stays, the search finds nothing of it, the audit chain verifies, and the same import
 * then completes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createClient } from '../../src/api/client.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { openMatterSession } from '../../src/app/open-matter.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import { verifyAuditChain } from '../../src/case/audit.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import type { PostgresData } from '../../src/case/data/postgres/index.ts';
import { searchMessages } from '../../src/search/search.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import { ROOT, tempDir } from '../helpers/case.ts';
import { writeWhatsAppExport } from '../helpers/app.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'correct horse battery';
const MESSAGES = 60_000;
let pg: Postgres;
let url: string;
let server: ChildProcess | undefined;

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  openPostgresData(url, { matter: 'kill' }).close();
  const accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'lead', role: 'project-manager', password: PASSWORD });
  await accounts.close();
});

after(() => {
  server?.kill('SIGKILL');
  pg?.stop();
});

/** `holdfast server` in a child process; resolves with its address once it listens. */
function startServer(importRoot: string): Promise<string> {
  server = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'server', '--db', url, '--listen', '127.0.0.1:0', '--import-root', importRoot], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server!.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

const counts = (data: PostgresData) => data.read.caseFacts.counts();

test('kill -9 of the server mid-import: the next open rolls the run back, and the import then completes', async () => {
  const sources = tempDir();
  const source = writeWhatsAppExport(sources, 'Kill', { messages: MESSAGES, seed: 31 });
  const origin = await startServer(sources);
  const lead = await connectMatter({ origin, matter: 'kill' }, { user: 'lead', password: PASSWORD });
  await createClient(lead.transport).call('imports.start', { source, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' });
  const probe = openPostgresData(url, { matter: 'kill' });
  try {
    // Killed once a batch is committed: rows of the run are in the matter when the process dies.
    const deadline = Date.now() + 300_000;
    while (counts(probe).messages === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise((r) => server!.once('exit', r));
    server!.kill('SIGKILL');
    await exited;
    await lead.close().catch(() => {});
    const left = counts(probe).messages;
    assert.ok(left > 0 && left < MESSAGES, `killed mid-import (${left} messages committed)`);
    assert.equal(probe.read.importRuns.running().length, 1, 'the run is left running');
    assert.ok(probe.read.caseLock.holder(), 'its lock is left behind');
  } finally {
    probe.close();
  }

  const reopened = openMatterSession(url, 'kill', { actor: 'tester' });
  try {
    const data = dataOf(reopened);
    assert.deepEqual([data.read.caseFacts.counts().messages, data.read.caseFacts.counts().conversations], [0, 0]);
    assert.deepEqual(data.read.importRuns.running(), []);
    assert.equal(data.read.caseLock.holder(), undefined);
    assert.equal(searchMessages(reopened, { query: 'Alice OR invoice OR deal' }).total, 0);
    const chain = verifyAuditChain(data);
    assert.deepEqual(chain.problems, []);
    assert.equal(data.read.audit.count('import.rollback'), 1);
  } finally {
    reopened.close();
  }

  const again = await startJob<ImportResultDTO>({ kind: 'import', case: { databaseUrl: url, matter: 'kill' }, params: { source, custodian: 'Alice', tz: 'UTC', dateOrder: 'dmy' }, actor: 'tester' }, '').result;
  assert.equal(again.messages, MESSAGES);
  const done = openPostgresData(url, { matter: 'kill' });
  try {
    assert.equal(counts(done).messages, MESSAGES);
  } finally {
    done.close();
  }
});
