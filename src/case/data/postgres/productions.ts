import type { Bridge } from './bridge.ts';
import type { ProductionManifestRow, ProductionReader, ProductionSummaryRow, ProductionWriter } from '../interface.ts';

/** case_meta keys of running productions' temporary folders: the prefix, then the folder. */
const PARTIAL = 'production-partial:';

const SUMMARY = `SELECT p.id, p.name, p.format, p.status, p.bates_first, p.bates_last, p.out_dir, p.created_by, p.created_at, p.manifest_sha256,
  (SELECT count(*) FROM production_items i WHERE i.production_id = p.id AND i.withheld = 0) AS messages FROM productions p`;

/** Items go in as one set of column arrays per this many (unnest): a round trip per item would cost minutes at a million. */
const PER_STATEMENT = 5000;

export function productionReader(b: Bridge): ProductionReader {
  return {
    summaries: () => b.all<ProductionSummaryRow>(`${SUMMARY} ORDER BY p.id`),
    summary: (productionId) => b.get<ProductionSummaryRow>(`${SUMMARY} WHERE p.id = $1`, [productionId]),
    stored: (productionId) => b.get<{ definition: string; manifest: string | null }>('SELECT definition, manifest FROM productions WHERE id = $1', [productionId]),
    issued: (prefix) =>
      b.all<{ id: number; name: string; bates_first: string; bates_last: string }>(
        "SELECT id, name, bates_first, bates_last FROM productions WHERE status = 'complete' AND bates_prefix = $1 AND bates_first IS NOT NULL AND bates_last IS NOT NULL ORDER BY id",
        [prefix],
      ),
    complete: () => b.all<{ id: number; name: string; out_dir: string }>("SELECT id, name, out_dir FROM productions WHERE status = 'complete' ORDER BY id"),
    completeManifests: () =>
      b.all<ProductionManifestRow>("SELECT id, format, bates_first, bates_last, manifest, manifest_sha256, status FROM productions WHERE status = 'complete' ORDER BY id"),
    itemTotals: (productionId) =>
      b.get<{ n: number; ctx: number | null; w: number }>(
        'SELECT count(*) - coalesce(sum(withheld), 0) AS n, sum(context) AS ctx, coalesce(sum(withheld), 0) AS w FROM production_items WHERE production_id = $1',
        [productionId],
      )!,
    itemFiles: (productionId) => b.column<string>('SELECT DISTINCT file FROM production_items WHERE production_id = $1 AND file IS NOT NULL ORDER BY file', [productionId]),
    partials: () =>
      b.all<{ key: string; value: string }>('SELECT key, value FROM case_meta WHERE starts_with(key, $1) ORDER BY key', [PARTIAL]).map((r) => ({ dir: r.key.slice(PARTIAL.length), pid: r.value })),
  };
}

export function productionWriter(b: Bridge): ProductionWriter {
  return {
    rememberPartial: (dir, pid) => {
      b.run('INSERT INTO case_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [`${PARTIAL}${dir}`, String(pid)]);
    },
    forgetPartial: (dir) => {
      b.run('DELETE FROM case_meta WHERE key = $1', [`${PARTIAL}${dir}`]);
    },
    record: (p) =>
      b.value<number>(
        `INSERT INTO productions(name, definition, format, bates_prefix, bates_first, bates_last, out_dir, created_by, created_at, manifest, manifest_sha256, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'complete') RETURNING id`,
        [p.name, p.definition, p.format, p.batesPrefix, p.batesFirst, p.batesLast, p.outDir, p.createdBy, p.createdAt, p.manifest, p.manifestSha256],
      )!,
    addItems: (productionId, items) => {
      const columns = () => ({ ids: [] as number[], bates: [] as (string | null)[], files: [] as (string | null)[], context: [] as number[], withheld: [] as number[] });
      let c = columns();
      const flush = () => {
        b.run(
          `INSERT INTO production_items(production_id, message_id, bates, file, context, withheld)
           SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])`,
          [productionId, c.ids, c.bates, c.files, c.context, c.withheld],
        );
        c = columns();
      };
      for (const item of items) {
        c.ids.push(item.messageId);
        c.bates.push(item.bates);
        c.files.push(item.file);
        c.context.push(item.context ? 1 : 0);
        c.withheld.push(item.withheld ? 1 : 0);
        if (c.ids.length === PER_STATEMENT) flush();
      }
      if (c.ids.length) flush();
    },
  };
}
