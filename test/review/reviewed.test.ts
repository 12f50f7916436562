/** Review status: coded or marked reviewed, the marks audited, `reviewed:` and the progress counts agreeing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/case.ts';
import { tagMessages } from '../../src/review/tags.ts';
import { markReviewed, reviewedAmong, reviewProgress } from '../../src/review/reviewed.ts';
import { getMessages } from '../../src/case/messages.ts';
import { matchingMessageIds } from '../../src/search/search.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, createCaseFile, importFile, withCase } from './helpers.ts';

test('a message is reviewed when coded or marked; marks are audited and counted per search and per conversation', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 1), count: 30, stepMs: 3_600_000, authors: ['Ann', 'Bo'], seed: 5 })), 'Ann');
  await withCase(caseFile, async (s) => {
    const ids = s.db.prepare("SELECT id FROM messages WHERE kind = 'message' ORDER BY id").pluck().all() as number[];
    const conversationId = s.db.prepare('SELECT conversation_id FROM messages LIMIT 1').pluck().get() as number;
    const all = s.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    assert.deepEqual(reviewProgress(s, { conversationId }), { total: all, reviewed: 0 });

    tagMessages(s, { tag: 'Responsive', messageIds: ids.slice(0, 3) });
    tagMessages(s, { tag: 'Hot', messageIds: ids.slice(3, 6) });
    const marked = markReviewed(s, { messageIds: ids.slice(2, 5), reviewed: true });
    assert.equal(marked.changed, 3);
    const reviewed = [...ids.slice(0, 5)];
    assert.deepEqual(matchingMessageIds(s, 'reviewed:yes'), reviewed, 'coded (Responsive) or marked; Hot alone is not reviewed');
    assert.equal(matchingMessageIds(s, 'reviewed:no').length, all - reviewed.length);
    assert.deepEqual(getMessages(s, ids.slice(4, 6)).map((m) => m.reviewed), [true, false]);
    assert.deepEqual(reviewProgress(s, { conversationId }), { total: all, reviewed: 5 });
    assert.deepEqual(reviewedAmong(s, { ids: [...ids.slice(0, 7)].reverse() }), ids.slice(0, 5), 'the grid asks which of its rows are reviewed');
    const everyMessage = reviewProgress(s, { query: 'reviewed:yes OR reviewed:no' });
    assert.deepEqual(everyMessage, { total: all, reviewed: 5 });

    const entry = auditOf(s, 'review.mark').at(-1)!;
    assert.deepEqual(entry.details.messageIds, ids.slice(2, 5));
    assert.equal(entry.details.changed, 3);
    assert.equal(markReviewed(s, { messageIds: ids.slice(2, 5), reviewed: true }).changed, 0, 'marking twice changes nothing');
    assert.equal(auditOf(s, 'review.mark').length, 1, 'and writes no entry');

    // Unmarking a coded message leaves it reviewed (its coding decides).
    const unmarked = markReviewed(s, { messageIds: ids.slice(2, 5), reviewed: false });
    assert.equal(unmarked.changed, 3);
    assert.equal(unmarked.stillCoded, 1);
    assert.deepEqual(matchingMessageIds(s, 'reviewed:yes'), ids.slice(0, 3));
    assert.deepEqual(auditOf(s, 'review.unmark').at(-1)!.details.messageIds, ids.slice(2, 5));
  });
});
