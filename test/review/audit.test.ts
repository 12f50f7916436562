import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, PASSPHRASE, tempDir } from '../helpers/case.ts';
import type { VerifyResultDTO } from '../../src/api/dto.ts';
import { tagMessages, untagMessages, createTag, updateTag, deleteTag } from '../../src/review/tags.ts';
import { addNote, editNote, deleteNote } from '../../src/review/notes.ts';
import { createHold, releaseHold } from '../../src/review/holds.ts';
import { deleteMessages, deleteConversation } from '../../src/review/delete.ts';
import { createRetentionPolicy, deleteRetentionPolicy, runRetention } from '../../src/review/retention.ts';
import { setPersonal } from '../../src/review/personal.ts';
import { linkHandles, renameParticipant, unlinkHandle } from '../../src/review/identities.ts';
import { setDisplayTimeZone } from '../../src/review/time-zone.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, lastSeq, messagesOf, withCase } from './helpers.ts';

/** A connection made behind the application's back, as the SQLCipher command-line client would. */
function rawConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(PASSPHRASE));
  return db;
}

test('every review action is in the audit log with who, before and after; the chain verifies', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Old desk', chatter({ start: Date.UTC(2015, 0, 5), count: 30, stepMs: 86_400_000, authors: ['Alice Smith', 'Bob Jones'], seed: 51, keywordEvery: 3 })), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Spare', chatter({ start: Date.UTC(2024, 0, 5), count: 6, stepMs: 3_600_000, authors: ['Carol King', 'Alice Smith'], seed: 52 })), 'Carol');

  await withCase(caseFile, async (s) => {
    const start = lastSeq(s);
    const all = messagesOf(s);
    const desk = all.filter((m) => m.conversation === 'Old desk');
    const spare = all.filter((m) => m.conversation === 'Spare');
    const custom = createTag(s, { name: 'Follow up', shortcut: 7 });
    updateTag(s, { tagId: custom.id, color: '#336699' });
    await tagMessages(s, { tag: 'Follow up', messageIds: [desk[0]!.id] });
    await tagMessages(s, { tag: 'Privileged', query: 'falcon', basis: 'advice' });
    await tagMessages(s, { tag: 'Privileged', messageIds: [desk[0]!.id], basis: 'work product' });
    await untagMessages(s, { tag: 'Follow up', messageIds: [desk[0]!.id] });
    deleteTag(s, { tagId: custom.id });
    const note = addNote(s, { conversationId: desk[0]!.conversationId, text: 'first look' });
    editNote(s, { noteId: note.id, text: 'second look' });
    deleteNote(s, { noteId: note.id });
    const hold = await createHold(s, { name: 'Early', before: '2015-01-10' });
    assert.equal(await codeOf(() => deleteMessages(s, { messageIds: [desk[0]!.id] })), 'HOLD_VIOLATION');
    await deleteMessages(s, { messageIds: [desk[20]!.id], reason: 'test' });
    setPersonal(s, { conversationId: spare[0]!.conversationId, personal: true });
    const policy = createRetentionPolicy(s, { name: 'Seven years', keep: '7y', custodians: ['Alice'] });
    await runRetention(s, { policyId: policy.id });
    deleteRetentionPolicy(s, { policyId: policy.id });
    releaseHold(s, { holdId: hold.holdId, reason: 'done' });
    const handles = s.db.prepare("SELECT id FROM handles WHERE value IN ('Alice Smith', 'Carol King') ORDER BY id").pluck().all() as number[];
    const person = linkHandles(s, { handleIds: handles });
    renameParticipant(s, { participantId: person.id, name: 'A. Smith' });
    unlinkHandle(s, { handleId: handles[1]! });
    setDisplayTimeZone(s, { tz: 'Asia/Tokyo' });
    await deleteConversation(s, { conversationId: spare[0]!.conversationId });

    const log = auditOf(s, undefined, start);
    const actions = log.map((e) => e.action);
    for (const action of [
      'tag.create', 'tag.update', 'tag.apply', 'tag.basis', 'tag.remove', 'tag.delete', 'note.add', 'note.edit', 'note.delete',
      'hold.create', 'hold.violation', 'messages.delete', 'conversation.personal', 'retention.policy.create', 'retention.purge',
      'retention.policy.delete', 'hold.release', 'identity.link', 'identity.rename', 'identity.unlink', 'case.display-tz', 'conversation.delete',
    ]) {
      assert.ok(actions.includes(action), `${action} is audited`);
    }
    for (const e of log) {
      assert.equal(e.actor, 'Tester');
      if (e.action === 'hold.violation') assert.equal(e.details.outcome, 'refused');
      else assert.ok('before' in e.details && 'after' in e.details, `${e.action} has before and after`);
    }
    const purge = log.find((e) => e.action === 'retention.purge')!;
    assert.deepEqual(purge.details.policy, { id: policy.id, name: 'Seven years' });
  });
  const verified = cliJson<VerifyResultDTO>(['verify', caseFile, '--json']);
  assert.deepEqual(verified.problems, []);
  assert.equal(verified.ok, true);
});

test('a message row edited or removed behind the application\'s back makes verify fail, naming it', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 5), count: 10, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 61 })), 'Alice');
  const ids = await withCase(caseFile, async (s) => {
    const ids = messagesOf(s).map((m) => m.id);
    await deleteMessages(s, { messageIds: [ids[0]!] });
    return ids;
  });
  assert.equal(cli(['verify', caseFile]).status, 0, 'an audited delete is not a problem');
  const pristine = fs.readFileSync(caseFile);

  const raw = rawConnection(caseFile);
  raw.prepare("UPDATE messages SET text = 'I never said that' WHERE id = ?").run(ids[4]);
  raw.close();
  let r = cli(['verify', caseFile, '--json']);
  assert.equal(r.status, 1);
  let result = JSON.parse(r.stdout) as VerifyResultDTO;
  assert.deepEqual(result.problems.map((p) => [p.table, p.id, p.field]), [['messages', ids[4], 'content_sha256']]);

  fs.writeFileSync(caseFile, pristine);
  for (const f of [`${caseFile}-wal`, `${caseFile}-shm`]) fs.rmSync(f, { force: true });
  const raw2 = rawConnection(caseFile);
  raw2.prepare('DELETE FROM messages WHERE id = ?').run(ids[6]);
  raw2.close();
  r = cli(['verify', caseFile, '--json']);
  assert.equal(r.status, 1);
  result = JSON.parse(r.stdout) as VerifyResultDTO;
  assert.equal(result.problems.length, 1);
  assert.deepEqual([result.problems[0]!.table, result.problems[0]!.field], ['messages', 'rows']);
  assert.match(result.problems[0]!.message, /added 10 messages; 1 were deleted with an audit entry, 8 are present: 1 removed without one/);
});
