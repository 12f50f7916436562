/**
 * The importer tests read a case back in their own process (helpers.ts) instead of running
 * `holdfast info` and `holdfast messages` as child processes: what they read must be exactly what
 * the CLI prints, personal conversations included, and a change to the case must show.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, cliJsonl, tempDir, withCaseApi } from '../helpers/case.ts';
import { discordExport } from '../helpers/discord-export.ts';
import { createCase, importSource, messages, snapshot } from './helpers.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

test('the in-process snapshot and messages are what holdfast info and holdfast messages print', async () => {
  const c = createCase();
  const empty = await snapshot(c);
  assert.deepEqual(empty.messages, []);
  await importSource(c, discordExport(tempDir()));
  const personal = await withCaseApi(c, async (api) => {
    const [first] = await api.call('conversations.list', {});
    assert.ok(first);
    await api.call('conversations.setPersonal', { conversationId: first.id, personal: true });
    return first.id;
  });

  const printed = cliJsonl<MessageDTO>(['messages', c, '--jsonl', '--include-personal']);
  assert.equal(printed.length, 7);
  assert.ok(printed.some((m) => m.conversationId === personal), 'a personal conversation is read too');
  assert.deepEqual(await messages(c), printed);

  const { events: _events, ...info } = cliJson<Record<string, unknown>>(['info', c, '--json']);
  const after = await snapshot(c);
  assert.deepEqual(after, { info, messages: printed });
  assert.notDeepEqual(after.info, empty.info, 'an import shows in the counts');
});
