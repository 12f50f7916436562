/**
 * Legal holds. A hold (name, matter, reason, who, when) covers custodians, conversations, a query
 * and/or a date range (see hold-scope.ts), materialised in hold_items and extended as messages
 * arrive. While it is active, what it covers cannot be deleted, purged by retention or redacted
 * destructively: the attempt fails with HOLD_VIOLATION naming the holds, and the refusal itself
 * is written to the audit log. Releasing a hold needs a reason and is audited; a released hold
 * protects nothing (its items stay listed as a record of what it held).
 */
import type { HoldDTO, HoldPreviewDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { HoldRow, CaseData } from '../case/data/interface.ts';
import { requireConversation } from './ids.ts';
import { countScope, materialiseHold, parseScope } from './hold-scope.ts';
import type { HoldScope } from './hold-scope.ts';
import { parseDateBound } from './time-zone.ts';
import { queryMessageIds } from './query.ts';

export interface CreateHoldArgs {
  name: string;
  matter?: string;
  reason?: string;
  custodians?: readonly string[];
  conversations?: readonly number[];
  query?: string;
  /** YYYY-MM-DD (start of that day in the display time zone) or an ISO 8601 time; inclusive. */
  after?: string;
  /** As `after`; exclusive. */
  before?: string;
}

function toDto(h: HoldRow, messages: number): HoldDTO {
  const s = parseScope(h.scope);
  return {
    holdId: h.id, name: h.name, matter: h.matter, reason: h.reason, createdBy: h.created_by, createdAt: new Date(h.created_at).toISOString(),
    active: h.released_at === null, releasedAt: isoTime(h.released_at), releasedBy: h.released_by, releaseReason: h.release_reason,
    scope: { custodians: s.custodians ?? [], conversations: s.conversations ?? [], query: s.query ?? null, after: isoTime(s.after), before: isoTime(s.before) },
    messages,
  };
}

function itemCount(data: CaseData, holdId: number): number {
  return data.read.holds.itemCount(holdId);
}

function requireHold(data: CaseData, holdId: number): HoldRow {
  const h = data.read.holds.get(holdId);
  if (!h) throw new HoldfastError('NOT_FOUND', `No legal hold with id ${holdId} in this case.`, { holdId });
  return h;
}

function optionalText(value: string | undefined, what: string, max: number): string | null {
  const t = value?.trim();
  if (!t) return null;
  if (t.length > max) throw new HoldfastError('VALIDATION', `The hold's ${what} is at most ${max} characters.`);
  return t;
}

function buildScope(session: CaseSession, args: CreateHoldArgs): HoldScope {
  const scope: HoldScope = {};
  const custodians = [...new Set((args.custodians ?? []).map((c) => c.trim()).filter(Boolean))];
  if (custodians.length) scope.custodians = custodians;
  const conversations = [...new Set(args.conversations ?? [])];
  for (const id of conversations) requireConversation(dataOf(session), id);
  if (conversations.length) scope.conversations = conversations.sort((a, b) => a - b);
  const query = args.query?.trim();
  if (query) scope.query = query;
  if (args.after !== undefined) scope.after = parseDateBound(args.after, session.displayTz, '--after');
  if (args.before !== undefined) scope.before = parseDateBound(args.before, session.displayTz, '--before');
  if (scope.after !== undefined && scope.before !== undefined && scope.after >= scope.before) {
    throw new HoldfastError('VALIDATION', `The hold's date range is empty: ${args.after} is not before ${args.before}.`);
  }
  if (!custodians.length && !conversations.length && !query && scope.after === undefined && scope.before === undefined) {
    throw new HoldfastError('VALIDATION', 'A hold needs a scope: custodians, conversations, a query and/or a date range.');
  }
  return scope;
}

/** How many messages a hold with this scope would hold now (in all and per selector), before it is created. */
export function previewHold(session: CaseSession, args: Omit<CreateHoldArgs, 'name' | 'matter' | 'reason'>): HoldPreviewDTO {
  const scope = buildScope(session, { ...args, name: 'preview' });
  const queryIds = scope.query ? queryMessageIds(session, scope.query, { includePersonal: true }) : [];
  return countScope(dataOf(session), scope, queryIds);
}

export function createHold(session: CaseSession, args: CreateHoldArgs): HoldDTO {
  const data = dataOf(session);
  const name = optionalText(args.name, 'name', 200);
  if (!name) throw new HoldfastError('VALIDATION', 'A hold needs a name.');
  const matter = optionalText(args.matter, 'matter', 500);
  const reason = optionalText(args.reason, 'reason', 4000);
  const scope = buildScope(session, args);
  return data.write.transaction.run(() => {
    // A hold preserves: its query covers personal conversations too.
    const queryIds = scope.query ? queryMessageIds(session, scope.query, { includePersonal: true }) : undefined;
    const now = Date.now();
    const id = dataOf(session).write.holds.create({ name, matter, reason, createdBy: session.actor, createdAt: now, scope: JSON.stringify(scope) });
    const messages = materialiseHold(data, id, scope, queryIds ? { queryIds } : {});
    appendAudit(dataOf(session), session.actor, 'hold.create', { holdId: id, before: null, after: { name, matter, reason, scope, active: true }, messages }, now);
    return toDto(requireHold(data, id), messages);
  });
}

export function releaseHold(session: CaseSession, args: { holdId: number; reason: string }): HoldDTO {
  const data = dataOf(session);
  const reason = optionalText(args.reason, 'release reason', 4000);
  if (!reason) throw new HoldfastError('VALIDATION', 'Releasing a hold needs a reason (it is kept in the audit log).');
  return data.write.transaction.run(() => {
    const hold = requireHold(data, args.holdId);
    if (hold.released_at !== null) {
      throw new HoldfastError('VALIDATION', `Hold ${hold.id} ("${hold.name}") was already released on ${new Date(hold.released_at).toISOString()} by ${hold.released_by}.`);
    }
    const now = Date.now();
    dataOf(session).write.holds.release(hold.id, { at: now, by: session.actor, reason });
    const messages = itemCount(data, hold.id);
    appendAudit(dataOf(session), session.actor, 'hold.release', {
      holdId: hold.id, name: hold.name, reason, messages,
      before: { active: true }, after: { active: false, releasedAt: now, releasedBy: session.actor, releaseReason: reason },
    }, now);
    return toDto(requireHold(data, hold.id), messages);
  });
}

export function listHolds(session: CaseSession, args: { active?: boolean } = {}): HoldDTO[] {
  const rows = dataOf(session).read.holds.list(args.active);
  return rows.map((r) => toDto(r, r.items));
}

export function getHold(session: CaseSession, args: { holdId: number }): HoldDTO {
  return toDto(requireHold(dataOf(session), args.holdId), itemCount(dataOf(session), args.holdId));
}

/** Active holds covering any of `ids`: hold → the ids it covers. */
export function activeHoldsOn(data: CaseData, ids: readonly number[]): Map<number, { holdId: number; name: string; ids: number[] }> {
  const rows = data.read.holds.activeOn(ids);
  const out = new Map<number, { holdId: number; name: string; ids: number[] }>();
  for (const [holdId, name, id] of rows) {
    const entry = out.get(holdId) ?? { holdId, name, ids: [] };
    entry.ids.push(id);
    out.set(holdId, entry);
  }
  return out;
}

export class HoldViolation extends HoldfastError {
  readonly attempted: string;
  readonly heldIds: number[];
  readonly holds: { holdId: number; name: string; messages: number }[];

  /** `subject` overrides the default "N of the M messages are". */
  constructor(attempted: string, what: string, holds: Map<number, { holdId: number; name: string; ids: number[] }>, total: number, subject?: string) {
    const held = [...new Set([...holds.values()].flatMap((h) => h.ids))].sort((a, b) => a - b);
    const list = [...holds.values()].map((h) => ({ holdId: h.holdId, name: h.name, messages: h.ids.length }));
    const names = list.map((h) => `"${h.name}" (hold ${h.holdId}, ${h.messages} message${h.messages === 1 ? '' : 's'})`).join(', ');
    subject ??= total === 1 ? 'The message is' : `${held.length} of the ${total} messages are`;
    super('HOLD_VIOLATION', `${subject} under legal hold ${names}; nothing was ${what}. Release the hold first if it no longer applies.`, {
      holds: list, heldMessageIds: held.slice(0, 1000), held: held.length, attempted,
    });
    this.attempted = attempted;
    this.heldIds = held;
    this.holds = list;
  }
}

/** Inside the caller's transaction: throws HoldViolation when an active hold covers any of `ids`. */
export function refuseIfHeld(data: CaseData, ids: readonly number[], attempted: string, what: string): void {
  const holds = activeHoldsOn(data, ids);
  if (holds.size) throw new HoldViolation(attempted, what, holds, ids.length);
}

/** Active holds whose scope names conversation `conversationId` (what arrives in it later is theirs). */
export function holdsNamingConversation(data: CaseData, conversationId: number): Map<number, { holdId: number; name: string; ids: number[] }> {
  const rows = data.read.holds.namingConversation(conversationId);
  return new Map(rows.map((r) => [r.id, { holdId: r.id, name: r.name, ids: [] }]));
}

/** Writes the refusal to the audit log in its own transaction (the refused change was rolled back). */
export function recordRefusal(session: CaseSession, err: HoldViolation, target: unknown): void {
  dataOf(session).write.transaction.run(() =>
    appendAudit(dataOf(session), session.actor, 'hold.violation', {
      attempted: err.attempted, target, holds: err.holds, held: err.heldIds.length, heldMessageIds: err.heldIds,
      outcome: 'refused',
    }),
  );
}

/**
 * Runs `change` in one transaction; a HoldViolation it throws rolls it back and is recorded in the
 * audit log before it is rethrown.
 */
export function withHoldGuard<T>(session: CaseSession, target: unknown, change: () => T): T {
  try {
    return dataOf(session).write.transaction.run(change);
  } catch (err) {
    if (err instanceof HoldViolation) recordRefusal(session, err, target);
    throw err;
  }
}

/**
 * Query holds cover what arrives later too: after an import is indexed, each active hold with a
 * query adds the run's messages that match it (within its date range).
 */
export function extendQueryHolds(session: CaseSession, runId: number): Record<number, number> {
  const data = dataOf(session);
  const added: Record<number, number> = {};
  data.write.transaction.run(() => {
    const holds = dataOf(session).read.holds.activeWithQuery();
    for (const h of holds) {
      const { query, after, before } = parseScope(h.scope);
      // Only the query selector here: the others were applied inside the import's last transaction.
      const queryIds = queryMessageIds(session, query!, { includePersonal: true });
      const held = itemCount(data, h.id);
      const n = materialiseHold(data, h.id, { query: query!, ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}) }, { runId, queryIds });
      if (n) {
        added[h.id] = n;
        appendAudit(dataOf(session), session.actor, 'hold.extend', { holdId: h.id, runId, selector: 'query', added: n, before: { messages: held }, after: { messages: held + n } });
      }
    }
  });
  return added;
}
