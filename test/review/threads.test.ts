import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, tempDir } from '../helpers/case.ts';
import { insert, modernChatDb, ns } from '../helpers/imessage-db.ts';
import type { ThreadDTO } from '../../src/api/dto.ts';
import { getThread, replyCounts } from '../../src/review/threads.ts';
import { getConversation, listConversations } from '../../src/review/conversations.ts';
import { codeOf, createCaseFile, importFile, messagesOf, withCase } from './helpers.ts';

/** A Messages chat.db (the real modern schema) with a renamed group, a join, and two reply threads. */
function buildChatDb(): string {
  const dir = path.join(tempDir(), 'Messages');
  fs.mkdirSync(dir);
  const db = modernChatDb(path.join(dir, 'chat.db'));
  const alice = insert(db, 'handle', { id: '+15551230001', service: 'iMessage' });
  const bob = insert(db, 'handle', { id: 'bob@example.com', service: 'iMessage' });
  const carol = insert(db, 'handle', { id: '+15551230003', service: 'iMessage' });
  const group = insert(db, 'chat', { guid: 'iMessage;+;chat200', style: 43, chat_identifier: 'chat200', display_name: 'Deal team', service_name: 'iMessage' });
  for (const h of [alice, bob, carol]) insert(db, 'chat_handle_join', { chat_id: group, handle_id: h });
  const msg = (row: Record<string, unknown>) => {
    const id = insert(db, 'message', { service: 'iMessage', account: 'E:me@example.com', ...row });
    insert(db, 'chat_message_join', { chat_id: group, message_id: id, message_date: row.date });
    return id;
  };
  msg({ guid: 'R0', handle_id: alice, item_type: 2, group_title: 'Project X', date: ns(700000000) });
  msg({ guid: 'R1', handle_id: alice, text: 'Price is 42', date: ns(700000100) });
  msg({ guid: 'R2', handle_id: 0, is_from_me: 1, text: 'Shipping on Monday', date: ns(700000200) });
  msg({ guid: 'R3', handle_id: bob, text: 'agreed', thread_originator_guid: 'R1', thread_originator_part: '0:0:11', date: ns(700000300) });
  msg({ guid: 'R4', handle_id: alice, item_type: 1, group_action_type: 0, other_handle: carol, date: ns(700000350) });
  msg({ guid: 'R5', handle_id: carol, text: 'which Monday?', thread_originator_guid: 'R2', thread_originator_part: '0:0:18', date: ns(700000400) });
  msg({ guid: 'R6', handle_id: 0, is_from_me: 1, text: 'too high', thread_originator_guid: 'R1', thread_originator_part: '0:0:11', date: ns(700000500) });
  msg({ guid: 'R7', handle_id: alice, item_type: 2, group_title: 'Deal team', date: ns(700000600) });
  db.close();
  return dir;
}

test('reply threads: the root and its replies in order, from any message of the thread', async () => {
  const caseFile = createCaseFile(tempDir());
  await importFile(caseFile, buildChatDb(), 'Alice');
  const { price, agreed, tooHigh, shipping, which } = await withCase(caseFile, (s) => {
    const all = messagesOf(s);
    const by = (text: string) => all.find((m) => m.text === text)!;
    return { price: by('Price is 42'), agreed: by('agreed'), tooHigh: by('too high'), shipping: by('Shipping on Monday'), which: by('which Monday?') };
  });
  assert.equal(agreed.replyTo, price.id, 'in place, a reply names what it answers');

  const viaCli = cliJson<ThreadDTO>(['thread', caseFile, '--message', String(tooHigh.id), '--json']);
  assert.equal(viaCli.focusId, tooHigh.id);
  assert.equal(viaCli.root.id, price.id);
  assert.deepEqual(viaCli.replies.map((m) => [m.text, m.depth]), [['agreed', 1], ['too high', 1]]);

  await withCase(caseFile, async (s) => {
    assert.deepEqual(getThread(s, price.id).replies.map((m) => m.id), [agreed.id, tooHigh.id], 'the same thread from its root');
    assert.deepEqual(getThread(s, which.id).root.id, shipping.id);
    const alone = messagesOf(s).find((m) => m.kind === 'system')!;
    assert.deepEqual(getThread(s, alone.id).replies, []);
    assert.deepEqual(replyCounts(s, [price.id, shipping.id, agreed.id]), { [price.id]: 2, [shipping.id]: 1 });
    assert.equal(await codeOf(() => getThread(s, 999_999)), 'NOT_FOUND');

    // The conversation over time: renames, members, the join.
    const [conv] = listConversations(s);
    assert.equal(conv!.name, 'Deal team');
    assert.equal(conv!.events, 8);
    const detail = getConversation(s, conv!.id);
    assert.deepEqual(detail.nameHistory.filter((n) => n.fromAt !== null).map((n) => n.name), ['Project X', 'Deal team']);
    assert.deepEqual(detail.membershipEvents.map((e) => e.type), ['rename', 'join', 'rename']);
    // Members (and the device owner, who sent from this chat) in order of first appearance; Carol joined later.
    assert.deepEqual(detail.members.map((m) => [m.handle, m.messages]), [['+15551230001', 4], ['Me', 2], ['bob@example.com', 1], ['+15551230003', 1]]);
    assert.equal(detail.members[3]!.joinedAt, detail.membershipEvents[1]!.at);
    const bob = detail.members.find((m) => m.handle === 'bob@example.com')!;
    assert.equal(bob.messages, 1);
    assert.equal(bob.firstAt, agreed.sentAt);
  });
});
