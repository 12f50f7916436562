/**
 * Google Chat in a Google Takeout export: `Google Chat/Groups/<DM or Space id>/messages.json` with
 * `group_info.json` (name, members) and the attachments in the same folder, as the Takeout folder or
 * zip. messages.json is streamed. Format facts: README.md beside this file.
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
import { parseGoogleChatDate } from './dates.ts';

interface ChatUser {
  name?: string;
  email?: string;
  user_type?: string;
}

interface ChatMessage {
  creator?: ChatUser;
  created_date?: string;
  updated_date?: string;
  text?: string;
  topic_id?: string;
  message_id?: string;
  attached_files?: { original_name?: string; export_name?: string }[];
  annotations?: { drive_metadata?: { id?: string; title?: string } }[];
  reactions?: { emoji?: { unicode?: string; custom_emoji?: { name?: string } }; reactor_emails?: string[] }[];
  quoted_message_metadata?: { creator?: ChatUser; text?: string };
  deletion_metadata?: unknown;
}

interface GroupInfo {
  name?: string;
  members?: ChatUser[];
}

/** Index files are small; a larger one is not a Takeout file (guards memory). */
const MAX_INFO_BYTES = 64 * 1024 ** 2;
const MESSAGES_FILE = /(?:^|\/)Google Chat\/Groups\/([^/]+)\/messages\.json$/;

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.heic': 'image/heic',
  '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.pdf': 'application/pdf', '.txt': 'text/plain',
};

export function groupFiles(files: readonly string[]): { folder: string; id: string; messages: string }[] {
  return files.flatMap((f) => {
    const m = MESSAGES_FILE.exec(f);
    return m ? [{ folder: f.slice(0, -'messages.json'.length), id: m[1]!, messages: f }] : [];
  });
}

async function readJson<T>(tree: ExportTree, rel: string, file: string): Promise<{ value: T; sha256: string; size: number }> {
  let r: { data: Buffer; sha256: string };
  try {
    r = await tree.read(rel, MAX_INFO_BYTES);
    return { value: JSON.parse(r.data.toString('utf8').replace(/^\uFEFF/, '')) as T, sha256: r.sha256, size: r.data.length };
  } catch (err) {
    if (err instanceof HoldfastError) throw err;
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${rel} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { file, position: rel }, { cause: err });
  }
}

class GroupReader {
  private readonly ctx: ImportContext;
  private readonly tree: ExportTree;
  private readonly owner: string | undefined;

  constructor(ctx: ImportContext, tree: ExportTree, owner: string | undefined) {
    this.ctx = ctx;
    this.tree = tree;
    this.owner = owner;
  }

  handle(u: ChatUser | undefined): HandleRef | null {
    if (!u || typeof u !== 'object') return null;
    const display = typeof u.name === 'string' && u.name ? u.name : undefined;
    if (typeof u.email === 'string' && u.email.includes('@')) return { kind: 'email', value: u.email.toLowerCase(), ...(display ? { display } : {}) };
    // Bots and deleted users come without an address: their name is scoped to Google Chat.
    return display ? { kind: 'other', value: `google-chat:${display}`, display } : null;
  }

  conversation(id: string, info: GroupInfo, key: string, folder: string): ConversationRecord {
    const members = (Array.isArray(info.members) ? info.members : []).flatMap((u) => {
      const handle = this.handle(u);
      return handle ? [{ handle }] : [];
    });
    const dm = id.startsWith('DM ');
    const name = info.name || members.filter((m) => m.handle.value !== this.owner).map((m) => m.handle.display ?? m.handle.value).join(', ') || id;
    return {
      type: 'conversation', key, platform: 'google-chat', externalId: id, kind: dm ? (members.length > 2 ? 'group' : 'direct') : 'channel',
      name, ...(members.length ? { members } : {}), locator: `${folder}group_info.json`,
    };
  }

