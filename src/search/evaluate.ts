/**
 * A parsed query → the exact set of matching messages (a bitset over message ids), plus the relevance
 * of each. Text comes from FlexSearch's postings, phrases and proximity from the positional postings
 * and the token array (or, for broad expansions, each candidate's term sequence); filters read the
 * per-message attributes in memory or, for tags, custodians and sources (which change without the
 * message changing), the case tables.
 */
import { DateTime } from 'luxon';
import { HoldfastError } from '../api/errors.ts';
import type { SearchExpansionDTO } from '../api/dto.ts';
import type { CaseData, SearchLookupReader } from '../case/data/interface.ts';
import { reviewedIds } from '../case/review-status.ts';
import { Bitset } from './bitset.ts';
import type { BitsetArena } from './bitset.ts';
import { FLAG_ATTACHMENT, FLAG_DELETED, FLAG_EDITED } from './docs.ts';
import { slotOf } from './postings-build.ts';
import type { MemoryIndex } from './memory-index.ts';
import type { QueryNode, TextNode } from './query-parser.ts';
import { nearIn } from './near.ts';
import { insideMessages, markDocs, markNear, phraseStarts } from './proximity.ts';
import type { NearSide } from './proximity.ts';
import type { Occurrences } from './positions.ts';
import type { Pattern } from './near.ts';
import { members, topByTime } from './rank.ts';
import { regexMatches } from './regex-scan.ts';
import { requiredLiterals } from './regex-literals.ts';
import type { ScanOptions } from './regex-scan.ts';
import { languageOf } from './stem.ts';
import { ENTITY_KINDS, entityKey, languageCode } from '../enrich/codes.ts';
import { isCjkTerm, terms as tokenTerms } from './tokenize.ts';

export interface EvalContext {
  index: MemoryIndex;
  data: CaseData;
  displayTz: string;
  /** Messages a query may return: live, and outside personal conversations unless they are included. */
  universe: Bitset;
  warnings: string[];
  /** Where this query's sets come from, when the caller hands them back after the query (searchMessages). */
  arena?: BitsetArena;
  /** A regular expression scan reads messages from the case: it reports progress, can be cancelled, and has a time limit. */
  scan?: ScanOptions;
}

/** An empty set over the index's ids (from the query's arena when it has one). */
function newSet(ctx: EvalContext): Bitset {
  const { arena } = ctx;
  return arena && arena.words === (ctx.index.maxId + 1 >>> 5) + 1 ? arena.take() : new Bitset(ctx.index.maxId + 1);
}

/** A copy of `b` (ids above the index's maxId, which no set holds, are not copied). */
function copySet(ctx: EvalContext, b: Bitset): Bitset {
  const out = newSet(ctx);
  const n = Math.min(out.words.length, b.words.length);
  out.words.set(n === b.words.length ? b.words : b.words.subarray(0, n));
  return out;
}

/**
 * A term's postings (live or not) as one set per relevance slot; a message is in one slot at most.
 * The index keeps them between queries (MemoryIndex.slotBitmaps): read them, never change them.
 */
function termSlotSets(ctx: EvalContext, termId: number): Bitset[] {
  return ctx.index.slotBitmaps(termId).map((words) => new Bitset(0, words));
}

type FieldNode = Extract<QueryNode, { type: 'field' }>;

/** The term ids acceptable at each position of a text node (one position = a single term). */
export interface ResolvedText {
  node: TextNode;
  positions: number[][];
}

// Keyed by the parsed query's node: a query's own resolution, not per-case state.
const resolvedCache = new WeakMap<TextNode, ResolvedText>();

export function resolveText(index: MemoryIndex, node: TextNode): ResolvedText {
  const hit = resolvedCache.get(node);
  if (hit) return hit;
  const last = node.terms.length - 1;
  const positions = node.terms.map((t, i) => {
    if (i === last && node.prefix) return index.prefixTerms(t);
    if (node.fuzzy !== undefined) return index.fuzzyTerms(t, node.fuzzy);
    if (node.stem) {
      const lang = node.stem === 'auto' ? languageOf(t) : node.stem;
      if (lang) return index.stemTerms(t, lang);
    }
    // A lone CJK character is found inside the bigrams that carry it.
    if (node.terms.length === 1 && isCjkTerm(t) && [...t].length === 1) return index.cjkTermsContaining(t);
    const id = index.termId(t);
    return id === undefined ? [] : [id];
  });
  // After a load, the postings of terms not searched yet are computed in one pass for all of them.
  index.preparePostings(positions.flat());
  const resolved = { node, positions };
  resolvedCache.set(node, resolved);
  return resolved;
}

function addPostings(index: MemoryIndex, termId: number, into: Bitset): void {
  for (const slot of index.postings(index.terms[termId]!)) {
    if (!slot) continue;
    for (let i = 0; i < slot.length; i++) into.add(slot[i] as number);
  }
}

function bound(ctx: EvalContext, within: Bitset | null): Bitset {
  return within ?? ctx.universe;
}

function evalText(ctx: EvalContext, node: TextNode, within: Bitset | null): Bitset {
  const { index } = ctx;
  const r = resolveText(index, node);
  if (r.positions.some((p) => p.length === 0)) return newSet(ctx);
  if (r.positions.length === 1) {
    const out = newSet(ctx);
    const terms = r.positions[0]!;
    // One term: by slot, so ranking finds the sets built (a prefix's many terms: straight in).
    if (terms.length === 1) for (const set of termSlotSets(ctx, terms[0]!)) out.or(set);
    else for (const id of terms) addPostings(index, id, out);
    return out.and(bound(ctx, within));
  }
  const lists = index.layout().lists;
  const mark = lists.mark();
  try {
    const starts = phraseStartsOf(index, r.positions);
    if (starts) {
      const out = newSet(ctx);
      markDocs(index.layout(), starts, r.positions.length, out.words);
      return out.and(bound(ctx, within));
    }
  } finally {
    lists.release(mark);
  }
  // A broad expansion inside a phrase: candidates hold the rarest exact terms (the common ones are
  // checked on the sequence anyway); then order and adjacency are checked on each candidate's term sequence.
  const exact = r.positions.filter((p) => p.length === 1).map((p) => ({ id: p[0]!, df: docFrequency(index, p[0]!) }));
  exact.sort((a, b) => a.df - b.df);
  let candidates: Bitset | null = null;
  for (const { id } of exact.slice(0, 2)) {
    // From the per-slot sets, which ranking then reuses.
    const b = newSet(ctx);
    for (const set of termSlotSets(ctx, id)) b.or(set);
    candidates = candidates ? candidates.and(b) : b;
  }
  if (!candidates) {
    candidates = newSet(ctx);
    for (const id of r.positions[0]!) addPostings(index, id, candidates);
  }
  candidates.and(bound(ctx, within));
  const out = newSet(ctx);
  const sets = r.positions.map((p) => (p.length === 1 ? p[0]! : new Set(p)));
  const { tokens, offsets } = index;
  const words = candidates.words;
  for (let w = 0; w < words.length; w++) {
    let v = words[w]!;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const doc = (w << 5) + (31 - Math.clz32(bit));
      if (phraseAt(tokens, offsets[doc]!, offsets[doc + 1]!, sets) >= 0) out.words[w]! |= bit;
    }
  }
  return out;
}

