/**
 * kill -9 during an import (a WhatsApp zip, and an encrypted msgstore.db.crypt15 decrypted in
 * memory), an index rebuild and a production (test/reliability/kill-at-random.ts
 * does the work and states what is checked after each kill; run it by hand for many more rounds).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killAtRandom } from './kill-at-random.ts';

test('kill -9 at random moments: the case stays whole and the same command completes it exactly', async () => {
  const seed = Number(process.env.HOLDFAST_KILL_SEED ?? 20261122);
  const reports = await killAtRandom({
    rounds: 6,
    seed,
    // The encrypted backup twice: killed early (starting, checking the key) and later (decrypted, importing).
    ops: ['import-zip', 'import-crypt15', 'reindex', 'produce-pdf', 'produce-xlsx', 'import-crypt15'],
    textMessages: 1_000,
    maxDelayMs: 4_000,
    log: (l) => console.log(`# ${l}`),
  });
  assert.deepEqual(reports.map((r) => r.op), ['import-zip', 'import-crypt15', 'reindex', 'produce-pdf', 'produce-xlsx', 'import-crypt15']);
});
