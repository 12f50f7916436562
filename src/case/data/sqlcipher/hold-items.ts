import type { DB } from './connection.ts';
import type { HoldItemReader, HoldItemWriter, HoldScope } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

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

export function holdItemReader(db: DB): HoldItemReader {
  return {
    countScope: (scope, queryIds) => {
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
    },
    activeScopes: () => db.prepare('SELECT id, scope FROM holds WHERE released_at IS NULL ORDER BY id').all() as { id: number; scope: string }[],
  };
}

export function holdItemWriter(db: DB): HoldItemWriter {
  return {
    materialise: (holdId, scope, opts) => {
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
    },
  };
}
