/**
 * Which messages a production contains, in conversation then time order. A query and/or tags
 * choose; privileged (any tag of kind 'privilege') and personal-conversation messages are never
 * produced unless asked for — not even as context. A privileged message the selection chose is
 * withheld in place: it stays in `ids` (marked in `withheld`) so every format can put a slip sheet
 * where it was, under its own Bates number. A privilege log selects the opposite: only the
 * privileged messages within the query/tag scope.
 */
import { HoldfastError } from '../api/errors.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseSession } from '../case/session.ts';
import type { ProductionDefinition } from './types.ts';

/** Message ids matching a query in the search language (src/search). */
export type QueryMatcher = (session: CaseSession, query: string) => Promise<Iterable<number>> | Iterable<number>;

export interface Selection {
  /** Every message to produce, selected and context, in conversation then time order. */
  ids: number[];
  /** The subset that is there only as context. */
  context: Set<number>;
  /** The subset withheld as privileged: a slip sheet each, never their content. */
  withheld: Set<number>;
  /** Conversation and sent time (UTC ms) of each of `ids`, index for index. */
  conversations: number[];
  times: number[];
}

export async function selectMessages(session: CaseSession, def: ProductionDefinition, matcher: QueryMatcher | null): Promise<Selection> {
  const produced = dataOf(session).read.produced;
  const sel = def.selection;
  let chosen: Set<number> | null = null;
  if (sel.query !== null) {
    if (!matcher) throw new HoldfastError('VALIDATION', 'Search is not available in this build, so a production cannot be chosen by --query; use --tag.', { field: 'query' });
    chosen = new Set(await matcher(session, sel.query));
  }
  if (sel.tags.length) {
    const tagIds: number[] = [];
    for (const name of sel.tags) {
      const id = produced.tagId(name);
      if (id === undefined) throw new HoldfastError('VALIDATION', `There is no tag named "${name}" in this case.`, { field: 'tags', tag: name });
      tagIds.push(id);
    }
    const tagged = new Set(produced.taggedWith(tagIds));
    chosen = chosen === null ? tagged : new Set([...chosen].filter((id) => tagged.has(id)));
  }

  const withholding = def.format !== 'privlog' && !sel.includePrivileged;
  // Eligible messages in order; selection and context are both drawn from these.
  const ids: number[] = [];
  const conversations: number[] = [];
  const times: number[] = [];
  // Privileged messages the selection chose, in the same order: withheld, merged back in at the end.
  const held: [number, number, number][] = [];
  const eligible = produced.eligible({
    includePersonal: sel.includePersonal, privilegedOnly: def.format === 'privlog', markPrivileged: withholding, conversationIds: sel.conversationIds,
  });
  for (const [id, conversation, sentAt, privileged] of eligible) {
    if (privileged) {
      if (chosen === null || chosen.has(id)) held.push([id, conversation, sentAt]);
      continue;
    }
    ids.push(id);
    conversations.push(conversation);
    times.push(sentAt);
  }
  if (chosen === null) return withWithheld({ ids, context: new Set(), withheld: new Set(), conversations, times }, held);

  const picked = new Uint8Array(ids.length); // 1 = selected, 2 = context
  for (let i = 0; i < ids.length; i++) if (chosen.has(ids[i]!)) picked[i] = 1;
  const n = def.context;
  if (n > 0) {
    for (let i = 0; i < ids.length; i++) {
      if (picked[i] !== 1) continue;
      for (let j = Math.max(0, i - n); j <= Math.min(ids.length - 1, i + n); j++) {
        if (picked[j] === 0 && conversations[j] === conversations[i]) picked[j] = 2;
      }
    }
  }
  const out: number[] = [];
  const outConversations: number[] = [];
  const outTimes: number[] = [];
  const context = new Set<number>();
  for (let i = 0; i < ids.length; i++) {
    if (picked[i] === 0) continue;
    out.push(ids[i]!);
    outConversations.push(conversations[i]!);
    outTimes.push(times[i]!);
    if (picked[i] === 2) context.add(ids[i]!);
  }
  return withWithheld({ ids: out, context, withheld: new Set(), conversations: outConversations, times: outTimes }, held);
}

/** Merges the withheld messages into the selection's (conversation, time, id) order. */
function withWithheld(sel: Selection, held: [number, number, number][]): Selection {
  if (!held.length) return sel;
  const out: Selection = { ids: [], context: sel.context, withheld: new Set(held.map((h) => h[0])), conversations: [], times: [] };
  let i = 0;
  let j = 0;
  const before = (h: [number, number, number], k: number) =>
    h[1] !== sel.conversations[k]! ? h[1] < sel.conversations[k]! : h[2] !== sel.times[k]! ? h[2] < sel.times[k]! : h[0] < sel.ids[k]!;
  while (i < sel.ids.length || j < held.length) {
    if (j < held.length && (i >= sel.ids.length || before(held[j]!, i))) {
      const [id, conversation, at] = held[j++]!;
      out.ids.push(id);
      out.conversations.push(conversation);
      out.times.push(at);
    } else {
      out.ids.push(sel.ids[i]!);
      out.conversations.push(sel.conversations[i]!);
      out.times.push(sel.times[i]!);
      i++;
    }
  }
  return out;
}