  message(raw: ChatMessage, convKey: string, locator: string, folder: string): MessageRecord | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'not a message object' });
      return undefined;
    }
    const sentAt = parseGoogleChatDate(raw.created_date);
    if (sentAt === undefined) {
      this.ctx.warn({ code: 'BAD_DATE', locator, message: `created_date "${String(raw.created_date ?? '')}" is not a Google Chat date ("Monday, March 4, 2024 at 10:12:33 AM UTC"); message skipped` });
      return undefined;
    }
    const sender = this.handle(raw.creator);
    const parts = [typeof raw.text === 'string' ? raw.text : ''];
    const quoted = raw.quoted_message_metadata;
    if (quoted && typeof quoted === 'object') parts.unshift(`[quoting ${quoted.creator?.name ?? quoted.creator?.email ?? 'a message'}: ${quoted.text ?? ''}]`);
    for (const a of Array.isArray(raw.annotations) ? raw.annotations : []) {
      const d = a?.drive_metadata;
      if (d?.id) parts.push(`[Google Drive file: ${d.title || d.id} <https://drive.google.com/open?id=${d.id}>]`);
    }
    const msg: MessageRecord = {
      type: 'message', conversationKey: convKey, sender,
      direction: !this.owner || sender?.kind !== 'email' ? 'unknown' : sender.value === this.owner ? 'out' : 'in',
      sentAt, rawTime: raw.created_date!, timePrecision: 'second', kind: 'message', text: parts.filter(Boolean).join('\n'), locator,
    };
    if (typeof raw.message_id === 'string' && raw.message_id) {
      msg.externalId = raw.message_id;
      msg.key = raw.message_id;
      // "<group>/<topic>/<message>": a message that does not start its topic is a reply in that topic's thread.
      const [group, topic, own] = raw.message_id.split('/');
      if (group && topic && own && own !== topic && raw.topic_id === topic) msg.replyToKey = `${group}/${topic}/${topic}`;
    }
    if (raw.updated_date) msg.edited = true;
    if (raw.deletion_metadata) msg.deleted = true;
    const attachments = this.attachments(raw, locator, folder);
    if (attachments.length) msg.attachments = attachments;
    const reactions = this.reactions(raw, locator);
    if (reactions.length) msg.reactions = reactions;
    return msg;
  }

  private attachments(raw: ChatMessage, locator: string, folder: string): AttachmentRecord[] {
    if (!Array.isArray(raw.attached_files)) return [];
    return raw.attached_files.map((a, i): AttachmentRecord => {
      const exported = typeof a?.export_name === 'string' ? a.export_name : '';
      const name = a?.original_name || exported || `attachment-${i + 1}`;
      const mime = MIME[path.extname(exported || name).toLowerCase()];
      const ref = { name, ...(mime ? { mime } : {}), locator: `${locator} attached_files[${i}] ${exported}` };
      if (!exported || exported.includes('/')) return { ...ref, missingReason: `no usable export_name ("${exported}")` };
      // Names with "?" (e.g. "File-123?account_id=3.jpg") are written to disk with "_" instead.
      const rel = [exported, exported.replace(/\?/g, '_')].map((n) => folder + n).find((r) => this.tree.has(r));
      if (!rel) return { ...ref, missingReason: `not in the export folder (${exported}); a Takeout split into several zips may hold it in another part` };
      return { ...ref, size: this.tree.size(rel) ?? 0, open: () => this.tree.open(rel) };
    });
  }

  private reactions(raw: ChatMessage, locator: string): ReactionRecordData[] {
    if (!Array.isArray(raw.reactions)) return [];
    const out: ReactionRecordData[] = [];
    for (const r of raw.reactions) {
      const value = r?.emoji?.unicode ?? (r?.emoji?.custom_emoji?.name ? `:${r.emoji.custom_emoji.name}:` : '');
      if (!value) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'reaction without an emoji' });
        continue;
      }
      for (const email of Array.isArray(r.reactor_emails) ? r.reactor_emails : []) {
        out.push({ sender: typeof email === 'string' && email.includes('@') ? { kind: 'email', value: email.toLowerCase() } : null, value });
      }
    }
    return out;
  }
}

/** The exporting account: the one `Users/User <id>/user_info.json` (when there is exactly one). */
async function ownerOf(tree: ExportTree, file: string): Promise<string | undefined> {
  const infos = tree.files.filter((f) => /(?:^|\/)Google Chat\/Users\/[^/]+\/user_info\.json$/.test(f));
  if (infos.length !== 1) return undefined;
  const { value } = await readJson<{ user?: ChatUser }>(tree, infos[0]!, file);
  const email = value?.user?.email;
  return typeof email === 'string' && email.includes('@') ? email.toLowerCase() : undefined;
}

