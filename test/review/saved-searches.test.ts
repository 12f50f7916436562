/** Saved searches: stored in the case, names unique case-insensitively, creation and deletion audited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newCase } from '../helpers/case.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../src/review/saved-searches.ts';

test('saved searches are listed by name, clash case-insensitively and are audited when saved and deleted', () => {
  const s = newCase();
  try {
    const b = saveSearch(s, { name: 'budget', query: 'budget', sort: 'time-desc', includePersonal: true });
    saveSearch(s, { name: 'Alpha', query: 'alpha OR beta' });
    assert.deepEqual(listSavedSearches(s).map((x) => [x.name, x.sort, x.includePersonal]), [['Alpha', 'relevance', false], ['budget', 'time-desc', true]]);
    assert.throws(() => saveSearch(s, { name: 'BUDGET', query: 'x' }), /already a saved search named "budget"/);
    assert.deepEqual(deleteSavedSearch(s, { savedSearchId: b.id }), { deleted: 'budget' });
    assert.throws(() => deleteSavedSearch(s, { savedSearchId: b.id }), /No saved search/);
    const actions = s.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'search.%' ORDER BY seq").pluck().all();
    assert.deepEqual(actions, ['search.save', 'search.save', 'search.unsave']);
  } finally {
    s.close();
  }
});
