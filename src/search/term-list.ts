/**
 * Term-list ("batch") search, as counsel negotiating search terms need it: for each query of a
 * list (the whole query language: proximity, fuzzy, stem:, /regex/, fields), its hits, the hits
 * no other term of the list finds (what the term adds), the family hits (review units holding a
 * hit, and the messages in them), where the hits are (custodians, conversations), what fuzzy and
 * stem operands expanded to; and the size of the union.
 */
import { performance } from 'node:perf_hooks';
import { HoldfastError, toErrorDTO } from '../api/errors.ts';
import type { SearchExpansionDTO, TermReportDTO, TermReportRowDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { Bitset, bitCount } from './bitset.ts';
import { expansionsOf } from './evaluate.ts';
import { ensureIndex } from './index-manager.ts';
import type { ScanOptions } from './regex-scan.ts';
import { countFamilies, unitIndex } from './review-unit-index.ts';
import { arenaFor, run } from './search.ts';

export interface TermLine {
  line: number;
  query: string;
}

/** The queries of a terms file: one per line; blank lines and lines starting with # are skipped. */
export function parseTermsFile(text: string): TermLine[] {
  const out: TermLine[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const query = raw.trim();
    if (query && !query.startsWith('#')) out.push({ line: i + 1, query });
  });
  return out;
}

