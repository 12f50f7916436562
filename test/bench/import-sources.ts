/**
 * `node test/bench/import-sources.ts [--size 500k]`: imports of the message databases the issue
 * names, generated in their real schemas (source-dbs.ts): an iMessage chat.db and a WhatsApp for
 * Android msgstore.db of N message rows each. Each is imported as `holdfast import` runs it (the
 * import job in its worker thread: ingest, index, enrichment pass, surveillance) into a fresh case,
 * and beside it, in the same run, the source is read alone: the statement the importer's reader
 * runs over the database (opened in memory, as the importer opens it), iterating every row — the
 * "read only" ceiling, as whatsapp-chat-parser's parse-only is for the text export.
 *
 * Each step runs in its own process (this file with `import` or `read`), so CPU seconds and peak
 * RSS are its own; the load average at its start is reported, as the machine may be shared. The
 * generated databases are kept in the OS temp folder (holdfast-bench/) by size and reused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { createSession } from '../../src/case/session.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { writeChatDb, writeMsgstore } from './source-dbs.ts';
import { label, parseSize } from './sizes.ts';
import { cpuSeconds, maxRssMb } from './usage.ts';

const BENCH_KEY = 'bench-passphrase';
const work = path.join(os.tmpdir(), 'holdfast-bench');

interface Measured {
  ms: number;
  cpuS: number;
  /** Imported: messages written to the case; read: rows the statement returned. */
  rows: number;
  /** Read: reaction rows (msgstore); imported: the import's conversations, attachments, warnings and format. */
  reactions?: number;
  conversations?: number;
  attachments?: number;
  warnings?: number;
  format?: string;
  maxRssMb: number;
  load: number;
}

async function importInto(casePath: string, source: string): Promise<Measured> {
  createSession(casePath, BENCH_KEY, { name: 'bench', examiner: 'bench' }).close();
  const load = os.loadavg()[0]!;
  const c0 = cpuSeconds();
  const t = performance.now();
  const job = startJob<ImportResultDTO>({ kind: 'import', case: { file: casePath }, params: { source, tz: 'UTC' }, actor: 'bench' }, BENCH_KEY);
  const r = await job.result;
  return { ms: performance.now() - t, cpuS: cpuSeconds() - c0, rows: r.messages, conversations: r.conversations, attachments: r.attachments, warnings: r.warningCount, format: r.format, maxRssMb: maxRssMb(), load };
}

/** The importer's message statement (src/importers/imessage/reader.ts, on the modern schema). */
const IMESSAGE_SQL = `
  SELECT m.ROWID AS rowid, m.guid, m.text, m.attributedBody, m.handle_id, m.subject, m.account, m.destination_caller_id, m.is_from_me, m.item_type,
         m.other_handle, m.group_title, m.group_action_type, m.associated_message_guid, m.associated_message_type, m.associated_message_emoji,
         m.balloon_bundle_id, m.payload_data, m.message_summary_info, m.thread_originator_guid, m.date_edited, m.date_retracted,
         CAST(m.date AS TEXT) AS date_text, CAST(m.date_edited AS TEXT) AS date_edited_text, CAST(m.date_retracted AS TEXT) AS date_retracted_text,
         cmj.chat_id, crmj.chat_id AS deleted_chat_id, CAST(crmj.delete_date AS TEXT) AS delete_date_text
    FROM message m
    LEFT JOIN chat_message_join cmj ON cmj.message_id = m.ROWID
    LEFT JOIN chat_recoverable_message_join crmj ON crmj.message_id = m.ROWID AND cmj.chat_id IS NULL
   ORDER BY m.date, m.ROWID`;

/** The importer's paged message statement and each page's reactions (src/importers/whatsapp-android/current.ts). */
const ANDROID_PAGE = 2000;
const ANDROID_SQL = `
  SELECT m._id, m.chat_row_id, m.from_me, m.key_id, m.sender_jid_row_id, m.timestamp, m.received_timestamp, m.message_type, m.text_data, m.status,
         mm.file_path, mm.file_size, mm.mime_type, mm.media_name, mm.media_caption, mq.key_id AS quoted_key, me.edited_timestamp,
         mr.revoked_key_id, mf.forward_score, ms.action_type, ml.latitude, ml.longitude, ml.place_name, ml.place_address, ml.url AS location_url
    FROM message m
    LEFT JOIN message_media mm ON mm.message_row_id = m._id LEFT JOIN message_quoted mq ON mq.message_row_id = m._id
    LEFT JOIN message_edit_info me ON me.message_row_id = m._id LEFT JOIN message_revoked mr ON mr.message_row_id = m._id
    LEFT JOIN message_forwarded mf ON mf.message_row_id = m._id LEFT JOIN message_system ms ON ms.message_row_id = m._id
    LEFT JOIN message_location ml ON ml.message_row_id = m._id
   WHERE m._id > ? ORDER BY m._id LIMIT ${ANDROID_PAGE}`;

