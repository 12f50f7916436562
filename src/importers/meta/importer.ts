/**
 * Meta "Download your information" in JSON, for Messenger and Instagram: one folder per thread with
 * `message_1.json`, `message_2.json`... and the thread's photos, videos, audio and files, as the
 * export folder or its zip. Each JSON file is streamed. Format facts: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { HoldfastError } from '../../api/errors.ts';
import type {
  AttachmentRecord, ConversationRecord, HandleRef, ImportContext, Importer, ImportRecord, MessageRecord, ReactionRecordData,
} from '../types.ts';
import { openExportTree } from '../export-tree/tree.ts';
import type { ExportTree } from '../export-tree/tree.ts';
import { streamJson } from '../export-tree/json-stream.ts';
import { repairMojibake } from './mojibake.ts';

interface MetaMedia {
  uri?: string;
  creation_timestamp?: number;
}

interface MetaMessage {
  sender_name?: string;
  timestamp_ms?: number;
  content?: string;
  type?: string;
  is_unsent?: boolean;
  call_duration?: number;
  photos?: MetaMedia[];
  videos?: MetaMedia[];
  audio_files?: MetaMedia[];
  files?: MetaMedia[];
  gifs?: MetaMedia[];
  sticker?: MetaMedia;
  share?: { link?: string; share_text?: string; original_content_owner?: string };
  reactions?: { reaction?: string; actor?: string; timestamp?: number }[];
  users?: { name?: string }[];
}

interface ThreadHeader {
  participants?: { name?: string }[];
  title?: string;
  thread_type?: string;
  thread_path?: string;
}

type Platform = 'messenger' | 'instagram';

/** `…/messages/<box>/<thread folder>/message_<n>.json`; boxes seen in exports from 2018 to 2024. */
const THREAD_FILE = /(?:^|\/)messages\/(inbox|archived_threads|filtered_threads|message_requests|e2ee_cutover)\/([^/]+)\/message_(\d+)\.json$/;

const MEDIA_FIELDS = ['photos', 'videos', 'audio_files', 'files', 'gifs'] as const;

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.mp4': 'video/mp4',
  '.mov': 'video/quicktime', '.m4a': 'audio/mp4', '.aac': 'audio/aac', '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.ogg': 'audio/ogg',
  '.pdf': 'application/pdf', '.txt': 'text/plain',
};

const SYSTEM_TYPES: Record<string, string> = { Subscribe: 'join', Unsubscribe: 'leave', Call: 'call' };

interface Thread {
  folder: string;
  box: string;
  files: string[];
}

export function threadsOf(files: readonly string[]): Thread[] {
  const byFolder = new Map<string, Thread & { order: Map<string, number> }>();
  for (const f of files) {
    const m = THREAD_FILE.exec(f);
    if (!m) continue;
    const dir = f.slice(0, f.lastIndexOf('/'));
    const t = byFolder.get(dir) ?? { folder: dir, box: m[1]!, files: [], order: new Map<string, number>() };
    t.files.push(f);
    t.order.set(f, Number(m[3]));
    byFolder.set(dir, t);
  }
  return [...byFolder.values()]
    .sort((a, b) => a.folder.localeCompare(b.folder))
    .map((t) => ({ folder: t.folder, box: t.box, files: t.files.sort((a, b) => t.order.get(a)! - t.order.get(b)!) }));
}

