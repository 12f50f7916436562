import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoTime } from '../../src/api/dto.ts';

/** What isoTime promises: Date's ISO 8601, the epoch for a time no Date holds. */
const reference = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
};

test('stored times read as Date writes them, leap days and the ends of the range included', () => {
  const edges = [0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, -62_167_219_200_000, 1.5, 8.64e15, 1e20, NaN];
  for (const ms of edges) assert.equal(isoTime(ms), reference(ms), String(ms));
  fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => isoTime(ms) === reference(ms)), { numRuns: 20_000, seed: 11 });
  assert.equal(isoTime(null), null);
  assert.equal(isoTime(undefined), null);
});
