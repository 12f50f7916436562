/**
 * Outlook PST/OST files read with pst-extractor: email (folders, threads by Outlook's conversation
 * topic, To/Cc/Bcc, attachments with their bytes) and the Microsoft Teams chat items Microsoft
 * Purview eDiscovery exports into PST (`IPM.SkypeTeams.*`), and contacts (`IPM.Contact`) as identity
 * evidence. Format facts: README.md beside this file.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { PSTFile, PSTFolder, PSTMessage } from 'pst-extractor';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, IdentityRecord, ImportContext, Importer, ImportRecord, MessageRecord } from '../types.ts';
import { timeInRange } from '../time-range.ts';
import { toE164 } from '../common/handles.ts';

/** Largest attachment read into memory from the PST (pst-extractor reads attachments whole). */
const MAX_ATTACHMENT_BYTES = 512 * 1024 ** 2;

/** pst-extractor reports problems with console.log/console.error; they would corrupt the CLI's output, so they become warnings. */
function quietly<T>(ctx: ImportContext | undefined, locator: string, fn: () => T): T {
  const { log, error } = console;
  const capture = (...args: unknown[]) => ctx?.warn({ code: 'BAD_RECORD', locator, message: `PST reader: ${args.map(String).join(' ').slice(0, 300)}` });
  console.log = capture;
  console.error = capture;
  try {
    return fn();
  } finally {
    console.log = log;
    console.error = error;
  }
}

export function pstKind(head: Buffer): 'pst' | 'ost' | undefined {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== '!BDN') return undefined;
  const client = head.toString('latin1', 8, 10);
  return client === 'SM' ? 'pst' : client === 'SO' ? 'ost' : undefined;
}

