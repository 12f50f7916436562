import type { Bridge } from './bridge.ts';
import type { AlertRow, PolicyRow, SurveillanceReader, SurveillanceWriter } from '../interface.ts';
import type { AlertStatus } from '../../../api/surveillance-dto.ts';
import { params } from './params.ts';

const SENDER = `CASE WHEN p.display_name IS NULL OR (p.display_name = h.value AND h.display IS NOT NULL) THEN COALESCE(h.display, h.value) ELSE p.display_name END`;

export function surveillanceReader(b: Bridge): SurveillanceReader {
  return {
    policies: (opts = {}) => {
      const p = params();
      const where = [opts.enabledOnly ? 'enabled = 1' : '', opts.id !== undefined ? `id = ${p.add(opts.id)}` : ''].filter(Boolean);
      return b.all<PolicyRow>(`SELECT * FROM surveillance_policies ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, p.values);
    },
    policyNameTaken: (name, exceptId = 0) => b.get('SELECT 1 FROM surveillance_policies WHERE lower(name) = lower($1) AND id <> $2', [name, exceptId]) !== undefined,
    inScope: (ids, scope, sourceId) => {
      const p = params();
      const where = [`m.id = ANY(${p.add(ids)}::bigint[])`];
      if (scope.platforms?.length) where.push(`c.platform IN (SELECT lower(x) FROM unnest(${p.add(scope.platforms)}::text[]) x)`);
      if (scope.from) where.push(`m.sent_at >= ${p.add(Date.parse(scope.from))}`);
      if (scope.to) where.push(`m.sent_at <= ${p.add(Date.parse(scope.to))}`);
      if (scope.custodians?.length) {
        where.push(`EXISTS (SELECT 1 FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id WHERE o.message_id = m.id AND cu.name = ANY(${p.add(scope.custodians)}::text[]))`);
      }
      if (sourceId !== undefined) where.push(`EXISTS (SELECT 1 FROM message_occurrences o WHERE o.message_id = m.id AND o.source_id = ${p.add(sourceId)})`);
      return b.column<number>(`SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE ${where.join(' AND ')} ORDER BY m.id`, p.values);
    },
    alerts: (f) => {
      const p = params();
      const where: string[] = [];
      if (f.policyId !== undefined) where.push(`a.policy_id = ${p.add(f.policyId)}`);
      if (f.status) where.push(`a.status = ${p.add(f.status)}`);
      if (f.id !== undefined) where.push(`a.id = ${p.add(f.id)}`);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = b.value<number>(`SELECT count(*) FROM surveillance_alerts a ${clause}`, p.values) ?? 0;
      const rows = b.all<AlertRow>(
        `SELECT a.id, a.policy_id, sp.name AS policy, a.term, a.message_id, m.conversation_id, coalesce(c.name, c.external_id) AS conversation,
                ${SENDER} AS sender, m.sent_at, m.text, a.source_id, a.raised_at, a.status, a.reason, a.disposed_by, a.disposed_at
           FROM surveillance_alerts a JOIN surveillance_policies sp ON sp.id = a.policy_id JOIN messages m ON m.id = a.message_id
           JOIN conversations c ON c.id = m.conversation_id LEFT JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
          ${clause} ORDER BY a.id LIMIT ${p.add(f.limit)} OFFSET ${p.add(f.offset)}`,
        p.values,
      );
      return { total, rows };
    },
    context: (messageId, n) => {
      const sql = (dir: '<' | '>', order: 'ASC' | 'DESC') =>
        `SELECT m.id, ${SENDER} AS sender, m.sent_at, m.text FROM messages m JOIN messages t ON t.id = $1 AND m.conversation_id = t.conversation_id
           LEFT JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
          WHERE (m.sent_at, m.id) ${dir} (t.sent_at, t.id) ORDER BY m.sent_at ${order}, m.id ${order} LIMIT $2`;
      type Row = { id: number; sender: string | null; sent_at: number; text: string };
      const before = b.all<Row>(sql('<', 'DESC'), [messageId, n]).reverse();
      return [...before, ...b.all<Row>(sql('>', 'ASC'), [messageId, n])];
    },
    metrics: () => ({
      counts: b.all<{ policy_id: number; status: AlertStatus; n: number }>('SELECT policy_id, status, count(*) AS n FROM surveillance_alerts GROUP BY policy_id, status ORDER BY policy_id, status'),
      waits: b.all<{ policy_id: number; hours: number }>(
        'SELECT policy_id, (disposed_at - raised_at) / 3600000.0 AS hours FROM surveillance_alerts WHERE disposed_at IS NOT NULL ORDER BY policy_id, hours',
      ),
    }),
  };
}

export function surveillanceWriter(b: Bridge): SurveillanceWriter {
  return {
    addPolicy: (p) =>
      b.value<number>('INSERT INTO surveillance_policies(name, description, terms, scope, example, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id', [
        p.name, p.description, JSON.stringify(p.terms), JSON.stringify(p.scope), p.example ? 1 : 0, p.actor, p.at,
      ])!,
    updatePolicy: (id, p) => {
      b.run('UPDATE surveillance_policies SET name = $1, description = $2, terms = $3, scope = $4, enabled = $5 WHERE id = $6', [
        p.name, p.description, JSON.stringify(p.terms), JSON.stringify(p.scope), p.enabled ? 1 : 0, id,
      ]);
    },
    // One statement for all hits; a hit raised before (or twice in the batch) is skipped, as INSERT OR IGNORE does.
    raiseAlerts: (policyId, hits, sourceId, at) =>
      hits.length === 0
        ? 0
        : b.run(
          `INSERT INTO surveillance_alerts(policy_id, message_id, term, source_id, raised_at)
           SELECT $1, h.message_id, h.term, $2, $3 FROM unnest($4::bigint[], $5::text[]) WITH ORDINALITY h(message_id, term, n) ORDER BY h.n
           ON CONFLICT (policy_id, message_id) DO NOTHING`,
          [policyId, sourceId, at, hits.map((h) => h.messageId), hits.map((h) => h.term)],
        ),
    dispose: (id, status, reason, actor, at) => {
      b.run('UPDATE surveillance_alerts SET status = $1, reason = $2, disposed_by = $3, disposed_at = $4 WHERE id = $5', [status, reason, actor, at, id]);
    },
  };
}
