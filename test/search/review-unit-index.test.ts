/**
 * The review units of family hits, cut from the index's arrays, against the cut by brute force (conversation,
 * calendar day in the zone, parts of MAX_UNIT_EVENTS in (time, id) order): ids out of time order, messages that
 * are not live, days across a DST change; the cache follows the index's generation and the zone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bitset } from '../../src/search/bitset.ts';
import { MAX_UNIT_EVENTS, dayOf } from '../../src/case/review-units.ts';
import { countFamilies, unitIndex } from '../../src/search/review-unit-index.ts';
import type { UnitSource } from '../../src/search/review-unit-index.ts';

interface Msg {
  live: boolean;
  conversation: number;
  sentAt: number;
}

function sourceOf(msgs: Msg[]): UnitSource {
  const maxId = msgs.length;
  const live = new Bitset(maxId + 2);
  const conversation = new Uint32Array(maxId + 1);
  const sentAt = new Float64Array(maxId + 1);
  msgs.forEach((m, i) => {
    if (m.live) live.add(i + 1);
    conversation[i + 1] = m.conversation;
    sentAt[i + 1] = m.sentAt;
  });
  return { maxId, generation: 1, live, conversation, sentAt };
}

/** Each live id's unit key and each key's size, by the definition. */
function bruteForce(msgs: Msg[], tz: string): { keyOf: Map<number, string>; size: Map<string, number> } {
  const ids = msgs.flatMap((m, i) => (m.live ? [i + 1] : []));
  ids.sort((a, b) => msgs[a - 1]!.conversation - msgs[b - 1]!.conversation || msgs[a - 1]!.sentAt - msgs[b - 1]!.sentAt || a - b);
  const keyOf = new Map<number, string>();
  const size = new Map<string, number>();
  const rank = new Map<string, number>();
  for (const id of ids) {
    const m = msgs[id - 1]!;
    const day = `${m.conversation}:${dayOf(m.sentAt, tz).day}`;
    const r = rank.get(day) ?? 0;
    rank.set(day, r + 1);
    const key = `${day}:${Math.floor(r / MAX_UNIT_EVENTS)}`;
    keyOf.set(id, key);
    size.set(key, (size.get(key) ?? 0) + 1);
  }
  return { keyOf, size };
}

function assertSameCut(msgs: Msg[], tz: string): void {
  const units = unitIndex(sourceOf(msgs), tz);
  const { keyOf, size } = bruteForce(msgs, tz);
  const keyOfUnit = new Map<number, string>();
  msgs.forEach((m, i) => {
    const id = i + 1;
    const u = units.unitOf[id]!;
    if (!m.live) return assert.equal(u, 0, `message ${id} is not live`);
    const key = keyOf.get(id)!;
    assert.notEqual(u, 0);
    assert.equal(keyOfUnit.get(u) ?? key, key, `unit ${u} holds one key`);
    keyOfUnit.set(u, key);
    assert.equal(units.size[u], size.get(key), `size of ${key}`);
  });
  assert.equal(keyOfUnit.size, size.size, 'one unit per key');
}

// Around the US change to daylight time (2024-03-10, New York) and two days either side.
const T0 = Date.UTC(2024, 2, 8);
const msgArb = fc.record({
  live: fc.integer({ min: 0, max: 7 }).map((x) => x !== 0),
  conversation: fc.integer({ min: 1, max: 4 }),
  sentAt: fc.integer({ min: 0, max: 5 * 24 * 60 }).map((minute) => T0 + minute * 60_000),
});

test('units from the index arrays equal the cut by brute force (ids out of time order, dead messages, DST days)', () => {
  fc.assert(
    fc.property(fc.array(msgArb, { minLength: 1, maxLength: 300 }), fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), (msgs, tz) => {
      assertSameCut(msgs, tz);
    }),
    { numRuns: 200, seed: 29 },
  );
});

test('a day of more than MAX_UNIT_EVENTS events is cut into parts in (time, id) order', () => {
  const n = 2.5 * MAX_UNIT_EVENTS;
  // One conversation's day, times descending with the id, some equal, a few dead; a second conversation beside it.
  const msgs: Msg[] = Array.from({ length: n }, (_, i) => ({ live: i % 97 !== 0, conversation: i % 10 === 0 ? 2 : 1, sentAt: T0 + 1000 * Math.floor((n - i) / 3) }));
  assertSameCut(msgs, 'UTC');
  assert.equal(new Set(unitIndex(sourceOf(msgs), 'UTC').unitOf).size - 1, 4, 'three parts of conversation 1, one of 2');
});

test('the units are kept per index until its generation or the zone changes; family counts restart per stamp', () => {
  const msgs: Msg[] = [
    { live: true, conversation: 1, sentAt: T0 + 3_600_000 },
    { live: true, conversation: 1, sentAt: T0 + 23 * 3_600_000 },
    { live: true, conversation: 2, sentAt: T0 + 3_600_000 },
  ];
  const source = sourceOf(msgs);
  const utc = unitIndex(source, 'UTC');
  assert.equal(unitIndex(source, 'UTC'), utc);
  assert.equal(utc.size.length - 1, 2);
  // 23:00 UTC is the next day in Kolkata: message 2 gets a unit of its own.
  assert.equal(unitIndex(source, 'Asia/Kolkata').size.length - 1, 3);
  const before = unitIndex(source, 'UTC');
  assert.deepEqual(before, utc);
  source.live.delete(2);
  source.generation++;
  const after = unitIndex(source, 'UTC');
  assert.notEqual(after, before);
  assert.equal(after.unitOf[2], 0);

  const seen = new Uint32Array(after.size.length);
  const words = new Bitset(8);
  for (const id of [1, 2, 3]) words.add(id);
  assert.deepEqual(countFamilies(after, words.words, seen, 1), { units: 2, messages: 2 });
  assert.deepEqual(countFamilies(after, words.words, seen, 2), { units: 2, messages: 2 });
  assert.deepEqual(countFamilies(after, words.words, seen, 2), { units: 0, messages: 0 });
});
