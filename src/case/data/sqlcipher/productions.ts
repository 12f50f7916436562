import type { DB } from './connection.ts';
import { writeMeta } from './meta.ts';
import type { ProductionManifestRow, ProductionReader, ProductionSummaryRow, ProductionWriter } from '../interface.ts';

/** case_meta keys of running productions' temporary folders: the prefix, then the folder. */
const PARTIAL = 'production-partial:';

const SUMMARY = `SELECT p.id, p.name, p.format, p.status, p.bates_first, p.bates_last, p.out_dir, p.created_by, p.created_at, p.manifest_sha256,
  (SELECT count(*) FROM production_items i WHERE i.production_id = p.id AND i.withheld = 0) AS messages FROM productions p`;

export function productionReader(db: DB): ProductionReader {
  return {
    summaries: () => db.prepare(`${SUMMARY} ORDER BY p.id`).all() as ProductionSummaryRow[],
    summary: (productionId) => db.prepare(`${SUMMARY} WHERE p.id = ?`).get(productionId) as ProductionSummaryRow | undefined,
    stored: (productionId) => db.prepare('SELECT definition, manifest FROM productions WHERE id = ?').get(productionId) as { definition: string; manifest: string | null } | undefined,
    issued: (prefix) =>
      db
        .prepare("SELECT id, name, bates_first, bates_last FROM productions WHERE status = 'complete' AND bates_prefix = ? AND bates_first IS NOT NULL AND bates_last IS NOT NULL ORDER BY id")
        .all(prefix) as { id: number; name: string; bates_first: string; bates_last: string }[],
    complete: () => db.prepare("SELECT id, name, out_dir FROM productions WHERE status = 'complete' ORDER BY id").all() as { id: number; name: string; out_dir: string }[],
    completeManifests: () =>
      db.prepare("SELECT id, format, bates_first, bates_last, manifest, manifest_sha256, status FROM productions WHERE status = 'complete' ORDER BY id").all() as ProductionManifestRow[],
    itemTotals: (productionId) =>
      db
        .prepare('SELECT count(*) - coalesce(sum(withheld), 0) AS n, sum(context) AS ctx, coalesce(sum(withheld), 0) AS w FROM production_items WHERE production_id = ?')
        .get(productionId) as { n: number; ctx: number | null; w: number },
    itemFiles: (productionId) => db.prepare('SELECT DISTINCT file FROM production_items WHERE production_id = ? AND file IS NOT NULL').pluck().all(productionId) as string[],
    partials: () =>
      (db.prepare("SELECT key, value FROM case_meta WHERE key LIKE 'production-partial:%'").all() as { key: string; value: string }[]).map((r) => ({
        dir: r.key.slice(PARTIAL.length),
        pid: r.value,
      })),
  };
}

export function productionWriter(db: DB): ProductionWriter {
  return {
    rememberPartial: (dir, pid) => writeMeta(db, `${PARTIAL}${dir}`, String(pid)),
    forgetPartial: (dir) => {
      db.prepare('DELETE FROM case_meta WHERE key = ?').run(`${PARTIAL}${dir}`);
    },
    record: (p) =>
      Number(
        db
          .prepare(
            `INSERT INTO productions(name, definition, format, bates_prefix, bates_first, bates_last, out_dir, created_by, created_at, manifest, manifest_sha256, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'complete')`,
          )
          .run(p.name, p.definition, p.format, p.batesPrefix, p.batesFirst, p.batesLast, p.outDir, p.createdBy, p.createdAt, p.manifest, p.manifestSha256).lastInsertRowid,
      ),
    addItems: (productionId, items) => {
      // Many rows per statement: a million single-row inserts would take seconds on their own.
      const PER = 200;
      const COLS = 6;
      const row = `(${Array(COLS).fill('?').join(', ')})`;
      const insertMany = db.prepare(`INSERT INTO production_items(production_id, message_id, bates, file, context, withheld) VALUES ${Array(PER).fill(row).join(', ')}`);
      const insertOne = db.prepare(`INSERT INTO production_items(production_id, message_id, bates, file, context, withheld) VALUES ${row}`);
      let values: unknown[] = [];
      for (const item of items) {
        values.push(productionId, item.messageId, item.bates, item.file, item.context ? 1 : 0, item.withheld ? 1 : 0);
        if (values.length === PER * COLS) {
          insertMany.run(...values);
          values = [];
        }
      }
      for (let i = 0; i < values.length; i += COLS) insertOne.run(...values.slice(i, i + COLS));
    },
  };
}
