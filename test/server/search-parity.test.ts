/**
 * Search gives the same answers on a matter as on the case file it came from. One generated
 * multilingual corpus (CJK, Arabic, Hebrew, Cyrillic, emoji, edits, attachments, two custodians) is
 * imported into a case file and copied into a matter with `server-import`'s engine function; then a
 * wide set of queries runs on both: exact totals, the first page of hits (ids, order, scores,
 * snippets, highlights) in three sort orders, and the facets must be equal. Then the same coding and
 * a deletion on both (the matter's index follows them), and once more with the matter's index
 * rebuilt from its own rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { SearchResultDTO } from '../../src/api/dto.ts';
import { openSession } from '../../src/app/open-session.ts';
import { runImport } from '../../src/app/run-import.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { sessionOnData } from '../../src/case/session.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { searchFacets } from '../../src/review/facets.ts';
import { deleteConversation } from '../../src/review/delete.ts';
import { setPersonal } from '../../src/review/personal.ts';
import { markReviewed } from '../../src/review/reviewed.ts';
import { tagMessages, untagMessages } from '../../src/review/tags.ts';
import { setDisplayTimeZone } from '../../src/review/time-zone.ts';
import { indexLoadInfo, prepareIndex, reindex } from '../../src/search/index-manager.ts';
import { searchMessages } from '../../src/search/search.ts';
import { importCaseFile } from '../../src/server/matter/case-import.ts';
import { newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { DEFAULT_CHATS, writeCorpus } from '../helpers/search-corpus.ts';

// The default chats at twice their length: 2,800 messages, then 450 met again from a second custodian.
const CHATS = DEFAULT_CHATS.map((c) => ({ ...c, messages: c.messages * 2 }));

const QUERIES = [
  // words, folding, scripts
  'price', 'PRICE', 'angstrom', 'Ångström', 'CAFE', 'strasse', 'zurich', 'finance', 'привет', 'СДЕЛКА', 'ёлка', 'مرحبا', 'مَرْحَبًا',
  'שָׁלוֹם', 'עסקה כסף', '価格', '確認', '会', '거래', '价格', '👍', '🇬🇧', '🚀 deal', 'zzzunknownword', '"not"', 'or',
  // phrases and prefixes
  '"wire the money"', '"money the wire"', '"the money"', '"e-mail"', '"会議 価格"', '"wire the mon*"', 'pri*', 'CAF*', 'при*', 'img*',
  // boolean
  'price OR call', 'price AND call', 'price -call', 'NOT price', '(price OR call) deal', 'price (call OR deal) -tomorrow',
  '(price OR (call -deal)) zurich', 'NOT (price OR call OR deal)', '-"wire the money" money', 'wire money offshore bonus',
  // proximity
  'price w/3 call', 'wire pre/2 money', 'money pre/2 wire', '"wire the money" w/5 deal', '(bonus OR offshore) w/4 (wire OR money)',
  'price not w/2 call', 'ship* w/5 price', 'сделка w/3 деньги', '価格 w/4 会議',
  // fuzzy, stem, regex
  'prise~', 'setlement~', 'contrct~1', 'stem:contracts', 'stem:pricing', 'stem.en:calls', '/\\bwire\\b.*money/', '/report-\\d+/', '/(?i)ZURICH/',
  // fields
  'from:alice', 'from:"Alice Smith" price', 'from:chloe', 'from:dmi*', '-from:alice deal', 'from:nobody', 'in:"Project Alpha"', 'in:zurich call',
  'in:価格', 'custodian:"Jane Roe"', 'custodian:john', '-custodian:john', 'source:2', 'source:5 price', 'conversation:2', 'platform:whatsapp',
  'attachment:jpg', 'subject:price',
  // tags, review, flags
  'tag:Hot', 'tag:hot price', '-tag:Hot', 'tag:"Privileged Review" OR tag:hot', 'is:withheld', 'reviewed:yes', 'reviewed:no', 'has:attachment',
  'has:attachment -is:edited', 'is:edited', 'is:deleted', 'is:edited price', 'has:reaction',
  // dates (days in the display zone, New York)
  'after:2023-01-20', 'before:2023-01-20', 'after:2023-01-05 before:2023-01-07 deal', 'on:2023-01-10', 'after:2030-01-01',
];

let pg: Postgres;
let dir: string;
let file: string;
let caseSession: CaseSession;
let matter: CaseSession;
let databaseUrl: string;

const openMatter = (): CaseSession => {
  const data = openPostgresData(databaseUrl, { matter: 'parity' });
  return sessionOnData(data, 'matter parity', data.schemaVersion);
};

before(async () => {
  pg = await startPostgres();
  databaseUrl = pg.createDatabase('holdfast');
  dir = tempDir('holdfast-parity-');
  const session = newCase(dir);
  file = session.path;
  const files = writeCorpus(dir, CHATS);
  const custodians = ['Jane Roe', 'Jane Roe', 'John Doe', 'Jane Roe'];
  const signal = new AbortController().signal;
  for (const [i, f] of files.entries()) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy', custodian: custodians[i] }, signal);
  const copy = path.join(dir, 'second', path.basename(files[1]!));
  fs.mkdirSync(path.dirname(copy));
  fs.writeFileSync(copy, fs.readFileSync(files[1]!, 'utf8'));
  await runImport(session, { source: copy, tz: 'UTC', dateOrder: 'dmy', custodian: 'John Doe' }, signal);
  setDisplayTimeZone(session, { tz: 'America/New_York' });
  tagMessages(session, { query: 'price OR 価格', tag: 'Hot', create: true });
  tagMessages(session, { query: 'wire w/3 money', tag: 'Privileged Review', create: true });
  const family = searchMessages(session, { query: 'in:family', limit: 1, includePersonal: true }).hits[0]!.conversationId;
  setPersonal(session, { conversationId: family, personal: true });
  session.close();

  importCaseFile({ file, passphrase: PASSPHRASE, databaseUrl, matter: 'parity', actor: 'Tester' });
  caseSession = openSession(file, PASSPHRASE);
  matter = openMatter();
});

after(() => {
  caseSession?.close();
  matter?.close();
  pg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A search result without its timing. */
