/** `holdfast search`, `search-terms` and their contracts, checked against the messages the CLI itself lists. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliJson, cliJsonl, makeCaseFile, tempDir } from '../helpers/case.ts';
import XLSX from 'xlsx';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';

interface Listed {
  id: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  sentAt: string;
  text: string;
  attachments: { name: string }[];
}

let file: string;
let messages: Listed[];
const custodianOf = new Map<string, string>();

/** Whole-word, case-insensitive (the reference needs nothing else for these ASCII words). */
const hasWord = (m: Listed, w: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${w}($|[^\\p{L}\\p{N}])`, 'iu').test(`${m.text} ${m.attachments.map((a) => a.name).join(' ')}`);

before(() => {
  const dir = tempDir('holdfast-cli-search-');
  file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  const chats = DEFAULT_CHATS.slice(0, 2);
  const files = writeCorpus(dir, chats, 11);
  const custodians = ['Jane Roe', 'John Doe'];
  files.forEach((f, i) => {
    const r = cli(['import', file, f, '--tz', 'UTC', '--date-order', 'dmy', '--custodian', custodians[i]!]);
    assert.equal(r.status, 0, r.stderr);
    custodianOf.set(chats[i]!.name, custodians[i]!);
  });
  messages = cliJsonl<Listed>(['messages', file, '--jsonl']);
  assert.equal(messages.length, 900);
});

test('holdfast search --json: exact total, hits with the contract fields, snippets with their highlight ranges', () => {
  const expected = messages.filter((m) => hasWord(m, 'price') || hasWord(m, 'deal'));
  const r = cliJson<{ total: number; tookMs: number; hits: { messageId: number; conversationId: number; sender: string | null; sentAt: string; snippet: string; highlights: [number, number][] }[] }>(
    ['search', file, 'price OR deal', '--limit', '7', '--json'],
  );
  assert.equal(r.total, expected.length);
  assert.ok(r.total > 7);
  assert.equal(r.hits.length, 7);
  assert.equal(typeof r.tookMs, 'number');
  for (const h of r.hits) {
    const m = expected.find((x) => x.id === h.messageId);
    assert.ok(m, `hit ${h.messageId} is a match`);
    assert.equal(h.conversationId, m.conversationId);
    assert.equal(h.sender, m.sender);
    assert.equal(h.sentAt, m.sentAt);
    assert.ok(h.highlights.length > 0);
    for (const [s, e] of h.highlights) assert.match(h.snippet.slice(s, e), /^(price|deal)$/i);
  }
  const sorted = cliJson<{ hits: { messageId: number; sentAt: string }[] }>(['search', file, 'price OR deal', '--sort', 'time-desc', '--limit', '3', '--json']);
  const latest = [...expected].sort((a, b) => b.sentAt.localeCompare(a.sentAt) || b.id - a.id).slice(0, 3).map((m) => m.id);
  assert.deepEqual(sorted.hits.map((h) => h.messageId), latest);
});

test('holdfast search prints hits for people; a malformed query is exit 1 with VALIDATION and the position', () => {
  const ok = cli(['search', file, '"wire the money"', '--limit', '2']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\d+ messages? \(/);
  assert.match(ok.stdout, /\[\[wire the money\]\]/);
  const bad = cli(['search', file, 'price from:', '--json']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^holdfast: VALIDATION: Query problem at character 12: from: needs a value/);
  const unbalanced = cli(['search', file, '(price OR deal']);
  assert.equal(unbalanced.status, 1);
  assert.match(unbalanced.stderr, /VALIDATION: .*character 1: this \( is never closed/);
  assert.equal(cli(['search', file]).status, 2);
  assert.equal(cli(['search', file, 'price', '--sort', 'random']).status, 2);
});

test('holdfast search-terms: hits, unique hits, custodians, conversations and the union, by brute force', () => {
  const dir = path.dirname(file);
  const termsFile = path.join(dir, 'terms.txt');
  fs.writeFileSync(termsFile, '# negotiated terms\nprice\n\ndeal\nwire money\nzzznothing\nfrom:\n');
  const r = cliJson<{
    terms: { line: number; query: string; hits: number; uniqueHits: number; byCustodian: { custodian: string; hits: number }[]; byConversation: { conversation: string; hits: number }[]; error?: { code: string } }[];
    unionTotal: number;
  }>(['search-terms', file, '--terms', termsFile, '--json']);
  const sets = {
    price: messages.filter((m) => hasWord(m, 'price')),
    deal: messages.filter((m) => hasWord(m, 'deal')),
    'wire money': messages.filter((m) => hasWord(m, 'wire') && hasWord(m, 'money')),
    zzznothing: [] as Listed[],
  };
  const lists = Object.values(sets);
  assert.deepEqual(r.terms.map((t) => [t.line, t.query]), [[2, 'price'], [4, 'deal'], [5, 'wire money'], [6, 'zzznothing'], [7, 'from:']]);
  for (const [i, [query, hits]] of Object.entries(sets).entries()) {
    const row = r.terms[i]!;
    assert.equal(row.query, query);
    assert.equal(row.hits, hits.length, query);
    const others = new Set(lists.filter((_, k) => k !== i).flat().map((m) => m.id));
    assert.equal(row.uniqueHits, hits.filter((m) => !others.has(m.id)).length, `${query} unique`);
    const byCustodian = new Map<string, number>();
    const byConversation = new Map<string, number>();
    for (const m of hits) {
      const c = custodianOf.get(m.conversation)!;
      byCustodian.set(c, (byCustodian.get(c) ?? 0) + 1);
      byConversation.set(m.conversation, (byConversation.get(m.conversation) ?? 0) + 1);
    }
    assert.deepEqual(new Map(row.byCustodian.map((c) => [c.custodian, c.hits])), byCustodian, `${query} by custodian`);
    assert.deepEqual(new Map(row.byConversation.map((c) => [c.conversation, c.hits])), byConversation, `${query} by conversation`);
  }
  assert.equal(r.terms[4]!.error?.code, 'VALIDATION');
  assert.equal(r.unionTotal, new Set(lists.flat().map((m) => m.id)).size);
  const text = cli(['search-terms', file, '--terms', termsFile]);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /Union of all terms: \d+ messages/);
  assert.match(text.stderr, /1 line is not a valid query/);
});

test('holdfast search-terms with the new operators: family hits (whole review units) by brute force, CSV and XLSX exports', () => {
  const dir = path.dirname(file);
  const termsFile = path.join(dir, 'terms-operators.txt');
  fs.writeFileSync(termsFile, 'price w/3 deal\ncontrakt~\n/report-\\d+/\nw/3\n');
  const csv = path.join(dir, 'report.csv');
  const xlsx = path.join(dir, 'report.xlsx');
  const r = cli(['search-terms', file, '--terms', termsFile, '--json', '--csv', csv, '--xlsx', xlsx]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    terms: { query: string; hits: number; uniqueHits: number; familyHits?: number; familyMessages?: number; expansions?: { operand: string; terms: string[] }[]; error?: { code: string; message: string } }[];
    unionTotal: number; unionFamilyHits: number; unionFamilyMessages: number;
  };
  // A review unit is a conversation-day (UTC here: the case's display zone); none of these days reaches 10,000 events.
  const unitOf = (m: Listed) => `${m.conversationId}:${m.sentAt.slice(0, 10)}`;
  const unitSize = new Map<string, number>();
  for (const m of messages) unitSize.set(unitOf(m), (unitSize.get(unitOf(m)) ?? 0) + 1);
  const union = new Set<number>();
  for (const row of report.terms.slice(0, 3)) {
    const ids = new Set(cliJson<{ hits: { messageId: number }[] }>(['search', file, row.query, '--json', '--limit', '1000']).hits.map((h) => h.messageId));
    assert.equal(row.hits, ids.size, row.query);
    assert.ok(row.hits > 0, `${row.query} has hits`);
    ids.forEach((id) => union.add(id));
    const units = new Set(messages.filter((m) => ids.has(m.id)).map(unitOf));
    assert.equal(row.familyHits, units.size, `${row.query} family hits`);
    assert.equal(row.familyMessages, [...units].reduce((n, u) => n + unitSize.get(u)!, 0), `${row.query} family messages`);
  }
  assert.deepEqual(report.terms[1]!.expansions?.map((e) => [e.operand, e.terms.includes('contract')]), [['contrakt~', true]]);
  assert.equal(report.terms[3]!.error?.code, 'VALIDATION');
  assert.match(report.terms[3]!.error!.message, /character 1/);
  const unionUnits = new Set(messages.filter((m) => union.has(m.id)).map(unitOf));
  assert.equal(report.unionFamilyHits, unionUnits.size);

  const lines = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Line,Query,Hits,Unique hits,Family hits (review units),Family messages,Expanded to,Top custodians,Error');
  assert.match(lines[1]!, new RegExp(`^1,price w/3 deal,${report.terms[0]!.hits},${report.terms[0]!.uniqueHits},${report.terms[0]!.familyHits},`));
  assert.match(lines[4]!, /^4,w\/3,,,,,,,"?VALIDATION: Query problem at character 1/);
  assert.match(lines[5]!, new RegExp(`^,Union of all terms,${report.unionTotal},,${report.unionFamilyHits},`));
  const sheet = XLSX.readFile(xlsx).Sheets['Search terms']!;
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 });
  assert.deepEqual(rows[2]!.slice(0, 6), [2, 'contrakt~', report.terms[1]!.hits, report.terms[1]!.uniqueHits, report.terms[1]!.familyHits, report.terms[1]!.familyMessages]);
  assert.equal(rows.length, 6);
});

test('holdfast search prints what a fuzzy operand was expanded to; --json carries it', () => {
  const r = cli(['search', file, 'contrakt~']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}contrakt~ → .*\bcontract\b/m);
  const j = cliJson<{ total: number; expansions: { operand: string; position: number; kind: string; terms: string[]; more: number }[] }>(['search', file, 'price OR contrakt~', '--json']);
  assert.deepEqual(j.expansions.map((e) => [e.operand, e.position, e.kind, e.more]), [['contrakt~', 10, 'fuzzy', 0]]);
  assert.ok(j.expansions[0]!.terms.includes('contracts'));
});
