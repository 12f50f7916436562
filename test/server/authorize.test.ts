/**
 * Roles on the matter server: every method of the contract has a permission, each role is refused
 * what it does not grant (FORBIDDEN, before the handler runs), and an allowed call runs as the
 * account, so the case audit log names it rather than the examiner.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { METHODS } from '../../src/api/methods/index.ts';
import type { MethodName } from '../../src/api/methods/index.ts';
import type { AuditEntryDTO, PageDTO } from '../../src/api/dto.ts';
import { authorize, dispatchAs } from '../../src/server/auth/authorize.ts';
import type { SignedInAccount } from '../../src/server/auth/authorize.ts';
import { GRANTS, METHOD_PERMISSIONS, ROLES, mayCall } from '../../src/server/auth/roles.ts';
import type { Role } from '../../src/server/auth/roles.ts';
import { inProcessHarness, jobDone, writeWhatsAppExport } from '../helpers/app.ts';
import type { Harness } from '../helpers/app.ts';
import { PASSPHRASE, ROOT } from '../helpers/case.ts';

const account = (role: Role, name = `${role} user`): SignedInAccount => ({ name, role });

test('every method of the contract has a permission, and every permission is one some role grants', () => {
  assert.deepEqual(Object.keys(METHOD_PERMISSIONS).sort(), Object.keys(METHODS).sort());
  const granted = new Set(ROLES.flatMap((r) => GRANTS[r]));
  for (const [method, permission] of Object.entries(METHOD_PERMISSIONS)) assert.ok(granted.has(permission), `${method}: ${permission}`);
});

test('docs/SERVER.md lists each permission with exactly the roles that have it and the methods that need it', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/SERVER.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| ([a-z, -]+) \| (`.*`) \|$/gm)];
  const documented = Object.fromEntries(rows.map((m) => [m[1]!, { roles: m[2]!.split(', '), methods: [...m[3]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!).sort() }]));
  const permissions = [...new Set(Object.values(METHOD_PERMISSIONS))];
  assert.deepEqual(Object.keys(documented).sort(), permissions.sort());
  for (const p of permissions) {
    assert.deepEqual(documented[p]!.roles, ROLES.filter((r) => GRANTS[r].includes(p)), p);
    assert.deepEqual(documented[p]!.methods, Object.keys(METHOD_PERMISSIONS).filter((m) => METHOD_PERMISSIONS[m as MethodName] === p).sort(), p);
  }
});

test('admin may call every method; read-only only what views', () => {
  for (const method of Object.keys(METHODS) as MethodName[]) {
    assert.ok(mayCall('admin', method), method);
    assert.equal(mayCall('read-only', method), METHOD_PERMISSIONS[method] === 'view', method);
  }
});

test('each role: what it may and may not call', () => {
  const cases: [Role, MethodName, boolean][] = [
    ['read-only', 'search.query', true],
    ['read-only', 'conversations.messages', true],
    ['read-only', 'tags.apply', false],
    ['read-only', 'notes.add', false],
    ['read-only', 'holds.create', false],
    ['read-only', 'productions.start', false],
    ['read-only', 'imports.start', false],
    ['reviewer', 'tags.apply', true],
    ['reviewer', 'review.mark', true],
    ['reviewer', 'fields.set', true],
    ['reviewer', 'notes.add', true],
    ['reviewer', 'holds.create', false],
    ['reviewer', 'productions.start', false],
    ['reviewer', 'imports.start', false],
    ['reviewer', 'messages.delete', false],
    ['reviewer', 'redactions.remove', false],
    ['qc-reviewer', 'tags.apply', true],
    ['qc-reviewer', 'redactions.remove', true],
    ['qc-reviewer', 'surveillance.disposition', true],
    ['qc-reviewer', 'holds.create', false],
    ['producer', 'productions.start', true],
    ['producer', 'productions.preview', true],
    ['producer', 'search.exportXlsx', true],
    ['producer', 'jobs.cancel', true],
    ['producer', 'tags.apply', false],
    ['producer', 'holds.create', false],
    ['project-manager', 'holds.create', true],
    ['project-manager', 'holds.release', true],
    ['project-manager', 'search.save', true],
    ['project-manager', 'imports.start', true],
    ['project-manager', 'tags.apply', true],
    ['project-manager', 'tags.create', true],
    ['project-manager', 'messages.delete', false],
    ['project-manager', 'retention.run', false],
    ['project-manager', 'cases.rekey', false],
    ['project-manager', 'productions.start', false],
    ['admin', 'retention.run', true],
    ['admin', 'conversations.delete', true],
  ];
  for (const [role, method, allowed] of cases) assert.equal(mayCall(role, method), allowed, `${role} ${method}`);
});

test('a refusal is FORBIDDEN naming the role, the method and who may', () => {
  assert.throws(() => authorize(account('reviewer'), 'holds.create'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'FORBIDDEN');
    assert.match(err.message, /^reviewer may not call holds\.create: it needs the manage permission \(admin, project-manager\)\.$/);
    return true;
  });
  assert.doesNotThrow(() => authorize(account('reviewer'), 'tags.apply'));
});

let h: Harness;
before(async () => {
  h = await inProcessHarness();
  await h.ctx.create(path.join(h.dir, 'matter.hfcase'), PASSPHRASE, { name: 'Roles matter', examiner: 'The Examiner' });
});
after(() => h.close());

async function auditOf(action: string): Promise<AuditEntryDTO[]> {
  const page = await dispatchAs(h.ctx, account('admin'), 'audit.list', { action });
  assert.ok(page.ok);
  return (page.result as PageDTO<AuditEntryDTO>).items;
}

test('dispatchAs refuses before the handler runs: nothing changes, nothing is audited', async () => {
  const refused = await dispatchAs(h.ctx, account('reviewer', 'Rita'), 'search.save', { name: 'Mine', query: 'invoice' });
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.error.code === 'FORBIDDEN' && refused.error.message.startsWith('reviewer may not call search.save'));
  assert.deepEqual(await auditOf('search.save'), []);
  const saved = await dispatchAs(h.ctx, account('read-only'), 'search.saved', {});
  assert.deepEqual(saved, { ok: true, result: [] });
});

test('an unknown method is dispatch\'s VALIDATION error, whatever the role', async () => {
  const r = await dispatchAs(h.ctx, account('read-only'), 'holds.destroyEverything', {});
  assert.ok(!r.ok && r.error.code === 'VALIDATION');
});

test('allowed calls run as their account, each its own even when they overlap; outside them the examiner acts', async () => {
  const [pat, ada] = await Promise.all([
    dispatchAs(h.ctx, account('project-manager', 'Pat Manager'), 'search.save', { name: 'Invoices', query: 'invoice' }),
    dispatchAs(h.ctx, account('admin', 'Ada Admin'), 'search.save', { name: 'Wires', query: 'wire' }),
  ]);
  assert.ok(pat.ok && ada.ok);
  const entries = await auditOf('search.save');
  const actorOf = (name: string) => entries.find((e) => (e.details as { after?: { name?: string } }).after?.name === name)?.actor;
  assert.equal(actorOf('Invoices'), 'Pat Manager');
  assert.equal(actorOf('Wires'), 'Ada Admin');
  assert.equal(h.ctx.session().actor, 'The Examiner');
});

test('a job started in a call (an import) runs as its account too', async () => {
  const source = writeWhatsAppExport(h.dir, 'Dana', { messages: 20, seed: 3 });
  const started = await dispatchAs(h.ctx, account('project-manager', 'Pat Manager'), 'imports.start', { source, custodian: 'Dana', tz: 'UTC', dateOrder: 'dmy' });
  assert.ok(started.ok, JSON.stringify(started));
  const job = await jobDone(h.client, (started.result as { jobId: string }).jobId);
  assert.equal(job.state, 'succeeded', JSON.stringify(job.error));
  assert.deepEqual((await auditOf('import')).map((e) => e.actor), ['Pat Manager']);
});