function answer(session: CaseSession, query: string, opts: { sort?: 'relevance' | 'time-asc' | 'time-desc'; includePersonal?: boolean; offset?: number } = {}): Omit<SearchResultDTO, 'tookMs'> {
  const { tookMs: _, ...rest } = searchMessages(session, { query, limit: 50, ...opts });
  return rest;
}

/** Every query on both back ends; returns how many had hits. */
function compareAll(label: string): number {
  let withHits = 0;
  for (const query of QUERIES) {
    const onCase = answer(caseSession, query);
    assert.deepEqual(answer(matter, query), onCase, `${label}: ${query}`);
    if (onCase.total > 0) withHits++;
    assert.deepEqual(answer(matter, query, { sort: 'time-desc', offset: 10 }), answer(caseSession, query, { sort: 'time-desc', offset: 10 }), `${label}: ${query} (time-desc)`);
    assert.deepEqual(answer(matter, query, { sort: 'time-asc', includePersonal: true }), answer(caseSession, query, { sort: 'time-asc', includePersonal: true }), `${label}: ${query} (personal)`);
    assert.deepEqual(searchFacets(matter, { query }), searchFacets(caseSession, { query }), `${label}: facets of ${query}`);
  }
  return withHits;
}

test('every query gives the same totals, pages and facets on the matter as on the case file', (t) => {
  const info = prepareIndex(matter);
  assert.equal(info.fromStore, true, 'the matter loads the index copied with its rows');
  assert.equal(info.tokenized, 0);
  const withHits = compareAll('as imported');
  assert.ok(withHits > QUERIES.length * 0.8, `${withHits} of ${QUERIES.length} queries have hits`);
  t.diagnostic(`${QUERIES.length} queries, ${withHits} with hits; the matter's index loaded in ${Math.round(info.loadMs)} ms`);
});

test('after the same coding and a deletion on both, the answers stay equal', () => {
  for (const s of [caseSession, matter]) {
    tagMessages(s, { query: 'zurich -price', tag: 'Follow up', create: true });
    untagMessages(s, { query: 'deal', tag: 'Hot' });
    markReviewed(s, { query: 'in:"Project Alpha" before:2023-01-15', reviewed: true });
    const project = searchMessages(s, { query: 'in:"Project Alpha"', limit: 1 }).hits[0]!.conversationId;
    tagMessages(s, { query: `conversation:${project} "wire the money"`, tag: 'Privileged Review' });
  }
  const hot = answer(matter, 'tag:hot');
  assert.ok(hot.total > 0 && hot.total < answer(matter, 'price OR 価格').total, 'untagging changed the matter');
  assert.ok(answer(matter, 'tag:"follow up"').total > 0);
  compareAll('after coding');

  for (const s of [caseSession, matter]) {
    const zurich = searchMessages(s, { query: 'in:"Zürich Deal Room"', limit: 1 }).hits[0]!.conversationId;
    deleteConversation(s, { conversationId: zurich, reason: 'parity test' });
  }
  assert.equal(answer(matter, 'in:"Zürich Deal Room"').total, 0);
  compareAll('after a deletion');
});

test("both reopened, and with the matter's index rebuilt from its own rows, still answer the same", () => {
  // Reopened, because a deleted message's postings still count in relevance until the index is loaded again.
  caseSession.close();
  caseSession = openSession(file, PASSPHRASE);
  matter.close();
  matter = openMatter();
  prepareIndex(matter);
  assert.equal(indexLoadInfo(matter)?.fromStore, true);
  compareAll('reopened');
  reindex(matter);
  prepareIndex(matter);
  assert.equal(indexLoadInfo(matter)?.tokenized, 0, 'the rebuilt index is stored in the matter');
  compareAll('rebuilt on the matter');
});
