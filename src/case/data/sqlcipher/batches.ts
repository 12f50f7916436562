import type { DB } from './connection.ts';
import type { BatchConflictRow, BatchReader, BatchRow, BatchSetRow, BatchUnitProgressRow, BatchUnitRow, BatchWriter, BatchedMessageRow, QcSampleRow } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';
import { reviewedSql } from './review-marks.ts';

const CODED = `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind IN ('coding','privilege'))`;

const SAMPLE = `SELECT q.*, u.unit_key, u.batch_id, b.number AS batch_number FROM qc_samples q JOIN batch_units u ON u.id = q.unit_id JOIN batches b ON b.id = u.batch_id`;

export function batchReader(db: DB): BatchReader {
  return {
    sets: () => db.prepare('SELECT * FROM batch_sets ORDER BY name COLLATE NOCASE, id').all() as BatchSetRow[],
    set: (setId) => db.prepare('SELECT * FROM batch_sets WHERE id = ?').get(setId) as BatchSetRow | undefined,
    nameTaken: (name) => db.prepare('SELECT name FROM batch_sets WHERE name = ?').pluck().get(name) as string | undefined,
    batches: (setId) => db.prepare('SELECT * FROM batches WHERE set_id = ? ORDER BY number').all(setId) as BatchRow[],
    batch: (batchId) => db.prepare('SELECT * FROM batches WHERE id = ?').get(batchId) as BatchRow | undefined,
    units: (batchId) => db.prepare('SELECT id, batch_id, seq, unit_key, conversation_id FROM batch_units WHERE batch_id = ? ORDER BY seq').all(batchId) as BatchUnitRow[],
    unitMessages: (unitId) =>
      db.prepare('SELECT m.id FROM batch_unit_messages bm JOIN messages m ON m.id = bm.message_id WHERE bm.unit_id = ? ORDER BY m.sent_at, m.id').pluck().all(unitId) as number[],
    unitProgress: (setId, batchId) =>
      db
        .prepare(
          `SELECT u.id AS unitId, u.batch_id AS batchId, count(m.id) AS messages,
                  coalesce(sum(${reviewedSql('m')}), 0) AS reviewed, coalesce(sum(${CODED}), 0) AS coded
             FROM batch_units u JOIN batches b ON b.id = u.batch_id
             LEFT JOIN batch_unit_messages bm ON bm.unit_id = u.id LEFT JOIN messages m ON m.id = bm.message_id
            WHERE ${batchId === undefined ? 'u.set_id = ?' : 'u.set_id = ? AND u.batch_id = ?'} GROUP BY u.id ORDER BY b.number, u.seq`,
        )
        .all(...(batchId === undefined ? [setId] : [setId, batchId])) as BatchUnitProgressRow[],
    placement: (ids) =>
      db.prepare(`SELECT id, conversation_id, sent_at FROM messages WHERE id ${IN_IDS} ORDER BY conversation_id, sent_at, id`).raw().all(jsonIds(ids)) as [number, number, number][],
    samples: (setId) => db.prepare(`${SAMPLE} WHERE q.set_id = ? ORDER BY q.id`).all(setId) as QcSampleRow[],
    sample: (sampleId) => db.prepare(`${SAMPLE} WHERE q.id = ?`).get(sampleId) as QcSampleRow | undefined,
    batchedMessages: (messageIds) =>
      db
        .prepare(
          `SELECT u.set_id AS setId, u.batch_id AS batchId, u.id AS unitId, u.unit_key AS unitKey, bm.message_id AS messageId
             FROM batch_unit_messages bm JOIN batch_units u ON u.id = bm.unit_id WHERE bm.message_id ${IN_IDS} ORDER BY u.id, bm.message_id`,
        )
        .all(jsonIds(messageIds)) as BatchedMessageRow[],
    conflicts: (filter) =>
      'setId' in filter
        ? (db.prepare('SELECT * FROM batch_conflicts WHERE set_id = ? ORDER BY id').all(filter.setId) as BatchConflictRow[])
        : (db.prepare('SELECT * FROM batch_conflicts WHERE batch_id = ? ORDER BY id').all(filter.batchId) as BatchConflictRow[]),
  };
}

export function batchWriter(db: DB): BatchWriter {
  return {
    createSet: (s) =>
      Number(db.prepare('INSERT INTO batch_sets(name, source, unit_size, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(s.name, s.source, s.unitSize, s.createdBy, s.createdAt).lastInsertRowid),
    createBatch: (setId, number) => Number(db.prepare('INSERT INTO batches(set_id, number) VALUES (?, ?)').run(setId, number).lastInsertRowid),
    addUnit: (u) => {
      const id = Number(
        db.prepare('INSERT INTO batch_units(batch_id, set_id, seq, unit_key, conversation_id) VALUES (?, ?, ?, ?, ?)').run(u.batchId, u.setId, u.seq, u.unitKey, u.conversationId).lastInsertRowid,
      );
      db.prepare('INSERT INTO batch_unit_messages(unit_id, message_id) SELECT ?, value FROM json_each(?)').run(id, jsonIds(u.messageIds));
      return id;
    },
    assign: (batchId, assignee) => {
      db.prepare('UPDATE batches SET assignee = ? WHERE id = ?').run(assignee, batchId);
    },
    checkOut: (batchId, holder, at) => {
      db.prepare("UPDATE batches SET state = 'checked-out', holder = ?, checked_out_at = ? WHERE id = ?").run(holder, at, batchId);
    },
    checkIn: (batchId, by, at) => {
      db.prepare("UPDATE batches SET state = 'checked-in', checked_in_by = ?, checked_in_at = ? WHERE id = ?").run(by, at, batchId);
    },
    addSample: (s) =>
      Number(
        db.prepare('INSERT INTO qc_samples(set_id, unit_id, reviewer, seed, sampled_by, sampled_at) VALUES (?, ?, ?, ?, ?, ?)').run(s.setId, s.unitId, s.reviewer, s.seed, s.sampledBy, s.sampledAt)
          .lastInsertRowid,
      ),
    decide: (sampleId, d) => {
      db.prepare('UPDATE qc_samples SET decision = ?, decided_by = ?, decided_at = ?, changes = ? WHERE id = ?').run(d.decision, d.by, d.at, d.changes, sampleId);
    },
    dropEmptyUnits: (unitIds) => {
      const empty = db
        .prepare(`SELECT id FROM batch_units u WHERE u.id ${IN_IDS} AND NOT EXISTS (SELECT 1 FROM batch_unit_messages bm WHERE bm.unit_id = u.id) ORDER BY id`)
        .pluck()
        .all(jsonIds(unitIds)) as number[];
      db.prepare(`DELETE FROM batch_units WHERE id ${IN_IDS}`).run(jsonIds(empty));
      return empty;
    },
    markOffline: (batchId, checkout) => {
      db.prepare('UPDATE batches SET offline_checkout = ? WHERE id = ?').run(checkout, batchId);
    },
    addConflict: (c) => {
      db.prepare(
        `INSERT INTO batch_conflicts(set_id, batch_id, checkout, message_id, slot, label, base, offline, server, offline_by, offline_at, server_by, server_at, winner, recorded_at)
         VALUES (@set_id, @batch_id, @checkout, @message_id, @slot, @label, @base, @offline, @server, @offline_by, @offline_at, @server_by, @server_at, @winner, @recorded_at)`,
      ).run(c);
    },
  };
}
