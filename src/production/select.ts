/**
 * Which messages a production contains, in conversation then time order. A query and/or tags
 * choose; privileged (any tag of kind 'privilege') and personal-conversation messages are never
 * produced unless asked for — not even as context. A privilege log selects the opposite: only the
 * privileged messages within the query/tag scope.
 */
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../session/session.ts';
import type { ProductionDefinition } from './types.ts';

/** Message ids matching a query in the search language (src/search). */
export type QueryMatcher = (session: CaseSession, query: string) => Promise<Iterable<number>> | Iterable<number>;

export interface Selection {
  /** Every message to produce, selected and context, in conversation then time order. */
  ids: number[];
  /** The subset that is there only as context. */
  context: Set<number>;
  /** Conversation and sent time (UTC ms) of each of `ids`, index for index. */
  conversations: number[];
  times: number[];
  /** Latest sent time among them (UTC ms), 0 when empty: the fixed date of the documents. */
  latestSentAt: number;
}

const PRIVILEGED = `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind = 'privilege')`;

export async function selectMessages(session: CaseSession, def: ProductionDefinition, matcher: QueryMatcher | null): Promise<Selection> {
  const { db } = session;
  const sel = def.selection;
  let chosen: Set<number> | null = null;
  if (sel.query !== null) {
    if (!matcher) throw new HoldfastError('VALIDATION', 'Search is not available in this build, so a production cannot be chosen by --query; use --tag.', { field: 'query' });
    chosen = new Set(await matcher(session, sel.query));
  }
  if (sel.tags.length) {
    const tagIds: number[] = [];
    for (const name of sel.tags) {
      const id = db.prepare('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').pluck().get(name) as number | undefined;
      if (id === undefined) throw new HoldfastError('VALIDATION', `There is no tag named "${name}" in this case.`, { field: 'tags', tag: name });
      tagIds.push(id);
    }
    const tagged = new Set(
      db.prepare(`SELECT DISTINCT message_id FROM message_tags WHERE tag_id IN (${tagIds.map(() => '?').join(',')})`).pluck().all(...tagIds) as number[],
    );
    chosen = chosen === null ? tagged : new Set([...chosen].filter((id) => tagged.has(id)));
  }

  const where: string[] = [];
  const params: number[] = [];
  if (!sel.includePersonal) where.push('c.personal = 0');
  if (def.format === 'privlog') where.push(PRIVILEGED);
  else if (!sel.includePrivileged) where.push(`NOT ${PRIVILEGED}`);
  if (sel.conversationIds.length) {
    where.push(`m.conversation_id IN (${sel.conversationIds.map(() => '?').join(',')})`);
    params.push(...sel.conversationIds);
  }
  // Eligible messages in order; selection and context are both drawn from these.
  const ids: number[] = [];
  const conversations: number[] = [];
  const times: number[] = [];
  const stmt = db.prepare(
    `SELECT m.id, m.conversation_id, m.sent_at FROM messages m JOIN conversations c ON c.id = m.conversation_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.conversation_id, m.sent_at, m.id`,
  ).raw();
  for (const [id, conversation, sentAt] of stmt.iterate(...params) as IterableIterator<[number, number, number]>) {
    ids.push(id);
    conversations.push(conversation);
    times.push(sentAt);
  }
  if (chosen === null) return { ids, context: new Set(), conversations, times, latestSentAt: times.reduce((a, b) => (b > a ? b : a), 0) };

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
  let latestSentAt = 0;
  for (let i = 0; i < ids.length; i++) {
    if (picked[i] === 0) continue;
    out.push(ids[i]!);
    outConversations.push(conversations[i]!);
    outTimes.push(times[i]!);
    if (picked[i] === 2) context.add(ids[i]!);
    if (times[i]! > latestSentAt) latestSentAt = times[i]!;
  }
  return { ids: out, context, conversations: outConversations, times: outTimes, latestSentAt };
}
