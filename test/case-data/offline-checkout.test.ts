/**
 * Offline check-out of a review batch, with each back end as the matter: the batch written as a case
 * file of its own, coded there, read back verified and merged (the later change wins per tag group,
 * conflicts listed, notes appended), every step audited; tampered, wrong and repeated check-ins
 * refused with the matter unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeAudit } from '../../src/api/audit-text.ts';
import { actingAs } from '../../src/case/actor.ts';
import { putBlob } from '../../src/case/blobs.ts';
import { dataOf } from '../../src/case/data/index.ts';
import type { CaseData } from '../../src/case/data/interface.ts';
import { messageContentHash } from '../../src/case/message-hash.ts';
import { openCase } from '../../src/case/open.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { openSession } from '../../src/app/open-session.ts';
import { readOfflineFile, writeOfflineFile } from '../../src/app/offline-file.ts';
import { assignBatch, checkInBatch, checkOutBatch } from '../../src/review/batches/checkout.ts';
import { createBatchSet } from '../../src/review/batches/create.ts';
import { checkInOffline } from '../../src/review/batches/offline/checkin.ts';
import { checkOutOffline } from '../../src/review/batches/offline/checkout.ts';
import { listConflicts } from '../../src/review/batches/offline/conflicts.ts';
import { createCodingField, setFieldValue } from '../../src/review/coding-fields.ts';
import { addNote, listNotes } from '../../src/review/notes.ts';
import { markReviewed } from '../../src/review/reviewed.ts';
import { createTag, deleteTag, tagMessages, undoTagChange } from '../../src/review/tags.ts';
import { messageCountCheck } from '../../src/review/verify-counts.ts';
import { PASSPHRASE, tempDir } from '../helpers/case.ts';
import { onEachBackend } from './backends.ts';
import type { Backend } from './backends.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 4, 9);

/** Five messages in "desk" over two days (one with an attachment, one replying to a message of another chat) and one in "other". */
async function seed(data: CaseData): Promise<{ desk: number; ids: number[]; other: number }> {
  const run = data.write.importRuns.start({
    path: '/exports/desk.zip', name: 'desk.zip', size: 1234, sha256: 'd'.repeat(64), importer: 'whatsapp', importerVersion: '1',
    custodian: 'A. Trader', tz: 'UTC', tzReason: null, dateOrder: null, options: '{}', at: T0, pid: process.pid,
  });
  const blob = await putBlob(data, (async function* () { yield Buffer.from('the contract, signed'); })(), { mime: 'application/pdf', runId: run.runId });
  const w = data.write.importRuns.ingest(run);
  const made = data.write.transaction.run(() => {
    const sender = w.addHandle({ kind: 'phone', value: '+15550001', display: 'Alice', participantName: 'Alice', at: T0 });
    const add = (conversationId: number, n: number, sentAt: number, text: string) => {
      const fingerprint = n.toString(16).padStart(32, '0');
      const row = {
        conversation_id: conversationId, sender_handle_id: sender, sent_at: sentAt, raw_time: String(sentAt), kind: 'message', system_type: null, text, subject: null,
        edited: 0, deleted: 0, direction: 'in', forwarded_from: null, external_id: null, fingerprint, source_id: run.sourceId, locator: `line ${n}`,
      };
      const id = w.addMessage({
        conversationId, senderHandleId: sender, sentAt, rawTime: row.raw_time, kind: 'message', systemType: null, text, subject: null, edited: 0, deleted: 0, direction: 'in',
        forwardedFrom: null, externalId: null, fingerprint, contentSha256: messageContentHash(row), fingerprintKey: n, locator: row.locator, timeUnknown: 0, timeSource: null,
      });
      w.addOccurrence(id, row.locator);
      return id;
    };
    const desk = w.addConversation({ platform: 'whatsapp', externalId: 'desk', kind: 'group', name: 'Trading desk' });
    const otherChat = w.addConversation({ platform: 'whatsapp', externalId: 'other', kind: 'direct', name: 'Other' });
    const other = add(otherChat, 9, T0, 'elsewhere');
    const ids = [add(desk, 1, T0 + 1_000, 'move the price'), add(desk, 2, T0 + 2_000, 'the deal is on'), add(desk, 3, T0 + 3_000, 'see attached'),
      add(desk, 4, T0 + DAY, 'next day'), add(desk, 5, T0 + DAY + 1_000, 'as I said')];
    w.addAttachment({ messageId: ids[2]!, seq: 0, name: 'contract.pdf', mime: 'application/pdf', size: blob.size, sha256: blob.sha256, missingReason: null, locator: null });
    w.setReplyTo(ids[1]!, other);
    w.addSourceFile('chat.txt', 100, 'e'.repeat(64));
    w.flush();
    return { desk, ids, other };
  });
  data.write.importRuns.finish(run.runId, 'complete', T0 + 1, '{}');
  return made;
}

