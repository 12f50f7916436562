/**
 * The layers of src/ point down: a folder imports only folders of a lower layer (and itself), never
 * a sibling of its own layer. The order, lowest first, is the one the README's architecture section
 * describes; importers parse sources and know nothing of the case file or of ingest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { files, imports } from './imports.ts';

/** Lowest first; folders on one line are siblings and do not import each other. */
const LAYERS: string[][] = [
  ['api', 'version.ts'],
  ['case'],
  ['importers', 'enrich'],
  ['search'],
  ['ingest', 'review', 'surveillance', 'analysis'],
  ['production'],
  ['app'],
  ['server'],
  ['cli'],
];

const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((name) => [name, i] as const)));

/** The top folder (or file) of src/ a path is in; undefined outside src/. */
function part(file: string): string | undefined {
  const m = /^src\/([^/]+)/.exec(file);
  return m?.[1];
}

test('every folder of src/ has a layer', () => {
  const unplaced = [...new Set(files('src').map(part))].filter((p) => p !== undefined && !rank.has(p));
  assert.deepEqual(unplaced, []);
});

test('a layer imports only lower layers and itself', () => {
  const problems: string[] = [];
  for (const file of files('src')) {
    const from = part(file)!;
    for (const i of imports(file)) {
      const to = i.target === null ? undefined : part(i.target);
      if (to === undefined || to === from) continue;
      if (rank.get(to)! >= rank.get(from)!) problems.push(`${file} (${from}) imports ${i.target} (${to})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('importers import only the contract and each other (no ingest, no case storage)', () => {
  const problems: string[] = [];
  for (const file of files('src/importers')) {
    for (const i of imports(file)) {
      if (i.target !== null && !i.target.startsWith('src/importers/') && !i.target.startsWith('src/api/')) problems.push(`${file}: ${i.spec}`);
    }
  }
  assert.deepEqual(problems, []);
});