/**
 * Where a phrase starts, from the positional postings (the rarest position's list, each candidate
 * checked on the token array), including starts whose terms run on into the next message (markDocs
 * and insideMessages drop those). Null when even the rarest position is so common (a broad
 * expansion at every position) that reading the candidates' term sequences costs less.
 */
function phraseStartsOf(index: MemoryIndex, positions: readonly number[][], messages: Uint32Array | null = null): Occurrences | null {
  const p = index.positions();
  const counts = positions.map((terms) => p.count(terms));
  if (Math.min(...counts) > p.total / 8) return null;
  return phraseStarts(index.layout(), p, positions, counts, messages);
}

/** The starts of a phrase's occurrences inside one message (in `messages` when given; null as phraseStartsOf). */
function phraseOccurrences(index: MemoryIndex, positions: readonly number[][], messages: Uint32Array | null = null): Occurrences | null {
  const starts = phraseStartsOf(index, positions, messages);
  return starts && insideMessages(index.layout(), starts, positions.length);
}

/** Messages holding a term (live or not): the sum of its FlexSearch slots. */
function docFrequency(index: MemoryIndex, termId: number): number {
  let df = 0;
  for (const s of index.postings(index.terms[termId]!)) df += s ? s.length : 0;
  return df;
}

/** First index in seq[from, to) where the phrase starts, or -1. */
export function phraseAt(seq: Uint32Array, from: number, to: number, sets: ReadonlyArray<number | Set<number>>): number {
  const n = sets.length;
  const first = sets[0]!;
  outer: for (let s = from; s + n <= to; s++) {
    const t0 = seq[s]!;
    if (typeof first === 'number' ? t0 !== first : !first.has(t0)) continue;
    for (let k = 1; k < n; k++) {
      const want = sets[k]!;
      const t = seq[s + k]!;
      if (typeof want === 'number' ? t !== want : !want.has(t)) continue outer;
    }
    return s;
  }
  return -1;
}

/** Whether `needle` occurs as consecutive terms of `hay` (the last one as a prefix when asked). */
export function containsTerms(hay: readonly string[], needle: readonly string[], prefix: boolean): boolean {
  const n = needle.length;
  outer: for (let s = 0; s + n <= hay.length; s++) {
    for (let k = 0; k < n; k++) {
      const h = hay[s + k]!;
      const w = needle[k]!;
      if (prefix && k === n - 1 ? !h.startsWith(w) : h !== w) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Handles of every identity known by a matching name: display, value (number, address, user id), the
 * person's name, and every other name its source gave (real name, user name); a match takes in all
 * handles of that person.
 */
function handlesNamed(lookups: SearchLookupReader, node: { terms: string[]; prefix: boolean }): number[] {
  const rows = lookups.handles();
  const people = new Set(
    rows.filter((r) => nameMatches([r.display, r.value, r.display_name, ...(r.names ? r.names.split('\u001f') : [])], node)).map((r) => r.participant_id ?? -r.id),
  );
  return rows.filter((r) => people.has(r.participant_id ?? -r.id)).map((r) => r.id);
}

function nameMatches(names: ReadonlyArray<string | null>, node: { terms: string[]; prefix: boolean }): boolean {
  return names.some((n) => n !== null && containsTerms(tokenTerms(n), node.terms, node.prefix));
}

/**
 * Keeps the members of the bound whose attribute passes: `attr[id]` marked in `marks` (sender,
 * conversation), `flags[id] & flag`, or `lo <= sentAt[id] < hi`. One loop per kind, so each stays
 * monomorphic and tight (a predicate callback per member cost more than the test itself).
 */
type Keep =
  | { kind: 'marked'; attr: Uint32Array; marks: Uint8Array }
  | { kind: 'flag'; flag: number }
  | { kind: 'time'; lo: number; hi: number };

function scan(ctx: EvalContext, within: Bitset | null, keep: Keep): Bitset {
  const { index } = ctx;
  const base = bound(ctx, within).words;
  const out = newSet(ctx);
  const n = Math.min(base.length, out.words.length);
  switch (keep.kind) {
    case 'marked':
      keepMarked(base, n, keep.attr, keep.marks, out.words);
      break;
    case 'flag':
      keepFlag(base, n, index.flags, keep.flag, out.words);
      break;
    case 'time':
      keepTime(base, n, index.sentAt, keep.lo, keep.hi, out.words);
      break;
  }
  return out;
}

function keepMarked(base: Uint32Array, n: number, attr: Uint32Array, marks: Uint8Array, out: Uint32Array): void {
  const m = marks.length;
  for (let w = 0; w < n; w++) {
    let v = base[w]!;
    let kept = 0;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const a = attr[(w << 5) + (31 - Math.clz32(bit))]!;
      if (a < m && marks[a] === 1) kept |= bit;
    }
    out[w] = kept;
  }
}

function keepFlag(base: Uint32Array, n: number, flags: Uint8Array, flag: number, out: Uint32Array): void {
  for (let w = 0; w < n; w++) {
    let v = base[w]!;
    let kept = 0;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      if ((flags[(w << 5) + (31 - Math.clz32(bit))]! & flag) !== 0) kept |= bit;
    }
    out[w] = kept;
  }
}

function keepTime(base: Uint32Array, n: number, sentAt: Float64Array, lo: number, hi: number, out: Uint32Array): void {
  for (let w = 0; w < n; w++) {
    let v = base[w]!;
    let kept = 0;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const t = sentAt[(w << 5) + (31 - Math.clz32(bit))]!;
      if (t >= lo && t < hi) kept |= bit;
    }
    out[w] = kept;
  }
}