interface World {
  matter: CaseSession;
  dir: string;
  ids: number[];
  other: number;
  batchId: number;
  secondBatch: number;
  close(): void;
}

/** A matter with a set of two batches (a day each), batch 1 assigned to ann. */
async function world(backend: () => Backend): Promise<World> {
  const opened = backend().session();
  const matter = opened.session;
  const { desk, ids, other } = await seed(dataOf(matter));
  const set = actingAs('pm', () => createBatchSet(matter, { name: 'First pass', unitSize: 1, conversationIds: [desk] }));
  const [b1, b2] = set.batches;
  actingAs('pm', () => assignBatch(matter, { batchId: b1!.batchId, assignee: 'ann' }));
  const dir = tempDir();
  return {
    matter, dir, ids, other, batchId: b1!.batchId, secondBatch: b2!.batchId,
    close: () => {
      opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Checks batch 1 out offline as ann and writes its file; the file's path. */
function checkOut(w: World, name = 'batch.hfcase'): string {
  const dto = actingAs('ann', () => checkOutOffline(w.matter, { batchId: w.batchId }));
  const file = path.join(w.dir, name);
  writeOfflineFile(file, PASSPHRASE, dto);
  return file;
}

/** Works in the file as ann, then closes it. */
function offline<T>(file: string, fn: (s: CaseSession) => T): T {
  const s = openSession(file, PASSPHRASE);
  try {
    return actingAs('ann', () => fn(s));
  } finally {
    s.close();
  }
}

const tagsOf = (s: CaseSession, id: number) => dataOf(s).read.tags.namesOn([id]).map(([, n]) => n).sort();
const auditLength = (s: CaseSession) => dataOf(s).read.audit.last()!.seq;
const code = (e: unknown) => (e as { code?: string }).code;

onEachBackend((backend) => {
  test("a batch's rows load into an empty case of the same back end as they are, and read back the same", async () => {
    const w = await world(backend);
    const empty = backend().fresh();
    try {
      const rows = dataOf(w.matter).read.slice.ofBatch(w.batchId);
      const byTable = Object.fromEntries(rows.map((t) => [t.table, t.rows.length]));
      assert.equal(byTable.messages, 3);
      assert.equal(byTable.blobs, 1);
      assert.equal(byTable.batches, 1);
      assert.equal(byTable.conversations, 1, 'the other chat, which a message replies to, stays behind');
      assert.equal(rows.find((t) => t.table === 'messages')!.rows.find((m) => m.id === w.ids[1])!.reply_to_id, null, 'the reply points nowhere in the slice');
      empty.data.write.transaction.run(() => empty.data.write.slice.load(rows));
      assert.deepEqual(JSON.parse(JSON.stringify(empty.data.read.slice.ofBatch(w.batchId))), JSON.parse(JSON.stringify(rows)));
      assert.throws(() => empty.data.write.transaction.run(() => empty.data.write.slice.load([{ table: 'audit_log', rows: [] }])), /no table/);
    } finally {
      empty.close();
      w.close();
    }
  });

  test('a clean round trip: the file holds the batch and verifies; tags, marks and notes made offline arrive as the reviewer\'s, audited', async () => {
    const w = await world(backend);
    try {
      const [m1, m2, m3] = w.ids as [number, number, number];
      const file = checkOut(w);
      const b = dataOf(w.matter).read.batches.batch(w.batchId)!;
      assert.equal(b.state, 'checked-out');
      assert.equal(b.holder, 'ann');
      assert.ok(b.offline_checkout, 'the batch names its offline check-out');
      assert.throws(() => actingAs('bob', () => checkOutBatch(w.matter, { batchId: w.batchId })), (e) => code(e) === 'CASE_BUSY');
      assert.throws(() => actingAs('bob', () => checkOutOffline(w.matter, { batchId: w.batchId })), (e) => code(e) === 'CASE_BUSY');
      assert.throws(() => actingAs('ann', () => checkInBatch(w.matter, { batchId: w.batchId })), /checked out offline/);

      offline(file, (s) => {
        const data = dataOf(s);
        assert.deepEqual(verifyCase(data, [messageCountCheck]).problems, [], 'the file verifies: chain, message hashes, the attachment, counts per run');
        assert.deepEqual(data.read.messages.existing([...w.ids, w.other]), [m1, m2, m3], 'only batch 1 (the first day) is in the file');
        assert.equal(data.read.blobContent.all().length, 1, 'the attachment content came along');
        assert.equal(data.read.batches.batch(w.batchId)!.holder, 'ann');
        assert.deepEqual(tagsOf(s, m1), []);
        tagMessages(s, { tag: 'Responsive', messageIds: [m1, m2] });
        tagMessages(s, { tag: 'Hot', messageIds: [m1] });
        markReviewed(s, { messageIds: [m3], reviewed: true });
        addNote(s, { messageId: m2, text: 'ask about the deal' });
      });

      const auditBefore = auditLength(w.matter);
      const result = actingAs('ann', () => checkInOffline(w.matter, readOfflineFile(file, PASSPHRASE)));
      assert.equal(result.applied, 4, 'Responsiveness on two, Hot on one, a review mark');
      assert.equal(result.conflicts, 0);
      assert.equal(result.notesAdded, 1);
      assert.deepEqual(tagsOf(w.matter, m1), ['Hot', 'Responsive']);
      assert.deepEqual(tagsOf(w.matter, m2), ['Responsive']);
      assert.deepEqual(dataOf(w.matter).read.reviewMarks.marked([m3]), [m3]);
      assert.deepEqual(listNotes(w.matter, { messageId: m2 }).map((n) => [n.by, n.text]), [['ann', 'ask about the deal']]);

      const entries = dataOf(w.matter).read.audit.after(auditBefore, undefined, -1);
      const applied = entries.filter((e) => e.action === 'tag.apply');
      assert.equal(applied.length, 2);
      assert.ok(applied.every((e) => e.actor === 'ann'), 'each applied change is the reviewer\'s');
      const d = JSON.parse(applied[0]!.details) as { offline: { at: number; checkout: string }; after: { at: number } };
      assert.equal(d.offline.checkout, b.offline_checkout);
      assert.equal(d.after.at, d.offline.at, 'the tag carries the time it was put on offline');
      const checkin = entries.at(-1)!;
      assert.equal(checkin.action, 'batch.checkin-offline');
      assert.equal(JSON.parse(checkin.details).applied, 4);
      assert.equal(describeAudit(checkin.action, JSON.parse(checkin.details)), 'Checked in batch 1 from its offline file: 4 changes applied, 0 conflicts (0 won offline, 0 on the matter), 1 note added.');
      const after = dataOf(w.matter).read.batches.batch(w.batchId)!;
      assert.equal(after.state, 'checked-in');
      assert.equal(after.offline_checkout, null, 'the holder is released');

      const again = auditLength(w.matter);
      assert.throws(() => actingAs('ann', () => checkInOffline(w.matter, readOfflineFile(file, PASSPHRASE))), (e) => code(e) === 'VALIDATION' && /already checked in/.test(String(e)));
      assert.equal(auditLength(w.matter), again, 'a second check-in changes nothing');
    } finally {
      w.close();
    }
  });

  test('a conflict per tag group: the later change wins, both values listed; notes on both sides kept', async () => {
    const w = await world(backend);
    try {
      const [m1, m2, m3] = w.ids as [number, number, number];
      const file = checkOut(w);
      // m1: the matter codes first, the file later (offline wins); m2: the file first, the matter later (the matter wins).
      actingAs('pm', () => tagMessages(w.matter, { tag: 'Non-responsive', messageIds: [m1] }));
      await sleep(5);
      offline(file, (s) => tagMessages(s, { tag: 'Responsive', messageIds: [m1, m2, m3] }));
      await sleep(5);
      actingAs('pm', () => tagMessages(w.matter, { tag: 'Non-responsive', messageIds: [m2] }));
      actingAs('pm', () => addNote(w.matter, { messageId: m3, text: 'matter side' }));
      offline(file, (s) => addNote(s, { messageId: m3, text: 'plane side' }));

      const r = actingAs('ann', () => checkInOffline(w.matter, readOfflineFile(file, PASSPHRASE)));
      assert.equal(r.conflicts, 2);
      assert.equal(r.offlineWon, 1);
      assert.equal(r.serverWon, 1);
      assert.deepEqual(tagsOf(w.matter, m1), ['Responsive'], 'offline was later: its choice in the group replaces the matter\'s');
      assert.deepEqual(tagsOf(w.matter, m2), ['Non-responsive'], 'the matter was later: kept');
      assert.deepEqual(tagsOf(w.matter, m3), ['Responsive'], 'only offline changed it');
      assert.deepEqual(listNotes(w.matter, { messageId: m3 }).map((n) => n.text).sort(), ['matter side', 'plane side']);

      const conflicts = listConflicts(w.matter, { batchId: w.batchId });
      assert.deepEqual(conflicts.map((c) => ({ m: c.messageId, label: c.label, base: c.base, offline: c.offline, server: c.server, winner: c.winner, offlineBy: c.offlineBy, serverBy: c.serverBy })), [
        { m: m1, label: 'Responsiveness', base: [], offline: ['Responsive'], server: ['Non-responsive'], winner: 'offline', offlineBy: 'ann', serverBy: 'pm' },
        { m: m2, label: 'Responsiveness', base: [], offline: ['Responsive'], server: ['Non-responsive'], winner: 'server', offlineBy: 'ann', serverBy: 'pm' },
      ]);
      assert.ok(conflicts[0]!.offlineAt > conflicts[0]!.serverAt && conflicts[1]!.offlineAt < conflicts[1]!.serverAt, 'each side\'s time is listed');
      const setId = dataOf(w.matter).read.batches.batch(w.batchId)!.set_id;
      assert.equal(listConflicts(w.matter, { setId }).length, 2, 'listed per set too');
    } finally {
      w.close();
    }
  });

  test('tags the matter deleted while the batch was out: the deletion stands, what the file did with them is listed; the rest merges', async () => {
    const w = await world(backend);
    try {
      const [m1, m2, m3] = w.ids as [number, number, number];
      const group = dataOf(w.matter).read.tagging.withCounts().find((t) => t.name === 'Responsive')!.group_id;
      const escalate = actingAs('pm', () => createTag(w.matter, { name: 'Escalate' }));
      const partly = actingAs('pm', () => createTag(w.matter, { name: 'Partly responsive', groupId: group }));
      const file = checkOut(w);
      offline(file, (s) => {
        tagMessages(s, { tag: 'Escalate', messageIds: [m1] });
        tagMessages(s, { tag: 'Partly responsive', messageIds: [m2] });
        tagMessages(s, { tag: 'Responsive', messageIds: [m3] });
      });
      await sleep(5);
      actingAs('pm', () => deleteTag(w.matter, { tagId: escalate.id }));
      actingAs('pm', () => deleteTag(w.matter, { tagId: partly.id }));

      // Uncoded by the deletions, m1 and m2 leave their unit unreviewed: checked in with a reason.
      const read = readOfflineFile(file, PASSPHRASE);
      assert.throws(() => actingAs('ann', () => checkInOffline(w.matter, read)), (e) => code(e) === 'VALIDATION' && /not yet reviewed/.test((e as Error).message));
      const r = actingAs('ann', () => checkInOffline(w.matter, { ...read, force: true, reason: 'coding tags deleted on the matter' }));
      assert.deepEqual([r.applied, r.conflicts, r.serverWon, r.offlineWon], [1, 2, 2, 0]);
      assert.deepEqual([tagsOf(w.matter, m1), tagsOf(w.matter, m2), tagsOf(w.matter, m3)], [[], [], ['Responsive']]);
      const conflicts = listConflicts(w.matter, { batchId: w.batchId });
      assert.deepEqual(conflicts.map((c) => ({ m: c.messageId, label: c.label, base: c.base, offline: c.offline, server: c.server, winner: c.winner, serverBy: c.serverBy })), [
        { m: m1, label: 'Escalate', base: [], offline: ['Escalate'], server: [], winner: 'server', serverBy: 'pm' },
        { m: m2, label: 'Responsiveness', base: [], offline: ['Partly responsive'], server: [], winner: 'server', serverBy: 'pm' },
      ]);
      assert.ok(conflicts.every((c) => c.serverAt > c.offlineAt), 'the deletion came after the offline coding');
      assert.deepEqual(verifyCase(dataOf(w.matter)).problems, []);
    } finally {
      w.close();
    }
  });

  test('coding field values, a privilege basis and a review mark taken off come back as made offline', async () => {
    const w = await world(backend);
    try {
      const [m1, m2, m3] = w.ids as [number, number, number];
      const field = actingAs('pm', () => createCodingField(w.matter, { name: 'Issue', type: 'text' }));
      actingAs('pm', () => markReviewed(w.matter, { messageIds: [m3], reviewed: true }));
      const file = checkOut(w);
      offline(file, (s) => {
        setFieldValue(s, { fieldId: field.id, value: 'price fixing', messageIds: [m1] });
        tagMessages(s, { tag: 'Non-responsive', messageIds: [m1] });
        tagMessages(s, { tag: 'Privileged', basis: 'advice of counsel', messageIds: [m2] });
        markReviewed(s, { messageIds: [m3], reviewed: false });
        tagMessages(s, { tag: 'Responsive', messageIds: [m3] });
      });
      const r = actingAs('ann', () => checkInOffline(w.matter, readOfflineFile(file, PASSPHRASE)));
      assert.equal(r.applied, 5);
      const data = dataOf(w.matter);
      assert.deepEqual(data.read.fields.valuesOf(field.id, [m1]), [[m1, 'price fixing']]);
      assert.deepEqual(data.read.tagging.bases(data.read.tagging.byName('Privileged')!.id, [m2]), [[m2, 'advice of counsel']]);
      assert.deepEqual(data.read.reviewMarks.marked([m3]), [], 'the mark taken off offline is off');
      assert.deepEqual(tagsOf(w.matter, m3), ['Responsive']);
      const entries = data.read.audit.after(r.auditSeq - 10, undefined, -1).map((e) => e.action);
      assert.ok(entries.includes('field.set') && entries.includes('review.unmark'));
    } finally {
      w.close();
    }
  });

  test('a privilege basis re-written offline on a tag the message kept arrives; re-written on both sides, the later wins and is listed', async () => {
    const w = await world(backend);
    try {
      const [m1, m2, m3] = w.ids as [number, number, number];
      actingAs('pm', () => tagMessages(w.matter, { tag: 'Privileged', basis: 'work product', messageIds: [m1, m2, m3] }));
      const file = checkOut(w);
      actingAs('pm', () => tagMessages(w.matter, { tag: 'Privileged', basis: 'litigation memo', messageIds: [m2] }));
      await sleep(5);
      offline(file, (s) => {
        tagMessages(s, { tag: 'Privileged', basis: 'advice of counsel', messageIds: [m1] });
        tagMessages(s, { tag: 'Privileged', basis: 'common interest', messageIds: [m2] });
        tagMessages(s, { tag: 'Privileged', basis: '', messageIds: [m3] });
      });
      const read = readOfflineFile(file, PASSPHRASE);
      assert.deepEqual(read.changes.map((c) => c.messageId).sort(), [m1, m2, m3].sort(), 'each re-based message is a change of the file');
      const r = actingAs('ann', () => checkInOffline(w.matter, read));
      assert.equal(r.applied, 3);
      assert.equal(r.conflicts, 1);
      assert.equal(r.offlineWon, 1);
      const data = dataOf(w.matter);
      const privileged = data.read.tagging.byName('Privileged')!.id;
      assert.deepEqual(data.read.tagging.bases(privileged, [m1, m2, m3]).sort((a, b) => a[0] - b[0]), [[m1, 'advice of counsel'], [m2, 'common interest'], [m3, null]].sort((a, b) => (a[0] as number) - (b[0] as number)));
      const conflicts = listConflicts(w.matter, { batchId: w.batchId });
      assert.deepEqual(conflicts.map((c) => ({ m: c.messageId, offline: c.offline, server: c.server, winner: c.winner })), [
        { m: m2, offline: ['Privileged (basis: common interest)'], server: ['Privileged (basis: litigation memo)'], winner: 'offline' },
      ]);
      const rebased = data.read.audit.after(r.auditSeq - 10, undefined, -1).filter((e) => e.action === 'tag.basis' && e.actor === 'ann');
      assert.ok(rebased.length > 0, 'the new bases are audited as the reviewer\'s');
      assert.ok(rebased.every((e) => (JSON.parse(e.details) as { offline?: { checkout: string } }).offline?.checkout === read.checkout), 'with the check-out as context');
    } finally {
      w.close();
    }
  });

  test('the change id a check-in returns undoes its tags; with no tag changed there is none', async () => {
    const w = await world(backend);
    try {
      const [m1, m2] = w.ids as [number, number];
      const field = actingAs('pm', () => createCodingField(w.matter, { name: 'Issue', type: 'text' }));
      const file = checkOut(w);
      offline(file, (s) => {
        setFieldValue(s, { fieldId: field.id, value: 'price fixing', messageIds: [m1] });
        markReviewed(s, { messageIds: [m2], reviewed: true });
      });
      const r = actingAs('ann', () => checkInOffline(w.matter, { ...readOfflineFile(file, PASSPHRASE), force: true, reason: 'fields only' }));
      assert.equal(r.applied, 2);
      assert.equal(r.change, null, 'no tag changed: nothing for tags.undo');

      const again = await world(backend);
      try {
        const a1 = again.ids[0]!;
        const file2 = checkOut(again);
        offline(file2, (s) => tagMessages(s, { tag: 'Responsive', messageIds: [a1] }));
        const r2 = actingAs('ann', () => checkInOffline(again.matter, { ...readOfflineFile(file2, PASSPHRASE), force: true, reason: 'one tag' }));
        assert.notEqual(r2.change, null);
        assert.deepEqual(tagsOf(again.matter, a1), ['Responsive']);
        actingAs('ann', () => undoTagChange(again.matter, { change: r2.change! }));
        assert.deepEqual(tagsOf(again.matter, a1), [], 'the returned change id undoes the tag applied at check-in');
      } finally {
        again.close();
      }
    } finally {
      w.close();
    }
  });

  test('a file changed outside Holdfast is refused and the matter is unchanged', async () => {
    const w = await world(backend);
    try {
      const [m1, m2] = w.ids as [number, number];
      const file = checkOut(w);
      offline(file, (s) => tagMessages(s, { tag: 'Responsive', messageIds: [m1] }));
      const checkedOut = dataOf(w.matter).read.batches.batch(w.batchId)!;
      const length = auditLength(w.matter);
      // A tag written straight into the file, with no audit entry.
      const raw = openCase(file, PASSPHRASE);
      raw.db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at) SELECT ?, id, 'ann', 1 FROM tags WHERE name = 'Hot'").run(m2);
      raw.db.close();
      assert.throws(() => readOfflineFile(file, PASSPHRASE), (e) => code(e) === 'VERIFY_FAILED' && /outside Holdfast/.test(String(e)));
      // A message's text edited: its content hash no longer matches.
      const raw2 = openCase(file, PASSPHRASE);
      raw2.db.prepare('DELETE FROM message_tags WHERE message_id = ?').run(m2);
      raw2.db.prepare("UPDATE messages SET text = 'nothing to see' WHERE id = ?").run(m1);
      raw2.db.close();
      assert.throws(() => readOfflineFile(file, PASSPHRASE), (e) => code(e) === 'VERIFY_FAILED' && /differs from what was imported/.test(String(e)));
      assert.equal(auditLength(w.matter), length);
      assert.deepEqual(dataOf(w.matter).read.batches.batch(w.batchId), checkedOut, 'still checked out offline');
      assert.deepEqual(tagsOf(w.matter, m1), []);
    } finally {
      w.close();
    }
  });

  test('the wrong file is refused: another batch, a replaced check-out, another matter', async () => {
    const w = await world(backend);
    const elsewhere = await world(backend);
    try {
      const first = checkOut(w, 'first.hfcase');
      offline(first, (s) => tagMessages(s, { tag: 'Responsive', messageIds: [w.ids[0]!] }));
      const read = readOfflineFile(first, PASSPHRASE);
      const length = auditLength(w.matter);
      assert.throws(() => actingAs('ann', () => checkInOffline(w.matter, { ...read, batchId: w.secondBatch })), (e) => code(e) === 'VALIDATION' && /not one this matter made/.test(String(e)));
      assert.throws(() => actingAs('ann', () => checkInOffline(elsewhere.matter, read)), (e) => code(e) === 'VALIDATION' && /not of this one/.test(String(e)));
      const second = checkOut(w, 'second.hfcase');
      assert.throws(() => actingAs('ann', () => checkInOffline(w.matter, read)), (e) => code(e) === 'VALIDATION' && /no longer checked out to this file/.test(String(e)));
      assert.equal(auditLength(w.matter), length + 1, 'only the second check-out was written');
      assert.deepEqual(tagsOf(w.matter, w.ids[0]!), []);
      offline(second, (s) => markReviewed(s, { messageIds: w.ids.slice(0, 3), reviewed: true }));
      const r = actingAs('ann', () => checkInOffline(w.matter, readOfflineFile(second, PASSPHRASE)));
      assert.equal(r.applied, 3);
    } finally {
      w.close();
      elsewhere.close();
    }
  });
});
