import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, tempDir } from '../helpers/case.ts';
import type { TagDTO, TagResultDTO } from '../../src/api/dto.ts';
import { searchMessages } from '../../src/search/search.ts';
import { createTag, deleteTag, listTags, tagMessages, untagMessages, updateTag } from '../../src/review/tags.ts';
import { addNote, deleteNote, editNote, listNotes } from '../../src/review/notes.ts';
import { setPersonal } from '../../src/review/personal.ts';
import { listReviewUnits } from '../../src/review/units.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, cliFails, codeOf, createCaseFile, importFile, lastSeq, messagesOf, withCase } from './helpers.ts';

const HOUR = 3_600_000;

test('every case starts with the default tag set on keys 1 to 5', async () => {
  const caseFile = createCaseFile(tempDir());
  const tags = cliJson<TagDTO[]>(['tags', caseFile, '--json']);
  assert.deepEqual(
    tags.map((t) => [t.name, t.kind, t.shortcut, t.builtin, t.messages]),
    [
      ['Responsive', 'coding', 1, true, 0],
      ['Non-responsive', 'coding', 2, true, 0],
      ['Privileged', 'privilege', 3, true, 0],
      ['Hot', 'issue', 4, true, 0],
      ['Needs redaction', 'issue', 5, true, 0],
    ],
  );
  await withCase(caseFile, async (s) => {
    assert.equal(await codeOf(() => deleteTag(s, { tagId: tags[2]!.id })), 'VALIDATION', 'a default tag cannot be deleted');
    assert.equal(await codeOf(() => updateTag(s, { tagId: tags[0]!.id, name: 'Relevant' })), 'VALIDATION', 'nor renamed');
    assert.equal(await codeOf(() => createTag(s, { name: 'responsive' })), 'VALIDATION', 'names are unique regardless of case');
    assert.equal(await codeOf(() => createTag(s, { name: 'Fraud', shortcut: 4 })), 'VALIDATION', 'key 4 is taken by Hot');
    const fraud = createTag(s, { name: 'Fraud', kind: 'issue', color: '#AA0000', shortcut: 6 });
    assert.deepEqual([fraud.kind, fraud.color, fraud.shortcut, fraud.builtin], ['issue', '#aa0000', 6, false]);
    const moved = updateTag(s, { tagId: tags[3]!.id, shortcut: 9, color: '#123456' });
    assert.equal(moved.shortcut, 9);
    const log = auditOf(s);
    const update = log.find((e) => e.action === 'tag.update')!;
    assert.deepEqual(update.details.before, { name: 'Hot', kind: 'issue', color: '#c62828', shortcut: 4 });
    assert.deepEqual(update.details.after, { name: 'Hot', kind: 'issue', color: '#123456', shortcut: 9 });
    assert.deepEqual(log.find((e) => e.action === 'tag.create')!.details.after, { name: 'Fraud', kind: 'issue', color: '#aa0000', shortcut: 6 });
  });
});

