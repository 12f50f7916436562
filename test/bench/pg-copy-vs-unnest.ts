/**
 * Why a matter's import sends its rows with COPY: the same message rows (the messages table's
 * columns and indexes) loaded in batches of 20,000, each batch its own transaction, three ways —
 * `INSERT … SELECT FROM unnest($1::bigint[], …)`, COPY … FROM STDIN into the table, and COPY into a
 * temporary staging table then `INSERT … SELECT … ON CONFLICT DO NOTHING` — on a cluster with
 * PostgreSQL's default durability. Prints rows/s, this process's CPU and the server connection's CPU
 * (read from /proc: Linux, and the cluster on this machine), twice each.
 *
 *   node test/bench/pg-copy-vs-unnest.ts [ROWS]     (default 100,000)
 */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../../src/case/data/postgres/copy-text.ts';
import { startPostgres } from '../helpers/postgres.ts';

const N = Number(process.argv[2] ?? 100_000);
const BATCH = 20_000;
const COLUMNS: [string, string][] = [
  ['id', 'bigint'], ['conversation_id', 'bigint'], ['sender_handle_id', 'bigint'], ['sent_at', 'bigint'], ['raw_time', 'text'], ['kind', 'text'],
  ['system_type', 'text'], ['text', 'text'], ['subject', 'text'], ['edited', 'bigint'], ['deleted', 'bigint'], ['direction', 'text'], ['forwarded_from', 'text'],
  ['external_id', 'text'], ['fingerprint', 'text'], ['content_sha256', 'text'], ['fingerprint_key', 'bigint'], ['run_id', 'bigint'], ['source_id', 'bigint'],
  ['locator', 'text'], ['time_unknown', 'bigint'], ['time_source', 'text'],
];
const DDL = `CREATE TABLE t(${COLUMNS.map(([n, ty]) => `${n} ${ty}${n === 'id' ? ' PRIMARY KEY' : ''}`).join(', ')});
CREATE INDEX t_fingerprint ON t(fingerprint_key); CREATE INDEX t_conversation_time ON t(conversation_id, sent_at, kind);
CREATE INDEX t_time ON t(sent_at); CREATE INDEX t_sender ON t(sender_handle_id);`;

/** A batch as column arrays: mixed-script text with a line break, fingerprints, locators. */
function batch(from: number, n: number): unknown[][] {
  const cols: unknown[][] = COLUMNS.map(() => []);
  for (let i = from; i < from + n; i++) {
    const row = [i, 1 + (i % 20), 1 + (i % 8), 1_600_000_000_000 + i * 1000, `04/01/2021, ${i}`, 'message', null, `price deal contract Zürich привет 会議 #${i}\nline two`,
      null, 0, 0, 'in', null, null, i.toString(16).padStart(64, '0'), (i * 7).toString(16).padStart(64, '0'), i * 7, 1, 1, `line ${i}`, 0, null];
    row.forEach((v, j) => cols[j]!.push(v));
  }
  return cols;
}

const cluster = await startPostgres({ durable: true });
const client = new pg.Client({ connectionString: cluster.createDatabase('load') });
await client.connect();
const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
const backendCpuMs = () => {
  const f = fs.readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
  return (f[11]! + f[12]!) * 10;
};
const copyIn = async (sql: string, data: string) => {
  const stream = client.query(copyFrom(sql));
  stream.end(data);
  await finished(stream);
};

const ways: Record<string, (cols: unknown[][]) => Promise<void>> = {
  unnest: async (cols) => {
    await client.query(`INSERT INTO t SELECT * FROM unnest(${COLUMNS.map(([, ty], j) => `$${j + 1}::${ty}[]`).join(', ')})`, cols);
  },
  copy: (cols) => copyIn('COPY t FROM STDIN', copyText(cols)),
  'copy-staging': async (cols) => {
    await client.query('CREATE TEMP TABLE IF NOT EXISTS s (LIKE t) ON COMMIT DELETE ROWS');
    await copyIn('COPY s FROM STDIN', copyText(cols));
    await client.query('INSERT INTO t SELECT * FROM s ON CONFLICT DO NOTHING');
  },
};
try {
  for (const round of [1, 2]) {
    for (const [name, load] of Object.entries(ways)) {
      await client.query('DROP TABLE IF EXISTS t');
      await client.query(DDL);
      await client.query('CHECKPOINT');
      const t = performance.now();
      const cpu = process.cpuUsage();
      const server = backendCpuMs();
      for (let from = 0; from < N; from += BATCH) {
        const cols = batch(from, Math.min(BATCH, N - from));
        await client.query('BEGIN');
        await load(cols);
        await client.query('COMMIT');
      }
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      console.log(`round ${round} ${name}: ${Math.round(N / (ms / 1000)).toLocaleString('en-US')} rows/s, ${Math.round(ms)} ms wall, client CPU ${Math.round((used.user + used.system) / 1000)} ms, server CPU ${backendCpuMs() - server} ms`);
    }
  }
} finally {
  await client.end();
  cluster.stop();
}
