/**
 * What a legal hold covers, and materialising it into hold_items. A scope selects the messages of
 * any of its custodians, conversations or query (a union); a date range narrows that selection,
 * or on its own covers every message in the range. Used when a hold is created and by ingest,
 * which applies every active hold to the messages each import adds (holds cover what arrives later).
 * Depends on the database only, so the import worker can use it.
 */
import type { HoldScope, CaseData } from '../case/data/interface.ts';

export type { HoldScope };

export function parseScope(json: string): HoldScope {
  return JSON.parse(json) as HoldScope;
}

/**
 * Adds to hold `holdId` the messages its custodian, conversation and date-range selectors cover —
 * all of them, or only those the import run `runId` brought in (new or seen again). The query
 * selector is not evaluated here (it needs the search index): pass its matches as `queryIds`.
 * Returns the number of messages newly held.
 */
export function materialiseHold(data: CaseData, holdId: number, scope: HoldScope, opts: { runId?: number; queryIds?: readonly number[] } = {}): number {
  return data.write.holdItems.materialise(holdId, scope, opts);
}

/**
 * What a hold with this scope would cover now, without creating it: the messages in all (the
 * same selection materialiseHold makes) and those each selector alone brings, for the preview.
 */
export function countScope(data: CaseData, scope: HoldScope, queryIds: readonly number[] = []): { messages: number; custodians: number | null; conversations: number | null; query: number | null } {
  return data.read.holdItems.countScope(scope, queryIds);
}

/** Applies every active hold's database selectors to what run `runId` imported; returns messages newly held per hold. */
export function applyHoldsToRun(data: CaseData, runId: number): Record<number, number> {
  const added: Record<number, number> = {};
  for (const hold of data.read.holdItems.activeScopes()) {
    const n = data.write.holdItems.materialise(hold.id, parseScope(hold.scope), { runId });
    if (n) added[hold.id] = n;
  }
  return added;
}
