import type { Bridge } from './bridge.ts';
import type { HoldItemReader, HoldItemWriter, HoldScope } from '../interface.ts';
import { params } from './params.ts';

type Params = ReturnType<typeof params>;

function rangeSql(scope: HoldScope, p: Params): string {
  return (scope.after !== undefined ? ` AND m.sent_at >= ${p.add(scope.after)}` : '') + (scope.before !== undefined ? ` AND m.sent_at < ${p.add(scope.before)}` : '');
}

const byCustodian = (names: readonly string[], p: Params) =>
  `m.id IN (SELECT o.message_id FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE c.name = ANY(${p.add(names)}::text[]))`;
const byConversation = (ids: readonly number[], p: Params) => `m.conversation_id = ANY(${p.add(ids)}::bigint[])`;
const byId = (ids: readonly number[], p: Params) => `m.id = ANY(${p.add(ids)}::bigint[])`;

export function holdItemReader(b: Bridge): HoldItemReader {
  return {
    countScope: (scope, queryIds) => {
      const custodians = scope.custodians ?? [];
      const conversations = scope.conversations ?? [];
      type Selector = (p: Params) => string;
      const selectors: Selector[] = [];
      const custodianSel: Selector = (p) => byCustodian(custodians, p);
      const conversationSel: Selector = (p) => byConversation(conversations, p);
      const querySel: Selector = (p) => byId(queryIds, p);
      if (custodians.length) selectors.push(custodianSel);
      if (conversations.length) selectors.push(conversationSel);
      if (scope.query) selectors.push(querySel);
      const countWhere = (list: Selector[]) => {
        const p = params();
        const where = list.length ? `(${list.map((s) => s(p)).join(' OR ')})` : 'true';
        return b.value<number>(`SELECT count(*) FROM messages m WHERE ${where}${rangeSql(scope, p)}`, p.values) ?? 0;
      };
      const onlyRange = !selectors.length && (scope.after !== undefined || scope.before !== undefined);
      return {
        messages: selectors.length || onlyRange ? countWhere(selectors) : 0,
        custodians: custodians.length ? countWhere([custodianSel]) : null,
        conversations: conversations.length ? countWhere([conversationSel]) : null,
        query: scope.query ? countWhere([querySel]) : null,
      };
    },
    activeScopes: () => b.all<{ id: number; scope: string }>('SELECT id, scope FROM holds WHERE released_at IS NULL ORDER BY id'),
  };
}

export function holdItemWriter(b: Bridge): HoldItemWriter {
  return {
    materialise: (holdId, scope, opts) => {
      const insert = (where: (p: Params) => string) => {
        const p = params();
        const hold = p.add(holdId);
        const sql = `SELECT DISTINCT ${hold}::bigint, m.id FROM messages m WHERE ${where(p)}`;
        const inRun = opts.runId === undefined ? '' : ` AND m.id IN (SELECT message_id FROM message_occurrences WHERE source_id IN (SELECT id FROM sources WHERE run_id = ${p.add(opts.runId)}))`;
        return b.run(`INSERT INTO hold_items(hold_id, message_id) ${sql}${inRun}${rangeSql(scope, p)} ON CONFLICT DO NOTHING`, p.values);
      };
      let added = 0;
      const custodians = scope.custodians ?? [];
      const conversations = scope.conversations ?? [];
      if (custodians.length) added += insert((p) => byCustodian(custodians, p));
      if (conversations.length) added += insert((p) => byConversation(conversations, p));
      if (opts.queryIds?.length) added += insert((p) => byId(opts.queryIds ?? [], p));
      if (!custodians.length && !conversations.length && !scope.query && (scope.after !== undefined || scope.before !== undefined)) added += insert(() => 'true');
      return added;
    },
  };
}
