import type { DB } from './connection.ts';
import type { RetentionPolicyRow, RetentionReader, RetentionWriter } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function retentionReader(db: DB): RetentionReader {
  return {
    policies: () => db.prepare('SELECT * FROM retention_policies ORDER BY id').all() as RetentionPolicyRow[],
    policy: (policyId) => db.prepare('SELECT * FROM retention_policies WHERE id = ?').get(policyId) as RetentionPolicyRow | undefined,
    policyNamed: (name) => db.prepare('SELECT 1 FROM retention_policies WHERE name = ?').get(name) !== undefined,
    knownCustodians: (names) => db.prepare(`SELECT name FROM custodians WHERE name ${IN_IDS}`).pluck().all(JSON.stringify(names)) as string[],
    expired: (cutoff, scope) => {
      const where = ['m.sent_at < ?'];
      const params: unknown[] = [cutoff];
      if (scope.conversations) {
        where.push(`m.conversation_id ${IN_IDS}`);
        params.push(jsonIds(scope.conversations));
      }
      let others = '0';
      if (scope.custodians) {
        const names = JSON.stringify(scope.custodians);
        where.push(`EXISTS (SELECT 1 FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id = m.id AND c.name ${IN_IDS})`);
        params.push(names);
        others = `EXISTS (SELECT 1 FROM message_occurrences o LEFT JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id = m.id AND (c.name IS NULL OR c.name NOT ${IN_IDS}))`;
        params.unshift(names);
      }
      return db.prepare(`SELECT m.id, ${others} AS other FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.id`).raw().all(...params) as [number, number][];
    },
    attachmentCount: (ids) => db.prepare(`SELECT count(*) FROM attachments WHERE message_id ${IN_IDS}`).pluck().get(jsonIds(ids)) as number,
    orphanedBlobCount: (ids) =>
      db
        .prepare(
          `SELECT count(DISTINCT a.sha256) FROM attachments a WHERE a.message_id ${IN_IDS} AND a.sha256 IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM attachments b WHERE b.sha256 = a.sha256 AND b.message_id NOT ${IN_IDS})`,
        )
        .pluck()
        .get(jsonIds(ids), jsonIds(ids)) as number,
    conversationsEmptied: (ids) =>
      db
        .prepare(
          `SELECT m.conversation_id FROM messages m WHERE m.id ${IN_IDS} GROUP BY m.conversation_id
        HAVING count(*) = (SELECT count(*) FROM messages x WHERE x.conversation_id = m.conversation_id)
           AND NOT EXISTS (SELECT 1 FROM holds h, json_each(h.scope, '$.conversations') j WHERE h.released_at IS NULL AND j.value = m.conversation_id)
        ORDER BY m.conversation_id`,
        )
        .pluck()
        .all(jsonIds(ids)) as number[],
  };
}

export function retentionWriter(db: DB): RetentionWriter {
  return {
    createPolicy: (p) =>
      Number(db.prepare('INSERT INTO retention_policies(name, keep, scope, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(p.name, p.keep, p.scope, p.createdBy, p.createdAt).lastInsertRowid),
    deletePolicy: (policyId) => {
      db.prepare('DELETE FROM retention_policies WHERE id = ?').run(policyId);
    },
  };
}
