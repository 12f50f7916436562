/**
 * Privilege log: one row per withheld message (or per review unit with --per unit) — control
 * number, date, author, recipients, privilege type (the privilege tags) and basis (as the reviewer
 * recorded it with the tag) and a description that names the kind of document without revealing
 * its content. Written twice, as XLSX and as CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting).
 */
import ExcelJS from 'exceljs';
import type { DB } from '../../case/store.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ProducedMessage } from '../data.ts';
import { localStamp, localTime } from '../time.ts';
import { setZipEntryTimes } from '../zip-times.ts';

export const PRIVLOG_COLUMNS = ['Entry', 'Date (UTC)', 'Date (local)', 'Author', 'Recipients', 'Conversation', 'Privilege type', 'Basis', 'Description', 'Messages', 'Message IDs'] as const;

interface Entry {
  first: number;
  last: number;
  conversationId: number;
  conversation: string;
  platform: string;
  day: string;
  authors: string[];
  recipients: string[];
  types: string[];
  bases: string[];
  messages: number;
  attachments: number;
  ids: number[];
}

export async function privlogWriter(ctx: WriterContext): Promise<void> {
  const { def, output, bates, session } = ctx;
  const first = bates.peek();
  const rows: string[][] = [];
  let entry: Entry | null = null;
  const flush = () => {
    if (!entry) return;
    const b = bates.take();
    for (const id of entry.ids) ctx.items.place(id, b, null);
    rows.push(toRow(ctx, b, entry));
    entry = null;
  };
  let done = 0;
  for (const batch of iterateProduced(session.db, ctx.selection.ids, ctx.selection.context)) {
    const privilege = privilegeTags(session.db, batch.map((m) => m.id));
    for (const m of batch) {
      const day = localTime(m.sentAtMs, def.timeZone).day;
      if (entry && !(def.per === 'unit' && entry.conversationId === m.conversationId && entry.day === day)) flush();
      const current: Entry = entry ?? {
        first: m.sentAtMs, last: m.sentAtMs, conversationId: m.conversationId, conversation: m.conversation,
        platform: ctx.conversations.get(m.conversationId).platform, day, authors: [], recipients: [], types: [], bases: [], messages: 0, attachments: 0, ids: [],
      };
      entry = current;
      merge(current, ctx, m, privilege.get(m.id) ?? []);
    }
    done += batch.length;
    await ctx.tick(done);
  }
  flush();
  const base = `${rows.length ? first : bates.peek()}-privilege-log`;
  await output.writeFile(`${base}.csv`, `\ufeff${[PRIVLOG_COLUMNS as readonly string[], ...rows].map(csvLine).join('')}`, { firstBates: bates.first, lastBates: bates.last });
  const rel = `${base}.xlsx`;
  const { stream, done: written } = output.open(rel);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'Holdfast';
  wb.title = `Privilege log — ${def.name}`;
  wb.created = new Date(ctx.documentTime);
  wb.modified = new Date(ctx.documentTime);
  const ws = wb.addWorksheet('Privilege log', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = PRIVLOG_COLUMNS.map((header, i) => ({ header, key: String(i), width: [14, 20, 26, 24, 30, 26, 18, 40, 40, 9, 20][i] }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  await written;
  setZipEntryTimes(output.absolute(rel), ctx.documentTime);
  await output.rehash(rel);
  output.setMeta(rel, { firstBates: bates.first, lastBates: bates.last });
}

function merge(e: Entry, ctx: WriterContext, m: ProducedMessage, privilege: { name: string; basis: string | null }[]): void {
  e.last = m.sentAtMs;
  e.messages++;
  e.attachments += m.attachments.length;
  e.ids.push(m.id);
  const add = (list: string[], v: string | null | undefined) => {
    if (v && !list.includes(v)) list.push(v);
  };
  add(e.authors, m.sender ?? (m.kind === 'system' ? '(system)' : null));
  for (const r of ctx.conversations.recipients(m.conversationId, m.senderHandle)) add(e.recipients, r);
  for (const p of privilege) {
    add(e.types, p.name);
    add(e.bases, p.basis);
  }
}

function toRow(ctx: WriterContext, bates: string, e: Entry): string[] {
  const tz = ctx.def.timeZone;
  const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const range = (f: (ms: number) => string) => (e.first === e.last ? f(e.first) : `${f(e.first)} – ${f(e.last)}`);
  const what = e.messages === 1 ? `${e.platform} chat message` : `${e.messages} ${e.platform} chat messages`;
  const attachments = e.attachments ? ` with ${e.attachments} attachment${e.attachments > 1 ? 's' : ''}` : '';
  return [
    bates, range(utc), range((ms) => localStamp(ms, tz)), e.authors.join('; '), e.recipients.join('; '),
    e.conversation, e.types.join('; '), e.bases.join('; ') || 'Not recorded',
    `${what}${attachments} in "${e.conversation}"${e.messages > 1 ? ` on ${e.day}` : ''}, withheld as privileged`, String(e.messages), e.ids.join(' '),
  ];
}

function privilegeTags(db: DB, ids: number[]): Map<number, { name: string; basis: string | null }[]> {
  const out = new Map<number, { name: string; basis: string | null }[]>();
  if (!ids.length) return out;
  const rows = db
    .prepare(`SELECT mt.message_id, t.name, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind = 'privilege' AND mt.message_id IN (${ids.map(() => '?').join(',')}) ORDER BY mt.message_id, t.name`)
    .all(...ids) as { message_id: number; name: string; basis: string | null }[];
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    list.push({ name: r.name, basis: r.basis });
    out.set(r.message_id, list);
  }
  return out;
}

function csvLine(values: readonly string[]): string {
  return `${values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')}\r\n`;
}
