/**
 * Making a batch set: the review units a saved search's results (or a list of conversations) fall
 * in, in (conversation, time) order, cut into batches of N units, the last one shorter. The unit
 * cut is src/case/review-units.ts; each unit's messages are stored as they are at the cut, so a
 * later import that adds messages to the same day does not change what a batch holds.
 */
import type { BatchSetDTO, BatchSourceDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { CaseSession } from '../../case/session.ts';
import { dataOf } from '../../case/data/index.ts';
import { unitKey, unitRefsOf } from '../../case/review-units.ts';
import type { UnitRef } from '../../case/review-units.ts';
import { queryMessageIds } from '../query.ts';
import { unitMessageIds } from '../units.ts';
import { appendAuditItems } from '../audit-items.ts';
import { setDto } from './counts.ts';

export const MAX_UNIT_SIZE = 10_000;

export interface NewBatchSet {
  name: string;
  unitSize: number;
  savedSearchId?: number;
  conversationIds?: readonly number[];
}

/** The source as recorded, and the messages it selects now. */
function resolveSource(session: CaseSession, args: NewBatchSet): { source: BatchSourceDTO; ids: number[] } {
  const data = dataOf(session);
  if ((args.savedSearchId === undefined) === (args.conversationIds === undefined)) {
    throw new HoldfastError('VALIDATION', 'A batch set comes from a saved search or a list of conversations: give exactly one.');
  }
  if (args.savedSearchId !== undefined) {
    const saved = data.read.savedSearches.get(args.savedSearchId);
    if (!saved) throw new HoldfastError('NOT_FOUND', `No saved search with id ${args.savedSearchId} in this case.`, { savedSearchId: args.savedSearchId });
    const includePersonal = saved.include_personal === 1;
    return { source: { savedSearchId: saved.id, name: saved.name, query: saved.query, includePersonal }, ids: queryMessageIds(session, saved.query, { includePersonal }) };
  }
  const conversationIds = [...new Set(args.conversationIds)].sort((a, b) => a - b);
  if (!conversationIds.length) throw new HoldfastError('VALIDATION', 'Name at least one conversation.');
  const ids: number[] = [];
  for (const id of conversationIds) {
    if (!data.read.conversations.brief(id)) throw new HoldfastError('NOT_FOUND', `No conversation with id ${id} in this case.`, { conversationId: id });
    // One by one: spreading a conversation of a million ids into push() overflows the call stack.
    for (const m of data.read.messages.idsInConversation(id)) ids.push(m);
  }
  return { source: { conversationIds }, ids };
}

/** The distinct units of `ids`, in (conversation, time) order. */
function unitsOf(session: CaseSession, ids: readonly number[]): UnitRef[] {
  const { messages, batches } = dataOf(session).read;
  const placed = batches.placement(ids);
  const refs = unitRefsOf(messages, session.displayTz, placed);
  const seen = new Map<string, UnitRef>();
  for (const [id] of placed) {
    const ref = refs.get(id)!;
    const key = unitKey(ref);
    if (!seen.has(key)) seen.set(key, ref);
  }
  return [...seen.values()];
}

export function createBatchSet(session: CaseSession, args: NewBatchSet): BatchSetDTO {
  const name = args.name.trim();
  if (!name || name.length > 200) throw new HoldfastError('VALIDATION', 'A batch set needs a name of at most 200 characters.');
  if (!Number.isSafeInteger(args.unitSize) || args.unitSize < 1 || args.unitSize > MAX_UNIT_SIZE) {
    throw new HoldfastError('VALIDATION', `A batch holds 1–${MAX_UNIT_SIZE} review units, not ${args.unitSize}.`);
  }
  const data = dataOf(session);
  return data.write.transaction.immediate(() => {
    const clash = data.read.batches.nameTaken(name);
    if (clash) throw new HoldfastError('VALIDATION', `There is already a batch set named "${clash}".`, { name });
    const { source, ids } = resolveSource(session, args);
    const units = unitsOf(session, ids);
    if (!units.length) throw new HoldfastError('VALIDATION', `"${name}" would hold no review units: its source selects no messages.`);
    const at = Date.now();
    const setId = data.write.batches.createSet({ name, source: JSON.stringify(source), unitSize: args.unitSize, createdBy: session.actor, createdAt: at });
    const batches: { number: number; units: string[] }[] = [];
    let messages = 0;
    for (let i = 0; i < units.length; i += args.unitSize) {
      const number = batches.length + 1;
      const batchId = data.write.batches.createBatch(setId, number);
      const slice = units.slice(i, i + args.unitSize);
      slice.forEach((ref, seq) => {
        const messageIds = unitMessageIds(session, ref);
        messages += messageIds.length;
        data.write.batches.addUnit({ batchId, setId, seq: seq + 1, unitKey: unitKey(ref), conversationId: ref.conversationId, messageIds });
      });
      batches.push({ number, units: slice.map(unitKey) });
    }
    appendAuditItems(data, session.actor, 'batch.create', batches, (slice) => ({
      setId, before: null,
      after: { name, source, unitSize: args.unitSize, timeZone: session.displayTz, units: units.length, messages, batchCount: batches.length, batches: slice },
    }), at);
    return setDto(data, data.read.batches.set(setId)!);
  });
}
