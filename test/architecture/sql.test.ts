/**
 * SQL only in the data layer: src/case/data/ (the data interface and its SQLCipher implementation)
 * and src/case/migrations/ (the schema). Importers are outside the rule: their SQL reads the source's
 * own databases (iMessage, WhatsApp, Android), never the case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';
import { files } from './imports.ts';

const DATA_LAYER = ['src/case/data/', 'src/case/migrations/'];
const FOREIGN_SQL = ['src/importers/'];

/** A string literal holding an SQL statement (or the start of one). */
const SQL = /(['"`])[^'"`]*?\b(SELECT|INSERT INTO|INSERT OR|UPDATE \w+ SET|DELETE FROM|PRAGMA|CREATE TABLE|CREATE INDEX|WITH RECURSIVE)\b/;

function holdsSql(file: string): boolean {
  return SQL.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

test('SQL only in the data layer', () => {
  const withSql = files('src').filter((f) => ![...DATA_LAYER, ...FOREIGN_SQL].some((d) => f.startsWith(d)) && holdsSql(f));
  assert.deepEqual(withSql.sort(), [], 'SQL outside src/case/data/: put it behind the data interface');
});

test('the data layer is found by the check (it would see SQL where there is some)', () => {
  assert.ok(files('src/case/data').some(holdsSql));
});