function fromIds(ctx: EvalContext, within: Bitset | null, ids: Iterable<number>): Bitset {
  const out = newSet(ctx);
  for (const id of ids) if (id <= ctx.index.maxId) out.add(id);
  return out.and(bound(ctx, within));
}

function marker(ids: readonly number[]): Uint8Array {
  const m = new Uint8Array((ids.length ? Math.max(...ids) : 0) + 1);
  for (const id of ids) m[id] = 1;
  return m;
}

function dayStart(ctx: EvalContext, date: string): number {
  const d = DateTime.fromISO(date, { zone: ctx.displayTz });
  if (d.isValid) return d.toMillis();
  ctx.warnings.push(`The case's display time zone "${ctx.displayTz}" is not valid; dates were read as UTC.`);
  return DateTime.fromISO(date, { zone: 'UTC' }).toMillis();
}

function evalField(ctx: EvalContext, node: FieldNode, within: Bitset | null): Bitset {
  const { index } = ctx;
  const lookups = ctx.data.read.searchLookups;
  switch (node.field) {
    case 'from': {
      // Any name the identity is known by: display, value (number, address, user id), the person's name, and every
      // other name its source gave (real name, user name); a match takes in all handles of that person.
      const ids = handlesNamed(lookups, node);
      if (ids.length === 0) ctx.warnings.push(`No sender matches from:${node.value}.`);
      return scan(ctx, within, { kind: 'marked', attr: index.sender, marks: marker(ids) });
    }
    case 'conversation':
      if ('id' in node) {
        if (!lookups.conversationExists(node.id)) ctx.warnings.push(`There is no conversation ${node.id}.`);
        return scan(ctx, within, { kind: 'marked', attr: index.conversation, marks: marker([node.id]) });
      }
      return byConversationName(ctx, node, within);
    case 'in':
      return byConversationName(ctx, node, within);
    case 'custodian': {
      const rows = ctx.data.read.custodians.all();
      const ids = rows.filter((r) => nameMatches([r.name], node)).map((r) => r.id);
      if (ids.length === 0) {
        ctx.warnings.push(`No custodian matches custodian:${node.value}.`);
        return newSet(ctx);
      }
      const msgs = lookups.messagesOfCustodians(ids);
      return fromIds(ctx, within, msgs);
    }
    case 'source': {
      const msgs = lookups.messagesOfSource(node.id);
      if (msgs.length === 0 && !lookups.sourceExists(node.id)) ctx.warnings.push(`There is no source ${node.id}.`);
      return fromIds(ctx, within, msgs);
    }
    case 'tag': {
      const rows = lookups.tags();
      const ids = rows
        .filter((r) => {
          const t = tokenTerms(r.name);
          return t.length === node.terms.length && containsTerms(t, node.terms, node.prefix);
        })
        .map((r) => r.id);
      if (ids.length === 0) {
        ctx.warnings.push(`No tag is named ${node.value}.`);
        return newSet(ctx);
      }
      const msgs = lookups.messagesTagged(ids);
      return fromIds(ctx, within, msgs);
    }
    case 'subject': {
      const rows = lookups.subjects();
      return fromIds(ctx, within, rows.filter(([, subject]) => containsTerms(tokenTerms(subject), node.terms, node.prefix)).map(([id]) => id));
    }
    case 'attachment': {
      const rows = lookups.attachmentNames();
      return fromIds(ctx, within, rows.filter(([, name]) => containsTerms(tokenTerms(name), node.terms, node.prefix)).map(([id]) => id));
    }
    case 'ocr':
      // Text recognised in image attachments (derived; src/enrich/ocr.ts), matched like attachment names.
      return fromIds(ctx, within, ctx.data.read.enrichment.recognisedTexts().filter(([, text]) => containsTerms(tokenTerms(text), node.terms, node.prefix)).map(([id]) => id));
    case 'platform': {
      const ids = lookups.conversationsOnPlatform(node.value);
      if (ids.length === 0) {
        const known = lookups.platforms();
        ctx.warnings.push(`No conversation is on platform:${node.value}${known.length ? ` (this case has ${known.join(', ')})` : ''}.`);
      }
      return scan(ctx, within, { kind: 'marked', attr: index.conversation, marks: marker(ids) });
    }
    case 'to':
    case 'cc': {
      // The recipients the source recorded for each message (email To/Cc), by any name the identity is known by.
      const ids = handlesNamed(lookups, node);
      if (ids.length === 0) ctx.warnings.push(`No recipient matches ${node.field}:${node.value}.`);
      const msgs = ids.length
        ? lookups.messagesToHandles(node.field, ids)
        : [];
      return fromIds(ctx, within, msgs);
    }
    case 'lang': {
      // Refused rather than an empty result while nothing is enriched: there is nothing to match against.
      if (!lookups.hasLanguages()) {
        throw new HoldfastError(
          'VALIDATION',
          `Query problem at character ${node.position}: lang: cannot be searched in this case yet: no message has a detected language (run "holdfast enrich").`,
          { position: `character ${node.position}` },
        );
      }
      return fromIds(ctx, within, lookups.messagesInLanguage(languageCode(node.value)));
    }
    case 'entity': {
      // entity:KIND (every phone, iban, ...) or entity:VALUE (as normalised: +442079460958, GB82WEST12345698765432).
      const kind = (ENTITY_KINDS as readonly string[]).includes(node.value.toLowerCase());
      return fromIds(ctx, within, kind ? lookups.messagesWithEntityKind(node.value.toLowerCase()) : lookups.messagesWithEntityValue(entityKey(node.value)));
    }
    case 'has':
      if (node.value === 'reaction') return fromIds(ctx, within, lookups.messagesWithReactions());
      return scan(ctx, within, { kind: 'flag', flag: FLAG_ATTACHMENT });
    case 'is': {
      // Withheld: tagged with a privilege tag (productions withhold those unless told otherwise).
      if (node.value === 'withheld') return fromIds(ctx, within, lookups.messagesTaggedOfKind(['privilege']));
      return scan(ctx, within, { kind: 'flag', flag: node.value === 'edited' ? FLAG_EDITED : FLAG_DELETED });
    }
    case 'reviewed': {
      // Reviewed: a coding or privilege tag, or marked reviewed (src/case/review-status.ts).
      const reviewed = fromIds(ctx, within, reviewedIds(ctx.data));
      return node.value ? reviewed : copySet(ctx, bound(ctx, within)).andNot(reviewed);
    }
    case 'on': {
      const lo = dayStart(ctx, node.value);
      const next = DateTime.fromISO(node.value, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
      return scan(ctx, within, { kind: 'time', lo, hi: dayStart(ctx, next) });
    }
    case 'after': {
      return scan(ctx, within, { kind: 'time', lo: dayStart(ctx, node.value), hi: Infinity });
    }
    case 'before': {
      return scan(ctx, within, { kind: 'time', lo: -Infinity, hi: dayStart(ctx, node.value) });
    }
  }
}

type NearNode = Extract<QueryNode, { type: 'near' }>;
type RegexNode = Extract<QueryNode, { type: 'regex' }>;

/** The patterns of an operand's texts (a text that matches nothing in the index is left out). */
function patterns(index: MemoryIndex, texts: readonly TextNode[]): Pattern[] {
  const out: Pattern[] = [];
  for (const t of texts) {
    const { positions } = resolveText(index, t);
    if (positions.some((p) => p.length === 0)) continue;
    out.push(positions.map((p) => (p.length === 1 ? p[0]! : new Set(p))));
  }
  return out;
}

/**
 * a w/N b, a pre/N b: messages holding both sides (from the postings), then the distance checked on
 * each candidate's term sequence. a not w/N b: messages holding a, less those where a is that near b.
 */
function evalNear(ctx: EvalContext, node: NearNode, within: Bitset | null): Bitset {
  const lists = ctx.index.layout().lists;
  const mark = lists.mark();
  let near: Bitset | null;
  try {
    near = nearByPositions(ctx, node, within);
  } finally {
    lists.release(mark);
  }
  if (near) {
    if (!node.negated) return near;
    const holdsLeft = newSet(ctx);
    for (const t of node.left) holdsLeft.or(evalText(ctx, t, within));
    return holdsLeft.andNot(near);
  }
  return nearBySequences(ctx, node, within);
}

/**
 * w/N from the positional postings: each side's texts grouped by length (`(bonus OR kickback) w/10
 * (wire OR money)` is one pass, not four), then every (left group, right group) pair in one pass.
 * Null when an expansion is too broad.
 */
function nearByPositions(ctx: EvalContext, node: NearNode, within: Bitset | null): Bitset | null {
  const { index } = ctx;
  const candidates = nearCandidates(index, node);
  const l = nearSide(index, node.left, candidates);
  const r = nearSide(index, node.right, candidates);
  if (!l || !r) return null;
  const out = newSet(ctx);
  const layout = index.layout();
  const keep = bound(ctx, within).words;
  for (const a of l) {
    for (const b of r) markNear(layout, a, b, node.distance, node.ordered, out.words, candidates, keep);
  }
  return out;
}

/**
 * The messages a w/N with a phrase on one side can match in, when they are few: those holding every
 * word of each side that is one text, as the layout's message bitmap. `"wire the money" w/10
 * offshore` at 1M: ~1.6k messages, where the phrase alone is in 29k and its rarest word has 76k
 * occurrences, each a read of a 1.4 MB bitmap. Words in one position in 64 or more ("the") are left
 * out: they keep nearly every message. Null with fewer than two words, or when the messages are more
 * than a quarter of the rarest word's occurrences (reaching the next one then costs more than a
 * test). Between two words the walk already jumps by the sides' own messages (markNear).
 */
export function nearCandidates(index: MemoryIndex, node: NearNode): Uint32Array | null {
  const sides = [node.left, node.right].filter((texts) => texts.length === 1).map((texts) => resolveText(index, texts[0]!).positions);
  if (!sides.some((positions) => positions.length > 1)) return null;
  const p = index.positions();
  const words = new Set<number>();
  let fewest = Infinity;
  for (const positions of sides) {
    for (const terms of positions) {
      if (terms.length !== 1) continue;
      const count = p.count(terms);
      if (count * 64 >= p.total) continue;
      words.add(terms[0]!);
      fewest = Math.min(fewest, count);
    }
  }
  if (words.size < 2) return null;
  const out = index.layout().messages;
  const set = new Bitset(0, out);
  const [first, ...rest] = words;
  out.set(index.messagesWith(first!).subarray(0, out.length));
  for (const w of rest) set.and(new Bitset(0, index.messagesWith(w)));
  return set.count() * 4 <= fewest ? out : null;
}

/** One side of a w/N: its texts' occurrences inside one message (in `candidates` when given), grouped by length (null as phraseOccurrences). */
function nearSide(index: MemoryIndex, texts: readonly TextNode[], candidates: Uint32Array | null): NearSide[] | null {
  const byLength = new Map<number, Occurrences[]>();
  for (const t of texts) {
    const starts = phraseOccurrences(index, resolveText(index, t).positions, candidates);
    if (!starts) return null;
    const n = t.terms.length;
    byLength.set(n, [...(byLength.get(n) ?? []), starts]);
  }
  // A side that is one word: its positions' bitmap when the word is common enough to keep one, and
  // the messages holding it.
  const positions = resolveText(index, texts[0]!).positions;
  const word = texts.length === 1 && positions.length === 1 && positions[0]!.length === 1 ? positions[0]![0]! : -1;
  const bits = word >= 0 ? index.positions().bitmap(word) : null;
  const messages = word >= 0 ? index.messagesWith(word) : null;
  return [...byLength].map(([n, lists]) => ({ n, lists, bits, messages }));
}

/** w/N checked on each candidate's term sequence (for operands whose expansions are too broad to merge). */
function nearBySequences(ctx: EvalContext, node: NearNode, within: Bitset | null): Bitset {
  const { index } = ctx;
  const holdsLeft = newSet(ctx);
  for (const t of node.left) holdsLeft.or(evalText(ctx, t, within));
  const holdsRight = newSet(ctx);
  if (!holdsLeft.isEmpty()) for (const t of node.right) holdsRight.or(evalText(ctx, t, holdsLeft));
  const candidates = holdsRight.and(holdsLeft);
  const l = patterns(index, node.left);
  const r = patterns(index, node.right);
  const near = newSet(ctx);
  const { tokens, offsets } = index;
  const words = candidates.words;
  for (let w = 0; w < words.length; w++) {
    let v = words[w]!;
    let found = 0;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const doc = (w << 5) + (31 - Math.clz32(bit));
      if (nearIn(tokens, offsets[doc]!, offsets[doc + 1]!, l, r, node.distance, node.ordered)) found |= bit;
    }
    near.words[w] = found;
  }
  return node.negated ? holdsLeft.andNot(near) : near;
}

