/** The CLI goes through the app's API: the same input out of the API's limits fails with the same code and message. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ApiError } from '../../src/api/client.ts';
import { cli, newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { inProcessHarness } from '../helpers/app.ts';
import type { Harness } from '../helpers/app.ts';

let file: string;
let app: Harness;

before(async () => {
  file = path.join(tempDir('holdfast-cli-api-'), 'case.hfcase');
  newCase(path.dirname(file), path.basename(file)).close();
  app = await inProcessHarness();
  await app.client.call('cases.open', { path: file, passphrase: PASSPHRASE });
});

after(() => app.close());

/** The API's error for a call, as the CLI prints it. */
async function apiLine(call: () => Promise<unknown>): Promise<string> {
  const err = await call().then(() => assert.fail('the API accepted it'), (e: unknown) => e);
  assert.ok(err instanceof ApiError);
  return `holdfast: ${err.code}: ${err.message}`;
}

function cliLine(args: string[]): string {
  const r = cli(args);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  return r.stderr.trimEnd();
}

test('a search page above the API cap: the same VALIDATION from both', async () => {
  const expected = await apiLine(() => app.client.call('search.query', { query: 'price', limit: 5000 }));
  assert.match(expected, /^holdfast: VALIDATION: .*limit/);
  assert.equal(cliLine(['search', file, 'price', '--limit', '5000', '--json']), expected);
});

test('an alert page above the API cap: the same VALIDATION from both', async () => {
  const expected = await apiLine(() => app.client.call('surveillance.alerts', { limit: 5000 }));
  assert.equal(cliLine(['alerts', file, '--limit', '5000', '--json']), expected);
});
