/**
 * Enrichment remembers short texts it has seen in a run: every message that repeats one still gets
 * its own language row and its own entity rows, the same as the first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/case.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase } from '../review/helpers.ts';
import { searchFacets } from '../../src/review/facets.ts';
import { matchingMessageIds } from '../../src/search/search.ts';
import { detectLanguage } from '../../src/enrich/language.ts';

test('each message repeating a short text gets the language and the entities of its text', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const texts = [
    'Call +44 20 7946 0018 now',
    'Pay €1.250,50 to them today',
    'ok',
    'Bitte schicken Sie den unterschriebenen Vertrag vor der Besprechung morgen früh an den Kunden.',
    'Merci de nous envoyer le contrat signé avant la réunion de demain matin.',
  ];
  // The first two are the remembered kind (long enough to detect, short enough to remember).
  assert.ok(texts.slice(0, 2).every((t) => t.length >= 20 && t.length <= 32));
  const lines: Line[] = Array.from({ length: 60 }, (_, i) => ({ at: Date.UTC(2024, 3, 1, 9) + i * 60_000, author: i % 2 ? 'Ann Lee' : 'Ben Ode', text: texts[i % texts.length]! }));
  const result = await importFile(caseFile, writeExport(dir, 'Desk', lines), 'Ann');
  assert.equal(result.enriched, lines.length);
  await withCase(caseFile, (s) => {
    const textOf = (id: number) => s.db.prepare('SELECT text FROM messages WHERE id = ?').pluck().get(id) as string;
    const every = (text: string) => lines.filter((l) => l.text === text).map((l) => l.text);
    assert.deepEqual(matchingMessageIds(s, 'entity:"+44 20 7946 0018"').map(textOf), every(texts[0]!));
    assert.deepEqual(matchingMessageIds(s, 'entity:amount').map(textOf), every(texts[1]!));
    const langs = new Map<string, number>();
    for (const l of lines) langs.set(detectLanguage(l.text), (langs.get(detectLanguage(l.text)) ?? 0) + 1);
    const facets = searchFacets(s, { query: 'platform:whatsapp' });
    assert.deepEqual(Object.fromEntries(facets.languages.values.map((v) => [v.value, v.count])), Object.fromEntries(langs));
  });
});
