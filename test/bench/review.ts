/**
 * `node test/bench/review.ts [--size 200k]`: how review actions scale. Imports the benchmark's
 * seeded WhatsApp corpus into a fresh encrypted case, then times the actions reviewers run on
 * whole selections: conversation list, review units, tag/untag by query, a custodian hold, a
 * retention dry run and purge (half the corpus), deleting the rest, verify. Prints one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { writeWhatsAppCorpus, START } from './corpus.ts';
import { createSession } from '../../src/case/session.ts';
import { runImport } from '../../src/app/run-import.ts';
import { listConversations } from '../../src/review/conversations.ts';
import { listReviewUnits } from '../../src/review/units.ts';
import { tagMessages, untagMessages } from '../../src/review/tags.ts';
import { createHold, releaseHold } from '../../src/review/holds.ts';
import { runRetention } from '../../src/review/retention.ts';
import { deleteConversation } from '../../src/review/delete.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { messageCountCheck } from '../../src/review/verify-counts.ts';
import { matchingMessageIds } from '../../src/search/search.ts';
import { dataOf } from '../../src/case/data/index.ts';

const { values } = parseArgs({ options: { size: { type: 'string', default: '200k' } } });
const m = /^(\d+)([km]?)$/i.exec(values.size)!;
const size = Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdfast-review-bench-'));
const source = path.join(dir, 'WhatsApp Chat with Bench.txt');
await writeWhatsAppCorpus(source, size);
const session = createSession(path.join(dir, 'bench.hfcase'), 'bench passphrase', { name: 'bench', examiner: 'bench' });
const times: Record<string, number> = {};
async function timed<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await fn();
  times[name] = Math.round(performance.now() - t);
  return out;
}

try {
  await timed('import', () => runImport(session, { source, custodian: 'Alice', tz: 'UTC' }, new AbortController().signal));
  const [conv] = await timed('listConversations', () => listConversations(session));
  const units = await timed('listReviewUnits', () => listReviewUnits(session, conv!.id));
  const hits = await timed('query "price"', () => matchingMessageIds(session, 'price').length);
  const tagged = await timed('tag by query "price"', () => tagMessages(session, { tag: 'Hot', query: 'price' }));
  await timed('tag one review unit', () => tagMessages(session, { tag: 'Responsive', unit: units[0]!.key }));
  await timed('untag by query "price"', () => untagMessages(session, { tag: 'Hot', query: 'price' }));
  const hold = await timed('hold by custodian', () => createHold(session, { name: 'All of Alice', custodians: ['Alice'] }));
  await timed('retention dry run (all held)', () => runRetention(session, { olderThan: '90d', now: START + 113 * 86_400_000, dryRun: true }));
  releaseHold(session, { holdId: hold.holdId, reason: 'bench' });
  const purge = await timed('retention purge', () => runRetention(session, { olderThan: '90d', now: START + 113 * 86_400_000 }));
  const rest = await timed('delete conversation', () => deleteConversation(session, { conversationId: conv!.id }));
  const verify = await timed('verify', () => verifyCase(dataOf(session), [messageCountCheck]));
  process.stdout.write(`${JSON.stringify({
    messages: size, units: units.length, queryHits: hits, tagged: tagged.changed, purged: purge.purged, deleted: rest.deleted,
    verifyOk: verify.ok, ms: times, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`);
} finally {
  session.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
