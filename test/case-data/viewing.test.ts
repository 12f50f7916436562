/**
 * What review shows, on both back ends: the message view (batches, details, positions), the
 * conversation list and its figures, and people with their handles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseData } from '../../src/case/data/interface.ts';
import { fp, importRun, onEachBackend, withSeed } from './backends.ts';

interface Seeded {
  team: number;
  side: number;
  ids: number[];
  alice: number;
  bob: number;
}

/** Two conversations: "team" (three messages, a reaction, an edit, a recipient, a member, two names) and "side" (one message). */
function seed(data: CaseData): Seeded {
  const run = importRun(data, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'one', sentAt: 3000, fingerprint: fp(1) },
    { conversation: 'team', text: 'two', sentAt: 1000, fingerprint: fp(2), attachment: { name: 'a.jpg', sha256: null } },
    { conversation: 'team', text: 'three', sentAt: 2000, fingerprint: fp(3) },
    { conversation: 'side', text: 'aside', sentAt: 500, fingerprint: fp(4) },
  ]);
  const w = data.write.importRuns.ingest(run);
  const [conv, side] = data.read.conversations.names().map((c) => c.id) as [number, number];
  const bob = w.addHandle({ kind: 'phone', value: '+15550002', display: 'Bob', participantName: 'Bob', at: 1 });
  const alice = w.handleId('phone', '+15550001')!;
  w.addMember(conv, bob, 500, null);
  w.addReaction({ messageId: run.messageIds[0]!, handleId: bob, value: '👍', at: 3500, removed: 0, locator: 'r1' });
  w.addEdit(run.messageIds[0]!, 0, 2500, 'on');
  w.addRecipient(run.messageIds[0]!, 0, 'to', bob);
  w.addConversationName(conv, 'team', 1000);
  w.addConversationName(conv, 'the team', null);
  w.flush();
  return { team: conv, side, ids: run.messageIds, alice, bob };
}