async function withTree<T>(p: string, fn: (tree: ExportTree) => Promise<T>): Promise<T> {
  const tree = await openExportTree(p, 'Google Takeout');
  try {
    return await fn(tree);
  } finally {
    tree.close();
  }
}

export const googleChatTakeout: Importer = {
  id: 'google-chat',
  name: 'Google Chat (Google Takeout)',
  description: 'Google Chat DMs and Spaces from Google Takeout (Google Chat/Groups/*/messages.json, group_info.json and attachments), as the folder or the zip.',
  version: '1.0.0',

  async detect(p) {
    try {
      const st = await fs.promises.stat(p);
      if (!st.isDirectory() && !/\.zip$/i.test(p)) return { confidence: 0 };
      return await withTree(p, async (tree) => (groupFiles(tree.files).length ? { confidence: 0.9, variant: tree.kind } : { confidence: 0 }));
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    return withTree(p, async (tree) => {
      const groups = groupFiles(tree.files);
      const inFolders = new Set(groups.map((g) => g.folder));
      return {
        variant: tree.kind, conversations: groups.length,
        hasAttachments: tree.files.some((f) => inFolders.has(f.slice(0, f.lastIndexOf('/') + 1)) && !/\/(messages|group_info)\.json$/.test(f)),
      };
    });
  },

  async estimate(p) {
    return withTree(p, async (tree) => ({ total: groupFiles(tree.files).reduce((n, g) => n + (tree.size(g.messages) ?? 0), 0) }));
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const tree = await openExportTree(ctx.path, 'Google Takeout');
    try {
      for (const w of tree.warnings) ctx.warn(w);
      const groups = groupFiles(tree.files);
      if (groups.length === 0) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} holds no "Google Chat/Groups/<group>/messages.json": not a Google Chat Takeout export.`, {
          file: ctx.path, position: 'root',
        });
      }
      const custody = (rel: string, r: { sha256: string; size: number }): ImportRecord[] =>
        tree.kind === 'zip' ? [{ type: 'source-file', innerPath: rel, size: r.size, sha256: r.sha256 }] : [];
      const reader = new GroupReader(ctx, tree, await ownerOf(tree, ctx.path));
      let bytes = 0;
      for (const [n, g] of groups.entries()) {
        const key = `g${n}`;
        const infoPath = `${g.folder}group_info.json`;
        let info: GroupInfo = {};
        if (tree.has(infoPath)) {
          const r = await readJson<GroupInfo>(tree, infoPath, ctx.path);
          yield* custody(infoPath, r);
          if (r.value && typeof r.value === 'object' && !Array.isArray(r.value)) info = r.value;
          else ctx.warn({ code: 'BAD_RECORD', locator: infoPath, message: 'group_info.json is not an object; name and members unknown' });
        } else {
          ctx.warn({ code: 'MISSING_FILE', locator: infoPath, message: 'no group_info.json: name and members unknown' });
        }
        yield reader.conversation(g.id, info, key, g.folder);
        const hash = createHash('sha256');
        let size = 0;
        let count = 0;
        const stream = streamJson(await tree.open(g.messages), {
          paths: ['$.messages.*'], file: ctx.path, label: g.messages, signal: ctx.signal,
          check: (head) => {
            if (!head.trimStart().startsWith('{')) {
              throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${g.messages} is not a JSON object.`, { file: ctx.path, position: `${g.messages} byte 0` });
            }
          },
          onChunk: (c) => {
            hash.update(c);
            size += c.length;
          },
        });
        for await (const hit of stream) {
          const msg = reader.message(hit.value as ChatMessage, key, `${g.messages} messages[${count++}]`, g.folder);
          if (msg) yield msg;
        }
        if (ctx.signal.aborted) return;
        yield* custody(g.messages, { sha256: hash.digest('hex'), size });
        bytes += size;
        ctx.progress(bytes);
      }
    } finally {
      tree.close();
    }
  },
};
