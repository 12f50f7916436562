/**
 * Offline check-out end to end with the CLI against the matter server: a reviewer checks a batch out
 * of holdfasts://HOST:PORT/MATTER into an encrypted case file, codes it with the CLI on the file (what
 * must not happen offline is refused), checks it back in; a project manager's coding on the matter
 * meanwhile becomes a listed conflict the later change wins; a second check-in is refused. And the
 * same with a case file as the other side (a hand-off between laptops), with the file's own passphrase.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import type { BatchDetailDTO, BatchSetDTO } from '../../src/api/dto.ts';
import type { BatchConflictDTO, OfflineCheckinResultDTO } from '../../src/api/offline-dto.ts';
import type { OfflineFileReport } from '../../src/app/offline-file.ts';
import { cli, cliAsync, cliJson, tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';
import { EXPORT_FORMATS, chatEvents, renderExport } from '../helpers/whatsapp-export.ts';

const PASSWORD = 'correct horse battery';
let pg: Postgres;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let dir: string;
let source: string;
let matter: string;

const as = (user: string) => ({ HOLDFAST_USER: user, HOLDFAST_PASSWORD: PASSWORD, HOLDFAST_CA_FILE: tls.certFile });
async function ok<T>(args: string[], user: string): Promise<T> {
  const r = await cliAsync(args, as(user));
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

before(async () => {
  pg = await startPostgres();
  const url = pg.createDatabase('holdfast');
  tls = selfSignedCertificate();
  dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  source = path.join(dir, 'WhatsApp Chat with Team.txt');
  fs.writeFileSync(source, renderExport(chatEvents({ messages: 40, seed: 7 }), EXPORT_FORMATS[0]!));
  cliJson(['create', file, '--name', 'Team', '--json']);
  cliJson(['import', file, source, '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  cliJson(['server-import', file, '--db', url, '--matter', 'team', '--json']);
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'pm', role: 'project-manager', password: PASSWORD });
  await accounts.add('tester', { name: 'ann', role: 'reviewer', password: PASSWORD });
  await accounts.add('tester', { name: 'bob', role: 'reviewer', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key } });
  matter = `holdfasts://127.0.0.1:${server.port}/team`;
});

after(async () => {
  await server?.close();
  await accounts?.close();
  tls?.remove();
  pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('check out of the matter into a file, code there, check back in: merged, conflict listed, audited; refusals are clear', async () => {
  const conversations = await ok<{ id: number }[]>(['conversations', matter, '--json'], 'pm');
  const set = await ok<BatchSetDTO>(['batches', matter, 'create', '--name', 'First pass', '--size', '1', '--conversation', String(conversations[0]!.id), '--json'], 'pm');
  const batchId = set.batches[0]!.batchId;
  await ok(['batches', matter, 'assign', String(batchId), '--to', 'ann', '--json'], 'pm');
  const batch = await ok<BatchDetailDTO>(['batches', matter, 'show', String(batchId), '--json'], 'pm');
  const ids = batch.unitList.flatMap((u) => u.messageIds);
  assert.ok(ids.length > 1);

  const file = path.join(dir, 'batch.hfcase');
  const out = await ok<OfflineFileReport>(['batches', 'checkout-offline', matter, '--batch', String(batchId), '--out', file, '--json'], 'ann');
  assert.equal(out.messages, ids.length);
  const busy = await cliAsync(['batches', matter, 'checkout', String(batchId)], as('bob'));
  assert.equal(busy.status, 1);
  assert.match(busy.stderr, /^holdfast: CASE_BUSY: Batch 1 is checked out by ann/);

  // The project manager codes the first message on the matter before the reviewer does offline.
  await ok(['tag', matter, '--tag', 'Non-responsive', '--message', String(ids[0]), '--json'], 'pm');
  await new Promise((r) => setTimeout(r, 20));

  // Offline: the file is a case like any other for coding, and refuses what would not come back.
  assert.equal(cliJson<{ messages: number }>(['info', file, '--json']).messages, ids.length);
  cliJson(['tag', file, '--tag', 'Responsive', '--message', ...ids.map(String), '--json']);
  assert.equal(cliJson<{ total: number }>(['search', file, 'tag:Responsive', '--json']).total, ids.length);
  const imported = cli(['import', file, source, '--custodian', 'Alice', '--tz', 'UTC']);
  assert.equal(imported.status, 1);
  assert.match(imported.stderr, /^holdfast: CASE_READ_ONLY: imports\.start is not done in an offline check-out: this file is batch 1 of "First pass" from matter "Team"/);
  assert.deepEqual(cliJson<{ problems: unknown[] }>(['verify', file, '--json']).problems, []);

  const result = await ok<OfflineCheckinResultDTO>(['batches', 'checkin-offline', matter, '--file', file, '--json'], 'ann');
  assert.equal(result.conflicts, 1);
  assert.equal(result.offlineWon, 1, 'the reviewer coded it later');
  assert.equal(result.applied, ids.length);
  const found = await ok<{ total: number }>(['search', matter, 'tag:Responsive', '--json'], 'pm');
  assert.equal(found.total, ids.length);

  const conflicts = await ok<BatchConflictDTO[]>(['batches', matter, 'conflicts', '--batch', String(batchId), '--json'], 'pm');
  assert.deepEqual(conflicts.map((c) => [c.messageId, c.label, c.offline, c.server, c.offlineBy, c.serverBy, c.winner]), [[ids[0], 'Responsiveness', ['Responsive'], ['Non-responsive'], 'ann', 'pm', 'offline']]);
  const forbidden = await cliAsync(['batches', matter, 'conflicts', '--batch', String(batchId)], as('ann'));
  assert.equal(forbidden.status, 1);
  assert.match(forbidden.stderr, /^holdfast: FORBIDDEN: /);

  const audit = await ok<{ action: string; actor: string; details: { offline?: { checkout: string } } }[]>(['audit', matter, '--json'], 'pm');
  const applied = audit.filter((e) => e.action === 'tag.apply' && e.details.offline);
  assert.ok(applied.length > 0 && applied.every((e) => e.actor === 'ann'), 'the merged coding is the reviewer\'s, marked offline');
  assert.equal(audit.filter((e) => e.action === 'batch.checkin-offline').length, 1);

  const again = await cliAsync(['batches', 'checkin-offline', matter, '--file', file], as('ann'));
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^holdfast: VALIDATION: This check-out was already checked in at .*; nothing was changed\./);
});

test('a case file as the other side: a batch handed from one laptop to another and back with the CLI', () => {
  const home = path.join(dir, 'home.hfcase');
  const away = path.join(dir, 'away.hfcase');
  cliJson(['create', home, '--name', 'Desk', '--json']);
  cliJson(['import', home, source, '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  const conversation = cliJson<{ id: number }[]>(['conversations', home, '--json'])[0]!.id;
  const set = cliJson<BatchSetDTO>(['batches', home, 'create', '--name', 'Solo', '--size', '2', '--conversation', String(conversation), '--json']);
  const batchId = set.batches[0]!.batchId;
  const weak = cli(['batches', 'checkout-offline', home, '--batch', String(batchId), '--out', away, '--passphrase-env', 'AWAY_PASSPHRASE'], { AWAY_PASSPHRASE: 'short' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /^holdfast: WEAK_PASSPHRASE: /);
  assert.equal(cliJson<BatchSetDTO[]>(['batches', home, 'list', '--json'])[0]!.batches[0]!.state, 'open', 'refused before anything was checked out');

  const away2 = { AWAY_PASSPHRASE: 'another long passphrase for the trip' };
  cliJson(['batches', home, 'checkout-offline', '--batch', String(batchId), '--out', away, '--passphrase-env', 'AWAY_PASSPHRASE', '--json'], away2);
  const ids = cliJson<BatchDetailDTO>(['batches', away, 'show', String(batchId), '--json'], { HOLDFAST_PASSPHRASE: away2.AWAY_PASSPHRASE }).unitList.flatMap((u) => u.messageIds);
  cliJson(['tag', away, '--tag', 'Hot', '--message', ...ids.map(String), '--json'], { HOLDFAST_PASSPHRASE: away2.AWAY_PASSPHRASE });
  const notYet = cli(['batches', 'checkin-offline', home, '--file', away, '--passphrase-env', 'AWAY_PASSPHRASE'], away2);
  assert.equal(notYet.status, 1, 'Hot is an issue tag: the units are not reviewed yet');
  assert.match(notYet.stderr, /^holdfast: VALIDATION: Batch 1 would have \d+ of \d+ units not yet reviewed.*Nothing was changed\./);
  const r = cliJson<OfflineCheckinResultDTO>(['batches', 'checkin-offline', home, '--file', away, '--passphrase-env', 'AWAY_PASSPHRASE', '--force', '--reason', 'issue coding only', '--json'], away2);
  assert.equal(r.applied, ids.length);
  assert.equal(cliJson<{ total: number }>(['search', home, 'tag:Hot', '--json']).total, ids.length);
  assert.deepEqual(cliJson<{ problems: unknown[] }>(['verify', home, '--json']).problems, []);
});
