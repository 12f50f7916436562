/**
 * Every query's expected result is computed by brute force over the messages of a real imported
 * case with a small reference matcher written here (plain regular expressions and substring
 * checks, none of src/search), and compared with the search engine's exact result.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { iterateMessages } from '../../src/case/messages.ts';
import { matchingMessageIds, searchMessages } from '../../src/search/search.ts';
import { markedText } from '../../src/search/snippet.ts';
import type { SearchHitDTO } from '../../src/api/dto.ts';
import { tagMessages } from '../../src/review/tags.ts';
import { setPersonal } from '../../src/review/personal.ts';
import { setDisplayTimeZone } from '../../src/review/time-zone.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import type { CaseSession } from '../../src/case/session.ts';

// ---- the reference matcher ----

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/\u0640/g, '').replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '').toLowerCase().replace(/ß/g, 'ss');
}
/** Words, emoji and flags of a text in order (an emoji takes a place between words, as in a message). */
function words(s: string): string[] {
  return fold(s).match(/\p{RI}\p{RI}|\p{Extended_Pictographic}|[\p{L}\p{N}]+/gu) ?? [];
}

interface Doc {
  id: number;
  fields: string[];
  fieldWords: string[][];
  sender: string;
  conversation: string;
  conversationId: number;
  personal: boolean;
  tags: string[];
  custodians: string[];
  sources: number[];
  edited: boolean;
  deleted: boolean;
  attachments: number;
  sentAt: number;
}

const has = (w: string) => (d: Doc) => d.fieldWords.some((f) => f.includes(fold(w)));
const prefix = (p: string) => (d: Doc) => d.fieldWords.some((f) => f.some((x) => x.startsWith(fold(p))));
const phrase = (...ws: string[]) => (d: Doc) =>
  d.fieldWords.some((f) => f.some((_, i) => ws.every((w, k) => f[i + k] === fold(w))));
const sub = (s: string) => (d: Doc) => d.fields.some((f) => fold(f).includes(fold(s)));
const not = (f: (d: Doc) => boolean) => (d: Doc) => !f(d);
const and = (...fs: Array<(d: Doc) => boolean>) => (d: Doc) => fs.every((f) => f(d));
const or = (...fs: Array<(d: Doc) => boolean>) => (d: Doc) => fs.some((f) => f(d));
const nameHas = (name: string, ...ws: string[]) => {
  const n = words(name);
  return n.some((_, i) => ws.every((w, k) => n[i + k] === fold(w)));
};
/** Midnight in New York (UTC-5 in January and February 2023). */
const nyDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 5);

let session: CaseSession;
let docs: Doc[];