/**
 * A regular expression on the candidates' text (read from the case): only the messages holding
 * a term with each run of letters and digits every match must contain (regex-literals.ts).
 */
function evalRegex(ctx: EvalContext, node: RegexNode, within: Bitset | null): Bitset {
  let base = bound(ctx, within);
  for (const literal of requiredLiterals(node.pattern)) {
    const holds = newSet(ctx);
    for (const id of ctx.index.termsContaining(literal)) addPostings(ctx.index, id, holds);
    base = holds.and(base);
  }
  return regexMatches(ctx.data, ctx.index, base, { pattern: node.pattern, flags: node.flags, source: node.source }, ctx.scan);
}

/** in:NAME and conversation:NAME: the current name or any earlier one. */
function byConversationName(ctx: EvalContext, node: { field: string; terms: string[]; prefix: boolean; value: string }, within: Bitset | null): Bitset {
  const rows = ctx.data.read.searchLookups.conversationNames();
  const ids = rows.filter((r) => nameMatches([r.name, ...(r.names ? r.names.split('\u001f') : [])], node)).map((r) => r.id);
  if (ids.length === 0) ctx.warnings.push(`No conversation matches ${node.field}:${node.value}.`);
  return scan(ctx, within, { kind: 'marked', attr: ctx.index.conversation, marks: marker(ids) });
}

