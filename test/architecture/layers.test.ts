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

/**
 * The CLI works on a case only through the API (src/cli/README.md): below the app layer it may use
 * pure helpers (option vocabularies, output formatting), and only the commands that need no open
 * case reach the engine itself.
 */
const CLI_ENGINE_IMPORTS = new Set([
  'src/cli/commands/create.ts -> src/case/session.ts',
  'src/cli/commands/create.ts -> src/case/data/index.ts',
  'src/cli/commands/formats.ts -> src/importers/registry.ts',
  'src/cli/commands/verify-production.ts -> src/production/signature.ts',
  'src/cli/commands/enrich.ts -> src/enrich/codes.ts',
  'src/cli/commands/tags.ts -> src/review/tags.ts',
  'src/cli/commands/produce.ts -> src/production/types.ts',
  'src/cli/commands/produce.ts -> src/production/output.ts',
  'src/cli/commands/search.ts -> src/search/snippet.ts',
  'src/cli/commands/search-terms.ts -> src/search/term-list.ts',
  'src/cli/commands/search-terms.ts -> src/search/term-report-export.ts',
  'src/cli/commands/gaps.ts -> src/analysis/gaps/findings.ts',
]);

test('CLI commands reach the case through the API, apart from the listed helpers', () => {
  const problems: string[] = [];
  for (const file of files('src/cli')) {
    for (const i of imports(file)) {
      if (i.typeOnly || i.target === null) continue;
      const to = part(i.target);
      if (to === undefined || rank.get(to)! >= rank.get('app')! || to === 'api') continue;
      if (!CLI_ENGINE_IMPORTS.has(`${file} -> ${i.target}`)) problems.push(`${file} imports ${i.target}`);
    }
  }
  assert.deepEqual(problems, []);
});