before(async () => {
  const dir = tempDir('holdfast-search-');
  session = newCase(dir);
  const files = writeCorpus(dir);
  const custodians = ['Jane Roe', 'Jane Roe', 'John Doe', 'Jane Roe'];
  const signal = new AbortController().signal;
  for (const [i, f] of files.entries()) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy', custodian: custodians[i] }, signal);
  // The same chat collected from a second custodian: its messages gain an occurrence, not a copy.
  const copy = path.join(dir, 'second', path.basename(files[1]!));
  fs.mkdirSync(path.dirname(copy));
  fs.writeFileSync(copy, `${fs.readFileSync(files[1]!, 'utf8')}\n`);
  await runImport(session, { source: copy, tz: 'UTC', dateOrder: 'dmy', custodian: 'John Doe' }, signal);

  setDisplayTimeZone(session, { tz: 'America/New_York' });
  const all = session.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
  tagMessages(session, { messageIds: all.filter((id) => id % 7 === 0), tag: 'Hot', create: true });
  tagMessages(session, { messageIds: all.filter((id) => id % 11 === 0), tag: 'Privileged Review', create: true });
  const family = session.db.prepare("SELECT id FROM conversations WHERE name = 'Family'").pluck().get() as number;
  setPersonal(session, { conversationId: family, personal: true });

  const custodiansOf = new Map<number, string[]>();
  const sourcesOf = new Map<number, number[]>();
  for (const r of session.db.prepare('SELECT o.message_id, o.source_id, c.name FROM message_occurrences o LEFT JOIN custodians c ON c.id = o.custodian_id').all() as {
    message_id: number; source_id: number; name: string | null;
  }[]) {
    custodiansOf.set(r.message_id, [...(custodiansOf.get(r.message_id) ?? []), ...(r.name ? [r.name] : [])]);
    sourcesOf.set(r.message_id, [...(sourcesOf.get(r.message_id) ?? []), r.source_id]);
  }
  const personal = new Set(session.db.prepare('SELECT id FROM conversations WHERE personal = 1').pluck().all() as number[]);
  docs = [...iterateMessages(session, { includePersonal: true })].map((m) => {
    const fields = [...(m.subject ? [m.subject] : []), m.text, ...m.edits.map((e) => e.text), ...m.attachments.map((a) => a.name)];
    return {
      id: m.id, fields, fieldWords: fields.map(words), sender: `${m.sender ?? ''} ${m.senderHandle ?? ''}`, conversation: m.conversation,
      conversationId: m.conversationId, personal: personal.has(m.conversationId), tags: m.tags, custodians: custodiansOf.get(m.id) ?? [],
      sources: sourcesOf.get(m.id) ?? [], edited: m.edited, deleted: m.deleted, attachments: m.attachments.length, sentAt: Date.parse(m.sentAt),
    };
  });
  assert.equal(docs.length, DEFAULT_CHATS.reduce((n, c) => n + c.messages, 0));
});

interface Case {
  q: string;
  match: (d: Doc) => boolean;
  includePersonal?: boolean;
  /** Expect no hit (the default is: at least one, so no case passes vacuously). */
  none?: boolean;
}

