import type { Bridge } from './bridge.ts';
import type { BatchConflictRow, BatchReader, BatchRow, BatchSetRow, BatchUnitProgressRow, BatchUnitRow, BatchWriter, BatchedMessageRow, QcSampleRow } from '../interface.ts';
import { coded, reviewed } from './review-marks.ts';

const SAMPLE = `SELECT q.*, u.unit_key, u.batch_id, b.number AS batch_number FROM qc_samples q JOIN batch_units u ON u.id = q.unit_id JOIN batches b ON b.id = u.batch_id`;

export function batchReader(b: Bridge): BatchReader {
  return {
    sets: () => b.all<BatchSetRow>('SELECT * FROM batch_sets ORDER BY lower(name), id'),
    set: (setId) => b.get<BatchSetRow>('SELECT * FROM batch_sets WHERE id = $1', [setId]),
    nameTaken: (name) => b.value<string>('SELECT name FROM batch_sets WHERE lower(name) = lower($1)', [name]),
    batches: (setId) => b.all<BatchRow>('SELECT * FROM batches WHERE set_id = $1 ORDER BY number', [setId]),
    batch: (batchId) => b.get<BatchRow>('SELECT * FROM batches WHERE id = $1', [batchId]),
    units: (batchId) => b.all<BatchUnitRow>('SELECT id, batch_id, seq, unit_key, conversation_id FROM batch_units WHERE batch_id = $1 ORDER BY seq', [batchId]),
    unitMessages: (unitId) =>
      b.column<number>('SELECT m.id FROM batch_unit_messages bm JOIN messages m ON m.id = bm.message_id WHERE bm.unit_id = $1 ORDER BY m.sent_at, m.id', [unitId]),
    unitProgress: (setId, batchId) =>
      b.all<BatchUnitProgressRow>(
        `SELECT u.id AS "unitId", u.batch_id AS "batchId", count(m.id) AS messages,
                count(m.id) FILTER (WHERE ${reviewed('m')}) AS reviewed, count(m.id) FILTER (WHERE ${coded('m')}) AS coded
           FROM batch_units u JOIN batches b ON b.id = u.batch_id
           LEFT JOIN batch_unit_messages bm ON bm.unit_id = u.id LEFT JOIN messages m ON m.id = bm.message_id
          WHERE ${batchId === undefined ? 'u.set_id = $1' : 'u.set_id = $1 AND u.batch_id = $2'} GROUP BY u.id, b.number, u.seq ORDER BY b.number, u.seq`,
        batchId === undefined ? [setId] : [setId, batchId],
      ),
    placement: (ids) =>
      b.rows<[number, number, number]>('SELECT id, conversation_id, sent_at FROM messages WHERE id = ANY($1::bigint[]) ORDER BY conversation_id, sent_at, id', [[...ids]]),
    samples: (setId) => b.all<QcSampleRow>(`${SAMPLE} WHERE q.set_id = $1 ORDER BY q.id`, [setId]),
    sample: (sampleId) => b.get<QcSampleRow>(`${SAMPLE} WHERE q.id = $1`, [sampleId]),
    batchedMessages: (messageIds) =>
      b.all<BatchedMessageRow>(
        `SELECT u.set_id AS "setId", u.batch_id AS "batchId", u.id AS "unitId", u.unit_key AS "unitKey", bm.message_id AS "messageId"
           FROM batch_unit_messages bm JOIN batch_units u ON u.id = bm.unit_id WHERE bm.message_id = ANY($1::bigint[]) ORDER BY u.id, bm.message_id`,
        [[...messageIds]],
      ),
    conflicts: (filter) =>
      'setId' in filter
        ? b.all<BatchConflictRow>('SELECT * FROM batch_conflicts WHERE set_id = $1 ORDER BY id', [filter.setId])
        : b.all<BatchConflictRow>('SELECT * FROM batch_conflicts WHERE batch_id = $1 ORDER BY id', [filter.batchId]),
  };
}

export function batchWriter(b: Bridge): BatchWriter {
  return {
    createSet: (s) =>
      b.value<number>('INSERT INTO batch_sets(name, source, unit_size, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id', [s.name, s.source, s.unitSize, s.createdBy, s.createdAt])!,
    createBatch: (setId, number) => b.value<number>('INSERT INTO batches(set_id, number) VALUES ($1, $2) RETURNING id', [setId, number])!,
    addUnit: (u) => {
      const id = b.value<number>('INSERT INTO batch_units(batch_id, set_id, seq, unit_key, conversation_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
        u.batchId, u.setId, u.seq, u.unitKey, u.conversationId,
      ])!;
      b.run('INSERT INTO batch_unit_messages(unit_id, message_id) SELECT $1, unnest($2::bigint[])', [id, [...u.messageIds]]);
      return id;
    },
    assign: (batchId, assignee) => {
      b.run('UPDATE batches SET assignee = $1 WHERE id = $2', [assignee, batchId]);
    },
    checkOut: (batchId, holder, at) => {
      b.run("UPDATE batches SET state = 'checked-out', holder = $1, checked_out_at = $2 WHERE id = $3", [holder, at, batchId]);
    },
    checkIn: (batchId, by, at) => {
      b.run("UPDATE batches SET state = 'checked-in', checked_in_by = $1, checked_in_at = $2 WHERE id = $3", [by, at, batchId]);
    },
    addSample: (s) =>
      b.value<number>('INSERT INTO qc_samples(set_id, unit_id, reviewer, seed, sampled_by, sampled_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
        s.setId, s.unitId, s.reviewer, s.seed, s.sampledBy, s.sampledAt,
      ])!,
    decide: (sampleId, d) => {
      b.run('UPDATE qc_samples SET decision = $1, decided_by = $2, decided_at = $3, changes = $4 WHERE id = $5', [d.decision, d.by, d.at, d.changes, sampleId]);
    },
    dropEmptyUnits: (unitIds) =>
      b.column<number>(
        `DELETE FROM batch_units u WHERE u.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM batch_unit_messages bm WHERE bm.unit_id = u.id) RETURNING id`,
        [[...unitIds]],
      ).sort((x, y) => x - y),
    markOffline: (batchId, checkout) => {
      b.run('UPDATE batches SET offline_checkout = $1 WHERE id = $2', [checkout, batchId]);
    },
    addConflict: (c) => {
      b.run(
        `INSERT INTO batch_conflicts(set_id, batch_id, checkout, message_id, slot, label, base, offline, server, offline_by, offline_at, server_by, server_at, winner, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [c.set_id, c.batch_id, c.checkout, c.message_id, c.slot, c.label, c.base, c.offline, c.server, c.offline_by, c.offline_at, c.server_by, c.server_at, c.winner, c.recorded_at],
      );
    },
  };
}
