/** The fast detector gives franc-min's answer, text for text, on mixed generated texts in several scripts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { franc } from 'franc-min';
import { rng } from '../helpers/generate.ts';
import { detectLanguage, MIN_LENGTH } from '../../src/enrich/language.ts';

const WORDS = [
  'the', 'contract', 'meeting', 'tomorrow', 'price', 'le', 'contrat', 'réunion', 'demain', 'der', 'Vertrag', 'morgen', 'el', 'precio', 'mañana',
  'il', 'prezzo', 'domani', 'o', 'preço', 'amanhã', 'de', 'prijs', 'morgen', 'och', 'pris', 'imorgon', 'договор', 'завтра', 'цена', 'العقد', 'غدا',
  'חוזה', 'מחר', '契約', '明日', '価格', '계약', '내일', 'συμβόλαιο', 'αύριο', 'sözleşme', 'yarın', 'umowa', 'jutro', '123', '👍', 'ok', 'wire', 'money',
  // Characters outside the Basic Multilingual Plane (Han extension B, emoji), a lone surrogate, Thai, Devanagari, Amharic, digits and punctuation.
  '𠀋𠀍𠀎', '🇬🇧', '\uD83D', 'สัญญา', 'พรุ่งนี้', 'अनुबंध', 'कल', 'ውል', 'ነገ', '2024-01-01', '!!!', 'İstanbul', 'ǅ',
];

test('detectLanguage agrees with franc-min on every text', () => {
  const r = rng(42);
  let compared = 0;
  for (let i = 0; i < 4000; i++) {
    const n = 2 + Math.floor(r() * 20);
    // Mostly one language's words (a run of neighbours in WORDS), sometimes a mix.
    const start = Math.floor(r() * WORDS.length);
    const words = Array.from({ length: n }, (_, k) => WORDS[(r() < 0.8 ? start + (k % 5) : Math.floor(r() * WORDS.length)) % WORDS.length]!);
    const text = words.join(' ');
    const expected = text.length < MIN_LENGTH ? 'und' : franc(text, { minLength: MIN_LENGTH });
    assert.equal(detectLanguage(text), expected, text);
    compared++;
  }
  assert.equal(compared, 4000);
  // Past franc's 2,048-character sample, cut inside a surrogate pair.
  const long = `${'contrat demain '.repeat(136)}wirexyz😂 ${'договор завтра '.repeat(50)}`;
  assert.equal(detectLanguage(long), franc(long, { minLength: MIN_LENGTH }));
  assert.equal(detectLanguage('Bonjour, nous devons parler du contrat demain matin'), 'fra');
  assert.equal(detectLanguage('short'), 'und');
});