/** Lower runs first inside an AND: text narrows fastest, table look-ups and negations last. */
function cost(node: QueryNode): number {
  if (node.type === 'text') return 0;
  if (node.type === 'field') return ['tag', 'custodian', 'source', 'subject', 'attachment', 'has', 'is', 'reviewed'].includes(node.field) ? 2 : 1;
  if (node.type === 'not') return 3;
  // Reads messages from the case: last, on the fewest candidates.
  if (node.type === 'regex') return 4;
  return 1;
}

/** The messages matching `node`, within `within` (or the universe). */
export function evaluate(ctx: EvalContext, node: QueryNode, within: Bitset | null = null): Bitset {
  switch (node.type) {
    case 'text':
      return evalText(ctx, node, within);
    case 'near':
      return evalNear(ctx, node, within);
    case 'regex':
      return evalRegex(ctx, node, within);
    case 'field':
      return evalField(ctx, node, within);
    case 'not': {
      const inner = evaluate(ctx, node.child, within);
      return copySet(ctx, bound(ctx, within)).andNot(inner);
    }
    case 'or': {
      const out = newSet(ctx);
      for (const c of node.children) out.or(evaluate(ctx, c, within));
      return out;
    }
    case 'and': {
      let acc: Bitset | null = null;
      for (const c of [...node.children].sort((a, b) => cost(a) - cost(b))) {
        const base: Bitset | null = acc ?? within;
        if (c.type === 'not') {
          const inner = evaluate(ctx, c.child, base);
          acc = (acc ?? copySet(ctx, bound(ctx, within))).andNot(inner);
        } else {
          acc = evaluate(ctx, c, base);
        }
        if (acc.isEmpty()) break;
      }
      return acc ?? copySet(ctx, bound(ctx, within));
    }
  }
}

/**
 * A query that is one term (or one prefix*, or one CJK character) straight from the postings, in
 * one pass: the matches (in posting order, not ascending) and their relevance. The most common
 * query needs no bitset at all.
 */
export function singleTerm(ctx: EvalContext, root: QueryNode): { ids: Uint32Array; scores: Float32Array } | null {
  if (root.type !== 'text') return null;
  const { index } = ctx;
  const r = resolveText(index, root);
  if (r.positions.length !== 1) return null;
  const terms = r.positions[0]!;
  let capacity = 0;
  for (const t of terms) capacity += docFrequency(index, t);
  const ids = new Uint32Array(capacity);
  const scores = index.scratchScores();
  const universe = ctx.universe.words;
  let count = 0;
  for (const t of terms) {
    const slots = index.postings(index.terms[t]!);
    const weights = slotWeights(index, t);
    for (let s = 0; s < slots.length; s++) {
      const list = slots[s];
      if (!list) continue;
      const w = weights[s]!;
      for (let i = 0; i < list.length; i++) {
        const id = list[i] as number;
        if ((universe[id >>> 5]! & (1 << (id & 31))) === 0) continue;
        // Weights are positive: a zero score means this id is not counted yet.
        if (scores[id] === 0) ids[count++] = id;
        scores[id]! += w;
      }
    }
  }
  return { ids: ids.subarray(0, count), scores };
}

/**
 * The first k by relevance of a query that is one exact term, without scoring every match. A
 * message holds the term in exactly one slot (its first occurrence), so every match in a slot has
 * the same score, and a lower slot always scores higher: the order is slot, then time, then id. So
 * the page is the earliest matches of slot 0, then of slot 1..., and the exact total one counting
 * pass over the postings. Null for anything else (prefix*, a lone CJK character, phrases).
 */
export function oneTermTop(ctx: EvalContext, root: QueryNode, k: number): { total: number; order: number[]; scoreOf: (id: number) => number } | null {
  if (root.type !== 'text') return null;
  const { index } = ctx;
  const r = resolveText(index, root);
  if (r.positions.length !== 1 || r.positions[0]!.length !== 1) return null;
  const term = r.positions[0]![0]!;
  const slots = index.postings(index.terms[term]!);
  const weights = slotWeights(index, term);
  // Every posting is a match when nothing was removed since the load and nothing is hidden.
  const allMatch = index.postingsAllLive && ctx.universe === index.live;
  const universe = ctx.universe.words;
  let total = 0;
  const order: number[] = [];
  const weight = new Map<number, number>();
  for (let s = 0; s < slots.length; s++) {
    const list = slots[s];
    if (!list) continue;
    if (order.length >= k) {
      total += allMatch ? list.length : countInUniverse(list, universe);
      continue;
    }
    const kept = allMatch ? copyIds(list, index.scratchIds(list.length)) : keepInUniverse(list, universe, index.scratchIds(list.length));
    total += kept.length;
    // The score singleTerm() would give: float32 of the slot's weight.
    const w = Math.fround(weights[s]!);
    for (const id of topByTime(kept, index.sentAt, k - order.length, false)) {
      order.push(id);
      weight.set(id, w);
    }
  }
  return { total, order, scoreOf: (id) => weight.get(id) ?? 0 };
}

