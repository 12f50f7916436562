/**
 * Entities and language on a generated corpus: each message says a known sentence in a known
 * language and carries known entities (valid ones built with their checksums, and near misses that
 * must not count). After a real import the facets, `entity:` and `lang:` searches and the entity
 * view agree exactly with what was generated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, tempDir } from '../helpers/case.ts';
import { rng } from '../helpers/generate.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase } from '../review/helpers.ts';
import { searchFacets } from '../../src/review/facets.ts';
import { matchingMessageIds } from '../../src/search/search.ts';
import type { EntityViewDTO } from '../../src/api/analysis-dto.ts';
import { extractEntities, ibanValid, isinValid, luhn } from '../../src/enrich/entities.ts';

const SENTENCES: Record<string, string[]> = {
  eng: ['Please send the signed contract to the client before the meeting tomorrow morning, and tell the desk about the price.', 'We should talk about the settlement with the whole team later this week when everybody is back in the office.'],
  fra: ['Merci de nous envoyer le contrat signé avant la réunion de demain matin, et de prévenir toute l\'équipe du changement de prix.', 'Nous devrions parler de cet accord avec toute l\'équipe plus tard dans la semaine quand tout le monde sera revenu au bureau.'],
  deu: ['Bitte schicken Sie den unterschriebenen Vertrag vor der Besprechung morgen früh an den Kunden und sagen Sie dem Team Bescheid.', 'Wir sollten später in dieser Woche mit dem ganzen Team über die Einigung sprechen, wenn alle wieder im Büro sind.'],
  spa: ['Por favor envíe el contrato firmado al cliente antes de la reunión de mañana por la mañana y avise a todo el equipo del precio.', 'Deberíamos hablar del acuerdo con todo el equipo más tarde esta semana cuando todos estén de vuelta en la oficina.'],
};

/** An IBAN with the right check digits for its country and account part. */
function iban(country: string, bban: string): string {
  for (let c = 2; c < 99; c++) {
    const candidate = `${country}${String(c).padStart(2, '0')}${bban}`;
    if (ibanValid(candidate)) return candidate;
  }
  throw new Error('no check digits');
}
function luhnComplete(prefix: string): string {
  for (let d = 0; d < 10; d++) if (luhn(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('no digit');
}
function isin(body: string): string {
  for (let d = 0; d < 10; d++) if (isinValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('no digit');
}

type Kind = 'phone' | 'email' | 'url' | 'iban' | 'card' | 'amount' | 'isin';

test('entity and language facets, entity: and lang: searches and the entity view are exact on a generated corpus', async () => {
  const r = rng(20);
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const langs = Object.keys(SENTENCES);
  const expected: { text: string; lang: string; entities: { kind: Kind; value: string }[] }[] = [];
  const ibanA = iban('GB', 'WEST12345698765432'.slice(0, 18));
  for (let i = 0; i < 240; i++) {
    const lang = langs[i % langs.length]!;
    const entities: { kind: Kind; value: string }[] = [];
    const parts = [SENTENCES[lang]![Math.floor(r() * 2)]!];
    const pick = i % 9;
    if (pick === 0) {
      const n = `+44 20 7946 0${String(100 + (i % 800)).padStart(3, '0')}`;
      parts.push(`Call ${n}.`);
      entities.push({ kind: 'phone', value: n.replace(/ /g, '') });
    } else if (pick === 1) {
      parts.push(`Mail Trader.${i}@Example.com today.`);
      entities.push({ kind: 'email', value: `trader.${i}@example.com` });
    } else if (pick === 2) {
      const value = i % 2 ? ibanA : iban('DE', `37040044053201300${String(i % 10)}`);
      parts.push(`Account ${value.replace(/(.{4})/g, '$1 ').trim()}.`);
      entities.push({ kind: 'iban', value });
    } else if (pick === 3) {
      const value = luhnComplete(`4111111111${String(i).padStart(5, '0')}`);
      parts.push(`Card ${value.replace(/(\d{4})/g, '$1 ').trim()}.`);
      entities.push({ kind: 'card', value });
    } else if (pick === 4) {
      parts.push(`Price $${i},500.25 agreed.`);
      entities.push({ kind: 'amount', value: `USD ${i}500.25` });
    } else if (pick === 5) {
      const value = isin(`US${String(37833100 + i).padStart(9, '0')}`);
      parts.push(`Buy ${value}.`);
      entities.push({ kind: 'isin', value });
    } else if (pick === 6) {
      parts.push(`See https://deals.example.com/r/${i}.`);
      entities.push({ kind: 'url', value: `https://deals.example.com/r/${i}` });
    } else if (pick === 7) {
      // Near misses: a wrong IBAN check, a card number failing Luhn, a number without its country code.
      const good = luhnComplete(`4000123412341${String(i % 100).padStart(2, '0')}`);
      parts.push(`Ref GB00 WEST 1234 5698 7654 32, no ${good.slice(0, -1)}${(Number(good.at(-1)) + 1) % 10}, phone 020 7946 0000.`);
    }
    expected.push({ text: parts.join(' '), lang, entities });
  }
  // The detectors agree with the generator message by message before anything is imported.
  for (const e of expected) assert.deepEqual(extractEntities(e.text).sort((a, b) => a.kind.localeCompare(b.kind)), e.entities, e.text);

  const lines: Line[] = expected.map((e, i) => ({ at: Date.UTC(2024, 3, 1, 9) + i * 600_000, author: i % 2 ? 'Ann Lee' : 'Ben Ode', text: e.text }));
  const result = await importFile(caseFile, writeExport(dir, 'Markets', lines), 'Ann');
  assert.equal(result.enriched, lines.length);

  const byKind = (kind: Kind) => expected.filter((e) => e.entities.some((x) => x.kind === kind)).length;
  const kinds: Kind[] = ['phone', 'email', 'url', 'iban', 'card', 'amount', 'isin'];
  await withCase(caseFile, (s) => {
    const facets = searchFacets(s, { query: 'platform:whatsapp' });
    const langCounts = new Map<string, number>();
    for (const e of expected) langCounts.set(e.lang, (langCounts.get(e.lang) ?? 0) + 1);
    assert.deepEqual(
      Object.fromEntries(facets.languages.values.map((v) => [v.value, v.count])),
      Object.fromEntries(langCounts),
    );
    assert.deepEqual(
      Object.fromEntries(facets.entities.values.map((v) => [v.value, v.count])),
      Object.fromEntries(kinds.map((k) => [k, byKind(k)]).filter(([, n]) => n)),
    );
    const textOf = (id: number) => (s.db.prepare('SELECT text FROM messages WHERE id = ?').pluck().get(id) as string);
    for (const k of kinds) assert.equal(matchingMessageIds(s, `entity:${k}`).length, byKind(k), k);
    assert.deepEqual(matchingMessageIds(s, 'lang:fr').map(textOf).sort(), expected.filter((e) => e.lang === 'fra').map((e) => e.text).sort());
    assert.equal(matchingMessageIds(s, 'lang:deu contract').length, 0);
    assert.deepEqual(matchingMessageIds(s, 'lang:en contract').map(textOf).sort(), expected.filter((e) => e.lang === 'eng' && /contract/.test(e.text)).map((e) => e.text).sort());
    assert.deepEqual(matchingMessageIds(s, `entity:${ibanA}`).map(textOf).sort(), expected.filter((e) => e.entities.some((x) => x.value === ibanA)).map((e) => e.text).sort());
    assert.equal(matchingMessageIds(s, 'entity:"+44 20 7946 0100"').length, expected.filter((e) => e.entities.some((x) => x.value === '+442079460100')).length);
  });

  const view = cliJson<EntityViewDTO[]>(['entities', caseFile, '--kind', 'iban', '--json']);
  const ibans = new Map<string, number>();
  for (const e of expected) for (const x of e.entities) if (x.kind === 'iban') ibans.set(x.value, (ibans.get(x.value) ?? 0) + 1);
  assert.deepEqual(view.map((v) => [v.value, v.messages, v.conversations.map((c) => [c.conversation, c.messages])]).sort(), [...ibans].map(([v, n]) => [v, n, [['Markets', n]]]).sort());
});

test('email addresses are found from each @ with the RFC 5321 limits, and a long run of address characters stays linear', () => {
  const emails = (text: string) => extractEntities(text).filter((e) => e.kind === 'email').map((e) => e.value);
  assert.deepEqual(emails('Write to Ann.Lee+deals@Example.co.uk or b_o@mail.example.org.'), ['ann.lee+deals@example.co.uk', 'b_o@mail.example.org']);
  assert.deepEqual(emails(`${'x'.repeat(65)}@example.com`), [], 'a local part over 64 characters is not an address');
  assert.deepEqual(emails(`${'x'.repeat(64)}@example.com`), [`${'x'.repeat(64)}@example.com`]);
  assert.deepEqual(emails('no@ at@all @example.com'), []);
  // The former single pattern took minutes on a 30 MB line; these return at once.
  assert.deepEqual(emails('y'.repeat(2_000_000)), []);
  assert.deepEqual(emails(`${'a@'.repeat(500_000)}b.example`), ['a@b.example']);
});
