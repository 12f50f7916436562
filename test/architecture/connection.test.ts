/**
 * Domain code holds the open case or its data interface, never the SQLite connection, so a second
 * storage back end can run it: no file outside the data layer imports better-sqlite3, takes the `DB`
 * type, builds a data object on a bare connection (`dataOfConnection`) or reaches through the open
 * case to its connection (`.db`). The migrations and importers (which read the sources' own
 * databases) are outside the rule; the entry points that open a connection and hand it to the data
 * layer are named below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';
import { files } from './imports.ts';

const EXEMPT = ['src/case/data/', 'src/case/migrations/', 'src/importers/'];

/** Where a case's connection is opened and handed to the data layer. */
const ENTRY_POINTS = [
  'src/app/jobs/runner.ts', // releases a terminated worker's lock on a connection of its own
  'src/app/open-session.ts',
  'src/case/open.ts',
  'src/case/session.ts',
];

const CONNECTION = /from ['"]better-sqlite3-multiple-ciphers['"]|import type \{[^}]*\bDB\b[^}]*\} from|\bdataOfConnection\b|\w\.db\b(?![ \w])/;

function holdsConnection(file: string): boolean {
  return CONNECTION.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

test('only the data layer and the named entry points hold the SQLite connection', () => {
  const holding = files('src').filter((f) => !EXEMPT.some((d) => f.startsWith(d)) && holdsConnection(f));
  assert.deepEqual(holding.filter((f) => !ENTRY_POINTS.includes(f)).sort(), [], 'take the open case or dataOf(session) instead of the connection');
  assert.deepEqual(ENTRY_POINTS.filter((f) => !holding.includes(f)), [], 'these no longer open a connection: take them off the list');
});

test('the check sees the connection where it is held', () => {
  assert.ok(files('src/case/data').some(holdsConnection));
});
