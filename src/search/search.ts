/**
 * Search over an open case: the query language → exact totals, ranked or time-ordered hits with
 * highlighted snippets. Also the helpers other features build on: every matching id (tag by query,
 * holds, productions) and removal from the index (delete, retention).
 */
import { performance } from 'node:perf_hooks';
import { HoldfastError } from '../api/errors.ts';
import type { MessageHighlightsDTO, SearchHitDTO, SearchRequestDTO, SearchResultDTO, SearchSort } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type { DerivedTextDTO } from '../api/analysis-dto.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseData, SearchHitRow } from '../case/data/interface.ts';
import type { CaseSession } from '../case/session.ts';
import { Bitset, BitsetArena } from './bitset.ts';
import { toDoc } from './docs.ts';
import { evaluate, expansionsOf, oneTermTop, positiveTexts, scoreBySequences, scoreMatches, singleTerm, topBySlots } from './evaluate.ts';
import type { EvalContext } from './evaluate.ts';
import { ensureIndex } from './index-manager.ts';
import type { MemoryIndex } from './memory-index.ts';
import { parseQuery } from './query-parser.ts';
import type { QueryNode } from './query-parser.ts';
import { highlightOf, highlightRanges } from './highlight.ts';
import { snippet } from './snippet.ts';
import { members, topByScore, topByTime } from './rank.ts';
import { scanAsync } from './regex-scan.ts';
import type { PendingScan, ScanOptions } from './regex-scan.ts';

export { removeFromIndex } from './index-manager.ts';

const DEFAULT_LIMIT = 50;
/** Matches up to which a query's ids are collected while they are counted (index.scratchIds). */
const FEW_MATCHES = 2_048;
export const MAX_LIMIT = 10_000;
const SORTS: readonly SearchSort[] = ['relevance', 'time-asc', 'time-desc'];

export interface MatchOptions {
  includePersonal?: boolean;
  /** Progress, cancel and time limit of a /regular expression/ scan. */
  scan?: ScanOptions;
}

/** Live messages outside personal conversations (unless included). Cached until the index or the flags change. */
function universe(session: CaseSession, index: MemoryIndex, includePersonal: boolean): Bitset {
  if (includePersonal) return index.live;
  const personal = dataOf(session).read.searchLookups.personalConversations();
  if (personal.length === 0) return index.live;
  const key = `${index.generation}:${personal.join(',')}`;
  const cached = universeCache.get(index);
  if (cached?.key === key) return cached.set;
  const hidden = new Uint8Array(Math.max(...personal) + 1);
  for (const c of personal) hidden[c] = 1;
  const set = new Bitset(index.maxId + 1);
  index.live.forEach((id) => {
    if (hidden[index.conversation[id]!] !== 1) set.add(id);
  });
  universeCache.set(index, { key, set });
  return set;
}

// Keyed by the in-memory index (which the open case owns), so they go with it: derived sets, not per-case SQL state.
const universeCache = new WeakMap<MemoryIndex, { key: string; set: Bitset }>();

const arenas = new WeakMap<MemoryIndex, BitsetArena>();

/** The index's bitset arena, sized for its ids (a new one once the index has grown); reset by whoever took from it, before returning. */
export function arenaFor(index: MemoryIndex): BitsetArena {
  let arena = arenas.get(index);
  if (!arena || arena.words !== (index.maxId + 1 >>> 5) + 1) {
    arena = new BitsetArena(index.maxId + 1);
    arenas.set(index, arena);
  }
  return arena;
}

interface Evaluated {
  ctx: EvalContext;
  root: QueryNode;
  matches: Bitset;
}

/** `loaded`: the index when the caller has just brought it up to date (searchMessages), else it is now. */
function context(session: CaseSession, query: string, includePersonal: boolean, scan?: ScanOptions, loaded?: MemoryIndex): { ctx: EvalContext; root: QueryNode } {
  const parsed = parseQuery(query);
  const index = loaded ?? ensureIndex(session);
  const ctx: EvalContext = {
    index,
    data: dataOf(session),
    displayTz: session.displayTz,
    universe: universe(session, index, includePersonal),
    warnings: [...parsed.warnings],
    ...(scan ? { scan } : {}),
  };
  return { ctx, root: parsed.root };
}

/**
 * Parses and evaluates a query (VALIDATION on a malformed one). With an `arena`, the query's sets
 * (the matches too) are taken from it: valid until the caller resets it.
 */