function readAlone(kind: string, file: string): Measured {
  const load = os.loadavg()[0]!;
  const c0 = cpuSeconds();
  const t = performance.now();
  // The importers read the database as an in-memory image (a source is never opened for writing).
  const db = new Database(fs.readFileSync(file));
  let rows = 0;
  let reactions = 0;
  if (kind === 'imessage') {
    for (const _ of db.prepare(IMESSAGE_SQL).iterate()) rows++;
  } else {
    const page = db.prepare(ANDROID_SQL);
    for (let last = -1; ; ) {
      const got = page.all(last) as { _id: number }[];
      if (got.length === 0) break;
      rows += got.length;
      last = got.at(-1)!._id;
      reactions += db.prepare(`SELECT ao.parent_message_row_id AS id, ao.from_me, ao.sender_jid_row_id, ao.timestamp, r.reaction
        FROM message_add_on ao JOIN message_add_on_reaction r ON r.message_add_on_row_id = ao._id
       WHERE ao.parent_message_row_id IN (${got.map((g) => g._id).join(',')}) ORDER BY ao._id`).all().length;
    }
  }
  db.close();
  return { ms: performance.now() - t, cpuS: cpuSeconds() - c0, rows, reactions, maxRssMb: maxRssMb(), load };
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '500k' } } });
const self = new URL(import.meta.url).pathname;
if (positionals[0] === 'import') {
  process.stdout.write(`${JSON.stringify(await importInto(positionals[1]!, positionals[2]!))}\n`);
} else if (positionals[0] === 'read') {
  process.stdout.write(`${JSON.stringify(readAlone(positionals[1]!, positionals[2]!))}\n`);
} else {
  const n = parseSize(values.size);
  const size = label(n);
  const run = (...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, [self, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!) as Measured;
  const sources = [
    { kind: 'imessage', what: 'iMessage chat.db', file: path.join(work, `imessage-${size}`, 'chat.db'), write: writeChatDb },
    { kind: 'android', what: 'WhatsApp Android msgstore.db', file: path.join(work, `whatsapp-android-${size}`, 'msgstore.db'), write: writeMsgstore },
  ];
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`);
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, size };
  const line = (what: string, r: Measured) =>
    console.log(`${what.padEnd(44)} ${r.rows.toLocaleString('en-US').padStart(9)} messages: ${(r.ms / 1000).toFixed(1).padStart(6)} s wall, ${r.cpuS.toFixed(1).padStart(6)} s CPU = ` +
      `${Math.round(r.rows / (r.ms / 1000)).toLocaleString('en-US').padStart(9)} messages/s wall; peak RSS ${r.maxRssMb} MB; load ${r.load.toFixed(1)} at start` +
      (r.format ? `; ${r.format}: ${r.conversations} conversations, ${r.attachments} attachments, ${r.warnings} warnings` : ''));
  for (const s of sources) {
    if (!fs.existsSync(s.file)) {
      const t = performance.now();
      s.write(s.file, n);
      console.log(`generated ${s.file} (${n.toLocaleString('en-US')} message rows, ${Math.round(fs.statSync(s.file).size / 2 ** 20)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const casePath = path.join(work, `import-${s.kind}-${size}.hfcase`);
    const clear = () => {
      for (const f of [casePath, `${casePath}-wal`, `${casePath}-shm`]) fs.rmSync(f, { force: true });
    };
    clear();
    const read = run('read', s.kind, s.file);
    line(`${s.what}, read only (the reader's SELECT)`, read);
    const imported = run('import', casePath, s.file);
    line(`${s.what}, holdfast import`, imported);
    clear();
    results[s.kind] = { source: s.file, bytes: fs.statSync(s.file).size, read, imported };
  }
  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `import-sources-${Date.now()}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
