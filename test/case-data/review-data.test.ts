/**
 * More of what review reads and writes, on both back ends: review units, facets, redactions, coding
 * fields, identity links, the dashboard and the case lock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseData, RunIds } from '../../src/case/data/interface.ts';
import { fp, importRun, onEachBackend, withSeed } from './backends.ts';

interface Seeded {
  conv: number;
  ids: [number, number, number];
  run: RunIds;
}

function seed(data: CaseData): Seeded {
  const run = importRun(data, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'Wire the MONEY today', sentAt: 3_600_000 * 5 + 1, fingerprint: fp(1) },
    { conversation: 'team', text: 'money? no', sentAt: 3_600_000 * 5 + 2, fingerprint: fp(2) },
    { conversation: 'team', text: 'Ünïcode Money', sentAt: 3_600_000 * 7, fingerprint: fp(3) },
  ]);
  return { conv: data.read.conversations.names()[0]!.id, ids: run.messageIds as [number, number, number], run };
}

onEachBackend((backend) => {
  test('review units and facets', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    const responsive = data.read.tagging.byName('Responsive')!.id;
    data.write.tagging.apply(responsive, [b], { by: 'T', at: 1, basis: null });
    data.write.tagging.apply(data.read.tagging.byName('Hot')!.id, [a, b], { by: 'T', at: 1, basis: null });
    assert.deepEqual([...data.read.reviewUnits.events(s.conv)], [[3_600_000 * 5 + 1, 1, 0], [3_600_000 * 5 + 2, 1, 1], [3_600_000 * 7, 1, 0]]);
    assert.deepEqual(data.read.reviewUnits.partIds(s.conv, 0, 3_600_000 * 6, 1, 1), [b]);
    const f = data.read.facets.counts([a, b, c]);
    assert.deepEqual(f.tags, [{ value: 'Hot', count: 2 }, { value: 'Responsive', count: 1 }]);
    assert.deepEqual(f.custodians, [{ value: 'Alice', count: 3 }]);
    assert.deepEqual(f.senders, [{ value: 'Alice', count: 3 }]);
    assert.deepEqual(f.platforms, [{ value: 'whatsapp', count: 3 }]);
    assert.deepEqual(f.languages, []);
    assert.deepEqual(data.read.facets.sentTimes([c, a]), [3_600_000 * 7, 3_600_000 * 5 + 1]);
  }));

  test('redactions, and text search as SQLite LIKE does it (ASCII letters in either case)', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    assert.deepEqual(data.read.redactions.containing('money', undefined).map((m) => m.id), [a, b, c]);
    assert.deepEqual(data.read.redactions.containing('ÜNÏ', s.conv).map((m) => m.id), [], 'non-ASCII letters are not folded');
    assert.deepEqual(data.read.redactions.containing('Ünï', s.conv).map((m) => m.id), [c]);
    assert.deepEqual(data.read.redactions.containing('%', undefined), [], 'no wildcards');
    const whole = data.write.redactions.add({ messageId: a, start: null, end: null, reason: 'PII', by: 'T', at: 1 });
    const span = data.write.redactions.add({ messageId: a, start: 0, end: 4, reason: 'PII', by: 'T', at: 2 });
    assert.deepEqual(data.read.redactions.onMessage(a).map((r) => r.id), [whole, span]);
    assert.equal(data.read.redactions.spanMarked(a, 0, 4), true);
    assert.deepEqual(data.read.redactions.marksOn([a, b]), [{ id: whole, message_id: a, start: null, end: null, reason: 'PII' }, { id: span, message_id: a, start: 0, end: 4, reason: 'PII' }]);
    data.write.redactions.delete(whole);
    assert.deepEqual(data.read.redactions.all().map((r) => r.id), [span]);
    assert.deepEqual(data.read.redactions.messageText(b), { id: b, text: 'money? no' });
  }));

  test('coding fields and their values', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    const amount = data.write.fields.create({ name: 'amount', type: 'text', choices: null, by: 'T', at: 1 });
    const stage = data.write.fields.create({ name: 'Stage', type: 'choice', choices: '["open","closed"]', by: 'T', at: 1 });
    assert.equal(data.read.fields.named('AMOUNT'), amount);
    data.write.fields.set(amount, [a, b], { value: '100', by: 'T', at: 2 });
    data.write.fields.set(amount, [b, c], { value: '200', by: 'U', at: 3 });
    data.write.fields.set(stage, [b], { value: 'open', by: 'T', at: 4 });
    assert.deepEqual(data.read.fields.everyValue(amount), [[a, '100'], [b, '200'], [c, '200']]);
    assert.deepEqual(data.read.fields.labelledOn([b]), [[b, 'amount: 200'], [b, 'Stage: open']]);
    assert.deepEqual(data.read.fields.onMessage(b).map((v) => [v.name, v.value, v.by]), [['amount', '200', 'U'], ['Stage', 'open', 'T']]);
    assert.deepEqual(data.read.fields.all().map((f) => [f.name, f.messages]), [['amount', 3], ['Stage', 1]]);
    data.write.fields.clear(amount, [a]);
    assert.deepEqual(data.read.fields.valuesOf(amount, [a, b]), [[b, '200']]);
    data.write.fields.delete(stage);
    assert.equal(data.read.fields.get(stage), undefined);
  }));

  test('identity links, the dashboard and the case lock', withSeed(backend, seed, (data, s) => {
    const w = data.write.importRuns.ingest(s.run);
    const bob = w.addHandle({ kind: 'email', value: 'bob@example.com', display: null, participantName: 'Bob', at: 1 });
    const people = data.read.identities.participants(undefined);
    const [alice, bobPerson] = people.map((p) => p.id) as [number, number];
    data.write.identityLinks.merge(alice, [bobPerson]);
    assert.deepEqual(data.read.identityLinks.handles([bob]).map((h) => [h.participantId, h.participant]), [[alice, 'Alice']]);
    assert.equal(data.read.identityLinks.hasHandleValue(alice, 'bob@example.com'), true);
    data.write.identityLinks.rename(alice, 'Alice B.');
    assert.deepEqual(data.read.identityLinks.participants([alice, bobPerson]), [{ id: alice, name: 'Alice B.' }]);

    assert.deepEqual(data.read.dashboard.totals(), { n: 3, first: 3_600_000 * 5 + 1, last: 3_600_000 * 7 });
    assert.deepEqual(data.read.dashboard.perHour(), [{ h: 5, n: 2 }, { h: 7, n: 1 }]);
    assert.deepEqual(data.read.dashboard.senders().map((x) => [x.who, x.name, x.n]), [[`p${alice}`, 'Alice B.', 3]]);
    assert.deepEqual(data.read.dashboard.perSenderConversation().map((x) => [x.c, x.n]), [[s.conv, 3]]);
    assert.deepEqual([...data.read.dashboard.handlePeople()].map((x) => x.who), [`p${alice}`, `p${alice}`]);
    data.write.conversations.setPersonal(s.conv, true);
    assert.equal(data.read.dashboard.conversations(), 0);
    assert.equal(data.read.dashboard.totals().n, 0);

    data.write.caseLock.clear();
    data.write.caseLock.take({ pid: 10, thread: 1, host: 'a', purpose: 'import', at: 5 });
    data.write.caseLock.take({ pid: 11, thread: 2, host: 'b', purpose: 'review', at: 6 });
    assert.deepEqual(data.read.caseLock.holder(), { id: 1, pid: 11, thread: 2, host: 'b', purpose: 'review', acquired_at: 6 });
    assert.equal(data.write.caseLock.releaseThread(11, 1, 'b'), false);
    assert.equal(data.write.caseLock.releaseThread(11, 2, 'b'), true);
    assert.equal(data.read.caseLock.holder(), undefined);
  }));
});