function copyIds(list: ArrayLike<number | string>, out: Uint32Array): Uint32Array {
  for (let i = 0; i < list.length; i++) out[i] = list[i] as number;
  return out;
}

/** The ids of a posting list that are in `universe`, written into `kept` (branch-free: membership is unpredictable). */
function keepInUniverse(list: ArrayLike<number | string>, universe: Uint32Array, kept: Uint32Array): Uint32Array {
  const last = universe.length * 32;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const id = list[i] as number;
    kept[n] = id;
    if (id < last) n += (universe[id >>> 5]! >>> (id & 31)) & 1;
  }
  return kept.subarray(0, n);
}

function countInUniverse(list: ArrayLike<number | string>, universe: Uint32Array): number {
  const last = universe.length * 32;
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const id = list[i] as number;
    if (id < last) n += (universe[id >>> 5]! >>> (id & 31)) & 1;
  }
  return n;
}

/** What each fuzzy~ and stem: operand of the query was expanded to, most frequent terms first. */
export function expansionsOf(index: MemoryIndex, root: QueryNode, limit = 200): SearchExpansionDTO[] {
  const out: SearchExpansionDTO[] = [];
  const visit = (node: QueryNode): void => {
    if (node.type === 'and' || node.type === 'or') node.children.forEach(visit);
    else if (node.type === 'not') visit(node.child);
    else if (node.type === 'near') [...node.left, ...node.right].forEach(visit);
    else if (node.type === 'text' && (node.fuzzy !== undefined || node.stem)) {
      const ids = [...new Set(resolveText(index, node).positions.flat())];
      const df = new Map(ids.map((id) => [id, docFrequency(index, id)]));
      ids.sort((a, b) => df.get(b)! - df.get(a)! || (index.terms[a]! < index.terms[b]! ? -1 : 1));
      out.push({
        operand: node.source, position: node.position, kind: node.fuzzy !== undefined ? 'fuzzy' : 'stem',
        terms: ids.slice(0, limit).map((id) => index.terms[id]!), more: Math.max(0, ids.length - limit),
      });
    }
  };
  visit(root);
  return out;
}

/** Text nodes that count towards relevance: those not under a NOT. */
export function positiveTexts(node: QueryNode, out: TextNode[] = []): TextNode[] {
  if (node.type === 'text') out.push(node);
  else if (node.type === 'near') out.push(...node.left, ...(node.negated ? [] : node.right));
  else if (node.type === 'and' || node.type === 'or') for (const c of node.children) positiveTexts(c, out);
  return out;
}

/**
 * The distinct terms of the positive texts, in the order scoreMatches adds them (its float32 sums
 * depend on that order); null when there are more than `max`.
 */
function distinctTerms(index: MemoryIndex, texts: readonly TextNode[], max = Infinity): number[] | null {
  const seen = new Set<number>();
  for (const node of texts) {
    for (const p of resolveText(index, node).positions) {
      for (const t of p) {
        seen.add(t);
        if (seen.size > max) return null;
      }
    }
  }
  return [...seen];
}

/** A term's weight in each relevance slot (rarity × the slot's factor): what every ranking path adds for a term a message holds. */
function slotWeights(index: MemoryIndex, termId: number): number[] {
  const n = Math.max(1, index.liveCount);
  const idf = Math.log(1 + n / Math.max(1, docFrequency(index, termId)));
  return Array.from({ length: index.resolution }, (_, s) => idf * (1 - s / (2 * index.resolution)));
}

/**
 * Relevance of each matching message: for every positive query term it holds, the term's rarity
 * (idf) weighted by FlexSearch's slot (a term early in the message counts more).
 */
export function scoreMatches(ctx: EvalContext, texts: readonly TextNode[], matches: Bitset): Float32Array {
  const { index } = ctx;
  const scores = index.scratchScores();
  for (const termId of distinctTerms(index, texts)!) {
    const slots = index.postings(index.terms[termId]!);
    const weights = slotWeights(index, termId);
    for (let s = 0; s < slots.length; s++) {
      const ids = slots[s];
      if (ids) addWhereMatched(ids, weights[s]!, matches.words, scores);
    }
  }
  return scores;
}

/**
 * scores[id] += w for the ids of a posting list that are in `matches`. Branch-free: whether a
 * posting matches is unpredictable, and adding w × 0 leaves any score exactly as it was.
 */
function addWhereMatched(ids: ArrayLike<number | string>, w: number, matches: Uint32Array, scores: Float32Array): void {
  const last = matches.length * 32;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id < last) scores[id]! += w * ((matches[id >>> 5]! >>> (id & 31)) & 1);
  }
}

/** Distinct positive terms up to which matches may be scored from their term sequences. */
const MAX_SEQUENCE_TERMS = 16;
/**
 * What reading a token of a match's sequence costs against reading a posting: the matches lie all
 * over a token array of tens of MB (a cache miss each), the postings are read in order. Measured at
 * 1M: `(bonus OR kickback) w/10 (wire OR money)` (10,305 matches, 240,000 postings) scores faster
 * from the postings, `"wire the money" w/10 offshore` (1,275, 450,000) from the sequences.
 */
const SEQUENCE_READ_COST = 4;

/**
 * The relevance of each match computed from its own term sequence (the slot of each query term's
 * first occurrence, by the formula the postings were built with), when that reads fewer tokens than
 * scoreMatches reads postings: few matches of common terms (`"wire the money" w/10 offshore` has
 * 1,275 matches; its terms' postings hold ~400,000 ids). The same float32 sums, added in
 * scoreMatches' term order. `few`: the matches' ids, when the caller collected them. Null when it
 * would not be cheaper.
 */
