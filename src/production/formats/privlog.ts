/**
 * Privilege log: one row per withheld message (or per review unit with --per unit) — its number,
 * date, author, the recipients it actually had, privilege type (the privilege tags) and a
 * description that names the kind of document without revealing its content; the basis the
 * reviewer recorded only with --fields basis (it is work product). Written twice, as XLSX and as
 * CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting, values made inert for spreadsheets).
 *
 * Two uses: `--format privlog` gives control numbers of its own to the privileged messages in
 * scope; every other production that withholds messages writes one beside them (PRIVLOG/) whose
 * entries are exactly the Bates numbers of the slip sheets it put in their place.
 */
import ExcelJS from 'exceljs';
import { dataOf } from '../../case/data/index.ts';
import type { CaseSession } from '../../case/session.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ProducedMessage } from '../data.ts';
import { localStamp, localTime } from '../time.ts';
import { setZipEntryTimes } from '../zip-times.ts';
import { csvLine } from './cells.ts';

const COLUMNS = ['Entry', 'Date (UTC)', 'Date (local)', 'Author', 'Recipients', 'Conversation', 'Privilege type', 'Basis', 'Description', 'Messages'] as const;
const WIDTHS = [14, 20, 26, 24, 30, 26, 18, 40, 40, 9];

/** The log's columns: Basis only when the producer named it. */
function privlogColumns(withBasis: boolean): string[] {
  return COLUMNS.filter((c) => withBasis || c !== 'Basis');
}

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

/** `--format privlog`: the privileged messages in scope, numbered from the production's Bates counter. */
export async function privlogWriter(ctx: WriterContext): Promise<void> {
  const { def, bates, session } = ctx;
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
  for (const batch of iterateProduced(session, ctx.selection.ids, ctx.selection)) {
    const privilege = privilegeTags(session, batch.map((m) => m.id));
    for (const m of batch) {
      const day = localTime(m.sentAtMs, def.timeZone).day;
      if (entry && !(def.per === 'unit' && entry.conversationId === m.conversationId && entry.day === day)) flush();
      entry ??= newEntry(ctx, m, day);
      merge(entry, ctx, m, m.attachments.length, privilege.get(m.id) ?? []);
    }
    done += batch.length;
    await ctx.tick(done);
  }
  flush();
  await writeLog(ctx, `${rows.length ? first : bates.peek()}-privilege-log`, rows, bates.first, bates.last);
}

/** The log that accompanies a production: one row per withheld message, under its slip sheet's Bates number. */
export async function writeAccompanyingPrivilegeLog(ctx: WriterContext): Promise<void> {
  const { session, def } = ctx;
  const numbers = new Map<number, string>();
  for (const item of ctx.items.entries()) if (ctx.selection.withheld.has(item.messageId) && item.bates) numbers.set(item.messageId, item.bates);
  const ids = ctx.selection.ids.filter((id) => ctx.selection.withheld.has(id));
  const attachments = attachmentCounts(session, ids);
  const rows: string[][] = [];
  for (const batch of iterateProduced(session, ids, ctx.selection)) {
    const privilege = privilegeTags(session, batch.map((m) => m.id));
    for (const m of batch) {
      const e = newEntry(ctx, m, localTime(m.sentAtMs, def.timeZone).day);
      merge(e, ctx, m, attachments.get(m.id) ?? 0, privilege.get(m.id) ?? []);
      rows.push(toRow(ctx, numbers.get(m.id)!, e));
    }
  }
  const first = rows[0]?.[0] ?? null;
  const last = rows.at(-1)?.[0] ?? null;
  await writeLog(ctx, `PRIVLOG/${first}-privilege-log`, rows, first, last);
}

function newEntry(ctx: WriterContext, m: ProducedMessage, day: string): Entry {
  return {
    first: m.sentAtMs, last: m.sentAtMs, conversationId: m.conversationId, conversation: m.conversation,
    platform: ctx.conversations.get(m.conversationId).platform, day, authors: [], recipients: [], types: [], bases: [], messages: 0, attachments: 0, ids: [],
  };
}

async function writeLog(ctx: WriterContext, base: string, rows: string[][], firstBates: string | null, lastBates: string | null): Promise<void> {
  const { def, output } = ctx;
  const withBasis = def.fields.includes('basis');
  const columns = privlogColumns(withBasis);
  const shaped = rows.map((r) => (withBasis ? r : r.filter((_, i) => COLUMNS[i] !== 'Basis')));
  await output.writeFile(`${base}.csv`, `\ufeff${[columns, ...shaped].map(csvLine).join('')}`, { firstBates, lastBates });
  const rel = `${base}.xlsx`;
  const { stream, done: written } = output.open(rel);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'Holdfast';
  wb.title = `Privilege log — ${def.name}`;
  wb.created = new Date(ctx.documentTime);
  wb.modified = new Date(ctx.documentTime);
  const ws = wb.addWorksheet('Privilege log', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((header) => ({ header, key: header, width: WIDTHS[COLUMNS.indexOf(header as (typeof COLUMNS)[number])] }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const r of shaped) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  await written;
  setZipEntryTimes(output.absolute(rel), ctx.documentTime);
  await output.rehash(rel);
  output.setMeta(rel, { firstBates, lastBates });
}

function merge(e: Entry, ctx: WriterContext, m: ProducedMessage, attachments: number, privilege: { name: string; basis: string | null }[]): void {
  e.last = m.sentAtMs;
  e.messages++;
  e.attachments += attachments;
  e.ids.push(m.id);
  const add = (list: string[], v: string | null | undefined) => {
    if (v && !list.includes(v)) list.push(v);
  };
  add(e.authors, m.sender ?? (m.kind === 'system' ? '(system)' : null));
  for (const r of ctx.conversations.recipients(m)) add(e.recipients, r);
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
    `${what}${attachments} in "${e.conversation}"${e.messages > 1 ? ` on ${e.day}` : ''}, withheld as privileged`, String(e.messages),
  ];
}

function attachmentCounts(session: CaseSession, ids: number[]): Map<number, number> {
  return new Map(dataOf(session).read.produced.attachmentCounts(ids));
}

function privilegeTags(session: CaseSession, ids: number[]): Map<number, { name: string; basis: string | null }[]> {
  const out = new Map<number, { name: string; basis: string | null }[]>();
  for (const r of dataOf(session).read.produced.privilegeTags(ids)) {
    const list = out.get(r.message_id) ?? [];
    list.push({ name: r.name, basis: r.basis });
    out.set(r.message_id, list);
  }
  return out;
}
