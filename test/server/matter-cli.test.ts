/**
 * The CLI against the matter server: a case file imported from a WhatsApp export, copied into a
 * matter with server-import, then the same commands on the file and on holdfasts://HOST:PORT/MATTER
 * print the same JSON; a role that may not do something gets FORBIDDEN and exit 1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { cli, cliAsync, cliJson, tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';
import { EXPORT_FORMATS, chatEvents, renderExport } from '../helpers/whatsapp-export.ts';

const PASSWORD = 'correct horse battery';
let pg: Postgres;
let url: string;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let dir: string;
let file: string;
let matterUrl: string;
const as = (user: string) => ({ HOLDFAST_USER: user, HOLDFAST_PASSWORD: PASSWORD, HOLDFAST_CA_FILE: tls.certFile });

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  tls = selfSignedCertificate();
  dir = tempDir();
  file = path.join(dir, 'case.hfcase');
  const source = path.join(dir, 'WhatsApp Chat with Team.txt');
  fs.writeFileSync(source, renderExport(chatEvents({ messages: 60, seed: 11 }), EXPORT_FORMATS[0]!));
  cliJson(['create', file, '--name', 'Team', '--json']);
  cliJson(['import', file, source, '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'lead', role: 'admin', password: PASSWORD });
  await accounts.add('tester', { name: 'viewer', role: 'read-only', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key } });
  matterUrl = `holdfasts://127.0.0.1:${server.port}/team`;
});

after(async () => {
  await server?.close();
  await accounts?.close();
  tls?.remove();
  pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('server-import copies the case file into a new matter, verified, and refuses a matter that is not empty', () => {
  const report = cliJson<{ rows: Record<string, number>; blobsVerified: number; auditEntries: number }>(['server-import', file, '--db', url, '--matter', 'team', '--json']);
  const info = cliJson<{ messages: number }>(['info', file, '--json']);
  assert.equal(report.rows.messages, info.messages + cliJson<{ events: number }>(['info', file, '--json']).events);
  assert.ok(report.auditEntries > 1);
  const again = cli(['server-import', file, '--db', url, '--matter', 'team']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^holdfast: VALIDATION: The matter team is not empty/);
});

test('info, search, tag and tags print the same JSON on the case file and on the matter', async () => {
  const same = async (args: string[]) => {
    const local = cli([args[0]!, file, ...args.slice(1)]);
    const remote = await cliAsync([args[0]!, matterUrl, ...args.slice(1)], as('lead'));
    assert.equal(local.status, 0, local.stderr);
    assert.equal(remote.status, 0, remote.stderr);
    // How long a search took may differ; a change's id is its audit entry, one later on the matter,
    // whose log has the import's entry too.
    const comparable = (text: string, entriesBefore: number) =>
      JSON.parse(text, (k, v: unknown) => (k === 'tookMs' ? undefined : k === 'change' && typeof v === 'number' ? v - entriesBefore : v)) as unknown;
    assert.deepEqual(comparable(remote.stdout, 1), comparable(local.stdout, 0), args.join(' '));
    return JSON.parse(local.stdout) as unknown;
  };
  await same(['info', '--json']);
  const found = (await same(['search', 'meeting OR budget', '--limit', '20', '--json'])) as { total: number };
  assert.ok(found.total > 0);
  await same(['tags', 'create', 'Flagged', '--json']);
  await same(['tag', '--tag', 'Flagged', '--query', 'meeting', '--json']);
  await same(['tags', '--json']);
  await same(['search', 'tag:Flagged', '--json']);
});

test('a method the role may not call is FORBIDDEN, exit 1; a wrong password is UNAUTHENTICATED', async () => {
  const refused = await cliAsync(['tag', matterUrl, '--tag', 'Hot', '--query', 'meeting', '--json'], as('viewer'));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^holdfast: FORBIDDEN: read-only may not call tags\.apply/);
  const wrong = await cliAsync(['info', matterUrl, '--json'], { ...as('viewer'), HOLDFAST_PASSWORD: 'not the password at all' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^holdfast: UNAUTHENTICATED: /);
});

test('server-export writes the matter out as a new case file that verifies and reads the same', async () => {
  const out = path.join(dir, 'exported.hfcase');
  const report = cliJson<{ rows: Record<string, number>; auditEntries: number }>(['server-export', '--db', url, '--matter', 'team', '--out', out, '--json']);
  assert.ok(report.rows.messages! > 0);
  const verified = cliJson<{ ok: boolean; problems: unknown[] }>(['verify', out, '--json']);
  assert.deepEqual(verified.problems, []);
  assert.equal(verified.ok, true);
  for (const args of [['info', '--json'], ['tags', '--json'], ['search', 'tag:Flagged', '--json']]) {
    const remote = await cliAsync([args[0]!, matterUrl, ...args.slice(1)], as('lead'));
    const local = cli([args[0]!, out, ...args.slice(1)]);
    const untimed = (text: string) => JSON.parse(text, (k, v: unknown) => (k === 'tookMs' ? undefined : v)) as unknown;
    assert.deepEqual(untimed(local.stdout), untimed(remote.stdout), args.join(' '));
  }
  const audit = cliJson<{ action: string }[]>(['audit', out, '--json']);
  assert.equal(audit.length, report.auditEntries);
  const again = cli(['server-export', '--db', url, '--matter', 'team', '--out', out]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists/);
});