const CASES: Case[] = [
  // words, case and accents
  { q: 'price', match: has('price') },
  { q: 'PRICE', match: has('price') },
  { q: 'angstrom', match: has('angstrom') },
  { q: 'Ångström', match: has('angstrom') },
  { q: 'CAFE', match: has('cafe') },
  { q: 'café', match: has('cafe') },
  { q: 'strasse', match: has('strasse') },
  { q: 'Straße', match: has('strasse') },
  { q: 'zurich', match: has('zurich') },
  { q: 'facade', match: has('facade') },
  { q: 'sao', match: has('sao') },
  { q: 'manana', match: has('manana') },
  { q: 'finance', match: has('finance') },
  // Cyrillic, Arabic, Hebrew as words
  { q: 'привет', match: has('привет') },
  { q: 'СДЕЛКА', match: has('сделка') },
  { q: 'елка', match: has('елка') },
  { q: 'ёлка', match: has('елка') },
  { q: 'مرحبا', match: has('مرحبا') },
  { q: 'مَرْحَبًا', match: has('مرحبا') },
  { q: 'صفقة', match: has('صفقة') },
  { q: 'שלום', match: has('שלום') },
  { q: 'שָׁלוֹם', match: has('שלום') },
  { q: 'עסקה כסף', match: and(has('עסקה'), has('כסף')) },
  // CJK inside runs
  { q: '価格', match: sub('価格') },
  { q: '確認', match: sub('確認') },
  { q: 'ください', match: sub('ください') },
  { q: '格を確', match: sub('格を確') },
  { q: '会議', match: sub('会議') },
  { q: '議室', match: sub('議室') },
  { q: '会', match: sub('会') },
  { q: '室', match: sub('室') },
  { q: '거래', match: sub('거래') },
  { q: '价格', match: sub('价格') },
  { q: '"会議 価格"', match: (d) => d.fieldWords.some((f) => f.some((w, i) => w.endsWith('会議') && (f[i + 1] ?? '').startsWith('価格'))) },
  // emoji
  { q: '👍', match: sub('👍') },
  { q: '🇬🇧', match: sub('🇬🇧') },
  { q: '🚀 deal', match: and(sub('🚀'), has('deal')) },
  // phrases
  { q: '"wire the money"', match: phrase('wire', 'the', 'money') },
  { q: '"money the wire"', match: phrase('money', 'the', 'wire') },
  { q: '"the money"', match: phrase('the', 'money') },
  { q: 'wire money', match: and(has('wire'), has('money')) },
  { q: '"e-mail"', match: phrase('e', 'mail') },
  { q: 'e-mail', match: phrase('e', 'mail') },
  { q: '"not"', match: has('not') },
  { q: 'or', match: has('or') },
  { q: '"price call"', match: phrase('price', 'call') },
  { q: '"price call" -tomorrow', match: and(phrase('price', 'call'), not(has('tomorrow'))) },
  { q: '"wire the mon*"', match: (d) => d.fieldWords.some((f) => f.some((w, i) => w === 'wire' && f[i + 1] === 'the' && (f[i + 2] ?? '').startsWith('mon'))) },
  // prefixes
  { q: 'pri*', match: prefix('pri') },
  { q: 'contract*', match: prefix('contract') },
  { q: 'CAF*', match: prefix('caf') },
  { q: 'img*', match: prefix('img') },
  { q: 'jpg', match: has('jpg') },
  { q: 'при*', match: prefix('при') },
  // boolean
  { q: 'price OR call', match: or(has('price'), has('call')) },
  { q: 'price AND call', match: and(has('price'), has('call')) },
  { q: 'price -call', match: and(has('price'), not(has('call'))) },
  { q: 'price NOT call', match: and(has('price'), not(has('call'))) },
  { q: 'NOT price', match: not(has('price')) },
  { q: '-price -call', match: and(not(has('price')), not(has('call'))) },
  { q: '(price OR call) deal', match: and(or(has('price'), has('call')), has('deal')) },
  { q: 'price (call OR deal) -tomorrow', match: and(has('price'), or(has('call'), has('deal')), not(has('tomorrow'))) },
  { q: '(price OR (call -deal)) zurich', match: and(or(has('price'), and(has('call'), not(has('deal')))), has('zurich')) },
  { q: 'price OR call deal', match: or(has('price'), and(has('call'), has('deal'))) },
  { q: 'NOT (price OR call OR deal)', match: not(or(has('price'), has('call'), has('deal'))) },
  { q: '-"wire the money" money', match: and(has('money'), not(phrase('wire', 'the', 'money'))) },
  // fields
  { q: 'from:alice', match: (d) => nameHas(d.sender, 'alice') },
  { q: 'from:"Alice Smith" price', match: (d) => nameHas(d.sender, 'alice', 'smith') && has('price')(d) },
  { q: 'from:"7700 900123"', match: (d) => nameHas(d.sender, '7700', '900123') },
  { q: 'from:chloe', match: (d) => nameHas(d.sender, 'chloe') },
  { q: 'from:dmi*', match: (d) => words(d.sender).some((w) => w.startsWith('dmi')) },
  { q: '-from:alice deal', match: (d) => !nameHas(d.sender, 'alice') && has('deal')(d) },
  { q: 'from:nobody', match: () => false, none: true },
  { q: 'in:"Project Alpha"', match: (d) => nameHas(d.conversation, 'project', 'alpha') },
  { q: 'in:zurich call', match: (d) => nameHas(d.conversation, 'zurich') && has('call')(d) },
  { q: 'in:価格', match: (d) => fold(d.conversation).includes('価格') },
  { q: 'custodian:"Jane Roe"', match: (d) => d.custodians.includes('Jane Roe') },
  { q: 'custodian:john', match: (d) => d.custodians.includes('John Doe') },
  { q: 'custodian:john custodian:jane', match: (d) => d.custodians.includes('John Doe') && d.custodians.includes('Jane Roe') },
  { q: '-custodian:john', match: (d) => !d.custodians.includes('John Doe') },
  { q: 'source:2', match: (d) => d.sources.includes(2) },
  { q: 'source:5 price', match: (d) => d.sources.includes(5) && has('price')(d) },
  { q: 'tag:Hot', match: (d) => d.tags.includes('Hot') },
  { q: 'tag:hot price', match: (d) => d.tags.includes('Hot') && has('price')(d) },
  { q: '-tag:Hot', match: (d) => !d.tags.includes('Hot') },
  { q: 'tag:"Privileged Review" OR tag:hot', match: (d) => d.tags.includes('Privileged Review') || d.tags.includes('Hot') },
  { q: 'tag:Privileged', match: () => false, none: true },
  { q: 'has:attachment', match: (d) => d.attachments > 0 },
  { q: 'has:attachment -is:edited', match: (d) => d.attachments > 0 && !d.edited },
  { q: 'is:edited', match: (d) => d.edited },
  { q: 'is:deleted', match: (d) => d.deleted },
  { q: 'is:edited price', match: (d) => d.edited && has('price')(d) },
  { q: 'after:2023-01-20', match: (d) => d.sentAt >= nyDay(2023, 1, 20) },
  { q: 'before:2023-01-20', match: (d) => d.sentAt < nyDay(2023, 1, 20) },
  { q: 'after:2023-01-05 before:2023-01-07 deal', match: (d) => d.sentAt >= nyDay(2023, 1, 5) && d.sentAt < nyDay(2023, 1, 7) && has('deal')(d) },
  { q: 'after:2030-01-01', match: () => false, none: true },
  // personal conversations
  { q: 'price', match: has('price'), includePersonal: true },
  { q: 'in:family', match: () => false, none: true },
  { q: 'in:family', match: (d) => nameHas(d.conversation, 'family'), includePersonal: true },
  { q: 'zzzunknownword', match: () => false, none: true },
];