export function scoreBySequences(
  ctx: EvalContext, texts: readonly TextNode[], matches: Bitset, total: number, few: Uint32Array | null = null,
): { ids: Uint32Array; scores: Float32Array } | null {
  const { index } = ctx;
  const termIds = distinctTerms(index, texts, MAX_SEQUENCE_TERMS);
  if (!termIds) return null;
  let postings = 0;
  for (const t of termIds) postings += docFrequency(index, t);
  const meanLength = index.tokenCount / Math.max(1, index.docCount);
  if (total * (meanLength + termIds.length) * SEQUENCE_READ_COST >= postings) return null;
  const res = index.resolution;
  const weights = Float64Array.from(termIds.flatMap((t) => slotWeights(index, t)));
  const ids = few ?? members(matches, total);
  const scores = matchScores(index);
  scoreSequences(ids, index.tokens, index.offsets, Uint32Array.from(termIds), weights, res, scores);
  return { ids, scores };
}

// Per index, scores by id that only the matches' entries of are read: every match's score is written
// (clearing 4 MB at 1M messages for each query was a fifth of a rare proximity's time).
const sequenceScores = new WeakMap<MemoryIndex, Float32Array>();

function matchScores(index: MemoryIndex): Float32Array {
  let scores = sequenceScores.get(index);
  if (!scores || scores.length < index.maxId + 1) {
    scores = new Float32Array(index.maxId + 1);
    sequenceScores.set(index, scores);
  }
  return scores;
}

/** scoreBySequences' pass over the matches (its own function: one hot loop). */
function scoreSequences(ids: Uint32Array, tokens: Uint32Array, offsets: Uint32Array, termIds: Uint32Array, weights: Float64Array, res: number, scores: Float32Array): void {
  const m = termIds.length;
  const slot = new Int32Array(m);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    const from = offsets[id]!;
    const to = offsets[id + 1]!;
    let length = 0;
    for (let p = from; p < to; p++) if (tokens[p] !== 0) length++;
    slot.fill(-1);
    let i = 0;
    for (let p = from; p < to; p++) {
      const t = tokens[p]!;
      if (t === 0) continue;
      for (let j = 0; j < m; j++) {
        // A term's first occurrence decides its slot (slotOf, as the postings were built).
        if (termIds[j] === t && slot[j] === -1) slot[j] = slotOf(res, length, i);
      }
      i++;
    }
    let score = 0;
    for (let j = 0; j < m; j++) if (slot[j]! >= 0) score = Math.fround(score + weights[j * res + slot[j]!]!);
    scores[id] = score;
  }
}

/** Distinct positive terms beyond which ranking by slot combinations stops paying (4^terms combinations, each match's in a byte). */
const MAX_SLOT_TERMS = 4;
/** Pages deeper than this are ranked by scoring every match. */
const MAX_SLOT_PAGE = 1000;

/**
 * The first k matches by relevance, without scoring every match, when the query has at most four
 * distinct positive terms. A message holds each term in exactly one slot (its first occurrence) or
 * not at all, so its score is fixed by that combination of slots: the matches fall into at most
 * (resolution + 1)^terms groups of equal score. The terms' per-slot bitmaps give each
 * match its combination; groups are then taken best score first (combinations with the same
 * score together), each by time, until the page is full — the same order, and the same float32
 * scores, as scoreMatches + topByScore. Many matches are first tried group by group as bitmaps
 * (pageByGroups). `few`: the matches' ids, when the caller collected them. Null when this does not apply.
 */
export function topBySlots(
  ctx: EvalContext, texts: readonly TextNode[], matches: Bitset, total: number, k: number, few: Uint32Array | null = null,
): { order: number[]; scoreOf: (id: number) => number } | null {
  const { index } = ctx;
  if (k > MAX_SLOT_PAGE) return null;
  const termIds = distinctTerms(index, texts, MAX_SLOT_TERMS);
  if (!termIds) return null;
  const res = index.resolution;
  const m = termIds.length;
  const combos = (res + 1) ** m;
  if (combos > 256) return null;
  // Reading each match's slots costs matches × terms × slots; scoring reads every posting of the
  // terms once. Rare terms with many matches (an OR) score faster.
  let postings = 0;
  for (const t of termIds) postings += docFrequency(index, t);
  if (m > 0 && total * m * res > postings) return null;
  const groups = new ScoreGroups(index, termIds);
  if (total >= GROUPS_FIRST && m <= 2) {
    const page = pageByGroups(ctx, termIds, matches, groups, k);
    if (page) return page;
  }
  // Each match's combination, read from the bitmaps; the matches grouped by it (a counting sort).
  const ids = few ?? members(matches, total);
  const codes = new Uint8Array(ids.length);
  for (const t of termIds) slotCodes(ids, termSlotSets(ctx, t).map((set) => set.words), codes);
  const { start, byCombo } = groupByCode(ids, codes, combos);
  const order: number[] = [];
  const scoreOf = new Map<number, number>();
  for (let g = 0; order.length < k; g++) {
    const next = groups.at(g);
    if (!next) break;
    const [score, cs] = next;
    const parts = cs.filter((c) => start[c] !== start[c + 1]).map((c) => byCombo.subarray(start[c]!, start[c + 1]!));
    if (parts.length === 0) continue;
    let group = parts[0]!;
    if (parts.length > 1) {
      group = new Uint32Array(parts.reduce((sum, p) => sum + p.length, 0));
      let o = 0;
      for (const p of parts) {
        group.set(p, o);
        o += p.length;
      }
    }
    for (const id of topByTime(group, index.sentAt, k - order.length, false)) {
      order.push(id);
      scoreOf.set(id, score);
    }
  }
  return { order, scoreOf: (id) => scoreOf.get(id) ?? 0 };
}

/**
 * The slot combinations of the terms by the score they give, best first (combinations of one score
 * together, ascending); a combination as a number with a digit per term: 0 = absent, else 1 + its
 * slot. Each group is made when first asked for: a page rarely needs more than a few, and four
 * terms make 256 combinations (an array for each, sorted, was ~150 KB of a search's garbage).
 */
export class ScoreGroups {
  private readonly scores: Float32Array;
  private readonly taken: Uint8Array;
  private readonly made: Array<[number, number[]]> = [];