test('tagging by query changes exactly the query\'s total, tag: finds them, and every change is audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const a = chatter({ start: Date.UTC(2024, 2, 1, 8), count: 300, stepMs: HOUR, authors: ['Alice Smith', 'Bob Jones'], seed: 21, keywordEvery: 6 });
  const p = chatter({ start: Date.UTC(2024, 2, 1, 9), count: 60, stepMs: HOUR, authors: ['Alice Smith', 'Mum'], seed: 22, keywordEvery: 4 });
  await importFile(caseFile, writeExport(dir, 'Deal room', a), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Family', p), 'Alice');
  const falcon = (t: string) => /\bfalcon\b/.test(t);

  const { family, seq, total } = await withCase(caseFile, (s) => {
    const family = messagesOf(s).find((m) => m.conversation === 'Family')!.conversationId;
    setPersonal(s, { conversationId: family, personal: true, reason: 'custodian\'s family chat' });
    return { family, seq: lastSeq(s), total: searchMessages(s, { query: 'falcon' }).total };
  });
  assert.equal(total, a.filter((l) => falcon(l.text)).length, 'personal conversations are outside search by default');

  const tagged = cliJson<TagResultDTO>(['tag', caseFile, '--tag', 'Hot', '--query', 'falcon', '--json']);
  assert.deepEqual(tagged, { tag: 'Hot', changed: total, selected: total, change: tagged.change });
  assert.equal(typeof tagged.change, 'number', 'the change id that undoes it');
  assert.equal(cliJson<TagResultDTO>(['tag', caseFile, '--tag', 'hot', '--query', 'falcon', '--json']).changed, 0, 'tagging again changes nothing');
  assert.equal(cliJson<{ total: number }>(['search', caseFile, 'tag:Hot', '--json']).total, total, 'search tag: finds exactly them');

  await withCase(caseFile, async (s) => {
    const byTag = searchMessages(s, { query: 'tag:Hot', limit: 10_000 });
    assert.equal(byTag.total, total);
    assert.ok(byTag.hits.every((h) => falcon(messagesOf(s).find((m) => m.id === h.messageId)!.text)));
    assert.equal(searchMessages(s, { query: '-tag:Hot falcon' }).total, 0);
    assert.equal(searchMessages(s, { query: 'tag:Hot', includePersonal: true }).total, total, 'nothing personal was tagged');

    const entry = auditOf(s, 'tag.apply', seq)[0]!;
    assert.equal(entry.actor, 'Tester');
    assert.deepEqual(entry.details.target, { query: 'falcon' });
    assert.equal((entry.details.messageIds as number[]).length, total);
    assert.deepEqual(entry.details.before, { tagged: false });
    assert.equal((entry.details.after as { tagged: boolean }).tagged, true);
    assert.equal(auditOf(s, 'tag.apply', seq).length, 1, 'a change of nothing writes no entry');

    // Privileged with a basis (for the privilege log); a basis elsewhere is refused.
    const [m1, m2] = messagesOf(s).filter((m) => m.conversation === 'Deal room');
    const priv = await tagMessages(s, { tag: 'Privileged', messageIds: [m1!.id, m2!.id], basis: 'Legal advice from outside counsel' });
    assert.deepEqual(priv, { tag: 'Privileged', changed: 2, selected: 2, change: priv.change });
    assert.equal(await codeOf(() => tagMessages(s, { tag: 'Responsive', messageIds: [m1!.id], basis: 'x' })), 'VALIDATION');
    const rebased = await tagMessages(s, { tag: 'Privileged', messageIds: [m1!.id], basis: 'Attorney work product' });
    assert.equal(rebased.changed, 1);
    assert.deepEqual(
      s.db.prepare("SELECT message_id, basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'Privileged' ORDER BY message_id").raw().all(),
      [[m1!.id, 'Attorney work product'], [m2!.id, 'Legal advice from outside counsel']],
    );
    const basis = auditOf(s, 'tag.basis').at(-1)!;
    assert.deepEqual(basis.details.before, { basis: ['Legal advice from outside counsel'] });
    assert.equal((basis.details.after as { basis: string }).basis, 'Attorney work product');

    // Untagging records what was removed, basis included.
    const removed = await untagMessages(s, { tag: 'Privileged', messageIds: [m1!.id, m2!.id] });
    assert.equal(removed.changed, 2);
    const rm = auditOf(s, 'tag.remove').at(-1)!;
    assert.deepEqual(rm.details.after, { tagged: false });
    assert.deepEqual((rm.details.before as { tags: { messageId: number; basis: string }[] }).tags.map((t) => [t.messageId, t.basis]), [
      [m1!.id, 'Attorney work product'], [m2!.id, 'Legal advice from outside counsel'],
    ]);

    // A whole conversation (personal ones too, when named), a review unit, a custom tag.
    const whole = await tagMessages(s, { tag: 'Non-responsive', conversationId: family });
    assert.equal(whole.changed, p.length);
    const unit = listReviewUnits(s, m1!.conversationId)[1]!;
    const unitTagged = await tagMessages(s, { tag: 'Responsive', unit: unit.key });
    assert.equal(unitTagged.changed, unit.events);
    assert.equal(listReviewUnits(s, m1!.conversationId)[1]!.status, 'coded');
    assert.equal(listReviewUnits(s, m1!.conversationId)[0]!.status, 'uncoded', 'Hot is an issue tag: it does not code a message');
    assert.equal(await codeOf(() => tagMessages(s, { tag: 'Nope', messageIds: [m1!.id] })), 'NOT_FOUND');
    assert.equal(await codeOf(() => tagMessages(s, { tag: 'Hot', messageIds: [] })), 'VALIDATION');
    assert.equal(await codeOf(() => tagMessages(s, { tag: 'Hot', messageIds: [m1!.id], conversationId: family })), 'VALIDATION');
    assert.equal(await codeOf(() => tagMessages(s, { tag: 'Hot', query: 'from:' })), 'VALIDATION', 'a malformed query is an error, not an empty selection');
  });

  const custom = cliJson<TagResultDTO>(['tag', caseFile, '--tag', 'Board pack', '--message', '1', '2', '3', '--json']);
  assert.deepEqual(custom, { tag: 'Board pack', changed: 3, selected: 3, change: custom.change });
  cliFails(['tag', caseFile, '--tag', 'Hot', '--message', '99999'], 'NOT_FOUND');
  await withCase(caseFile, (s) => {
    assert.equal(listTags(s).find((t) => t.name === 'Board pack')!.messages, 3);
    assert.equal(auditOf(s, 'tag.create').at(-1)!.details.before, null);
    const out = deleteTag(s, { tagId: listTags(s).find((t) => t.name === 'Board pack')!.id });
    assert.deepEqual(out, { deleted: 'Board pack', untagged: 3 });
    const del = auditOf(s, 'tag.delete').at(-1)!;
    assert.equal((del.details.before as { messages: unknown[] }).messages.length, 3);
    assert.equal(del.details.after, null);
  });
});

