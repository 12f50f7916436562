import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, cliJsonl, tempDir } from '../helpers/case.ts';
import type { MessageDTO, PersonalResultDTO } from '../../src/api/dto.ts';
import { searchMessages } from '../../src/search/search.ts';
import { listConversations } from '../../src/review/conversations.ts';
import { createHold } from '../../src/review/holds.ts';
import { deleteMessages } from '../../src/review/delete.ts';
import { setPersonal } from '../../src/review/personal.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, messagesOf, withCase } from './helpers.ts';

test('a personal conversation stays preserved and held but is hidden from review and search by default', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const work = chatter({ start: Date.UTC(2024, 0, 8, 9), count: 40, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 31, keywordEvery: 3 });
  const home = chatter({ start: Date.UTC(2024, 0, 8, 20), count: 25, stepMs: 3_600_000, authors: ['Alice Smith', 'Mum'], seed: 32, keywordEvery: 2 });
  await importFile(caseFile, writeExport(dir, 'Desk', work), 'Alice');
  await importFile(caseFile, writeExport(dir, 'Home', home), 'Alice');
  const falcon = (t: string) => /\bfalcon\b/.test(t);
  const homeId = await withCase(caseFile, async (s) => {
    const id = listConversations(s).find((c) => c.name === 'Home')!.id;
    await createHold(s, { name: 'Everything of Alice', custodians: ['Alice'] });
    return id;
  });

  const marked = cliJson<PersonalResultDTO>(['personal', caseFile, '--conversation', String(homeId), '--reason', 'family chat, agreed with counsel', '--json']);
  assert.deepEqual(marked, { conversationId: homeId, personal: true, changed: true });
  assert.equal(cliJson<PersonalResultDTO>(['personal', caseFile, '--conversation', String(homeId), '--json']).changed, false);
  const shown = cliJsonl<MessageDTO>(['messages', caseFile, '--jsonl']);
  assert.equal(shown.length, work.length, 'review lists leave it out');

  await withCase(caseFile, async (s) => {
    assert.equal(searchMessages(s, { query: 'falcon' }).total, work.filter((l) => falcon(l.text)).length);
    assert.equal(searchMessages(s, { query: 'falcon', includePersonal: true }).total, [...work, ...home].filter((l) => falcon(l.text)).length);
    assert.equal(searchMessages(s, { query: 'in:Home' }).total, 0);
    assert.deepEqual(listConversations(s).map((c) => c.name), ['Desk']);
    assert.deepEqual(listConversations(s, { personal: true }).map((c) => [c.name, c.personal, c.heldMessages]), [['Home', true, home.length]]);

    // Preserved: still in the case, still under the hold.
    const homeMessages = messagesOf(s).filter((m) => m.conversationId === homeId);
    assert.equal(homeMessages.length, home.length);
    assert.equal(await codeOf(() => deleteMessages(s, { messageIds: [homeMessages[0]!.id] })), 'HOLD_VIOLATION');

    const entry = auditOf(s, 'conversation.personal')[0]!;
    assert.deepEqual([entry.details.before, entry.details.after, entry.details.reason, entry.actor], [{ personal: false }, { personal: true }, 'family chat, agreed with counsel', 'Tester']);
    assert.equal(auditOf(s, 'conversation.personal').length, 1, 'no entry when nothing changed');

    setPersonal(s, { conversationId: homeId, personal: false, reason: 'relevant after all' });
    assert.equal(searchMessages(s, { query: 'falcon' }).total, [...work, ...home].filter((l) => falcon(l.text)).length);
    assert.deepEqual(auditOf(s, 'conversation.personal')[1]!.details.after, { personal: false });
    assert.equal(await codeOf(() => setPersonal(s, { conversationId: 4242, personal: true })), 'NOT_FOUND');
  });
});
