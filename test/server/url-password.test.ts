/** A job's database address travels without its password; the password goes apart and back unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinPassword, splitPassword } from '../../src/case/data/postgres/url-password.ts';

test('the password is taken out of the address and put back as it was', () => {
  const url = 'postgres://holdfast:p%40ss%2Fw%3Ard%20x@db.example:5432/holdfast?sslmode=require';
  const split = splitPassword(url);
  assert.equal(split.password, 'p@ss/w:rd x');
  assert.equal(split.url, 'postgres://holdfast@db.example:5432/holdfast?sslmode=require');
  assert.ok(!split.url.includes('p%40ss'));
  assert.equal(splitPassword(joinPassword(split.url, split.password)).password, 'p@ss/w:rd x');
});

test('an address without a password, or that is no URL, is left as it is', () => {
  assert.deepEqual(splitPassword('postgres://holdfast@localhost/holdfast'), { url: 'postgres://holdfast@localhost/holdfast', password: '' });
  assert.deepEqual(splitPassword('not a url'), { url: 'not a url', password: '' });
  assert.equal(joinPassword('postgres://holdfast@localhost/holdfast', ''), 'postgres://holdfast@localhost/holdfast');
});
