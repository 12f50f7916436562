/**
 * What a legal hold covers, and materialising it into hold_items. A scope selects the messages of
 * any of its custodians, conversations or query (a union); a date range narrows that selection,
 * or on its own covers every message in the range. Used when a hold is created and by ingest,
 * which applies every active hold to the messages each import adds (holds cover what arrives later).
 * Depends on the database only, so the import worker can use it.
 */
import type { DB } from '../case/store.ts';
import { IN_IDS, jsonIds } from '../case/data/sqlcipher/ids.ts';

export interface HoldScope {
  custodians?: string[];
  conversations?: number[];
  query?: string;
  /** UTC ms, inclusive. */
  after?: number;
  /** UTC ms, exclusive. */
  before?: number;
}

export function parseScope(json: string): HoldScope {
  return JSON.parse(json) as HoldScope;
}

function rangeSql(scope: HoldScope, alias: string): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (scope.after !== undefined) {
    parts.push(`${alias}.sent_at >= ?`);
    params.push(scope.after);
  }
  if (scope.before !== undefined) {
    parts.push(`${alias}.sent_at < ?`);
    params.push(scope.before);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/**
 * Adds to hold `holdId` the messages its custodian, conversation and date-range selectors cover —
 * all of them, or only those the import run `runId` brought in (new or seen again). The query
 * selector is not evaluated here (it needs the search index): pass its matches as `queryIds`.
 * Returns the number of messages newly held.
 */
export function materialiseHold(db: DB, holdId: number, scope: HoldScope, opts: { runId?: number; queryIds?: readonly number[] } = {}): number {
  const range = rangeSql(scope, 'm');
  const inRun = opts.runId === undefined ? '' : ' AND m.id IN (SELECT message_id FROM message_occurrences WHERE source_id IN (SELECT id FROM sources WHERE run_id = ?))';
  const runParams = opts.runId === undefined ? [] : [opts.runId];
  const insert = (from: string, params: unknown[]) =>
    db.prepare(`INSERT OR IGNORE INTO hold_items(hold_id, message_id) SELECT DISTINCT ?, m.id ${from}${inRun}${range.sql}`).run(holdId, ...params, ...runParams, ...range.params).changes;
  let added = 0;
  const custodians = scope.custodians ?? [];
  const conversations = scope.conversations ?? [];
  if (custodians.length) {
    added += insert(
      `FROM messages m WHERE m.id IN (SELECT o.message_id FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE c.name ${IN_IDS})`,
      [JSON.stringify(custodians)],
    );
  }
  if (conversations.length) added += insert(`FROM messages m WHERE m.conversation_id ${IN_IDS}`, [jsonIds(conversations)]);
  if (opts.queryIds?.length) added += insert(`FROM messages m WHERE m.id ${IN_IDS}`, [jsonIds(opts.queryIds)]);
  if (!custodians.length && !conversations.length && !scope.query && (scope.after !== undefined || scope.before !== undefined)) {
    added += insert('FROM messages m WHERE 1', []);
  }
  return added;
}

/**
 * What a hold with this scope would cover now, without creating it: the messages in all (the
 * same selection materialiseHold makes) and those each selector alone brings, for the preview.
 */
export function countScope(db: DB, scope: HoldScope, queryIds: readonly number[] = []): { messages: number; custodians: number | null; conversations: number | null; query: number | null } {
  const range = rangeSql(scope, 'm');
  const parts: { sql: string; params: unknown[] }[] = [];
  const custodians = scope.custodians ?? [];
  const conversations = scope.conversations ?? [];
  const byCustodian = { sql: `m.id IN (SELECT o.message_id FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE c.name ${IN_IDS})`, params: [JSON.stringify(custodians)] };
  const byConversation = { sql: `m.conversation_id ${IN_IDS}`, params: [jsonIds(conversations)] };
  const byQuery = { sql: `m.id ${IN_IDS}`, params: [jsonIds(queryIds)] };
  if (custodians.length) parts.push(byCustodian);
  if (conversations.length) parts.push(byConversation);
  if (scope.query) parts.push(byQuery);
  const countWhere = (list: { sql: string; params: unknown[] }[]) =>
    db
      .prepare(`SELECT count(*) FROM messages m WHERE ${list.length ? `(${list.map((x) => x.sql).join(' OR ')})` : '1'}${range.sql}`)
      .pluck()
      .get(...list.flatMap((x) => x.params), ...range.params) as number;
  const onlyRange = !parts.length && (scope.after !== undefined || scope.before !== undefined);
  return {
    messages: parts.length || onlyRange ? countWhere(parts) : 0,
    custodians: custodians.length ? countWhere([byCustodian]) : null,
    conversations: conversations.length ? countWhere([byConversation]) : null,
    query: scope.query ? countWhere([byQuery]) : null,
  };
}

/** Applies every active hold's database selectors to what run `runId` imported; returns messages newly held per hold. */
export function applyHoldsToRun(db: DB, runId: number): Record<number, number> {
  const added: Record<number, number> = {};
  for (const hold of db.prepare('SELECT id, scope FROM holds WHERE released_at IS NULL ORDER BY id').all() as { id: number; scope: string }[]) {
    const n = materialiseHold(db, hold.id, parseScope(hold.scope), { runId });
    if (n) added[hold.id] = n;
  }
  return added;
}
