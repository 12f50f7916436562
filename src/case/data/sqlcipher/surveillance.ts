import type { DB } from './connection.ts';
import type { AlertRow, PolicyRow, SurveillanceReader, SurveillanceWriter } from '../interface.ts';
import type { AlertStatus } from '../../../api/surveillance-dto.ts';
import { IN_IDS, jsonIds } from './ids.ts';

const SENDER = `CASE WHEN p.display_name IS NULL OR (p.display_name = h.value AND h.display IS NOT NULL) THEN COALESCE(h.display, h.value) ELSE p.display_name END`;

export function surveillanceReader(db: DB): SurveillanceReader {
  return {
    policies: (opts = {}) => {
      const where = [opts.enabledOnly ? 'enabled = 1' : '', opts.id !== undefined ? 'id = ?' : ''].filter(Boolean);
      return db.prepare(`SELECT * FROM surveillance_policies ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...(opts.id !== undefined ? [opts.id] : [])) as PolicyRow[];
    },
    policyNameTaken: (name, exceptId = 0) => db.prepare('SELECT 1 FROM surveillance_policies WHERE name = ? AND id <> ?').get(name, exceptId) !== undefined,
    inScope: (ids, scope, sourceId) => {
      const where = [`m.id ${IN_IDS}`];
      const params: unknown[] = [jsonIds(ids)];
      if (scope.platforms?.length) {
        where.push('c.platform IN (SELECT lower(value) FROM json_each(?))');
        params.push(JSON.stringify(scope.platforms));
      }
      if (scope.from) (where.push('m.sent_at >= ?'), params.push(Date.parse(scope.from)));
      if (scope.to) (where.push('m.sent_at <= ?'), params.push(Date.parse(scope.to)));
      if (scope.custodians?.length) {
        where.push(`EXISTS (SELECT 1 FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id WHERE o.message_id = m.id AND cu.name ${IN_IDS})`);
        params.push(JSON.stringify(scope.custodians));
      }
      if (sourceId !== undefined) (where.push('EXISTS (SELECT 1 FROM message_occurrences o WHERE o.message_id = m.id AND o.source_id = ?)'), params.push(sourceId));
      return db.prepare(`SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE ${where.join(' AND ')} ORDER BY m.id`).pluck().all(...params) as number[];
    },
    alerts: (f) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (f.policyId !== undefined) (where.push('a.policy_id = ?'), params.push(f.policyId));
      if (f.status) (where.push('a.status = ?'), params.push(f.status));
      if (f.id !== undefined) (where.push('a.id = ?'), params.push(f.id));
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare(`SELECT count(*) FROM surveillance_alerts a ${clause}`).pluck().get(...params) as number;
      const rows = db
        .prepare(
          `SELECT a.id, a.policy_id, sp.name AS policy, a.term, a.message_id, m.conversation_id, coalesce(c.name, c.external_id) AS conversation,
                  ${SENDER} AS sender, m.sent_at, m.text, a.source_id, a.raised_at, a.status, a.reason, a.disposed_by, a.disposed_at
             FROM surveillance_alerts a JOIN surveillance_policies sp ON sp.id = a.policy_id JOIN messages m ON m.id = a.message_id
             JOIN conversations c ON c.id = m.conversation_id LEFT JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
            ${clause} ORDER BY a.id LIMIT ? OFFSET ?`,
        )
        .all(...params, f.limit, f.offset) as AlertRow[];
      return { total, rows };
    },
    context: (messageId, n) => {
      const sql = (dir: '<' | '>', order: 'ASC' | 'DESC') =>
        `SELECT m.id, ${SENDER} AS sender, m.sent_at, m.text FROM messages m JOIN messages t ON t.id = ? AND m.conversation_id = t.conversation_id
           LEFT JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
          WHERE (m.sent_at, m.id) ${dir} (t.sent_at, t.id) ORDER BY m.sent_at ${order}, m.id ${order} LIMIT ?`;
      type Row = { id: number; sender: string | null; sent_at: number; text: string };
      const before = (db.prepare(sql('<', 'DESC')).all(messageId, n) as Row[]).reverse();
      const after = db.prepare(sql('>', 'ASC')).all(messageId, n) as Row[];
      return [...before, ...after];
    },
    metrics: () => ({
      counts: db.prepare('SELECT policy_id, status, count(*) AS n FROM surveillance_alerts GROUP BY policy_id, status').all() as { policy_id: number; status: AlertStatus; n: number }[],
      waits: db
        .prepare('SELECT policy_id, (disposed_at - raised_at) / 3600000.0 AS hours FROM surveillance_alerts WHERE disposed_at IS NOT NULL ORDER BY policy_id, hours')
        .all() as { policy_id: number; hours: number }[],
    }),
  };
}

export function surveillanceWriter(db: DB): SurveillanceWriter {
  return {
    addPolicy: (p) =>
      Number(
        db
          .prepare('INSERT INTO surveillance_policies(name, description, terms, scope, example, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(p.name, p.description, JSON.stringify(p.terms), JSON.stringify(p.scope), p.example ? 1 : 0, p.actor, p.at).lastInsertRowid,
      ),
    updatePolicy: (id, p) => {
      db.prepare('UPDATE surveillance_policies SET name = ?, description = ?, terms = ?, scope = ?, enabled = ? WHERE id = ?').run(
        p.name, p.description, JSON.stringify(p.terms), JSON.stringify(p.scope), p.enabled ? 1 : 0, id,
      );
    },
    raiseAlerts: (policyId, hits, sourceId, at) => {
      const stmt = db.prepare('INSERT OR IGNORE INTO surveillance_alerts(policy_id, message_id, term, source_id, raised_at) VALUES (?, ?, ?, ?, ?)');
      let n = 0;
      for (const h of hits) n += stmt.run(policyId, h.messageId, h.term, sourceId, at).changes;
      return n;
    },
    dispose: (id, status, reason, actor, at) => {
      db.prepare('UPDATE surveillance_alerts SET status = ?, reason = ?, disposed_by = ?, disposed_at = ? WHERE id = ?').run(status, reason, actor, at, id);
    },
  };
}
