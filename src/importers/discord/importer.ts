/**
 * Discord channels exported by DiscordChatExporter in its JSON format: one JSON file per channel,
 * thread or DM (with a `<file>_Files/` folder of media when exported with --media), given as the
 * file, a folder of them, or a zip. Each file is streamed. Format facts: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type {
  AttachmentRecord, ConversationRecord, HandleRef, ImportContext, Importer, ImportRecord, MessageRecord, ReactionRecordData,
} from '../types.ts';
import { openExportTree } from '../export-tree/tree.ts';
import { streamJson } from '../export-tree/json-stream.ts';
import { embedText } from './embeds.ts';
import type { DiscordEmbed } from './embeds.ts';

interface DiscordUser {
  id?: string;
  name?: string;
  nickname?: string | null;
  isBot?: boolean;
}

interface DiscordMessage {
  id?: string;
  type?: string;
  timestamp?: string;
  timestampEdited?: string | null;
  callEndedTimestamp?: string | null;
  isPinned?: boolean;
  content?: string;
  author?: DiscordUser;
  attachments?: { id?: string; url?: string; fileName?: string; fileSizeBytes?: number }[];
  embeds?: DiscordEmbed[];
  stickers?: { id?: string; name?: string }[];
  reactions?: { emoji?: { id?: string | null; name?: string; code?: string }; count?: number; users?: DiscordUser[] }[];
  reference?: { messageId?: string | null; channelId?: string | null; guildId?: string | null } | null;
}

interface ChannelHeader {
  guild?: { id?: string; name?: string };
  channel?: { id?: string; type?: string; categoryId?: string | null; category?: string | null; name?: string | null };
}

/** A set of files the export's relative paths are looked up in (the tree, or the folder beside a single file). */
interface Files {
  kind: 'file' | 'folder' | 'zip';
  list: readonly string[];
  has(rel: string): boolean;
  open(rel: string): Promise<Readable>;
  size(rel: string): number | undefined;
  close(): void;
}

const SYSTEM_TYPES: Record<string, string> = {
  RecipientAdd: 'join', RecipientRemove: 'leave', Call: 'call', ChannelNameChange: 'rename', ChannelIconChange: 'other',
  ChannelPinnedMessage: 'pin', GuildMemberJoin: 'join', ThreadCreated: 'other', ThreadStarterMessage: 'other',
};
const PLAIN_TYPES = new Set(['Default', 'Reply']);
const THREAD_TYPES = new Set(['GuildPublicThread', 'GuildPrivateThread', 'GuildNewsThread']);

/** ISO 8601 with an offset, as DiscordChatExporter writes times ("2021-10-12T22:47:14.472+00:00"). */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseDiscordTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || !ISO.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}

export function looksLikeDiscordExport(head: string): boolean {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  return t.startsWith('{') && /^\{\s*"guild"\s*:/.test(t) && /"channel"\s*:/.test(t);
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.mp4': 'video/mp4',
  '.webm': 'video/webm', '.mov': 'video/quicktime', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.pdf': 'application/pdf', '.txt': 'text/plain',
  '.zip': 'application/zip',
};

/** Channel files: `.json` outside the media folders (`*_Files/`, which may hold JSON attachments). */
function channelCandidates(list: readonly string[]): string[] {
  return list.filter((f) => /\.json$/i.test(f) && !f.split('/').slice(0, -1).some((d) => /_Files$/i.test(d)));
}

async function openFiles(p: string): Promise<Files> {
  const st = fs.statSync(p);
  if (st.isFile() && /\.json$/i.test(p)) {
    // A single file: its relative media paths are looked up beside it, never outside that folder.
    const dir = path.dirname(p);
    const safe = (rel: string) => !rel.split('/').includes('..') && !path.isAbsolute(rel);
    const stat = (rel: string) => {
      try {
        const s = fs.statSync(path.join(dir, rel));
        return s.isFile() ? s : undefined;
      } catch {
        return undefined;
      }
    };
    return {
      kind: 'file', list: [path.basename(p)],
      has: (rel) => safe(rel) && stat(rel) !== undefined,
      open: async (rel) => fs.createReadStream(path.join(dir, rel)),
      size: (rel) => stat(rel)?.size,
      close: () => {},
    };
  }
  const tree = await openExportTree(p, 'DiscordChatExporter export');
  return { kind: tree.kind, list: tree.files, has: (r) => tree.has(r), open: (r) => tree.open(r), size: (r) => tree.size(r), close: () => tree.close() };
}

async function head(files: Files, rel: string): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  const stream = await files.open(rel);
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    n += (chunk as Buffer).length;
    if (n >= 4096) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
}