export function run(session: CaseSession, query: string, includePersonal: boolean, scan?: ScanOptions, arena?: BitsetArena): Evaluated {
  const { ctx, root } = context(session, query, includePersonal, scan);
  if (arena) ctx.arena = arena;
  return { ctx, root, matches: evaluate(ctx, root) };
}

/**
 * Reads what the query's /regular expressions/ need from the case asynchronously (batches with the
 * event loop free in between: progress, cancel), so that the query then answers from their
 * results without blocking. A query without one returns at once. Each round evaluates the query
 * to learn which messages a pattern must still check (a pattern inside an AND checks only what
 * the rest leaves, so a second pattern may need the first one's results).
 */
export async function scanRegexes(session: CaseSession, query: string, includePersonal: boolean, scan: ScanOptions = {}): Promise<void> {
  for (;;) {
    const deferred: PendingScan[] = [];
    run(session, query, includePersonal, { ...scan, deferred });
    if (deferred.length === 0) return;
    for (const pending of deferred) await scanAsync(dataOf(session), pending, scan);
  }
}

/** Every message matching `query`, ascending ids (no limit: for tagging, holds, productions). */
export function matchingMessageIds(session: CaseSession, query: string, opts: MatchOptions = {}): number[] {
  const { matches } = run(session, query, opts.includePersonal ?? false, opts.scan);
  return Array.from(members(matches, matches.count()));
}

function checkRequest(req: SearchRequestDTO): { limit: number; offset: number; sort: SearchSort } {
  const limit = req.limit ?? DEFAULT_LIMIT;
  const offset = req.offset ?? 0;
  const sort = req.sort ?? 'relevance';
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new HoldfastError('VALIDATION', `limit must be a whole number from 0 to ${MAX_LIMIT}, not ${limit}.`);
  if (!Number.isInteger(offset) || offset < 0) throw new HoldfastError('VALIDATION', `offset must be a whole number of 0 or more, not ${offset}.`);
  if (!SORTS.includes(sort)) throw new HoldfastError('VALIDATION', `sort must be one of ${SORTS.join(', ')}, not ${String(sort)}.`);
  return { limit, offset, sort };
}

interface Page {
  total: number;
  /** The first offset + limit matches in the requested order. */
  order: number[];
  /** Relevance of a hit (null when sorted by time). */
  scoreOf: ((id: number) => number) | null;
}

/**
 * The exact total and the first k matches. By relevance, a query of one exact term or of at most
 * four distinct terms is ranked without scoring every match (oneTermTop, topBySlots: the terms'
 * slot bitmaps are kept between queries); few matches of up to 16 terms are scored from their term
 * sequences; the general way scores all matches and picks the first k (topByScore). All give the
 * same order and scores.
 */
function firstMatches(ctx: EvalContext, root: QueryNode, sort: SearchSort, k: number): Page {
  const { index } = ctx;
  if (sort === 'relevance') {
    const oneTerm = oneTermTop(ctx, root, k);
    if (oneTerm) return oneTerm;
  }
  const single = singleTerm(ctx, root);
  if (single) {
    const { ids, scores } = single;
    if (sort !== 'relevance') return { total: ids.length, order: topByTime(ids, index.sentAt, k, sort === 'time-desc'), scoreOf: null };
    return { total: ids.length, order: topByScore(ids, scores, index.sentAt, k), scoreOf: (id) => scores[id]! };
  }
  const matches = evaluate(ctx, root);
  // Few matches are collected by the pass that counts them: every way on reads them all.
  const room = index.scratchIds(FEW_MATCHES);
  const total = matches.collect(room);
  const few = total <= room.length ? room.subarray(0, total) : null;
  if (sort !== 'relevance') return { total, order: topByTime(few ?? members(matches, total), index.sentAt, k, sort === 'time-desc'), scoreOf: null };
  const bySlots = topBySlots(ctx, positiveTexts(root), matches, total, k, few);
  if (bySlots) return { total, ...bySlots };
  const bySequences = scoreBySequences(ctx, positiveTexts(root), matches, total, few);
  if (bySequences) {
    const { ids, scores } = bySequences;
    return { total, order: topByScore(ids, scores, index.sentAt, k), scoreOf: (id) => scores[id]! };
  }
  const scores = scoreMatches(ctx, positiveTexts(root), matches);
  return { total, order: topByScore(few ?? members(matches, total), scores, index.sentAt, k), scoreOf: (id) => scores[id]! };
}