function readHead(p: string): Buffer {
  const fd = fs.openSync(p, 'r');
  try {
    const b = Buffer.alloc(16);
    const n = fs.readSync(fd, b, 0, 16, 0);
    return b.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function email(address: string | undefined, name: string | undefined): HandleRef | null {
  const a = (address ?? '').trim();
  if (a.includes('@')) return { kind: 'email', value: a.toLowerCase(), ...(name ? { display: name } : {}) };
  // Exchange-internal addresses (EX: /o=…/cn=…) identify a person without being an SMTP address.
  if (a) return { kind: 'other', value: `exchange:${a.toLowerCase()}`, ...(name ? { display: name } : {}) };
  return name ? { kind: 'name', value: name, display: name } : null;
}

/** The thread of an email: Outlook's conversation topic, else the subject without reply/forward prefixes. */
export function threadTopic(topic: string, subject: string): string {
  const t = topic.trim() || subject.replace(/^(\s*(re|fw|fwd|aw|wg|sv|vs)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return t || '(no subject)';
}

/** Teams thread ids: 1:1 chats end in @unq.gbl.spaces, group chats in @thread.v2, channels in @thread.tacv2/@thread.skype. */
export function teamsKind(threadId: string, members: number): ConversationRecord['kind'] {
  if (/@thread\.(tacv2|skype)$/i.test(threadId)) return 'channel';
  if (/@unq\.gbl\.spaces$/i.test(threadId)) return 'direct';
  if (/@thread\.v2$/i.test(threadId)) return 'group';
  return members > 2 ? 'group' : 'direct';
}

/** What pst-extractor's PSTContact (not exported by the package) adds to a message: the contact's addresses and numbers. */
interface ContactItem extends PSTMessage {
  displayName: string;
  email1EmailAddress: string;
  email2EmailAddress: string;
  email3EmailAddress: string;
  mobileTelephoneNumber: string;
  businessTelephoneNumber: string;
  homeTelephoneNumber: string;
}

/**
 * An Outlook contact as identity evidence: its SMTP addresses (Email1/2/3) and phone numbers
 * (mobile, business, home, to E.164 with the case's region) are one person. A number that cannot
 * be normalised is left out rather than linked under a spelling no other source uses.
 */
export function contactIdentity(c: ContactItem, region: string | undefined, locator: string): IdentityRecord {
  const emails = [c.email1EmailAddress, c.email2EmailAddress, c.email3EmailAddress].map((e) => (e ?? '').trim().toLowerCase()).filter((e) => e.includes('@'));
  const phones = [c.mobileTelephoneNumber, c.businessTelephoneNumber, c.homeTelephoneNumber].flatMap((t) => {
    const e164 = t ? toE164(t, region) : undefined;
    return e164 ? [e164] : [];
  });
  const name = (c.displayName || c.subject || '').trim();
  return {
    type: 'identity', locator, ...(name ? { name } : {}),
    handles: [...new Set(emails)].map((value): HandleRef => ({ kind: 'email', value })).concat([...new Set(phones)].map((value) => ({ kind: 'phone', value }))),
  };
}

interface Conversation {
  key: string;
  members: Set<string>;
}

class PstReader {
  private readonly ctx: ImportContext;
  private readonly conversations = new Map<string, Conversation>();
  private readonly skipped = new Map<string, number>();
  private seq = 0;

  constructor(ctx: ImportContext) {
    this.ctx = ctx;
  }

  *folder(f: PSTFolder, path: string): Generator<ImportRecord> {
    if (this.ctx.signal.aborted) return;
    let index = 0;
    if (f.contentCount > 0) {
      for (;;) {
        const locator = `${path} item ${index}`;
        const item = quietly(this.ctx, locator, () => f.getNextChild()) as PSTMessage | null;
        if (!item) break;
        yield* this.message(item, path, locator);
        index++;
      }
    }
    if (f.hasSubfolders) {
      for (const child of quietly(this.ctx, path, () => f.getSubFolders())) yield* this.folder(child, `${path}/${child.displayName}`);
    }
  }

  finish(): void {
    for (const [cls, n] of this.skipped) {
      this.ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: 'PST', message: `${n} item(s) of class ${cls || '(none)'} (not email or Teams chat) were not imported` });
    }
  }

  private *message(m: PSTMessage, path: string, locator: string): Generator<ImportRecord> {
    const cls = m.messageClass ?? '';
    const teams = /^IPM\.SkypeTeams\b/i.test(cls);
    if (/^IPM\.Contact\b/i.test(cls) && 'email1EmailAddress' in m) {
      const identity = quietly(this.ctx, locator, () => contactIdentity(m as ContactItem, this.ctx.options.region, locator));
      // One address or number alone links nothing.
      if (identity.handles.length > 1) yield identity;
      return;
    }
    if (!teams && !/^IPM\.Note\b/i.test(cls) && cls !== 'IPM') {
      this.skipped.set(cls, (this.skipped.get(cls) ?? 0) + 1);
      return;
    }
    const given = m.clientSubmitTime ?? m.messageDeliveryTime;
    // Never dropped for want of a time: kept with its time unknown, and said so.
    const time = given && timeInRange(given.getTime()) ? given : null;
    if (!time) this.ctx.warn({ code: 'BAD_DATE', locator, message: 'neither a usable submit nor delivery time; imported with its time unknown' });
    const sender = email(m.senderEmailAddress || m.sentRepresentingEmailAddress, m.senderName || m.sentRepresentingName);
    const recipients: { handle: HandleRef; type: number }[] = [];
    const n = quietly(this.ctx, locator, () => m.numberOfRecipients);
    for (let i = 0; i < n; i++) {
      const r = quietly(this.ctx, locator, () => m.getRecipient(i));
      const handle = r ? email(r.smtpAddress || r.emailAddress, r.displayName) : null;
      if (r && handle) recipients.push({ handle, type: r.recipientType });
    }
    const people = [...(sender ? [sender] : []), ...recipients.map((r) => r.handle)];
    const topic = m.conversationTopic ?? '';
    const threadId = teams ? (topic.trim() || people.map((p) => p.value).sort().join(',')) : threadTopic(topic, m.subject ?? '');
    const externalId = teams ? `teams:${threadId}` : `pst:${path}\u001f${threadId}`;
    let conv = this.conversations.get(externalId);
    const fresh = people.filter((p) => !conv?.members.has(`${p.kind}:${p.value}`));
    if (!conv || fresh.length) {
      conv ??= { key: `c${this.seq++}`, members: new Set() };
      for (const p of fresh) conv.members.add(`${p.kind}:${p.value}`);
      this.conversations.set(externalId, conv);
      yield {
        type: 'conversation', key: conv.key, platform: teams ? 'teams' : 'email', externalId,
        kind: teams ? teamsKind(threadId, conv.members.size) : conv.members.size > 2 ? 'group' : 'direct',
        name: teams ? (m.subject || topic || people.map((p) => p.display ?? p.value).join(', ')) : threadId,
        members: fresh.map((handle) => ({ handle })), locator: path,
      };
    }
    // MAPI recipient types: 1 To, 2 Cc, 3 Bcc.
    const roles = { 1: 'to', 2: 'cc', 3: 'bcc' } as const;
    const addressed = teams ? [] : recipients.flatMap((r) => (r.type in roles ? [{ role: roles[r.type as 1 | 2 | 3], handle: r.handle }] : []));
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv.key, sender, direction: 'unknown', sentAt: time?.getTime() ?? 0, rawTime: time?.toISOString() ?? '',
      timePrecision: 'second', kind: teams && /SystemMessage/i.test(cls) ? 'system' : 'message',
      text: (m.body ?? '').replace(/\r\n/g, '\n').trimEnd(), locator,
      ...(time ? {} : { timeUnknown: true, timeSource: 'none' as const }),
      ...(!teams && m.subject ? { subject: m.subject } : {}),
      ...(addressed.length ? { recipients: addressed } : {}),
    };
    if (msg.kind === 'system') msg.systemType = 'other';
    const id = (m.internetMessageId ?? '').replace(/^<|>$/g, '');
    if (id) {
      msg.externalId = id;
      msg.key = id;
    }
    const parent = (m.inReplyToId ?? '').replace(/^<|>$/g, '');
    if (parent) msg.replyToKey = parent;
    const attachments = this.attachments(m, locator);
    if (attachments.length) msg.attachments = attachments;
    yield msg;
  }

  private attachments(m: PSTMessage, locator: string): AttachmentRecord[] {
    const out: AttachmentRecord[] = [];
    const n = quietly(this.ctx, locator, () => m.numberOfAttachments);
    for (let i = 0; i < n; i++) {
      const where = `${locator} attachment ${i + 1}`;
      const a = quietly(this.ctx, where, () => m.getAttachment(i));
      const name = a.longFilename || a.filename || a.displayName || `attachment-${i + 1}`;
      const ref = { name, ...(a.mimeTag ? { mime: a.mimeTag } : {}), locator: where };
      const stream = quietly(this.ctx, where, () => a.fileInputStream);
      if (!stream) {
        out.push({ ...ref, missingReason: a.attachMethod === 5 ? 'an embedded message (not extracted)' : 'the PST holds no data for this attachment' });
        continue;
      }
      const size = stream.length.toNumber();
      if (size > MAX_ATTACHMENT_BYTES) {
        out.push({ ...ref, size, missingReason: `larger than ${MAX_ATTACHMENT_BYTES} bytes` });
        continue;
      }
      out.push({
        ...ref, size,
        open: async () => {
          const data = Buffer.alloc(size);
          quietly(this.ctx, where, () => stream.readCompletely(data));
          return Readable.from([data]);
        },
      });
    }
    return out;
  }
}

async function openPst(p: string): Promise<PSTFile> {
  const head = readHead(p);
  if (!pstKind(head)) {
    throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${p} is not an Outlook PST/OST file (no "!BDN" signature).`, { file: p, position: 'byte 0' });
  }
  // Loaded here, not at the top: detecting other formats does not load the PST reader.
  const { PSTFile } = await import('pst-extractor');
  try {
    return quietly(undefined, p, () => new PSTFile(p));
  } catch (err) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${p} is a PST/OST file that cannot be read (truncated or damaged?): ${err instanceof Error ? err.message : String(err)}`, {
      file: p, position: 'header',
    }, { cause: err });
  }
}

