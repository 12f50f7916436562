/**
 * One RFC 5322 message (bytes) → normalised records, with mailparser. Threads are conversations:
 * a message joins the thread of the first id in its References, else of its In-Reply-To parent
 * (or that parent's thread, when seen), else starts its own.
 */
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportContext, ImportRecord, MessageRecord } from '../types.ts';

export function stripId(id: string | undefined): string | undefined {
  const t = id?.trim().replace(/^<|>$/g, '').trim();
  return t ? t : undefined;
}

function ids(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((v) => v.match(/<[^<>]+>/g) ?? v.split(/\s+/)).map(stripId).filter((x): x is string => Boolean(x));
}

function addresses(obj: AddressObject | AddressObject[] | undefined): HandleRef[] {
  if (!obj) return [];
  const out: HandleRef[] = [];
  const walk = (list: { address?: string | undefined; name: string; group?: unknown[] | undefined }[]) => {
    for (const a of list) {
      if (a.group) walk(a.group as typeof list);
      else if (a.address) out.push({ kind: 'email', value: a.address.toLowerCase(), ...(a.name ? { display: a.name } : {}) });
      else if (a.name) out.push({ kind: 'name', value: a.name, display: a.name });
    }
  };
  for (const o of Array.isArray(obj) ? obj : [obj]) walk(o.value);
  return out;
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'application/pdf': 'pdf', 'text/plain': 'txt', 'text/calendar': 'ics', 'message/rfc822': 'eml' };

function subjectRoot(subject: string | undefined): string {
  return (subject ?? '').replace(/^\s*((re|fw|fwd|aw|wg|sv|vs|tr)(\[\d+\])?\s*:\s*)+/i, '').trim();
}

/** A multipart message whose closing boundary never comes was cut off. */
export function looksTruncated(raw: Buffer): boolean {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const headerEnd = head.search(/\r?\n\r?\n/);
  const headers = (headerEnd >= 0 ? head.slice(0, headerEnd) : head).replace(/\r?\n[ \t]+/g, ' ');
  const ct = /^content-type:\s*multipart\/[^;]+;.*?boundary="?([^";\r\n]+)"?/im.exec(headers);
  if (headerEnd < 0) return true;
  if (!ct) return false;
  const tail = raw.subarray(Math.max(0, raw.length - 4096)).toString('latin1');
  return !tail.includes(`--${ct[1]}--`);
}

export interface ParsedRecords {
  records: ImportRecord[];
  /** Whether the message had a usable date. */
  ok: boolean;
}

export class EmailThreads {
  private readonly ctx: ImportContext;
  /** Message-ID → thread root id. */
  private readonly rootOf = new Map<string, string>();
  /** Thread root → conversation key and the members already announced. */
  private readonly conversations = new Map<string, { key: string; members: Set<string> }>();
  private seq = 0;

  constructor(ctx: ImportContext) {
    this.ctx = ctx;
  }

  async parse(raw: Buffer, locator: string, fallbackDate?: number): Promise<ImportRecord[]> {
    let mail: ParsedMail;
    try {
      mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true });
    } catch (err) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: `not a readable message: ${err instanceof Error ? err.message : String(err)}` });
      return [];
    }
    return this.records(mail, locator, fallbackDate);
  }

  private records(mail: ParsedMail, locator: string, fallbackDate: number | undefined): ImportRecord[] {
    const out: ImportRecord[] = [];
    // Not mail.date: mailparser puts the current time there when the header does not parse.
    const rawDateText = (mail.headerLines.find((h) => h.key === 'date')?.line ?? '').replace(/^date:\s*/i, '').replace(/\r?\n[ \t]+/g, ' ').trim();
    const parsed = rawDateText ? Date.parse(rawDateText.replace(/\s*\([^)]*\)\s*$/, '')) : Number.NaN;
    let sentAt = Number.isNaN(parsed) ? undefined : parsed;
    let rawTime = rawDateText;
    if (sentAt === undefined) {
      if (fallbackDate !== undefined) {
        sentAt = fallbackDate;
        rawTime = `mbox From line`;
        this.ctx.warn({ code: 'BAD_DATE', locator, message: `${rawDateText ? `Date header "${rawDateText}" is not a date` : 'no Date header'}; the mbox From line's date is used` });
      } else {
        this.ctx.warn({ code: 'BAD_DATE', locator, message: `${rawDateText ? `Date header "${rawDateText}" is not a date` : 'no Date header'}; message skipped` });
        return out;
      }
    }

    const messageId = stripId(mail.messageId);
    const references = ids(mail.references);
    const parent = stripId(ids(mail.inReplyTo)[0]) ?? references[references.length - 1];
    const root = references[0] ?? (parent ? (this.rootOf.get(parent) ?? parent) : undefined) ?? messageId ?? `no-id:${locator}:${this.seq}`;
    if (messageId && !this.rootOf.has(messageId)) this.rootOf.set(messageId, root);

    const from = addresses(mail.from);
    const people = [...from, ...addresses(mail.to), ...addresses(mail.cc)];
    let conv = this.conversations.get(root);
    const fresh = people.filter((p) => !conv?.members.has(`${p.kind}:${p.value}`));
    if (!conv || fresh.length) {
      conv ??= { key: `t${this.seq++}`, members: new Set() };
      for (const p of fresh) conv.members.add(`${p.kind}:${p.value}`);
      this.conversations.set(root, conv);
      // Announced again when a later message brings new people: ingest adds them to the same conversation.
      const record: ConversationRecord = {
        type: 'conversation', key: conv.key, platform: 'email', externalId: `thread:${root}`,
        kind: conv.members.size > 2 ? 'group' : 'direct', name: subjectRoot(mail.subject) || '(no subject)',
        members: fresh.map((handle) => ({ handle })), locator,
      };
      out.push(record);
    }

    const text = (mail.text ?? '').replace(/\r\n/g, '\n').trimEnd();
    const attachments: AttachmentRecord[] = mail.attachments.map((a, i) => {
      const content = a.content;
      const name = a.filename ?? `attachment-${i + 1}.${EXT[a.contentType] ?? 'bin'}`;
      return { name, mime: a.contentType, size: content.length, open: async () => Readable.from([content]), locator: `${locator} attachment ${i + 1}` };
    });
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv.key, sender: from[0] ?? null, direction: 'unknown', sentAt, rawTime, timePrecision: 'second',
      kind: 'message', text, locator, ...(mail.subject ? { subject: mail.subject } : {}), ...(attachments.length ? { attachments } : {}),
    };
    if (!from[0]) this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'no From address' });
    if (messageId) {
      msg.externalId = messageId;
      msg.key = messageId;
    }
    if (parent && parent !== messageId) msg.replyToKey = parent;
    out.push(msg);
    return out;
  }
}
