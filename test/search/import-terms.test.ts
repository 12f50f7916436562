/**
 * An import hands the index each message's terms from the parser thread (or, for zips and
 * folders, from the writer's own reading); `reindex` reads the same messages back from the case.
 * Both must store the same thing, message by message: attributes, terms and field gaps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { newCase, ROOT } from '../helpers/case.ts';
import { runImport } from '../../src/app/run-import.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { decodeSegment, dropStoredIndex, IndexWriter, readStored } from '../../src/search/index-store.ts';
import { dataOf } from '../../src/case/data/index.ts';

const signal = new AbortController().signal;
const fixture = (...p: string[]) => path.join(ROOT, 'test/fixtures', ...p);

interface Stored {
  conversation: number;
  sender: number;
  sentAt: number;
  flags: number;
  terms: string;
}

/** Every stored message, decoded to its attributes and its terms as text ('|' marks a field gap). */
function storedMessages(s: CaseSession): Map<number, Stored> {
  const stored = readStored(dataOf(s));
  assert.ok(stored, 'the case has a stored index');
  const max = stored.meta.watermark + 2;
  const t = {
    offsets: new Uint32Array(max + 1), tokens: new Uint32Array(stored.segments.reduce((n, g) => n + g.terms, 0)),
    conversation: new Uint32Array(max), sender: new Uint32Array(max), sentAt: new Float64Array(max), flags: new Uint8Array(max),
    ids: [] as number[], onDoc(id: number) { this.ids.push(id); },
  };
  let at = { lastId: 0, tokenAt: 0 };
  for (const seg of stored.segments) at = decodeSegment(seg, t, at.lastId, at.tokenAt, stored.terms.length);
  const out = new Map<number, Stored>();
  for (const id of t.ids) {
    const terms = Array.from(t.tokens.subarray(t.offsets[id]!, t.offsets[id + 1]!), (k) => (k === 0 ? '|' : stored.terms[k]!));
    out.set(id, { conversation: t.conversation[id]!, sender: t.sender[id]!, sentAt: t.sentAt[id]!, flags: t.flags[id]!, terms: terms.join(' ') });
  }
  return out;
}

test('the index an import stores equals the index rebuilt from the case, for every kind of source', async () => {
  const s = newCase();
  const sources = [
    { source: fixture('whatsapp', 'WhatsApp Chat with +123 45 6789.txt'), dateOrder: 'dmy' as const },
    { source: fixture('telegram', 'telegram_2024-01', 'result.json') },
    { source: fixture('sms-backup-restore', 'sms.xml') },
    { source: fixture('slack', 'source_export_dir') },
    { source: fixture('rsmf', 'sample3.rsmf') },
  ];
  for (const p of sources) await runImport(s, { ...p, tz: 'UTC' }, signal);
  const imported = storedMessages(s);
  const messages = s.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
  assert.equal(imported.size, messages);
  // Sources with several fields per message are in there: a subject or edit, and attachment names.
  const gaps = [...imported.values()].filter((m) => m.terms.includes('|'));
  assert.ok(gaps.length > 0, 'some message has more than one field');

  dropStoredIndex(dataOf(s));
  new IndexWriter(dataOf(s)).catchUp();
  const rebuilt = storedMessages(s);
  assert.equal(rebuilt.size, imported.size);
  for (const [id, m] of rebuilt) assert.deepEqual(imported.get(id), m, `message ${id}`);
  s.close();
});
