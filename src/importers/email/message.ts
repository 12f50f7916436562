/**
 * One RFC 5322 message (bytes) → normalised records, with mailparser. Threads are conversations:
 * a message joins the thread of the first id in its References, else of its In-Reply-To parent
 * (or that parent's thread, when seen), else starts its own.
 */
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportContext, ImportRecord, MessageRecord, TimeSource } from '../types.ts';

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

/** Address headers, with their folded continuation lines. */
const ADDRESS_HEADERS = /^(?:from|to|cc|bcc|reply-to|sender):[^\n]*(?:\n[ \t][^\n]*)*/gim;
/** Mailing-list archives (pipermail) hide addresses as `andy at example.com (Andy Grunwald)`. */
const AT_WORD = /([\w.+-]+) at ([\w-]+(?:\.[\w-]+)+)/g;

/** The message with `user at host` in its address headers written back as `user@host`, so the name in the comment is kept. */
export function unhideAddresses(raw: Buffer): Buffer {
  const head = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end < 0 || !/ at /.test(head.slice(0, end))) return raw;
  const headers = head.slice(0, end).replace(ADDRESS_HEADERS, (h) => h.replace(AT_WORD, '$1@$2'));
  return Buffer.concat([Buffer.from(headers, 'latin1'), raw.subarray(end)]);
}

function headerText(mail: ParsedMail, key: string): string[] {
  return mail.headerLines.filter((h) => h.key === key).map((h) => h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

function parseMailDate(text: string): number | undefined {
  const t = Date.parse(text.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The message's time: its Date header; else the best evidence there is, recorded as `timeSource`:
 * the newest Received header (the top one: when the last server took it), then the mbox From_
 * line, then none (sentAt 0). Never a reason to drop the message.
 */
function messageTime(mail: ParsedMail, fallbackDate: number | undefined): { sentAt: number; rawTime: string; timeSource?: TimeSource; why?: string } {
  const dateText = headerText(mail, 'date')[0] ?? '';
  const date = dateText ? parseMailDate(dateText) : undefined;
  if (date !== undefined) return { sentAt: date, rawTime: dateText };
  const why = dateText ? `Date header "${dateText}" is not a date` : 'no Date header';
  for (const received of headerText(mail, 'received')) {
    const stamp = received.slice(received.lastIndexOf(';') + 1).trim();
    const at = received.includes(';') ? parseMailDate(stamp) : undefined;
    if (at !== undefined) return { sentAt: at, rawTime: stamp, timeSource: 'received', why: `${why}; the time its mail server received it (Received header) is used` };
  }
  if (fallbackDate !== undefined) return { sentAt: fallbackDate, rawTime: 'mbox From line', timeSource: 'mbox-separator', why: `${why}; the mbox From line's date is used` };
  return { sentAt: 0, rawTime: dateText, timeSource: 'none', why: `${why} and nothing else in it dates it; kept with time unknown` };
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
      mail = await simpleParser(unhideAddresses(raw), { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true });
    } catch (err) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: `not a readable message: ${err instanceof Error ? err.message : String(err)}`, skipped: true });
      return [];
    }
    return this.records(mail, locator, fallbackDate);
  }

  private records(mail: ParsedMail, locator: string, fallbackDate: number | undefined): ImportRecord[] {
    const out: ImportRecord[] = [];
    // Not mail.date: mailparser puts the current time there when the header does not parse.
    const { sentAt, rawTime, timeSource, why } = messageTime(mail, fallbackDate);
    if (why) this.ctx.warn({ code: 'BAD_DATE', locator, message: why });

    const messageId = stripId(mail.messageId);
    const references = ids(mail.references);
    const parent = stripId(ids(mail.inReplyTo)[0]) ?? references[references.length - 1];
    // The thread of the nearest ancestor already seen (a list archive often lacks the thread's first
    // message), else the first reference, else the parent, else the message itself.
    const known = [parent, ...[...references].reverse()].find((id) => id !== undefined && this.rootOf.has(id));
    const root = (known ? this.rootOf.get(known) : undefined) ?? references[0] ?? parent ?? messageId ?? `no-id:${locator}:${this.seq}`;
    if (messageId && !this.rootOf.has(messageId)) this.rootOf.set(messageId, root);

    const from = addresses(mail.from);
    const recipients = (['to', 'cc', 'bcc'] as const).flatMap((role) => addresses(mail[role]).map((handle) => ({ role, handle })));
    const people = [...from, ...recipients.filter((r) => r.role !== 'bcc').map((r) => r.handle)];
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
      ...(timeSource ? { timeSource } : {}), ...(recipients.length ? { recipients } : {}),
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
