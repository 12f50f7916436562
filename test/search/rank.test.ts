import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../helpers/generate.ts';
import { Bitset } from '../../src/search/bitset.ts';
import { members, topByScore, topByTime } from '../../src/search/rank.ts';

test('top-k selection equals a full sort, with heavy ties on both keys', () => {
  const r = rng(42);
  for (let round = 0; round < 200; round++) {
    const size = 1 + Math.floor(r() * (round % 10 === 0 ? 60_000 : 3000));
    const set = new Bitset(size);
    const scores = new Float32Array(size);
    const sentAt = new Float64Array(size);
    const distinct = 1 + Math.floor(r() * 6);
    for (let id = 1; id < size; id++) {
      if (r() < 0.6) set.add(id);
      scores[id] = Math.floor(r() * distinct) / 2;
      sentAt[id] = 1_700_000_000_000 + Math.floor(r() * distinct) * 1000;
    }
    const ids = members(set, set.count());
    assert.deepEqual(Array.from(ids), set.toArray());
    const k = Math.floor(r() * 80);
    const all = Array.from(ids);
    const byScore = [...all].sort((a, b) => scores[b]! - scores[a]! || sentAt[a]! - sentAt[b]! || a - b).slice(0, k);
    assert.deepEqual(topByScore(ids, scores, sentAt, k), byScore);
    const asc = [...all].sort((a, b) => sentAt[a]! - sentAt[b]! || a - b).slice(0, k);
    assert.deepEqual(topByTime(ids, sentAt, k, false), asc);
    const desc = [...all].sort((a, b) => sentAt[b]! - sentAt[a]! || b - a).slice(0, k);
    assert.deepEqual(topByTime(ids, sentAt, k, true), desc);
  }
});

test('count, members and collect skip runs of empty words and still see every id, at any set length, density and room', () => {
  const r = rng(7);
  for (let round = 0; round < 300; round++) {
    // Lengths that leave 0-3 words after the last group of four; sparse sets leave whole groups empty.
    const size = Math.floor(r() * 2000);
    const set = new Bitset(size);
    const density = [0, 0.001, 0.01, 0.2, 1][round % 5]!;
    for (let id = 0; id < size; id++) if (r() < density) set.add(id);
    if (round % 7 === 0 && size > 0) set.add(size - 1);
    const expected: number[] = [];
    set.forEach((id) => expected.push(id));
    assert.equal(set.count(), expected.length);
    assert.deepEqual(Array.from(members(set, expected.length)), expected);
    // Collecting into less room than there are members still counts them all.
    const room = new Uint32Array(Math.floor(r() * 1.5 * (expected.length + 1)));
    assert.equal(set.collect(room), expected.length);
    assert.deepEqual(Array.from(room.subarray(0, Math.min(room.length, expected.length))), expected.slice(0, room.length));
  }
});