test('notes on messages and conversations are audited with before and after', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Deal room', chatter({ start: Date.UTC(2024, 0, 1), count: 5, stepMs: HOUR, authors: ['A B', 'C D'] })), 'Alice');
  await withCase(caseFile, async (s) => {
    const [m] = messagesOf(s);
    const onMessage = addNote(s, { messageId: m!.id, text: '  Check against the March invoice.  ' });
    assert.equal(onMessage.text, 'Check against the March invoice.');
    assert.equal(onMessage.by, 'Tester');
    const onConversation = addNote(s, { conversationId: m!.conversationId, text: 'Custodian says this chat continued on Signal.' });
    assert.equal(await codeOf(() => addNote(s, { messageId: m!.id, conversationId: m!.conversationId, text: 'x' })), 'VALIDATION');
    assert.equal(await codeOf(() => addNote(s, { messageId: 424242, text: 'x' })), 'NOT_FOUND');
    assert.equal(await codeOf(() => addNote(s, { messageId: m!.id, text: '   ' })), 'VALIDATION');
    editNote(s, { noteId: onMessage.id, text: 'Matches the March invoice.' });
    assert.deepEqual(listNotes(s, { conversationId: m!.conversationId, withMessages: true }).map((n) => n.id), [onMessage.id, onConversation.id]);
    deleteNote(s, { noteId: onConversation.id });
    const log = auditOf(s).filter((e) => e.action.startsWith('note.'));
    assert.deepEqual(log.map((e) => e.action), ['note.add', 'note.add', 'note.edit', 'note.delete']);
    assert.equal((log[2]!.details.before as { text: string }).text, 'Check against the March invoice.');
    assert.equal((log[2]!.details.after as { text: string }).text, 'Matches the March invoice.');
    assert.equal((log[3]!.details.before as { text: string }).text, 'Custodian says this chat continued on Signal.');
    assert.equal(log[3]!.details.after, null);
  });
});