/** Runs a query: the exact total, one page of hits in the requested order, each with a highlighted snippet. */
export function searchMessages(session: CaseSession, req: SearchRequestDTO, scan?: ScanOptions): SearchResultDTO {
  const { limit, offset, sort } = checkRequest(req);
  // Loading the index when the case opens is not part of the search's time.
  const index = ensureIndex(session);
  const started = performance.now();
  const { ctx, root } = context(session, req.query, req.includePersonal ?? false, scan, index);
  ctx.arena = arenaFor(ctx.index);
  let page: Page;
  try {
    page = firstMatches(ctx, root, sort, offset + limit);
  } finally {
    // No set of this query is used past this point.
    ctx.arena.reset();
    ctx.arena = undefined;
  }
  const { total, order, scoreOf } = page;
  const hits = buildHits(ctx, root, order.slice(offset), scoreOf);
  const expansions = expansionsOf(ctx.index, root);
  return {
    query: req.query, total, tookMs: Math.round((performance.now() - started) * 10) / 10, offset, limit, sort, hits, warnings: ctx.warnings,
    ...(expansions.length ? { expansions } : {}),
  };
}

function buildHits(ctx: EvalContext, root: QueryNode, ids: number[], scoreOf: ((id: number) => number) | null): SearchHitDTO[] {
  if (ids.length === 0) return [];
  // One read of each hit's row: what the page shows and the fields its snippet is cut from.
  const rows = new Map<number, SearchHitRow>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of ctx.data.read.searchLookups.hitRows(ids.slice(i, i + 500))) rows.set(r.id, r);
  }
  const hl = highlightOf(ctx.index, root);
  const derived = hasOcrField(root) ? derivedByMessage(ctx.data, ids) : null;
  const hits: SearchHitDTO[] = [];
  for (const id of ids) {
    const r = rows.get(id);
    if (!r) continue;
    const cut = snippet(toDoc(r), hl);
    hits.push({
      messageId: id,
      conversationId: r.conversation_id,
      conversation: r.conversation ?? '',
      sender: r.sender,
      sentAt: isoTime(r.sent_at)!,
      snippet: cut.text,
      highlights: cut.highlights,
      score: scoreOf ? Math.round(scoreOf(id) * 1000) / 1000 : 0,
      ...(derived?.has(id) ? { derived: derived.get(id)! } : {}),
    });
  }
  return hits;
}

/**
 * Where the query lights up in the text of each of `ids` that it matches (ids it does not match, or
 * that are hidden, get nothing): for painting hits in the conversation view.
 */
export function messageHighlights(session: CaseSession, query: string, ids: readonly number[], includePersonal: boolean): MessageHighlightsDTO[] {
  const { ctx, root } = context(session, query, includePersonal);
  const within = new Bitset(ctx.index.maxId + 1);
  for (const id of ids) if (id <= ctx.index.maxId && ctx.universe.has(id)) within.add(id);
  const matches = evaluate(ctx, root, within);
  const hl = highlightOf(ctx.index, root);
  const out: MessageHighlightsDTO[] = [];
  for (const [id, , text] of ctx.data.read.searchDocs.textsById(members(matches, matches.count()))) out.push({ messageId: id, highlights: highlightRanges(text, hl) });
  return out.sort((a, b) => a.messageId - b.messageId);
}

/** Whether an ocr: term can have made a hit (one not under a NOT). */
function hasOcrField(node: QueryNode): boolean {
  if (node.type === 'field') return node.field === 'ocr';
  if (node.type === 'and' || node.type === 'or') return node.children.some(hasOcrField);
  return false;
}

/** The recognised texts of the hits' attachments, marked derived with how they were made. */
function derivedByMessage(data: CaseData, ids: readonly number[]): Map<number, DerivedTextDTO[]> {
  const out = new Map<number, DerivedTextDTO[]>();
  for (const r of data.read.enrichment.derivedTexts(ids)) {
    const list = out.get(r.message_id) ?? [];
    list.push({
      kind: 'ocr', attachmentId: r.attachment_id, attachment: r.name, text: r.text, engine: r.engine, engineVersion: r.engine_version,
      lang: r.lang, dataSha256: r.data_sha256, confidence: r.confidence,
    });
    out.set(r.message_id, list);
  }
  return out;
}