function platformOf(files: readonly string[]): Platform {
  return files.some((f) => /(^|\/)(your_instagram_activity|followers_and_following|instagram_[a-z_]+)\//.test(f)) ? 'instagram' : 'messenger';
}

function text(v: unknown): string {
  return typeof v === 'string' ? repairMojibake(v) : '';
}

function mimeOf(name: string): string | undefined {
  return MIME[path.extname(name).toLowerCase()];
}

class ThreadReader {
  private readonly ctx: ImportContext;
  private readonly tree: ExportTree;
  private readonly platform: Platform;

  constructor(ctx: ImportContext, tree: ExportTree, platform: Platform) {
    this.ctx = ctx;
    this.tree = tree;
    this.platform = platform;
  }

  handle(name: string | undefined): HandleRef | null {
    const display = text(name);
    // Meta names a person only by display name: scoped to the platform so that a "Dana" here is not a "Dana" elsewhere.
    return display ? { kind: 'other', value: `${this.platform}:${display}`, display } : null;
  }

  conversation(t: Thread, h: ThreadHeader, key: string): ConversationRecord {
    const members = (Array.isArray(h.participants) ? h.participants : []).flatMap((p) => {
      const handle = this.handle(p?.name);
      return handle ? [{ handle }] : [];
    });
    const group = h.thread_type ? h.thread_type === 'RegularGroup' : members.length > 2;
    const threadFolder = t.folder.slice(t.folder.lastIndexOf('/') + 1);
    const name = text(h.title) || members.map((m) => m.handle.display).join(', ') || threadFolder;
    return {
      type: 'conversation', key, platform: this.platform, externalId: threadFolder, kind: group ? 'group' : 'direct', name,
      ...(members.length ? { members } : {}), locator: `${t.folder}/`,
    };
  }

  message(raw: MetaMessage, convKey: string, locator: string, t: Thread): MessageRecord | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'not a message object' });
      return undefined;
    }
    if (typeof raw.timestamp_ms !== 'number' || !Number.isSafeInteger(raw.timestamp_ms) || raw.timestamp_ms <= 0) {
      this.ctx.warn({ code: 'BAD_DATE', locator, message: `timestamp_ms "${String(raw.timestamp_ms ?? '')}" is not a time in ms; message skipped` });
      return undefined;
    }
    const systemType = raw.type ? SYSTEM_TYPES[raw.type] : undefined;
    let body = text(raw.content);
    if (raw.type === 'Call' && typeof raw.call_duration === 'number') body = `${body}${body ? ' ' : ''}(call, ${raw.call_duration} s)`;
    if (raw.share && typeof raw.share === 'object') {
      const link = text(raw.share.link);
      const extra = [link && !body.includes(link) ? `[shared: ${link}]` : '', text(raw.share.share_text), raw.share.original_content_owner ? `(from ${text(raw.share.original_content_owner)})` : '']
        .filter(Boolean).join(' ');
      if (extra) body = body ? `${body}\n${extra}` : extra;
    }
    const msg: MessageRecord = {
      type: 'message', conversationKey: convKey, sender: this.handle(raw.sender_name), direction: 'unknown', sentAt: raw.timestamp_ms,
      rawTime: String(raw.timestamp_ms), timePrecision: 'ms', kind: systemType ? 'system' : 'message', text: body, locator,
    };
    if (systemType) msg.systemType = systemType;
    if (raw.is_unsent === true) msg.deleted = true;
    const attachments = this.attachments(raw, locator, t);
    if (attachments.length) msg.attachments = attachments;
    const reactions = this.reactions(raw, locator);
    if (reactions.length) msg.reactions = reactions;
    return msg;
  }

  private attachments(raw: MetaMessage, locator: string, t: Thread): AttachmentRecord[] {
    const refs: { media: MetaMedia; field: string }[] = [];
    for (const field of MEDIA_FIELDS) {
      const list = raw[field];
      if (Array.isArray(list)) for (const media of list) refs.push({ media, field });
    }
    if (raw.sticker && typeof raw.sticker === 'object') refs.push({ media: raw.sticker, field: 'sticker' });
    return refs.map(({ media, field }, i): AttachmentRecord => {
      const uri = text(media?.uri);
      const name = uri ? uri.slice(uri.lastIndexOf('/') + 1) : `${field}-${i + 1}`;
      const mime = mimeOf(name);
      const ref = { name, ...(mime ? { mime } : {}), locator: `${locator} ${field} ${uri}` };
      if (!uri) return { ...ref, missingReason: `${field} entry without a uri` };
      if (/^https?:\/\//i.test(uri)) return { ...ref, missingReason: `only a link in the export (${uri}), not the file` };
      const inside = this.find(uri, typeof media.uri === 'string' ? media.uri : uri, t);
      if (!inside) return { ...ref, missingReason: `not found in the export (${uri})` };
      return { ...ref, size: this.tree.size(inside) ?? 0, open: () => this.tree.open(inside) };
    });
  }

  /** `uri` is relative to the export root, which may sit below the folder or zip given (any ancestor of the thread). */
  private find(repaired: string, written: string, t: Thread): string | undefined {
    const parts = t.folder.split('/');
    for (let i = 0; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      for (const uri of new Set([repaired, written])) {
        const rel = prefix ? `${prefix}/${uri}` : uri;
        if (this.tree.has(rel)) return rel;
      }
    }
    return undefined;
  }

  private reactions(raw: MetaMessage, locator: string): ReactionRecordData[] {
    if (!Array.isArray(raw.reactions)) return [];
    const out: ReactionRecordData[] = [];
    for (const r of raw.reactions) {
      const value = text(r?.reaction);
      if (!value) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'reaction without a value' });
        continue;
      }
      out.push({ sender: this.handle(r.actor), value, ...(typeof r.timestamp === 'number' ? { at: r.timestamp * 1000 } : {}) });
    }
    return out;
  }
}