  constructor(index: MemoryIndex, termIds: readonly number[]) {
    const res = index.resolution;
    const m = termIds.length;
    const weights = termIds.map((t) => slotWeights(index, t));
    const combos = (res + 1) ** m;
    // Each combination's score, its terms added in order as scoreMatches adds them (float32).
    this.scores = new Float32Array(combos);
    this.taken = new Uint8Array(combos);
    const slots = new Int32Array(m);
    for (let c = 0; c < combos; c++) {
      comboSlots(c, res, slots);
      let score = 0;
      for (let j = 0; j < m; j++) if (slots[j]! >= 0) score = Math.fround(score + weights[j]![slots[j]!]!);
      this.scores[c] = score;
    }
  }

  /** The g-th best score and its combinations, or undefined past the last. */
  at(g: number): [number, number[]] | undefined {
    while (this.made.length <= g) if (!this.next()) break;
    return this.made[g];
  }

  private next(): boolean {
    const { scores, taken } = this;
    let best = -1;
    for (let c = 0; c < scores.length; c++) if (taken[c] === 0 && (best < 0 || scores[c]! > scores[best]!)) best = c;
    if (best < 0) return false;
    const score = scores[best]!;
    const combos: number[] = [];
    for (let c = best; c < scores.length; c++) {
      if (taken[c] === 0 && scores[c] === score) {
        combos.push(c);
        taken[c] = 1;
      }
    }
    this.made.push([score, combos]);
    return true;
  }
}

/** Each term's slot in combination c (-1: absent), into `slots` (one per term). */
function comboSlots(c: number, res: number, slots: Int32Array): Int32Array {
  for (let j = slots.length - 1, rest = c; j >= 0; j--) {
    slots[j] = (rest % (res + 1)) - 1;
    rest = Math.floor(rest / (res + 1));
  }
  return slots;
}

/**
 * From this many matches of one or two terms, the best score groups are first tried as bitmaps
 * (pageByGroups). Two terms make 16 combinations, and the best four held the page at 1M (`price w/5
 * contract`, 43,209 matches: 1.2 ms against 2.5 ms by the codes); three make 64, and the best
 * groups of `"wire the money"` were empty there (the phrase never opens a message), so trying them
 * first cost more than it saved.
 */
const GROUPS_FIRST = 8192;
/** Score groups pageByGroups makes before it leaves the page to the matches' codes. */
const MAX_GROUPS_FIRST = 4;

/**
 * The page of topBySlots when its best score groups fill it: each group made as a bitmap, the
 * matches ANDed with each term's slot bitmap (or without any, for a term absent) for each of its
 * combinations, a pass over the words per term. A phrase of common words has tens of thousands of
 * matches, most in the best group: reading every match's code cost more than the whole group.
 * Null when the first `maxGroups` groups hold fewer than k matches.
 */
export function pageByGroups(
  ctx: EvalContext, termIds: readonly number[], matches: Bitset, groups: ScoreGroups, k: number, maxGroups = MAX_GROUPS_FIRST,
): { order: number[]; scoreOf: (id: number) => number } | null {
  const { index } = ctx;
  const slots = termIds.map((t) => termSlotSets(ctx, t));
  const group = newSet(ctx);
  const combo = newSet(ctx);
  const order: number[] = [];
  const scoreOf = new Map<number, number>();
  const comboOf = new Int32Array(termIds.length);
  for (let g = 0; g < maxGroups; g++) {
    const at = groups.at(g);
    if (!at) break;
    const [score, cs] = at;
    group.words.fill(0);
    for (const c of cs) {
      combo.words.fill(0);
      combo.or(matches);
      comboSlots(c, index.resolution, comboOf).forEach((slot, j) => {
        if (slot >= 0) combo.and(slots[j]![slot]!);
        else for (const set of slots[j]!) combo.andNot(set);
      });
      group.or(combo);
    }
    const n = group.count();
    if (n === 0) continue;
    for (const id of topByTime(members(group, n), index.sentAt, k - order.length, false)) {
      order.push(id);
      scoreOf.set(id, score);
    }
    if (order.length >= k) return { order, scoreOf: (id) => scoreOf.get(id) ?? 0 };
  }
  return null;
}

// topBySlots' passes over the matches, each its own function: a function whose several hot loops
// are optimised one at a time (on-stack replacement) drops back to the interpreter each time one
// of them exits, on every call.

/**
 * Appends one term to each match's code: codes[i] = codes[i] × (slots + 1) + (1 + the slot holding
 * ids[i], or 0). One pass over the matches testing every slot, branch-free: a match is in one slot
 * at most, and which is unpredictable.
 */
function slotCodes(ids: Uint32Array, slots: readonly Uint32Array[], codes: Uint8Array): void {
  const scale = slots.length + 1;
  const a = slots[0]!;
  const b = slots[1] ?? a;
  const c = slots[2] ?? a;
  // Up to three slots unrolled (the index's resolution); a resolution above three is tested in a loop.
  const bm = slots.length > 1 ? 2 : 0;
  const cm = slots.length > 2 ? 3 : 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const w = id >>> 5;
    const sh = id & 31;
    let code = (1 & -((a[w]! >>> sh) & 1)) + (bm & -((b[w]! >>> sh) & 1)) + (cm & -((c[w]! >>> sh) & 1));
    for (let s = 3; s < slots.length; s++) code += (s + 1) & -((slots[s]![w]! >>> sh) & 1);
    codes[i] = codes[i]! * scale + code;
  }
}

/** The ids ordered by code (stable), and where each code's run starts. */
function groupByCode(ids: Uint32Array, codes: Uint8Array, combos: number): { start: Uint32Array; byCombo: Uint32Array } {
  const start = new Uint32Array(combos + 1);
  countCodes(codes, start);
  for (let c = 0; c < combos; c++) start[c + 1]! += start[c]!;
  const byCombo = new Uint32Array(ids.length);
  placeByCode(ids, codes, start.slice(0, combos), byCombo);
  return { start, byCombo };
}

function countCodes(codes: Uint8Array, counts: Uint32Array): void {
  for (let i = 0; i < codes.length; i++) counts[codes[i]! + 1]!++;
}

function placeByCode(ids: Uint32Array, codes: Uint8Array, at: Uint32Array, out: Uint32Array): void {
  for (let i = 0; i < ids.length; i++) out[at[codes[i]!]!++] = ids[i]!;
}