onEachBackend((backend) => {
  test('the message view: batches in conversation then time order, details, positions and pages', withSeed(backend, seed, (data, s) => {
    const [one, two, three, aside] = s.ids as [number, number, number, number];
    const all = [...data.read.messageView.batches({ includePersonal: false })].flat();
    assert.deepEqual(all.map((m) => m.id), [two, three, one, aside]);
    assert.deepEqual(
      { conversation: all[0]!.conversation, sender: all[0]!.sender_name, display: all[0]!.sender_display, kind: all[0]!.kind, direction: all[0]!.direction },
      { conversation: 'team', sender: 'Alice', display: 'Alice', kind: 'message', direction: 'in' },
    );
    assert.deepEqual([...data.read.messageView.batches({ includePersonal: false, ids: [aside, one] })].flat().map((m) => m.id), [one, aside]);
    data.write.conversations.setPersonal(s.side, true);
    assert.deepEqual([...data.read.messageView.batches({ includePersonal: false })].flat().map((m) => m.id), [two, three, one]);
    assert.deepEqual([...data.read.messageView.batches({ includePersonal: true, conversationId: s.side })].flat().map((m) => m.id), [aside]);

    const details = data.read.messageView.details([one, two]);
    assert.deepEqual(details.attachments.map((a) => [a.message_id, a.name]), [[two, 'a.jpg']]);
    assert.deepEqual(details.reactions, [{ message_id: one, value: '👍', sender: 'Bob', at: 3500, removed: 0 }]);
    assert.deepEqual(details.edits, [{ message_id: one, seq: 0, edited_at: 2500, text: 'on' }]);
    assert.deepEqual(details.recipients, [{ message_id: one, role: 'to', display: 'Bob', value: '+15550002' }]);
    assert.deepEqual(details.reviewed, []);
    assert.equal(data.read.messageView.position(s.team, one), 2);
    assert.equal(data.read.messageView.position(s.side, one), undefined);
    assert.deepEqual(data.read.messageView.page(s.team, 2, 1), [three, one]);
    assert.deepEqual([...data.read.messageView.stored()].map((m) => [m.id, m.text]), [[one, 'one'], [two, 'two'], [three, 'three'], [aside, 'aside']]);
  }));

  test('the message view reads past a batch of 500', withSeed(backend, seed, (data, s) => {
    const run = importRun(data, 'c'.repeat(64), 'Alice', Array.from({ length: 1203 }, (_, i) => ({ conversation: 'bulk', text: `b${i}`, sentAt: 10_000 + i, fingerprint: fp(100 + i) })));
    const batches = [...data.read.messageView.batches({ includePersonal: true })];
    assert.deepEqual(batches.map((b) => b.length), [500, 500, 207]);
    assert.deepEqual(batches.flat().slice(4).map((m) => m.id), run.messageIds);
    assert.equal(new Set(batches.flat().map((m) => m.id)).size, 1207);
    assert.ok(s.ids.every((id) => batches.flat().some((m) => m.id === id)));
  }));

  test('conversations as review lists them, with their figures', withSeed(backend, seed, (data, s) => {
    assert.deepEqual(data.read.conversationReview.list({}).map((c) => c.id), [s.team, s.side]);
    assert.deepEqual(data.read.conversationReview.list({ name: 'TEA' }).map((c) => c.id), [s.team]);
    assert.deepEqual(data.read.conversationReview.list({ custodian: 'Alice', ids: [s.side] }).map((c) => c.id), [s.side]);
    assert.deepEqual(data.read.conversationReview.list({ participantId: data.read.identities.participants(undefined).find((p) => p.name === 'Bob')!.id }).map((c) => c.id), [s.team]);
    data.write.conversations.setPersonal(s.side, true);
    assert.deepEqual(data.read.conversationReview.list({ personal: true }).map((c) => c.id), [s.side]);
    assert.deepEqual(data.read.conversationReview.counts([s.team]), [{ id: s.team, messages: 3, events: 3, firstAt: 1000, lastAt: 3000 }]);
    assert.deepEqual(data.read.conversationReview.participants([s.team]).map((p) => p.name), ['Alice', 'Bob']);
    assert.deepEqual(data.read.conversationReview.custodians([s.team, s.side]), [{ cid: s.team, name: 'Alice' }, { cid: s.side, name: 'Alice' }]);
    data.write.notes.add({ messageId: s.ids[0]!, conversationId: null, by: 'T', at: 1, text: 'n' });
    data.write.notes.add({ messageId: null, conversationId: s.team, by: 'T', at: 1, text: 'n' });
    assert.deepEqual(data.read.conversationReview.noteCounts([s.team, s.side]), [{ cid: s.team, n: 2 }]);
    assert.deepEqual(data.read.conversationReview.nameHistory(s.team), [{ name: 'the team', from_at: null }, { name: 'team', from_at: 1000 }]);
    const members = data.read.conversationReview.members(s.team);
    assert.deepEqual(members.map((m) => [m.handle_id, m.messages, m.joined_at, m.first_at, m.last_at]), [[s.bob, 0, 500, null, null], [s.alice, 3, null, 1000, 3000]]);
    assert.deepEqual(data.read.conversationReview.heldCounts([s.team]), []);
  }));

  test('people and their handles', withSeed(backend, seed, (data, s) => {
    const people = data.read.identities.participants(undefined);
    assert.deepEqual(people.map((p) => p.name), ['Alice', 'Bob']);
    const [alice, bob] = people.map((p) => p.id) as [number, number];
    assert.deepEqual(data.read.identities.handlesOf([alice]).map((h) => [h.id, h.messages]), [[s.alice, 4]]);
    assert.deepEqual(data.read.identities.conversationCounts([alice, bob]), [{ id: alice, n: 2 }, { id: bob, n: 1 }]);
    const both = data.write.identities.createParticipant('Alice Smith', 5);
    data.write.identities.assignHandles(both, [s.alice, s.bob]);
    assert.equal(data.read.identities.otherHandles(both, s.alice), 1);
    assert.deepEqual(data.write.identities.dropEmptyParticipants([alice, bob, both]), [{ id: alice, name: 'Alice' }, { id: bob, name: 'Bob' }]);
    data.write.identities.renameParticipant(both, 'A. Smith');
    assert.deepEqual(data.read.identities.participantNames(), [[both, 'A. Smith']]);
    data.write.identities.moveHandle(s.bob, data.write.identities.createParticipant('bob', 6));
    assert.deepEqual(data.read.identities.linkedHandles().map((h) => h.id), [s.alice, s.bob]);
    assert.deepEqual(data.read.identities.participants(undefined).map((p) => p.name), ['A. Smith', 'bob']);
  }));
});
