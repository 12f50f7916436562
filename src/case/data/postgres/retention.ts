import type { Bridge } from './bridge.ts';
import type { RetentionPolicyRow, RetentionReader, RetentionWriter } from '../interface.ts';
import { namedByActiveHold } from './holds.ts';
import { params } from './params.ts';

export function retentionReader(b: Bridge): RetentionReader {
  return {
    policies: () => b.all<RetentionPolicyRow>('SELECT * FROM retention_policies ORDER BY id'),
    policy: (policyId) => b.get<RetentionPolicyRow>('SELECT * FROM retention_policies WHERE id = $1', [policyId]),
    policyNamed: (name) => b.get('SELECT 1 FROM retention_policies WHERE name = $1', [name]) !== undefined,
    knownCustodians: (names) => b.column<string>('SELECT name FROM custodians WHERE name = ANY($1::text[]) ORDER BY id', [names]),
    expired: (cutoff, scope) => {
      const p = params();
      const where = [`m.sent_at < ${p.add(cutoff)}`];
      if (scope.conversations) where.push(`m.conversation_id = ANY(${p.add(scope.conversations)}::bigint[])`);
      let others = '0';
      if (scope.custodians) {
        const names = p.add(scope.custodians);
        where.push(`EXISTS (SELECT 1 FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id = m.id AND c.name = ANY(${names}::text[]))`);
        others = `(EXISTS (SELECT 1 FROM message_occurrences o LEFT JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id = m.id AND (c.name IS NULL OR NOT c.name = ANY(${names}::text[]))))::int`;
      }
      return b.rows<[number, number]>(`SELECT m.id, ${others} AS other FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.id`, p.values);
    },
    attachmentCount: (ids) => b.value<number>('SELECT count(*) FROM attachments WHERE message_id = ANY($1::bigint[])', [ids]) ?? 0,
    orphanedBlobCount: (ids) =>
      b.value<number>(
        `SELECT count(DISTINCT a.sha256) FROM attachments a WHERE a.message_id = ANY($1::bigint[]) AND a.sha256 IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM attachments x WHERE x.sha256 = a.sha256 AND NOT x.message_id = ANY($1::bigint[]))`,
        [ids],
      ) ?? 0,
    conversationsEmptied: (ids) =>
      b.column<number>(
        `SELECT m.conversation_id FROM messages m WHERE m.id = ANY($1::bigint[]) GROUP BY m.conversation_id
         HAVING count(*) = (SELECT count(*) FROM messages x WHERE x.conversation_id = m.conversation_id) AND NOT ${namedByActiveHold('m.conversation_id')}
         ORDER BY m.conversation_id`,
        [ids],
      ),
  };
}

export function retentionWriter(b: Bridge): RetentionWriter {
  return {
    createPolicy: (p) =>
      b.value<number>('INSERT INTO retention_policies(name, keep, scope, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id', [p.name, p.keep, p.scope, p.createdBy, p.createdAt])!,
    deletePolicy: (policyId) => {
      b.run('DELETE FROM retention_policies WHERE id = $1', [policyId]);
    },
  };
}