export function searchTerms(session: CaseSession, lines: readonly TermLine[], opts: { includePersonal?: boolean; scan?: ScanOptions } = {}): TermReportDTO {
  const started = performance.now();
  const index = ensureIndex(session);
  // A report's terms would each cost a pass over the token array until every posting is built.
  if (lines.length > 1) index.finishPostings();
  // Each term is evaluated with sets from the index's arena (the one searches use), handed back
  // after its result is copied out (hundreds of terms allocating a dozen 125 KB sets each kept the collector busy).
  const arena = arenaFor(index);
  const results: Array<{ line: TermLine; matches: Bitset | null; expansions?: SearchExpansionDTO[]; error?: { code: string; message: string } }> = lines.map((line) => {
    try {
      const { ctx, root, matches } = run(session, line.query, opts.includePersonal ?? false, opts.scan, arena);
      const expansions = expansionsOf(ctx.index, root);
      return { line, matches: matches.clone(), ...(expansions.length ? { expansions } : {}) };
    } catch (err) {
      // A cancelled scan cancels the report; any other problem is that line's.
      if (err instanceof HoldfastError && err.code === 'CANCELLED') throw err;
      const e = toErrorDTO(err);
      return { line, matches: null, error: { code: e.code, message: e.message } };
    } finally {
      arena.reset();
    }
  });
  // The messages some term matches, and those two or more match ("unique" hits are the others), as word operations.
  const words = arena.words;
  const hitOnce = new Uint32Array(words);
  const hitTwice = new Uint32Array(words);
  for (const r of results) if (r.matches) addHits(r.matches.words, hitOnce, hitTwice);
  const union = new Bitset(0, hitOnce);
  const unionTotal = union.count();
  const size = index.maxId + 1;

  const custodianNames = new Map<number, string>(
    dataOf(session).read.custodians.all().map((r) => [r.id, r.name]),
  );
  // Each hit's custodians as a combination id (a message held by two custodians counts for both; the
  // combinations are few), so a term's hits are counted in typed arrays, not maps.
  const comboOf = new Uint32Array(size);
  const combos: number[][] = [[0]];
  if (unionTotal > 0) {
    // Most messages have one custodian: kept in a typed array; only messages with several get a list.
    const first = new Int32Array(size).fill(-1);
    const several = new Map<number, number[]>();
    for (const [messageId, custodian] of dataOf(session).read.custodians.occurrences()) {
      if (messageId >= size || !union.has(messageId)) continue;
      const c = custodian ?? 0;
      const f = first[messageId]!;
      if (f === -1) first[messageId] = c;
      else if (f !== c) {
        const list = several.get(messageId) ?? [f];
        if (!list.includes(c)) list.push(c);
        several.set(messageId, list);
      }
    }
    const comboIds = new Map<string, number>([['0', 0]]);
    const comboFor = (list: number[]): number => {
      const key = list.sort((x, y) => x - y).join(',');
      let combo = comboIds.get(key);
      if (combo === undefined) {
        combo = combos.length;
        combos.push(list);
        comboIds.set(key, combo);
      }
      return combo;
    };
    const single = new Map<number, number>();
    for (let id = 0; id < size; id++) {
      const c = first[id]!;
      if (c === -1) continue;
      const list = several.get(id);
      if (list) comboOf[id] = comboFor(list);
      else {
        let combo = single.get(c);
        if (combo === undefined) single.set(c, (combo = comboFor([c])));
        comboOf[id] = combo;
      }
    }
  }
  const comboCount = new Uint32Array(combos.length);
  let maxConversation = 0;
  union.forEach((id) => {
    if (index.conversation[id]! > maxConversation) maxConversation = index.conversation[id]!;
  });
  const conversationCount = new Uint32Array(maxConversation + 1);
  const units = unitIndex(index, session.displayTz);
  const seenUnits = new Uint32Array(units.size.length);
  let stamp = 0;
  const conversationNames = new Map<number, string>(
    dataOf(session).read.conversations.names().map((r) => [r.id, r.name ?? '']),
  );

  const terms: TermReportRowDTO[] = results.map(({ line, matches, expansions, error }) => {
    if (!matches) {
      return { line: line.line, query: line.query, hits: 0, uniqueHits: 0, byCustodian: [], byConversation: [], ...(error ? { error } : {}) };
    }
    comboCount.fill(0);
    conversationCount.fill(0);
    const hits = countHits(matches.words, comboOf, comboCount, index.conversation, conversationCount);
    const unique = countUnique(matches.words, hitTwice);
    const byCustodian = new Map<number, number>();
    comboCount.forEach((n, combo) => {
      if (n > 0) for (const c of combos[combo]!) byCustodian.set(c, (byCustodian.get(c) ?? 0) + n);
    });
    const byConversation = new Map<number, number>();
    conversationCount.forEach((n, conv) => {
      if (n > 0) byConversation.set(conv, n);
    });
    const family = countFamilies(units, matches.words, seenUnits, ++stamp);
    return {
      line: line.line,
      query: line.query,
      hits,
      uniqueHits: unique,
      familyHits: family.units,
      familyMessages: family.messages,
      ...(expansions ? { expansions } : {}),
      byCustodian: [...byCustodian]
        .map(([c, n]) => ({ custodian: c === 0 ? '(no custodian)' : (custodianNames.get(c) ?? `custodian ${c}`), hits: n }))
        .sort((a, b) => b.hits - a.hits || a.custodian.localeCompare(b.custodian)),
      byConversation: [...byConversation]
        .map(([c, n]) => ({ conversationId: c, conversation: conversationNames.get(c) ?? '', hits: n }))
        .sort((a, b) => b.hits - a.hits || a.conversationId - b.conversationId),
    };
  });
  const unionFamily = countFamilies(units, hitOnce, seenUnits, ++stamp);
  return { terms, unionTotal, unionFamilyHits: unionFamily.units, unionFamilyMessages: unionFamily.messages, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

/** once |= m, twice |= once & m (before the first). */
function addHits(m: Uint32Array, once: Uint32Array, twice: Uint32Array): void {
  const n = Math.min(m.length, once.length);
  for (let w = 0; w < n; w++) {
    twice[w]! |= once[w]! & m[w]!;
    once[w]! |= m[w]!;
  }
}

/** Members of m that no other term matched. */
function countUnique(m: Uint32Array, twice: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < m.length; w++) {
    n += bitCount(m[w]! & ~(twice[w] ?? 0));
  }
  return n;
}

/** One pass over a term's hits: how many, per custodian combination and per conversation. */
function countHits(words: Uint32Array, comboOf: Uint32Array, comboCount: Uint32Array, conversation: Uint32Array, conversationCount: Uint32Array): number {
  let hits = 0;
  for (let w = 0; w < words.length; w++) {
    let v = words[w]!;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const id = (w << 5) + (31 - Math.clz32(bit));
      hits++;
      comboCount[comboOf[id]!]!++;
      conversationCount[conversation[id]!]!++;
    }
  }
  return hits;
}