for (const c of CASES) {
  test(`query ${c.q}${c.includePersonal ? ' (including personal)' : ''}`, () => {
    const expected = docs.filter((d) => (c.includePersonal || !d.personal) && c.match(d)).map((d) => d.id);
    if (c.none) assert.equal(expected.length, 0, 'the reference finds hits for a case meant to have none');
    else assert.ok(expected.length > 0, 'the reference finds no hit: the case would pass vacuously');
    const got = matchingMessageIds(session, c.q, { includePersonal: c.includePersonal ?? false });
    assert.deepEqual(got, expected);
    const page = searchMessages(session, { query: c.q, limit: 5, includePersonal: c.includePersonal ?? false });
    assert.equal(page.total, expected.length);
    assert.equal(page.hits.length, Math.min(5, expected.length));
    for (const h of page.hits) assert.ok(expected.includes(h.messageId));
  });
}

test('sort orders, pagination and exact totals beyond the page', () => {
  const all = matchingMessageIds(session, 'price OR deal');
  const byTime = [...all].sort((a, b) => {
    const da = docs.find((d) => d.id === a)!;
    const db = docs.find((d) => d.id === b)!;
    return da.sentAt - db.sentAt || a - b;
  });
  const asc = searchMessages(session, { query: 'price OR deal', sort: 'time-asc', limit: 40 });
  assert.equal(asc.total, all.length);
  assert.deepEqual(asc.hits.map((h) => h.messageId), byTime.slice(0, 40));
  const desc = searchMessages(session, { query: 'price OR deal', sort: 'time-desc', limit: 25, offset: 10 });
  assert.deepEqual(desc.hits.map((h) => h.messageId), [...byTime].reverse().slice(10, 35));
  const first = searchMessages(session, { query: 'price OR deal', limit: 30 });
  const second = searchMessages(session, { query: 'price OR deal', limit: 10, offset: 20 });
  assert.deepEqual(second.hits.map((h) => h.messageId), first.hits.slice(20).map((h) => h.messageId));
  // Relevance: scores never increase down the list; equal scores are in time order.
  for (let i = 1; i < first.hits.length; i++) {
    const [a, b] = [first.hits[i - 1]!, first.hits[i]!];
    assert.ok(a.score > b.score || (a.score === b.score && a.sentAt <= b.sentAt), `hit ${i} is out of order`);
  }
  // A message with both terms outranks one with only the more common one.
  const both = new Set(matchingMessageIds(session, 'price deal'));
  assert.ok(both.has(first.hits[0]!.messageId));
});