class ChannelReader {
  private readonly ctx: ImportContext;
  private readonly files: Files;
  private readonly file: string;
  readonly header: ChannelHeader = {};
  private warnedCrossReply = false;

  constructor(ctx: ImportContext, files: Files, file: string) {
    this.ctx = ctx;
    this.files = files;
    this.file = file;
  }

  handle(u: DiscordUser | undefined): HandleRef | null {
    if (!u || typeof u !== 'object') return null;
    const display = u.nickname || u.name || undefined;
    if (u.id) return { kind: 'other', value: `discord:${u.id}`, ...(display ? { display } : {}) };
    return display ? { kind: 'name', value: display, display } : null;
  }

  conversation(key: string): ConversationRecord {
    const { guild, channel } = this.header;
    const type = channel?.type ?? '';
    const direct = type === 'DirectTextChat';
    const group = type === 'DirectGroupTextChat';
    let name = channel?.name ?? channel?.id ?? this.file;
    if (!direct && !group) {
      const where = THREAD_TYPES.has(type) && channel?.category ? `#${channel.category} › ${name}` : `#${name}`;
      name = guild?.name ? `${guild.name} ${where}` : where;
    }
    if (!channel?.id) this.ctx.warn({ code: 'BAD_RECORD', locator: this.file, message: 'no channel id before the messages; the file name identifies the conversation' });
    return {
      type: 'conversation', key, platform: 'discord', externalId: channel?.id ?? `file:${this.file}`,
      kind: direct ? 'direct' : group ? 'group' : 'channel', name, locator: this.file,
    };
  }

  message(raw: DiscordMessage, convKey: string, locator: string): MessageRecord | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'not a message object' });
      return undefined;
    }
    const sentAt = parseDiscordTime(raw.timestamp);
    if (sentAt === undefined) {
      this.ctx.warn({ code: 'BAD_DATE', locator, message: `timestamp "${String(raw.timestamp ?? '')}" is not an ISO 8601 time with an offset; message skipped` });
      return undefined;
    }
    const type = raw.type ?? 'Default';
    const system = !PLAIN_TYPES.has(type);
    const parts = [typeof raw.content === 'string' ? raw.content : ''];
    if (system && !parts[0]) parts[0] = `[${type}]`;
    for (const s of Array.isArray(raw.stickers) ? raw.stickers : []) parts.push(`[sticker: ${s?.name ?? s?.id ?? '?'}]`);
    for (const e of Array.isArray(raw.embeds) ? raw.embeds : []) parts.push(embedText(e));
    const msg: MessageRecord = {
      type: 'message', conversationKey: convKey, sender: this.handle(raw.author), direction: 'unknown', sentAt, rawTime: raw.timestamp!,
      timePrecision: 'ms', kind: system ? 'system' : 'message', text: parts.filter(Boolean).join('\n'), locator,
    };
    if (raw.id) {
      msg.externalId = raw.id;
      msg.key = raw.id;
    }
    if (system) msg.systemType = SYSTEM_TYPES[type] ?? 'other';
    if (raw.timestampEdited) msg.edited = true;
    const ref = raw.reference;
    if (ref && typeof ref === 'object' && ref.messageId) {
      if (!ref.channelId || ref.channelId === this.header.channel?.id) msg.replyToKey = ref.messageId;
      else if (!this.warnedCrossReply) {
        this.warnedCrossReply = true;
        this.ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator, message: `refers to message ${ref.messageId} of channel ${ref.channelId} (another file); the link is not kept` });
      }
    }
    const attachments = this.attachments(raw, locator);
    if (attachments.length) msg.attachments = attachments;
    const reactions = this.reactions(raw, locator);
    if (reactions.length) msg.reactions = reactions;
    return msg;
  }

  private attachments(raw: DiscordMessage, locator: string): AttachmentRecord[] {
    if (!Array.isArray(raw.attachments)) return [];
    const dir = this.file.includes('/') ? this.file.slice(0, this.file.lastIndexOf('/') + 1) : '';
    return raw.attachments.map((a, i): AttachmentRecord => {
      const url = typeof a?.url === 'string' ? a.url : '';
      const name = a?.fileName || (url ? decodeSafe(url.split(/[\\/]/).pop()!.split('?')[0]!) : '') || `attachment-${i + 1}`;
      const mime = MIME[path.extname(name).toLowerCase()];
      const ref = {
        name, ...(mime ? { mime } : {}), ...(typeof a?.fileSizeBytes === 'number' ? { size: a.fileSizeBytes } : {}),
        locator: `${locator} attachment ${a?.id ?? i + 1}`,
      };
      if (!url) return { ...ref, missingReason: 'attachment without a url' };
      if (/^https?:\/\//i.test(url)) return { ...ref, missingReason: `exported as a link only (${url}); the file is not in the export` };
      // Local paths are relative to the JSON file; written with the exporting system's separator and sometimes percent-encoded.
      const rel = [...new Set([url, decodeSafe(url)])].map((u) => dir + u.replace(/\\/g, '/')).find((r) => this.files.has(r));
      if (!rel) return { ...ref, missingReason: `not found in the export (${url})` };
      return { ...ref, size: this.files.size(rel) ?? 0, open: () => this.files.open(rel) };
    });
  }

  private reactions(raw: DiscordMessage, locator: string): ReactionRecordData[] {
    if (!Array.isArray(raw.reactions)) return [];
    const out: ReactionRecordData[] = [];
    for (const r of raw.reactions) {
      const e = r?.emoji;
      const value = e?.id ? `:${e.name ?? e.id}:` : (e?.name ?? '');
      if (!value) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'reaction without an emoji' });
        continue;
      }
      const users = Array.isArray(r.users) ? r.users : [];
      for (const u of users) out.push({ sender: this.handle(u), value });
      // Older exporter versions list no users, newer ones at most 100: the rest of `count` is anonymous.
      for (let i = users.length; i < (r.count ?? users.length); i++) out.push({ sender: null, value });
    }
    return out;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function channelFiles(files: Files, ctx?: ImportContext): Promise<string[]> {
  const out: string[] = [];
  for (const f of channelCandidates(files.list)) {
    if (looksLikeDiscordExport(await head(files, f))) out.push(f);
    else ctx?.warn({ code: 'BAD_RECORD', locator: f, message: 'not a DiscordChatExporter channel file (no "guild" and "channel" at the start); not read' });
  }
  return out;
}

