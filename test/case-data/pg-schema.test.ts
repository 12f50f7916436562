/**
 * A matter's PostgreSQL schema: made by migrations that can run again without effect, the same
 * tables and columns as a SQLCipher case, append-only audit log, fixed signing key and hold
 * enforcement in the database.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { toErrorDTO } from '../../src/api/errors.ts';
import { openBridge } from '../../src/case/data/postgres/bridge.ts';
import type { Bridge } from '../../src/case/data/postgres/bridge.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { PG_MIGRATIONS } from '../../src/case/data/postgres/migrations/index.ts';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import { newCase } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

let pg: Postgres;
let url: string;
before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
});
after(() => pg.stop());

function onSchema(schema: string): Bridge {
  const b = openBridge(url);
  b.exec(`SET search_path TO ${schema}`);
  return b;
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return toErrorDTO(e);
  }
  assert.fail('expected a refusal');
}

test('a matter migrates from empty to the newest version, and opening it again changes nothing', (t) => {
  assert.equal(PG_MIGRATIONS.length, MIGRATIONS.length, 'one PostgreSQL migration per SQLite migration');
  const first = openPostgresData(url, { matter: 'again' });
  first.close();
  const second = openPostgresData(url, { matter: 'again' });
  t.after(() => second.close());
  const b = onSchema(second.schema);
  t.after(() => b.close());
  assert.deepEqual(b.column('SELECT version FROM schema_version ORDER BY version'), MIGRATIONS.map((m) => m.version));
  assert.equal(b.value('SELECT count(*) FROM tags'), 5, 'the default tags once');
  assert.equal(b.value('SELECT count(*) FROM tag_groups'), 1);
});

test('the same tables and columns as a SQLCipher case', (t) => {
  const session = newCase();
  t.after(() => {
    session.close();
    fs.rmSync(path.dirname(session.path), { recursive: true, force: true });
  });
  const sqlite = new Map<string, string[]>();
  for (const name of session.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]) {
    sqlite.set(name, (session.db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(name) as string[]).sort());
  }
  const matter = openPostgresData(url, { matter: 'columns' });
  t.after(() => matter.close());
  const b = onSchema(matter.schema);
  t.after(() => b.close());
  const postgres = new Map<string, string[]>();
  for (const [table, column] of b.rows<[string, string]>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'schema_version' ORDER BY table_name, column_name COLLATE \"C\"",
    [matter.schema],
  )) {
    postgres.set(table, [...(postgres.get(table) ?? []), column]);
  }
  assert.deepEqual(Object.fromEntries(postgres), Object.fromEntries([...sqlite].map(([k, v]) => [k, v.sort()])));
});

test('the audit log is append-only and the signing key fixed, in the database', (t) => {
  const matter = openPostgresData(url, { matter: 'append_only' });
  t.after(() => matter.close());
  matter.write.audit.append({ seq: 1, at: 1, actor: 'Tester', action: 'case.create', details: '{}', prev_hash: '0'.repeat(64), hash: 'a'.repeat(64) });
  matter.write.signingKey.create({ publicKey: Buffer.from('pub'), privateKey: Buffer.from('priv'), fingerprint: 'fp', at: 1 });
  const b = onSchema(matter.schema);
  t.after(() => b.close());
  assert.match(refusal(() => b.run('DELETE FROM audit_log')).message, /append-only/);
  assert.match(refusal(() => b.run("UPDATE audit_log SET actor = 'Mallory'")).message, /append-only/);
  assert.match(refusal(() => b.exec('TRUNCATE audit_log')).message, /append-only/);
  assert.match(refusal(() => b.run('DELETE FROM signing_key')).message, /cannot be removed/);
  assert.deepEqual(matter.read.signingKey.publicKey(), { public_key: Buffer.from('pub'), fingerprint: 'fp' });
  assert.equal(matter.read.signingKey.supported(), true);
  assert.equal(matter.read.audit.count(undefined), 1);
});

test('an active hold cannot be deleted in the database; a released one can', (t) => {
  const matter = openPostgresData(url, { matter: 'holds' });
  t.after(() => matter.close());
  const hold = matter.write.holds.create({ name: 'H', matter: null, reason: null, createdBy: 'Tester', createdAt: 1, scope: '{}' });
  const b = onSchema(matter.schema);
  t.after(() => b.close());
  assert.deepEqual(refusal(() => b.run('DELETE FROM holds WHERE id = $1', [hold])), {
    code: 'HOLD_VIOLATION',
    message: 'an active legal hold cannot be deleted; release it with a reason',
  });
  matter.write.holds.release(hold, { at: 2, by: 'Tester', reason: 'done' });
  assert.equal(b.run('DELETE FROM holds WHERE id = $1', [hold]), 1);
});

test('a schema from a newer version is refused, and so is a matter name that is no plain name', () => {
  const matter = openPostgresData(url, { matter: 'newer' });
  const b = onSchema(matter.schema);
  b.run("INSERT INTO schema_version(version, name, applied_at) VALUES (99, 'future', 0)");
  b.close();
  matter.close();
  assert.equal(refusal(() => openPostgresData(url, { matter: 'newer' })).code, 'CASE_FROM_NEWER_VERSION');
  assert.equal(refusal(() => openPostgresData(url, { matter: 'x; DROP SCHEMA public' })).code, 'VALIDATION');
});

test("another connection's committed change to the messages moves the change marks; a rolled-back one does not", async (t) => {
  const reader = openPostgresData(url, { matter: 'marks' });
  const writer = openPostgresData(url, { matter: 'marks' });
  t.after(() => {
    reader.close();
    writer.close();
  });
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const start = reader.read.searchIndex.changeMarks();
  const add = () => {
    const run = writer.write.importRuns.start({
      path: '/x', name: 'x', size: 1, sha256: `${Math.random()}`, importer: 'whatsapp', importerVersion: '1', custodian: null, tz: 'UTC', tzReason: null, dateOrder: null, options: '{}', at: 1, pid: 1,
    });
    const w = writer.write.importRuns.ingest(run);
    const conversation = w.addConversation({ platform: 'p', externalId: `${run.runId}`, kind: 'direct', name: null });
    w.addMessage({
      conversationId: conversation, senderHandleId: null, sentAt: 1, rawTime: '1', kind: 'message', systemType: null, text: 't', subject: null, edited: 0, deleted: 0,
      direction: 'in', forwardedFrom: null, externalId: null, fingerprint: `${run.runId}`, contentSha256: 'x', fingerprintKey: run.runId, locator: 'l', timeUnknown: 0, timeSource: null,
    });
    w.flush();
  };
  assert.throws(() => writer.write.transaction.run(() => {
    add();
    throw new Error('rolled back');
  }));
  await settle();
  assert.deepEqual(reader.read.searchIndex.changeMarks(), start, 'nothing was committed');
  writer.write.transaction.run(add);
  await settle();
  assert.notDeepEqual(reader.read.searchIndex.changeMarks(), start);
  assert.equal(reader.read.searchIndex.messageCount(), 1);
});

test('the ids an import run did not use are handed back so that the sequence still names its last id (what the next run and case copies read)', (t) => {
  const matter = openPostgresData(url, { matter: 'id_blocks' });
  const b = onSchema(matter.schema);
  t.after(() => {
    b.close();
    matter.close();
  });
  const run = (sha: string, messages: number): number[] => {
    const ids = matter.write.importRuns.start({
      path: '/x', name: 'x', size: 1, sha256: sha, importer: 'whatsapp', importerVersion: '1', custodian: null, tz: 'UTC', tzReason: null, dateOrder: null, options: '{}', at: 1, pid: 1,
    });
    return matter.write.transaction.run(() => {
      const w = matter.write.importRuns.ingest(ids);
      const conversation = w.addConversation({ platform: 'p', externalId: sha, kind: 'direct', name: null });
      const added = Array.from({ length: messages }, (_, i) =>
        w.addMessage({
          conversationId: conversation, senderHandleId: null, sentAt: i, rawTime: `${i}`, kind: 'message', systemType: null, text: 't', subject: null, edited: 0, deleted: 0,
          direction: 'in', forwardedFrom: null, externalId: null, fingerprint: `${sha}${i}`, contentSha256: 'x', fingerprintKey: ids.runId * 1000 + i, locator: 'l', timeUnknown: 0, timeSource: null,
        }),
      );
      w.flush();
      return added;
    });
  };
  const first = run('one', 3);
  assert.equal(b.value<number>("SELECT pg_sequence_last_value(pg_get_serial_sequence('messages', 'id')::regclass)"), first.at(-1));
  const second = run('two', 2);
  assert.equal(second[0], first.at(-1)! + 1, 'ids run on');
  assert.deepEqual(b.column<number>('SELECT messages_after FROM import_runs ORDER BY id'), [0, first.at(-1)]);
});
