/**
 * The `imessage-db` importer: a macOS Messages database (`~/Library/Messages/chat.db`) or an iPhone's
 * `sms.db` given as a file, or a folder holding one (the `~/Library/Messages` layout, with its
 * `Attachments` folder, so attachment files are imported too).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Importer, ImportRecord } from '../types.ts';
import { HoldfastError } from '../../api/errors.ts';
import { isSqliteImage } from '../sqlite/memory-db.ts';
import { openMessagesFile } from './open.ts';
import { readMessagesDb } from './reader.ts';
import type { ResolvedAttachment } from './reader.ts';
import { Schema } from './schema.ts';

const DB_NAMES = ['chat.db', 'sms.db'];

/** The database file of a source: the file itself, or chat.db / sms.db inside a folder. */
function databaseFile(source: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return source;
  if (!stat.isDirectory()) return undefined;
  for (const name of DB_NAMES) {
    const candidate = path.join(source, name);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function readHead(file: string, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where attachment files live relative to the folder holding the database: the part of
 * `attachment.filename` after `Library/Messages/` (macOS) or `Library/SMS/` (iOS).
 */
export function folderResolver(root: string, dbIsLone: boolean): (filename: string) => ResolvedAttachment {
  const base = path.resolve(root);
  return (filename) => {
    const m = /(?:^|\/)Library\/(?:Messages|SMS)\/(.+)$/.exec(filename.replace(/\\/g, '/'));
    if (!m) return { missingReason: `stored outside the Messages folder (${filename})` };
    const full = path.resolve(base, m[1]!);
    if (!full.startsWith(base + path.sep)) return { missingReason: `its path leaves the Messages folder (${filename})` };
    let size: number;
    try {
      const s = fs.statSync(full);
      if (!s.isFile()) throw new Error('not a file');
      size = s.size;
    } catch {
      return {
        missingReason: dbIsLone
          ? `not in the source: ${m[1]} would be beside the database (import the Messages folder that holds chat.db and Attachments to include files)`
          : `not found in the source folder at ${m[1]}`,
      };
    }
    return { open: async () => fs.createReadStream(full), size };
  };
}

export const imessageDb: Importer = {
  id: 'imessage-db',
  name: 'Apple Messages database (chat.db / sms.db)',
  description: 'iMessage and SMS from a Mac (~/Library/Messages/chat.db, or that folder with its Attachments) or an iPhone sms.db.',
  version: '1.0.0',

  async detect(source) {
    const file = databaseFile(source);
    if (!file) return { confidence: 0 };
    const head = readHead(file, 1 << 20);
    if (!isSqliteImage(head)) return { confidence: 0 };
    const isFolder = file !== source;
    const named = DB_NAMES.includes(path.basename(file).toLowerCase());
    // The schema usually sits in the first pages; its table definitions identify the store.
    const text = head.toString('latin1');
    const tables = ['CREATE TABLE message ', 'CREATE TABLE handle ', 'CREATE TABLE chat '].filter((t) => text.includes(t)).length;
    const variant = path.basename(file).toLowerCase() === 'sms.db' ? 'sms.db' : 'chat.db';
    if (tables === 3) return { confidence: 0.95, variant };
    if (named) return { confidence: isFolder ? 0.9 : 0.8, variant };
    return { confidence: 0 };
  },

  async probe(source) {
    const file = databaseFile(source);
    if (!file) throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${source} holds no chat.db or sms.db.`, { file: source });
    const { db } = openMessagesFile(file, path.basename(file), () => {});
    try {
      const schema = new Schema(db);
      const count = (sql: string) => db.prepare(sql).pluck().get() as number;
      return {
        variant: path.basename(file),
        conversations: schema.hasTable('chat') ? count('SELECT count(*) FROM chat') : count('SELECT count(DISTINCT handle_id) FROM message'),
        messages: count('SELECT count(*) FROM message'),
        hasAttachments: schema.hasTable('message_attachment_join') && count('SELECT count(*) FROM message_attachment_join') > 0,
        hasReactions: schema.has('message', 'associated_message_type') && count('SELECT count(*) FROM message WHERE associated_message_type BETWEEN 2000 AND 3007') > 0,
        hasEdits: schema.has('message', 'date_edited') && count('SELECT count(*) FROM message WHERE date_edited > 0 OR date_retracted > 0') > 0,
      };
    } finally {
      db.close();
    }
  },

  async estimate(source) {
    const file = databaseFile(source);
    return { total: file ? fs.statSync(file).size : 0 };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const file = databaseFile(ctx.path);
    if (!file) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} holds no chat.db or sms.db (a Messages database or its folder was expected).`, { file: ctx.path });
    }
    const label = path.basename(file);
    const walName = `${label}-wal`;
    const { db, wal } = openMessagesFile(file, label, (why) => {
      ctx.warn({ code: 'BAD_RECORD', locator: walName, message: `${walName} was not used (${why}); only what ${label} itself holds was read` });
    });
    try {
      // The log is part of what was collected (recent messages live there): it joins the custody record.
      if (wal) yield { type: 'source-file', innerPath: walName, size: wal.length, sha256: createHash('sha256').update(wal).digest('hex') };
      yield* readMessagesDb(db, ctx, {
        sourceLabel: label,
        resolveAttachment: folderResolver(path.dirname(file), file === ctx.path),
        progressTotal: fs.statSync(file).size,
      });
    } finally {
      db.close();
    }
  },
};
