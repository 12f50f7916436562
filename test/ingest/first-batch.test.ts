/**
 * An import's first messages are committed within moments, not only after a full batch: a second
 * session that has the case open (the app's reader, another reviewer) finds them while the import
 * is still reading its source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingest } from '../../src/ingest/ingest.ts';
import type { Importer, ImportRecord } from '../../src/importers/types.ts';
import { openSession } from '../../src/app/open-session.ts';
import { prepareIndex } from '../../src/search/index-manager.ts';
import { searchMessages } from '../../src/search/search.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { applyHoldsToRun } from '../../src/review/hold-scope.ts';
import { newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';

const T0 = Date.UTC(2024, 5, 1, 9, 0, 0);
const from = { kind: 'phone', value: '+447700900002' } as const;
const message = (i: number): ImportRecord => ({
  type: 'message', conversationKey: 'c', externalId: `m${i}`, sender: from, direction: 'in', sentAt: T0 + i * 1000, rawTime: String(T0 + i * 1000),
  timePrecision: 'second', kind: 'message', text: `shipment number ${i}`, locator: `message ${i}`,
});

test("a second session finds an import's first messages while the import is still reading", async () => {
  const dir = tempDir();
  const session = newCase(dir);
  const reader = openSession(session.path, PASSPHRASE);
  prepareIndex(reader);
  const seen: number[] = [];
  const importer: Importer = {
    id: 'test-slow', name: 'Slow source', description: 'a source read slowly', version: '1',
    detect: async () => ({ confidence: 1 }),
    probe: async () => ({}),
    estimate: async () => ({ total: 4 }),
    async *read() {
      yield { type: 'conversation', key: 'c', platform: 'test', externalId: 'c', kind: 'direct', members: [{ handle: from }], locator: 'c' };
      yield message(1);
      // A source that is slow to give its next messages (a big attachment, a slow disk): well under a full batch's second.
      await sleep(300);
      yield message(2);
      await sleep(300);
      seen.push(searchMessages(reader, { query: 'shipment', limit: 10 }).total);
      yield message(3);
      yield message(4);
    },
  };
  const source = path.join(dir, 'source.json');
  fs.writeFileSync(source, 'slow');
  const r = await ingest({ data: dataOf(session), casePath: session.path, source, importer, options: { tz: 'UTC' }, actor: 'Tester', applyHolds: applyHoldsToRun });
  assert.equal(r.messages, 4);
  assert.deepEqual(seen, [2], 'the first two messages were committed and searchable 600 ms into the import');
  assert.equal(searchMessages(reader, { query: 'shipment', limit: 10 }).total, 4);
  reader.close();
  session.close();
});