/** Thread header fields; they follow `messages` in the file, so a first pass collects them. */
const HEADER_PATHS = ['$.participants', '$.title', '$.thread_type', '$.thread_path'];

function checkObject(label: string, file: string) {
  return (head: string) => {
    if (!head.trimStart().startsWith('{')) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} is not a JSON object: not a Meta message file.`, { file, position: `${label} byte 0` });
    }
  };
}

async function withTree<T>(p: string, fn: (tree: ExportTree) => Promise<T>): Promise<T> {
  const tree = await openExportTree(p, 'Meta "Download your information"');
  try {
    return await fn(tree);
  } finally {
    tree.close();
  }
}

export const metaMessages: Importer = {
  id: 'meta-dyi',
  name: 'Messenger / Instagram "Download your information" (JSON)',
  description: 'Messenger or Instagram messages from Meta\'s "Download your information" in JSON (messages/inbox/*/message_*.json with the media), as the folder or the zip.',
  version: '1.0.0',

  async detect(p) {
    try {
      const st = await fs.promises.stat(p);
      if (!st.isDirectory() && !/\.zip$/i.test(p)) return { confidence: 0 };
      return await withTree(p, async (tree) => {
        const threads = threadsOf(tree.files);
        return threads.length ? { confidence: 0.9, variant: `${platformOf(tree.files)} ${tree.kind}` } : { confidence: 0 };
      });
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    return withTree(p, async (tree) => ({
      variant: `${platformOf(tree.files)} ${tree.kind}`,
      conversations: threadsOf(tree.files).length,
      hasAttachments: tree.files.some((f) => /\/messages\/[^/]+\/[^/]+\/(photos|videos|audio|files|gifs)\//.test(`/${f}`)),
    }));
  },

  async estimate(p) {
    return withTree(p, async (tree) => ({ total: threadsOf(tree.files).reduce((n, t) => n + t.files.reduce((m, f) => m + (tree.size(f) ?? 0), 0), 0) }));
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const tree = await openExportTree(ctx.path, 'Meta "Download your information"');
    try {
      for (const w of tree.warnings) ctx.warn(w);
      const threads = threadsOf(tree.files);
      if (threads.length === 0) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} holds no messages/inbox/<thread>/message_<n>.json: not a Meta "Download your information" JSON export.`, {
          file: ctx.path, position: 'root',
        });
      }
      const reader = new ThreadReader(ctx, tree, platformOf(tree.files));
      let bytes = 0;
      for (const [n, t] of threads.entries()) {
        const key = `t${n}`;
        const header: ThreadHeader = {};
        const first = t.files[0]!;
        for await (const hit of streamJson(await tree.open(first), { paths: HEADER_PATHS, file: ctx.path, label: first, signal: ctx.signal, check: checkObject(first, ctx.path) })) {
          (header as Record<string, unknown>)[String(hit.path[0])] = hit.value;
        }
        yield reader.conversation(t, header, key);
        for (const file of t.files) {
          const hash = createHash('sha256');
          let size = 0;
          let count = 0;
          const stream = streamJson(await tree.open(file), {
            paths: ['$.messages.*'], file: ctx.path, label: file, signal: ctx.signal, check: checkObject(file, ctx.path),
            onChunk: (c) => {
              hash.update(c);
              size += c.length;
            },
          });
          for await (const hit of stream) {
            const msg = reader.message(hit.value as MetaMessage, key, `${file} messages[${count++}]`, t);
            if (msg) yield msg;
          }
          if (ctx.signal.aborted) return;
          if (tree.kind === 'zip') yield { type: 'source-file', innerPath: file, size, sha256: hash.digest('hex') };
          bytes += size;
          ctx.progress(bytes);
        }
      }
    } finally {
      tree.close();
    }
  },
};