async function withFiles<T>(p: string, fn: (files: Files) => Promise<T>): Promise<T> {
  const files = await openFiles(p);
  try {
    return await fn(files);
  } finally {
    files.close();
  }
}

export const discordExport: Importer = {
  id: 'discord-dce',
  name: 'Discord (DiscordChatExporter JSON)',
  description: 'Discord channels, threads and DMs exported by DiscordChatExporter as JSON (with its media folders when exported with media): a file, a folder of them, or a zip.',
  version: '1.0.0',

  async detect(p) {
    try {
      const st = await fs.promises.stat(p);
      if (!st.isDirectory() && !/\.(json|zip)$/i.test(p)) return { confidence: 0 };
      return await withFiles(p, async (files) => {
        // Folders and zips: a look at the first few JSON files is enough.
        for (const f of channelCandidates(files.list).slice(0, 5)) {
          if (looksLikeDiscordExport(await head(files, f))) return { confidence: 0.9, variant: files.kind };
        }
        return { confidence: 0 };
      });
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    return withFiles(p, async (files) => {
      const channels = await channelFiles(files);
      return { variant: files.kind, conversations: channels.length, hasAttachments: files.list.some((f) => f.split('/').some((d) => /_Files$/i.test(d))) };
    });
  },

  async estimate(p) {
    return withFiles(p, async (files) => ({ total: channelCandidates(files.list).reduce((n, f) => n + (files.size(f) ?? 0), 0) }));
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const files = await openFiles(ctx.path);
    try {
      const channels = await channelFiles(files, ctx);
      if (channels.length === 0) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} holds no DiscordChatExporter JSON (a JSON object starting with "guild" and "channel").`, {
          file: ctx.path, position: files.kind === 'file' ? 'byte 0' : 'root',
        });
      }
      let bytes = 0;
      for (const [n, file] of channels.entries()) {
        const key = `c${n}`;
        const reader = new ChannelReader(ctx, files, file);
        const hash = createHash('sha256');
        let size = 0;
        let count = 0;
        let emitted = false;
        const stream = streamJson(await files.open(file), {
          paths: ['$.guild', '$.channel', '$.messages.*'], file: ctx.path, label: file, signal: ctx.signal,
          onChunk: (c) => {
            hash.update(c);
            size += c.length;
          },
        });
        for await (const hit of stream) {
          if (hit.path[0] === 'guild' || hit.path[0] === 'channel') {
            (reader.header as Record<string, unknown>)[hit.path[0]] = hit.value;
            continue;
          }
          if (!emitted) {
            emitted = true;
            yield reader.conversation(key);
          }
          const msg = reader.message(hit.value as DiscordMessage, key, `${file} messages[${count++}]`);
          if (msg) yield msg;
          if (count % 1000 === 0) ctx.progress(bytes + size);
        }
        if (ctx.signal.aborted) return;
        if (!emitted) yield reader.conversation(key);
        if (files.kind === 'zip') yield { type: 'source-file', innerPath: file, size, sha256: hash.digest('hex') };
        bytes += size;
        ctx.progress(bytes);
      }
    } finally {
      files.close();
    }
  },
};