test('snippets are plain text with the hits as ranges, cut long texts around the first hit', () => {
  const marked = (h: SearchHitDTO) => markedText(h.snippet, h.highlights, false);
  const r = searchMessages(session, { query: '"you"', limit: 3 });
  assert.ok(r.total > 0);
  for (const h of r.hits) assert.match(marked(h), /<b>call<\/b> me & "\[\[you\]\]"/);
  const cjk = searchMessages(session, { query: '確認', limit: 1 });
  assert.match(marked(cjk.hits[0]!), /\[\[確認\]\]/);
  const phraseHit = searchMessages(session, { query: '"wire the money"', limit: 1 });
  assert.match(marked(phraseHit.hits[0]!), /\[\[wire the money\]\]/);
  const folded = searchMessages(session, { query: 'angstrom', limit: 1 });
  assert.match(marked(folded.hits[0]!), /\[\[(Ångström|ANGSTROM|angstrom)\]\]/);
  const arabic = searchMessages(session, { query: 'مرحبا', limit: 50 });
  assert.ok(arabic.hits.some((h) => marked(h).includes('[[مَرْحَبًا]]') || marked(h).includes('[[مرحـــبا]]')));
});

test('hits carry the message, conversation, sender and time', () => {
  const r = searchMessages(session, { query: 'from:"Alice Smith" in:"Project Alpha"', limit: 1, sort: 'time-asc' });
  const h = r.hits[0]!;
  const d = docs.find((x) => x.id === h.messageId)!;
  assert.equal(h.conversationId, d.conversationId);
  assert.equal(h.conversation, 'Project Alpha');
  assert.equal(h.sender, 'Alice Smith');
  assert.equal(h.sentAt, new Date(d.sentAt).toISOString());
  assert.equal(typeof r.tookMs, 'number');
});

const MALFORMED: Array<[string, number | null, RegExp]> = [
  ['from:', 6, /from: needs a value/],
  ['price from: deal', 12, /from: needs a value/],
  ['"wire the money', 1, /never closed/],
  ['price (call', 7, /never closed/],
  ['price call)', 11, /no matching \(/],
  ['foo:bar', 1, /unknown field "foo:"/],
  ['price OR', 7, /OR needs something/],
  ['OR price', 1, /OR needs something/],
  ['NOT', 1, /NOT needs/],
  ['after:2023-02-30', 7, /YYYY-MM-DD/],
  ['before:yesterday', 8, /YYYY-MM-DD/],
  ['is:pinned', 4, /edited.*deleted/],
  ['has:link', 5, /attachment/],
  ['source:abc', 8, /source id/],
  ['pri*ce', 4, /only allowed at the end/],
  ['*', 1, /needs at least one letter/],
  ['()', 1, /empty parentheses/],
  ['', null, /empty/],
  ['   ', null, /empty/],
  ['!!!', null, /nothing to search/],
  ['👍 price from:', 14, /from: needs a value/],
  ['"wi*re the money"', 4, /only allowed at the end/],
];

for (const [q, position, message] of MALFORMED) {
  test(`malformed query ${JSON.stringify(q)} is VALIDATION${position ? ` at character ${position}` : ''}`, () => {
    for (const fn of [() => searchMessages(session, { query: q }), () => matchingMessageIds(session, q)]) {
      assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof HoldfastError, String(err));
        assert.equal(err.code, 'VALIDATION');
        assert.match(err.message, message);
        if (position !== null) {
          assert.match(err.message, new RegExp(`character ${position}\\b`));
          assert.equal(err.details?.position, `character ${position}`);
        }
        return true;
      });
    }
  });
}

test('bad paging and sort values are VALIDATION', () => {
  for (const req of [{ limit: -1 }, { limit: 1.5 }, { limit: 100_000 }, { offset: -3 }, { sort: 'random' as 'relevance' }]) {
    assert.throws(() => searchMessages(session, { query: 'price', ...req }), (e: unknown) => e instanceof HoldfastError && e.code === 'VALIDATION');
  }
});
