/**
 * RSMF 2.0 (Relativity Short Message Format): per review unit (conversation and day in the display
 * zone) one or more RSMF/<first Bates>.rsmf files — an RFC 5322 message with X-RSMF-* headers, a
 * readable transcript as its body and exactly one attachment, rsmf.zip (base64), holding
 * rsmf_manifest.json and the attachment files the manifest names (stored once per file, by hash).
 * A file holds at most 10,000 events and stays under 2 GB (attachment bytes are counted before
 * writing, base64 included). Each event carries its Bates number as a custom field, each collected
 * attachment the next number ("Attachment Bates"). A withheld message is an event without body,
 * marked "Withheld: Privileged" under its own Bates number. Tags, reviewer notes, privilege
 * bases and coding fields are work product: custom fields only when named (--fields).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { openBlob } from '../../case/blobs.ts';
import { dataOf } from '../../case/data/index.ts';
import type { HandleRow } from '../../case/data/interface.ts';
import type { CaseSession } from '../../case/session.ts';
import { APP_VERSION } from '../../version.ts';
import type { WriterContext } from '../context.ts';
import { iterateProduced } from '../data.ts';
import type { ConversationInfo, ProducedMessage } from '../data.ts';
import { isWhollyRedacted, redactedPlain } from '../redactions.ts';
import { localStamp, localTime } from '../time.ts';
import { groupSelection } from '../units.ts';
import { base64Lines, header, quotedPrintable, rfc5322Date } from './eml.ts';

export const RSMF_MAX_EVENTS = 10_000;
/** Attachment bytes per file: base64 grows them by 4/3, and the whole .rsmf must stay under 2 GB. */
export const RSMF_MAX_ATTACHMENT_BYTES = 1_400 * 1024 * 1024;

interface Custom {
  name: string;
  value: string;
}

export interface RsmfEvent {
  id: string;
  type: 'message' | 'disclaimer' | 'join' | 'leave' | 'history' | 'unknown';
  parent?: string;
  body?: string;
  participant?: string;
  conversation: string;
  timestamp: string;
  deleted?: boolean;
  direction?: 'incoming' | 'outgoing';
  reactions?: { value: string; count: number; participants: string[] }[];
  attachments?: { id: string; display: string; size: number }[];
  edits?: { participant: string; timestamp?: string; previous: string; new: string }[];
  custom?: Custom[];
}

export interface RsmfManifest {
  version: '2.0.0';
  eventcollectionid: string;
  participants: { id: string; display: string; account_id?: string; email?: string; custom?: Custom[] }[];
  conversations: { id: string; display: string; platform: string; type: 'direct' | 'channel'; participants: string[]; custom?: Custom[] }[];
  events: RsmfEvent[];
}

export interface RsmfOptions {
  maxEvents?: number;
  maxAttachmentBytes?: number;
}

export function rsmfWriter(options: RsmfOptions = {}) {
  const maxEvents = options.maxEvents ?? RSMF_MAX_EVENTS;
  const maxBytes = options.maxAttachmentBytes ?? RSMF_MAX_ATTACHMENT_BYTES;
  return async (ctx: WriterContext): Promise<void> => {
    const { selection, session, def } = ctx;
    const data = dataOf(session);
    const produced = new Set(selection.ids.filter((id) => !selection.withheld.has(id)));
    let done = 0;
    for (const g of groupSelection(data, selection, 'day', def.timeZone)) {
      const ids = selection.ids.slice(g.start, g.end);
      const parts = splitParts(session, ids, maxEvents, maxBytes);
      for (let p = 0; p < parts.length; p++) {
        const messages: ProducedMessage[] = [];
        for (const batch of iterateProduced(session, parts[p]!, selection, def.fields)) messages.push(...batch);
        await writeFile(ctx, ctx.conversations.get(g.conversationId), g.day!, p + 1, parts.length, messages, produced);
        done += messages.length;
        await ctx.tick(done);
      }
    }
  };
}

