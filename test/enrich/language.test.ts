/** The fast detector gives franc-min's answer, text for text, on mixed generated texts in several scripts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { franc } from 'franc-min';
import { rng } from '../helpers/generate.ts';
import { clean as francClean } from 'trigram-utils';
import { clean, detectLanguage, MIN_LENGTH } from '../../src/enrich/language.ts';

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

test("clean gives trigram-utils' clean on punctuation, digits and white space of every kind", () => {
  const r = rng(7);
  const PIECES = ['a', 'Σ', 'ΑΣ', 'İ', 'é', 'd', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '.', ',', '!?', '@', '0', '42', '-', '(', '"', '[', '_', '~', '😂', 'ß'];
  for (let i = 0; i < 20_000; i++) {
    const text = Array.from({ length: 1 + Math.floor(r() * 12) }, () => PIECES[Math.floor(r() * PIECES.length)]!).join('');
    assert.equal(clean(text), francClean(text), JSON.stringify(text));
  }
});

test('detectLanguage agrees with franc-min on texts with punctuation, digits, line breaks and capitals', () => {
  const r = rng(11);
  const SEPARATORS = [' ', ', ', '. ', '!\n', ' - ', '\t', ' 12 ', '?? ', '\u00a0', ' (', ') ', '\u3000'];
  // Capitals whose lower case is not one unit or depends on the next character (İ, Σ), beside plain ones.
  const MORE = [...WORDS, 'ΣΥΜΒΌΛΑΙΟ', 'ΑΎΡΙΟΣ', 'Σ', 'İZMİR', 'DER VERTRAG', 'LE CONTRAT', 'ДОГОВОР', 'Ǆ'];
  for (let i = 0; i < 3000; i++) {
    const n = 3 + Math.floor(r() * 16);
    const start = Math.floor(r() * MORE.length);
    let text = '';
    for (let k = 0; k < n; k++) text += MORE[(r() < 0.7 ? start + (k % 4) : Math.floor(r() * MORE.length)) % MORE.length]! + SEPARATORS[Math.floor(r() * SEPARATORS.length)]!;
    const expected = text.length < MIN_LENGTH ? 'und' : franc(text, { minLength: MIN_LENGTH });
    assert.equal(detectLanguage(text), expected, JSON.stringify(text));
  }
});
