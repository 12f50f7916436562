/**
 * Address-book entries (identity records) in a real encrypted case: the handles one entry names
 * become one person when the run completes, whole people are merged, the link is audited with its
 * evidence, and a run that fails links nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../../src/ingest/ingest.ts';
import type { HandleRef, Importer, ImportRecord } from '../../src/importers/types.ts';
import { linkHandles, listIdentities } from '../../src/review/identities.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { newCase, tempDir } from '../helpers/case.ts';
import { applyHoldsToRun } from '../../src/review/hold-scope.ts';
import { dataOf } from '../../src/case/data/index.ts';

const T0 = Date.UTC(2024, 5, 1, 9, 0, 0);

function importer(records: ImportRecord[], failAfter = false): Importer {
  return {
    id: 'test-records', name: 'Test records', description: 'identity record tests', version: '1',
    detect: async () => ({ confidence: 1 }),
    probe: async () => ({}),
    estimate: async (p) => ({ total: fs.statSync(p).size }),
    async *read() {
      yield* records;
      if (failAfter) throw new Error('the source ends in the middle of a record');
    },
  };
}

let n = 0;
async function run(session: CaseSession, dir: string, records: ImportRecord[], failAfter = false) {
  const source = path.join(dir, `source-${++n}.json`);
  fs.writeFileSync(source, `${n}`);
  return ingest({ data: dataOf(session), casePath: session.path, source, importer: importer(records, failAfter), options: { tz: 'UTC' }, actor: 'Tester', applyHolds: applyHoldsToRun });
}

const chat = (key: string, from: HandleRef, text: string, at: number): ImportRecord[] => [
  { type: 'conversation', key, platform: 'test', externalId: key, kind: 'direct', members: [{ handle: from }], locator: key },
  { type: 'message', conversationKey: key, externalId: `${key}-1`, sender: from, direction: 'in', sentAt: at, rawTime: String(at), timePrecision: 'second', kind: 'message', text, locator: `${key} 1` },
];
const phone: HandleRef = { kind: 'phone', value: '+447700900002' };
const jid: HandleRef = { kind: 'wa-jid', value: '447700900002@s.whatsapp.net' };
const email: HandleRef = { kind: 'email', value: 'bob@desk.example', display: 'Bob T.' };
const handlesOf = (session: CaseSession, value: string) => {
  const found = listIdentities(session).filter((p) => p.handles.some((h) => h.value === value));
  assert.equal(found.length, 1, value);
  return found[0]!;
};

test('an address-book entry merges the people behind its handles, names a bare number, and is audited with its evidence', async () => {
  const dir = tempDir();
  const session = newCase(dir);
  await run(session, dir, [...chat('wa', phone, 'by number', T0), ...chat('wa2', jid, 'by jid', T0 + 1000)]);
  // A reviewer already made the number and the JID one person: the entry must not split them.
  linkHandles(session, { handleIds: [handlesOf(session, phone.value).handles[0]!.id, handlesOf(session, jid.value).handles[0]!.id] });
  await run(session, dir, [...chat('mail', email, 'by address', T0 + 2000)]);
  assert.notEqual(handlesOf(session, email.value).id, handlesOf(session, phone.value).id);

  const r = await run(session, dir, [{ type: 'identity', name: 'Bob Trader', handles: [email, phone], locator: 'Contacts item 0' }]);
  assert.equal(r.messages, 0, 'an entry is not a message');
  const bob = handlesOf(session, phone.value);
  assert.deepEqual(bob.handles.map((h) => `${h.kind}:${h.value}`).sort(), ['email:bob@desk.example', 'phone:+447700900002', 'wa-jid:447700900002@s.whatsapp.net']);
  assert.equal(bob.name, 'Bob Trader', 'a person known only by a number takes the address book name');
  assert.equal(session.db.prepare('SELECT count(DISTINCT participant_id) FROM handles').pluck().get(), 1);
  const audit = session.db.prepare("SELECT details FROM audit_log WHERE action = 'identity.link' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
  const details = JSON.parse(audit) as { evidence: { kind: string; locator: string; runId: number; sourceId: number }; after: { participantId: number } };
  assert.deepEqual([details.evidence.kind, details.evidence.locator, details.evidence.sourceId, details.after.participantId], ['address book', 'Contacts item 0', r.sourceId, bob.id]);

  // The same evidence again changes nothing and audits nothing.
  const links = () => session.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'identity.link'").pluck().get();
  const before = links();
  await run(session, dir, [{ type: 'identity', name: 'Bob Trader', handles: [phone, email], locator: 'Contacts item 0' }]);
  assert.equal(links(), before);
  session.close();
});

test('a run that fails after its address-book entries links nothing and leaves no handle behind', async () => {
  const dir = tempDir();
  const session = newCase(dir);
  await run(session, dir, [...chat('wa', phone, 'by number', T0), ...chat('mail', email, 'by address', T0 + 1000)]);
  const people = listIdentities(session);
  const handles = session.db.prepare('SELECT count(*) FROM handles').pluck().get();
  await assert.rejects(run(session, dir, [
    { type: 'identity', name: 'Bob Trader', handles: [email, phone], locator: 'Contacts item 0' },
    { type: 'identity', name: 'Carol', handles: [{ kind: 'email', value: 'carol@broker.example' }, { kind: 'phone', value: '+14155550103' }], locator: 'Contacts item 1' },
  ], true));
  assert.deepEqual(listIdentities(session), people);
  assert.equal(session.db.prepare('SELECT count(*) FROM handles').pluck().get(), handles);
  assert.equal(session.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'identity.link'").pluck().get(), 0);
  session.close();
});

test('an entry with one handle, or one handle twice, links nothing', async () => {
  const dir = tempDir();
  const session = newCase(dir);
  await run(session, dir, [
    ...chat('wa', phone, 'by number', T0),
    { type: 'identity', name: 'Bob Trader', handles: [phone], locator: 'Contacts item 0' },
    { type: 'identity', name: 'Bob Trader', handles: [phone, { kind: 'phone', value: '+447700900002' }], locator: 'Contacts item 1' },
  ]);
  assert.equal(listIdentities(session).length, 1);
  assert.equal(session.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'identity.link'").pluck().get(), 0);
  session.close();
});
