/**
 * SQL only in the data layer: src/case/data/ (the data interface and its SQLCipher implementation)
 * and src/case/migrations/ (the schema). Files that still hold SQL of their own are listed below; the
 * list only shrinks: a file that gains SQL fails, and so does a listed file that no longer has any
 * (take it off). Importers are outside the rule: their SQL reads the source's own databases
 * (iMessage, WhatsApp, Android), never the case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';
import { files } from './imports.ts';

const DATA_LAYER = ['src/case/data/', 'src/case/migrations/'];
const FOREIGN_SQL = ['src/importers/'];

/** Still to move behind src/case/data/interface.ts. */
const STILL_HOLDING_SQL = [
  'src/case/store.ts',
];

/** A string literal holding an SQL statement (or the start of one). */
const SQL = /(['"`])[^'"`]*?\b(SELECT|INSERT INTO|INSERT OR|UPDATE \w+ SET|DELETE FROM|PRAGMA|CREATE TABLE|CREATE INDEX|WITH RECURSIVE)\b/;

function holdsSql(file: string): boolean {
  return SQL.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

test('SQL only in the data layer (and the shrinking list of files still to move)', () => {
  const withSql = files('src').filter((f) => ![...DATA_LAYER, ...FOREIGN_SQL].some((d) => f.startsWith(d)) && holdsSql(f));
  assert.deepEqual(withSql.filter((f) => !STILL_HOLDING_SQL.includes(f)).sort(), [], 'new SQL outside src/case/data/: put it behind the data interface');
  assert.deepEqual(STILL_HOLDING_SQL.filter((f) => !withSql.includes(f)), [], 'these hold no SQL any more: take them off the list');
});

test('the data layer is found by the check (it would see SQL where there is some)', () => {
  assert.ok(files('src/case/data').some(holdsSql));
});