/** Consecutive parts of at most `maxEvents` messages and `maxBytes` attachment bytes (a message is never split). */
function splitParts(session: CaseSession, ids: number[], maxEvents: number, maxBytes: number): number[][] {
  const bytes = new Map(dataOf(session).read.produced.attachmentBytes(ids));
  const parts: number[][] = [];
  let cur: number[] = [];
  let curBytes = 0;
  for (const id of ids) {
    const b = bytes.get(id) ?? 0;
    if (cur.length && (cur.length >= maxEvents || curBytes + b > maxBytes)) {
      parts.push(cur);
      cur = [];
      curBytes = 0;
    }
    cur.push(id);
    curBytes += b;
  }
  if (cur.length) parts.push(cur);
  return parts;
}

const SYSTEM_TYPES: Record<string, RsmfEvent['type']> = { join: 'join', leave: 'leave', encryption: 'disclaimer', disappearing: 'disclaimer' };

async function writeFile(ctx: WriterContext, conversation: ConversationInfo, day: string, part: number, parts: number, messages: ProducedMessage[], produced: ReadonlySet<number>): Promise<void> {
  const { def, bates, output, session } = ctx;
  const data = dataOf(session);
  const rel = `RSMF/${bates.peek()}.rsmf`;
  const handles = reactionHandles(session, messages.filter((m) => !m.withheld).map((m) => m.id));
  const participants = new Map<string, RsmfManifest['participants'][number]>();
  const participant = (handleId: number | null, display: string | null, value: string | null, kind: string | null): string | undefined => {
    if (handleId === null) return undefined;
    const id = `P${handleId}`;
    if (!participants.has(id)) {
      const p: RsmfManifest['participants'][number] = { id, display: display || value || id };
      if (value) p.account_id = value;
      if (kind === 'email' && value && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) p.email = value;
      if (kind) p.custom = [{ name: 'Handle kind', value: kind }];
      participants.set(id, p);
    }
    return id;
  };
  for (const p of conversation.participants) participant(p.handleId, p.display, p.value, p.kind);
  const senderIds = senderHandleIds(session, messages.map((m) => m.id));
  const inFile = new Set(messages.filter((m) => !m.withheld).map((m) => m.id));
  const files = new Map<string, { name: string; size: number }>();
  const events: RsmfEvent[] = [];
  const convId = `C${conversation.id}`;
  const body: string[] = [
    `${conversation.name} — ${conversation.platform} ${conversation.kind}`,
    `Participants: ${conversation.participants.map((p) => p.display).join(', ')}`,
    `Day: ${day} (${def.timeZone})${parts > 1 ? `, part ${part} of ${parts}` : ''}`,
    `Matter: ${def.matter} · Production ${def.name}`,
    '',
  ];
  for (const m of messages) {
    const b = bates.take();
    ctx.items.place(m.id, b, rel);
    const sender = senderIds.get(m.id);
    const pid = sender ? participant(sender.id, m.sender ?? sender.display, sender.value, sender.kind) : undefined;
    if (m.withheld) {
      const e: RsmfEvent = { id: `m${m.id}`, type: 'message', conversation: convId, timestamp: new Date(m.sentAtMs).toISOString() };
      if (pid) e.participant = pid;
      if (m.direction !== 'unknown') e.direction = m.direction === 'in' ? 'incoming' : 'outgoing';
      e.custom = [{ name: 'Bates', value: b }, { name: 'Withheld', value: 'Privileged' }, { name: 'Privilege log entry', value: b }, { name: 'Local time', value: localStamp(m.sentAtMs, def.timeZone) }];
      events.push(e);
      const who = m.sender ?? m.senderHandle ?? 'Unknown';
      body.push(`[${localTime(m.sentAtMs, def.timeZone).time}] ${who}: [Withheld — Privileged, ${b}; see the privilege log]`);
      continue;
    }
    const whole = isWhollyRedacted(m.redactions);
    const text = redactedPlain(m.text, m.redactions);
    const e: RsmfEvent = {
      id: `m${m.id}`,
      type: m.kind === 'system' ? (SYSTEM_TYPES[m.systemType ?? ''] ?? 'unknown') : 'message',
      conversation: convId,
      timestamp: new Date(m.sentAtMs).toISOString(),
      body: text,
    };
    if (pid) e.participant = pid;
    if (m.deleted) e.deleted = true;
    if (m.direction !== 'unknown') e.direction = m.direction === 'in' ? 'incoming' : 'outgoing';
    const custom: Custom[] = [
      { name: 'Bates', value: b },
      { name: 'Holdfast message ID', value: String(m.id) },
      { name: 'Local time', value: localStamp(m.sentAtMs, def.timeZone) },
      { name: 'SHA-256', value: m.contentSha256 },
    ];
    if (m.context) custom.push({ name: 'Context', value: 'Produced as context for a selected message' });
    if (m.redactions.length) custom.push({ name: 'Redacted', value: [...new Set(m.redactions.map((r) => r.reason))].join('; ') });
    if (m.forwardedFrom) custom.push({ name: 'Forwarded from', value: m.forwardedFrom });
    if (m.replyTo !== null) {
      if (inFile.has(m.replyTo)) e.parent = `m${m.replyTo}`;
      else custom.push({ name: 'In reply to', value: `Holdfast message ${m.replyTo}${produced.has(m.replyTo) ? ' (in this production, another file)' : ' (not produced)'}` });
    }
    if (m.subject) custom.push({ name: 'Subject', value: m.subject });
    if (m.source.locator) custom.push({ name: 'Source', value: `${m.sourceName} ${m.source.locator}`.trim() });
    if (def.fields.includes('tags') && m.tags.length) custom.push({ name: 'Tags', value: m.tags.join('; ') });
    if (def.fields.includes('notes') && m.notes.length) custom.push({ name: 'Reviewer notes', value: m.notes.join(' | ') });
    if (def.fields.includes('basis') && m.bases.length) custom.push({ name: 'Privilege basis', value: m.bases.join('; ') });
    if (def.fields.includes('coding') && m.coding.length) custom.push({ name: 'Coding fields', value: m.coding.join('; ') });
    const reactions = handles.get(m.id) ?? [];
    if (reactions.length && !whole) {
      const byValue = new Map<string, { count: number; participants: string[] }>();
      for (const r of reactions) {
        const rp = participant(r.handleId, r.display, r.value, r.kind);
        const entry = byValue.get(r.reaction) ?? { count: 0, participants: [] };
        entry.count++;
        if (rp && !entry.participants.includes(rp)) entry.participants.push(rp);
        byValue.set(r.reaction, entry);
      }
      e.reactions = [...byValue].map(([value, r]) => ({ value, count: r.count, participants: r.participants }));
    }
    if (!whole && m.attachments.length) {
      const atts: NonNullable<RsmfEvent['attachments']> = [];
      for (const a of m.attachments) {
        if (!a.sha256) {
          custom.push({ name: 'Attachment not collected', value: `${a.name}${a.missingReason ? `: ${a.missingReason}` : ''}` });
          continue;
        }
        const id = `${a.sha256}${path.extname(a.name).replace(/[^A-Za-z0-9.]/g, '').slice(0, 12).toLowerCase()}`;
        if (!files.has(id)) files.set(id, { name: a.sha256, size: a.size ?? 0 });
        atts.push({ id, display: a.name, size: a.size ?? 0 });
        custom.push({ name: 'Attachment Bates', value: `${bates.take()} ${a.name}` });
        ctx.attachments++;
      }
      if (atts.length) e.attachments = atts;
    } else if (whole && m.attachments.length) custom.push({ name: 'Attachments', value: `${m.attachments.length} withheld with the redacted message` });
    if (m.edits.length && !m.redactions.length && pid) {
      const versions = [...m.edits.map((x) => x.text), m.text];
      e.edits = m.edits.map((x, i) => ({ participant: pid, ...(x.editedAt ? { timestamp: x.editedAt } : {}), previous: versions[i]!, new: versions[i + 1]! }));
    } else if (m.edits.length) custom.push({ name: 'Edit history', value: 'withheld: the message is redacted' });
    e.custom = custom;
    events.push(e);
    const t = localTime(m.sentAtMs, def.timeZone);
    const who = m.kind === 'system' ? '(system)' : (m.sender ?? m.senderHandle ?? 'Unknown');
    body.push(`[${t.time}] ${who}: ${text}${m.deleted ? ' (deleted)' : ''}`);
  }
  const manifest: RsmfManifest = {
    version: '2.0.0',
    eventcollectionid: `${conversation.id}-${day}`,
    participants: [...participants.values()],
    conversations: [{
      id: convId, display: conversation.name, platform: conversation.platform, type: conversation.kind === 'direct' ? 'direct' : 'channel',
      participants: [...participants.keys()], custom: [{ name: 'Holdfast conversation ID', value: String(conversation.id) }],
    }],
    events,
  };
  const first = messages[0]!.sentAtMs;
  const last = messages.at(-1)!.sentAtMs;
  const mtime = new Date(ctx.documentTime);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 1), 'utf8'), 'rsmf_manifest.json', { mtime, compress: true });
  for (const [id, f] of files) zip.addReadStream(openBlob(data, f.name), id, { mtime, compress: false });
  zip.end();

  const boundary = `holdfast-rsmf-${createHash('sha256').update(`${ctx.defHash}:${rel}`).digest('hex').slice(0, 24)}`;
  const firstBates = events[0]!.custom![0]!.value;
  const lastBates = bates.last!; // the last event's attachments may come after it
  const head =
    header('From', 'Holdfast <rsmf@holdfast.invalid>') +
    header('To', 'undisclosed-recipients:;') +
    header('Subject', `${conversation.platform} · ${conversation.name} · ${day} (${def.timeZone})${parts > 1 ? ` · part ${part} of ${parts}` : ''}`) +
    header('Date', rfc5322Date(last)) +
    header('Message-ID', `<${createHash('sha256').update(`${ctx.defHash}:${manifest.eventcollectionid}:${part}`).digest('hex').slice(0, 32)}@holdfast.invalid>`) +
    header('MIME-Version', '1.0') +
    header('X-RSMF-Version', '2.0.0') +
    header('X-RSMF-Generator', `Holdfast ${APP_VERSION}`) +
    header('X-RSMF-Application', conversation.platform) +
    header('X-RSMF-BeginDate', new Date(first).toISOString()) +
    header('X-RSMF-EndDate', new Date(last).toISOString()) +
    header('X-RSMF-EventCount', String(events.length)) +
    header('X-RSMF-AttachmentCount', String(files.size)) +
    (conversation.custodians.length ? header('X-RSMF-Custodian', conversation.custodians.join(', ')) : '') +
    header('X-RSMF-Participants', manifest.participants.map((p) => p.display).join(', ')) +
    header('X-RSMF-EventCollectionID', manifest.eventcollectionid) +
    header('X-Holdfast-BegBates', firstBates) +
    header('X-Holdfast-EndBates', lastBates) +
    header('Content-Type', `multipart/mixed; boundary="${boundary}"`) +
    '\r\n' +
    `--${boundary}\r\n` +
    'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' +
    quotedPrintable(body.join('\n')) +
    `--${boundary}\r\n` +
    'Content-Type: application/octet-stream; name="rsmf.zip"\r\nContent-Disposition: attachment; filename="rsmf.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n';

  const { stream, done } = output.open(rel, { firstBates, lastBates });
  const out = new PassThrough();
  const piped = pipeline(out, stream);
  try {
    out.write(head);
    await pipeline(zip.outputStream, base64Lines(), out, { end: false });
    out.end(`--${boundary}--\r\n`);
    await piped;
    await done;
  } catch (err) {
    out.destroy();
    stream.destroy();
    throw err;
  }
}

function senderHandleIds(session: CaseSession, ids: number[]): Map<number, HandleRow> {
  const out = new Map<number, HandleRow>();
  for (const r of dataOf(session).read.produced.senderHandles(ids)) out.set(r.mid, r);
  return out;
}

function reactionHandles(session: CaseSession, ids: number[]): Map<number, { reaction: string; handleId: number | null; display: string | null; value: string | null; kind: string | null }[]> {
  const out = new Map<number, { reaction: string; handleId: number | null; display: string | null; value: string | null; kind: string | null }[]>();
  for (const r of dataOf(session).read.produced.reactionHandles(ids)) {
    const list = out.get(r.message_id) ?? [];
    list.push(r);
    out.set(r.message_id, list);
  }
  return out;
}