export const pstImporter: Importer = {
  id: 'outlook-pst',
  name: 'Outlook PST/OST (email and Teams chats)',
  description: 'An Outlook data file (.pst or .ost): email by folder and thread with To/Cc/Bcc and attachments, and Microsoft Teams chats exported into PST by Microsoft Purview eDiscovery; its contacts join the addresses and numbers each names into one identity.',
  version: '1.1.0',

  async detect(p) {
    try {
      if (!(await fs.promises.stat(p)).isFile()) return { confidence: 0 };
      const kind = pstKind(readHead(p));
      return kind ? { confidence: 0.95, variant: kind } : { confidence: 0 };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    const kind = pstKind(readHead(p));
    return { variant: kind ?? 'unknown' };
  },

  async estimate(p) {
    return { total: (await fs.promises.stat(p)).size };
  },

  async preflight(p) {
    (await openPst(p)).close();
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const pst = await openPst(ctx.path);
    try {
      const reader = new PstReader(ctx);
      let root: PSTFolder;
      try {
        root = quietly(ctx, 'root folder', () => pst.getRootFolder());
      } catch (err) {
        throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${ctx.path}: the root folder cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
          file: ctx.path, position: 'root folder',
        }, { cause: err });
      }
      try {
        yield* reader.folder(root, '');
      } catch (err) {
        if (err instanceof HoldfastError) throw err;
        throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${ctx.path} cannot be read to the end (truncated or damaged?): ${err instanceof Error ? err.message : String(err)}`, {
          file: ctx.path, position: 'folder tree',
        }, { cause: err });
      }
      reader.finish();
      ctx.progress((await fs.promises.stat(ctx.path)).size);
    } finally {
      pst.close();
    }
  },
};
