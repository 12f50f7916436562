/**
 * Slack workspace export (standard "Export data", also slackdump's export format), as the folder or
 * the zip: users.json, channels/groups/dms/mpims.json, one folder per conversation with a JSON file
 * per day. Format facts and quirks: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type {
  AttachmentRecord, ConversationRecord, HandleRef, ImportContext, Importer, ImportRecord, MessageRecord, ReactionRecordData,
} from '../types.ts';
import { isSlackLayout, MAX_JSON_BYTES, openSlackSource } from './source.ts';
import type { SlackSource } from './source.ts';
import { renderSlackText } from './text.ts';

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string; email?: string; bot_id?: string };
}

interface SlackChannel {
  id?: string;
  name?: string;
  user?: string;
  members?: string[];
  created?: number;
  purpose?: { value?: string };
  topic?: { value?: string };
}

interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  mode?: string;
  url_private?: string;
  is_external?: boolean;
  external_type?: string;
}

interface SlackMessage {
  type?: string;
  subtype?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  username?: string;
  bot_id?: string;
  bot_profile?: { name?: string };
  user_profile?: { display_name?: string; real_name?: string; name?: string };
  text?: string;
  edited?: { user?: string; ts?: string };
  files?: SlackFile[];
  /** Older exports: one file on a `file_share` / `file_comment` / `file_mention` message. */
  file?: SlackFile;
  /** `file_comment`: the comment, whose author is `comment.user` (the message's own `user` is absent or the file's owner). */
  comment?: { user?: string; comment?: string; id?: string };
  attachments?: { fallback?: string; text?: string; title?: string; title_link?: string }[];
  reactions?: { name?: string; users?: string[]; count?: number }[];
  hidden?: boolean;
}

type ListKind = 'channels' | 'groups' | 'dms' | 'mpims';
const LISTS: { file: string; kind: ListKind }[] = [
  { file: 'channels.json', kind: 'channels' }, { file: 'groups.json', kind: 'groups' }, { file: 'dms.json', kind: 'dms' }, { file: 'mpims.json', kind: 'mpims' },
];

/** Subtypes that are events in the channel rather than something a person wrote. */
const SYSTEM_SUBTYPES: Record<string, string> = {
  channel_join: 'join', group_join: 'join', channel_leave: 'leave', group_leave: 'leave', channel_name: 'rename', group_name: 'rename',
  channel_topic: 'topic', group_topic: 'topic', channel_purpose: 'purpose', group_purpose: 'purpose', channel_archive: 'archive',
  group_archive: 'archive', channel_unarchive: 'unarchive', group_unarchive: 'unarchive', pinned_item: 'pin', unpinned_item: 'unpin',
  channel_convert_to_private: 'other', channel_convert_to_public: 'other', channel_posting_permissions: 'other', bot_add: 'other',
  bot_remove: 'other', app_conversation_leave: 'leave', reminder_add: 'other', huddle_thread: 'call', sh_room_created: 'call',
};

/** Slack `ts` ("1736478514.897649", seconds.microseconds) → UTC ms. */
export function tsToMs(ts: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Math.floor(Number((m[2] ?? '0').padEnd(6, '0')) / 1000);
}

async function readJson<T>(src: SlackSource, rel: string): Promise<{ value: T; sha256: string; size: number }> {
  const { data, sha256 } = await src.read(rel, MAX_JSON_BYTES);
  return { value: JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')) as T, sha256, size: data.length };
}

function jsonPosition(err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? `byte ${m[1]}` : 'start';
}

class Workspace {
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, { meta: SlackChannel; kind: ListKind }>();
  /** Bot id → the bot user's name (users.json lists bot users with `profile.bot_id`). */
  readonly bots = new Map<string, string>();

  addUser(u: SlackUser & { id: string }): void {
    this.users.set(u.id, u);
    const name = u.profile?.real_name || u.real_name || u.name;
    if (u.profile?.bot_id && name) this.bots.set(u.profile.bot_id, name);
  }

  userName(id: string): string | undefined {
    const u = this.users.get(id);
    if (!u) return undefined;
    return u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || undefined;
  }

  /** Every name the workspace knows the user by (display, real, handle, email), for `from:`. */
  userNames(id: string): string[] {
    const u = this.users.get(id);
    if (!u) return [];
    const names = [u.profile?.display_name, u.profile?.real_name, u.real_name, u.name, u.profile?.email];
    return [...new Set(names.filter((n): n is string => typeof n === 'string' && n.trim() !== ''))];
  }

  channelName(id: string): string | undefined {
    for (const c of this.channels.values()) if (c.meta.id === id) return c.meta.name;
    return undefined;
  }

  handle(id: string, fallback?: string): HandleRef {
    const display = this.userName(id) ?? fallback;
    const names = this.userNames(id);
    return { kind: 'slack', value: id, ...(display ? { display } : {}), ...(names.length ? { names } : {}) };
  }
}

class SlackReader {
  private readonly ctx: ImportContext;
  private readonly src: SlackSource;
  private readonly ws: Workspace;

  constructor(ctx: ImportContext, src: SlackSource, ws: Workspace) {
    this.ctx = ctx;
    this.src = src;
    this.ws = ws;
  }

  conversation(folder: string, key: string): ConversationRecord {
    const found = this.ws.channels.get(folder);
    const meta = found?.meta ?? {};
    const kind = found?.kind;
    const members = (meta.members ?? (meta.user ? [meta.user] : [])).map((id) => ({ handle: this.ws.handle(id) }));
    let name = meta.name;
    if (kind === 'dms') name = members.map((m) => m.handle.display ?? m.handle.value).join(', ') || folder;
    if (!found) this.ctx.warn({ code: 'BAD_RECORD', locator: `${folder}/`, message: 'folder not listed in channels/groups/dms/mpims.json; its name is used as the conversation id' });
    return {
      type: 'conversation', key, platform: 'slack', externalId: meta.id ?? `folder:${folder}`,
      kind: kind === 'dms' ? 'direct' : kind === 'mpims' ? 'group' : 'channel',
      name: kind === 'channels' || kind === 'groups' ? `#${name ?? folder}` : (name ?? folder),
      ...(members.length ? { members } : {}), locator: `${folder}/`,
    };
  }

  message(raw: SlackMessage, convKey: string, locator: string): MessageRecord | undefined {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'not a message object' });
      return undefined;
    }
    const sentAt = raw.ts ? tsToMs(raw.ts) : undefined;
    if (sentAt === undefined) this.ctx.warn({ code: 'BAD_DATE', locator, message: `ts "${raw.ts ?? ''}" is not a Slack timestamp; kept with time unknown` });
    const subtype = raw.subtype;
    const system = subtype !== undefined && subtype in SYSTEM_SUBTYPES;
    let sender: HandleRef | null = null;
    // A file comment is written by the commenter, not by the file's owner.
    const author = subtype === 'file_comment' && raw.comment?.user ? raw.comment.user : raw.user;
    const botName = raw.bot_profile?.name || raw.username || (raw.bot_id ? this.ws.bots.get(raw.bot_id) : undefined);
    if (author && (!raw.bot_id || this.ws.users.has(author))) sender = this.ws.handle(author, raw.user_profile?.display_name || raw.user_profile?.real_name || raw.user_profile?.name || botName);
    else if (raw.bot_id) sender = { kind: 'slack', value: raw.bot_id, display: botName ?? raw.bot_id, ...(botName ? { names: [botName] } : {}) };
    else if (raw.username) sender = { kind: 'name', value: raw.username, display: raw.username };
    else if (author) sender = this.ws.handle(author);
    let text = renderSlackText(raw.text ?? '', (id) => this.ws.userName(id), (id) => this.ws.channelName(id));
    if (subtype === 'file_comment' && raw.comment?.comment && !text) text = renderSlackText(raw.comment.comment, (id) => this.ws.userName(id), (id) => this.ws.channelName(id));
    if (!text && Array.isArray(raw.attachments)) {
      // Bots often put everything in legacy attachments.
      text = raw.attachments.map((a) => a.fallback ?? [a.title, a.text].filter(Boolean).join('\n')).filter(Boolean).join('\n');
    }
    const msg: MessageRecord = {
      type: 'message', conversationKey: convKey, sender, direction: 'unknown', sentAt: sentAt ?? 0, rawTime: raw.ts ?? '',
      timePrecision: 'ms', kind: system ? 'system' : 'message', text, locator,
      ...(raw.ts && sentAt !== undefined ? { key: raw.ts, externalId: raw.ts } : { timeSource: 'none' as const }),
    };
    if (system) msg.systemType = SYSTEM_SUBTYPES[subtype!];
    if (subtype === 'tombstone' || subtype === 'message_deleted') msg.deleted = true;
    if (raw.thread_ts && raw.thread_ts !== raw.ts) msg.replyToKey = raw.thread_ts;
    // Only the final text is exported: there is no earlier version to keep.
    if (raw.edited) msg.edited = true;
    const attachments = this.files(raw, locator);
    if (attachments.length) msg.attachments = attachments;
    const reactions = this.reactions(raw, locator);
    if (reactions.length) msg.reactions = reactions;
    return msg;
  }

  private files(raw: SlackMessage, locator: string): AttachmentRecord[] {
    const list = [...(Array.isArray(raw.files) ? raw.files : []), ...(raw.file && typeof raw.file === 'object' && !raw.files?.some((f) => f?.id && f.id === raw.file?.id) ? [raw.file] : [])];
    return list.map((f, i): AttachmentRecord => {
      if (typeof f !== 'object' || f === null) return { name: `file-${i + 1}`, locator: `${locator} file ${i + 1}`, missingReason: 'the export names a file it does not describe' };
      const name = f.name || f.title || f.id || `file-${i + 1}`;
      const ref = { name, ...(f.mimetype ? { mime: f.mimetype } : {}), locator: `${locator} file ${f.id ?? i + 1}` };
      if (f.mode === 'tombstone') return { ...ref, missingReason: 'deleted from Slack before the export (tombstone)' };
      if (f.mode === 'hidden_by_limit') return { ...ref, missingReason: 'hidden by the workspace plan limit at export time' };
      const inside = f.id ? this.findFile(f.id, f.name) : undefined;
      if (inside) return { ...ref, size: this.src.size(inside) ?? f.size ?? 0, open: () => this.src.open(inside), locator: `${ref.locator} (${inside})` };
      const where = f.is_external ? `an external ${f.external_type || 'service'} file` : 'a file hosted by Slack';
      return { ...ref, ...(f.size ? { size: f.size } : {}), missingReason: `Slack exports hold only links: ${where}, not included in the export` };
    });
  }

  /** Files some exporters add: slackdump `__uploads/<id>/<name>`, or `<channel>/attachments/<id>-<name>`. */
  private findFile(id: string, name: string | undefined): string | undefined {
    if (name && this.src.has(`__uploads/${id}/${name}`)) return `__uploads/${id}/${name}`;
    return this.src.files.find((f) => {
      const base = f.slice(f.lastIndexOf('/') + 1);
      return (f.startsWith('__uploads/') && f.split('/')[1] === id) || (f.includes('/attachments/') && base.startsWith(`${id}-`));
    });
  }

  private reactions(raw: SlackMessage, locator: string): ReactionRecordData[] {
    if (!Array.isArray(raw.reactions)) return [];
    const out: ReactionRecordData[] = [];
    for (const r of raw.reactions) {
      if (!r.name) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'reaction without a name' });
        continue;
      }
      const value = `:${r.name}:`;
      const users = Array.isArray(r.users) ? r.users : [];
      for (const u of users) out.push({ sender: this.ws.handle(u), value });
      // `users` is capped by Slack; the rest of `count` is anonymous.
      for (let i = users.length; i < (r.count ?? users.length); i++) out.push({ sender: null, value });
    }
    return out;
  }
}

const DAY_FILE = /^(.+)\/(\d{4}-\d{2}-\d{2})\.json$/;

export const slackExport: Importer = {
  id: 'slack-export',
  name: 'Slack export (folder or zip)',
  description: 'A Slack workspace export: users.json, channels.json and one JSON file per channel per day, as the folder or the zip.',
  version: '1.0.0',

  async detect(p) {
    try {
      const st = await fs.promises.stat(p);
      if (st.isDirectory()) {
        const names = await fs.promises.readdir(p);
        return isSlackLayout(names) ? { confidence: 0.9, variant: 'folder' } : { confidence: 0 };
      }
      if (!st.isFile() || !/\.zip$/i.test(p)) return { confidence: 0 };
      const src = await openSlackSource(p);
      try {
        return isSlackLayout(src.files) ? { confidence: 0.9, variant: 'zip' } : { confidence: 0 };
      } finally {
        src.close();
      }
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    const src = await openSlackSource(p);
    try {
      const days = src.files.filter((f) => DAY_FILE.test(f));
      return { variant: src.kind, conversations: new Set(days.map((d) => d.split('/')[0])).size, hasAttachments: src.files.some((f) => f.startsWith('__uploads/')) };
    } finally {
      src.close();
    }
  },

  async estimate(p) {
    const src = await openSlackSource(p);
    try {
      return { total: src.files.filter((f) => DAY_FILE.test(f)).length };
    } finally {
      src.close();
    }
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const src = await openSlackSource(ctx.path);
    try {
      for (const w of src.warnings) ctx.warn(w);
      if (!isSlackLayout(src.files)) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is not a Slack export: users.json and channels.json (or groups/dms/mpims.json) are missing at its root.`, {
          file: ctx.path, position: 'root',
        });
      }
      const ws = new Workspace();
      const custody = (rel: string, r: { sha256: string; size: number }): ImportRecord[] =>
        src.kind === 'zip' ? [{ type: 'source-file', innerPath: rel, size: r.size, sha256: r.sha256 }] : [];
      const pendingCustody: ImportRecord[] = [];
      const index = async <T>(rel: string): Promise<T[] | undefined> => {
        if (!src.has(rel)) return undefined;
        let r: { value: T[]; sha256: string; size: number };
        try {
          r = await readJson<T[]>(src, rel);
        } catch (err) {
          throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${ctx.path}: ${rel} is not valid JSON (${jsonPosition(err)}): ${err instanceof Error ? err.message : String(err)}`, {
            file: ctx.path, position: `${rel} ${jsonPosition(err)}`,
          }, { cause: err });
        }
        if (!Array.isArray(r.value)) {
          throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${ctx.path}: ${rel} is not a JSON array.`, { file: ctx.path, position: rel });
        }
        pendingCustody.push(...custody(rel, r));
        return r.value;
      };
      for (const u of (await index<SlackUser>('users.json')) ?? []) if (u && typeof u.id === 'string') ws.addUser(u as SlackUser & { id: string });
      for (const list of LISTS) {
        for (const c of (await index<SlackChannel>(list.file)) ?? []) {
          if (!c || typeof c !== 'object') continue;
          // Folders are named after the channel (public, private, group DMs) or its id (DMs, Enterprise Grid).
          if (c.name) ws.channels.set(c.name, { meta: c, kind: list.kind });
          if (c.id) ws.channels.set(c.id, { meta: c, kind: list.kind });
        }
      }
      yield* pendingCustody.splice(0);

      const reader = new SlackReader(ctx, src, ws);
      const byFolder = new Map<string, string[]>();
      for (const f of src.files) {
        const m = DAY_FILE.exec(f);
        if (!m || m[1]!.includes('/')) continue;
        const list = byFolder.get(m[1]!) ?? [];
        list.push(f);
        byFolder.set(m[1]!, list);
      }
      let done = 0;
      let convIndex = 0;
      for (const [folder, days] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
        const key = `c${convIndex++}`;
        yield reader.conversation(folder, key);
        for (const day of days.sort()) {
          if (ctx.signal.aborted) return;
          let parsed: { value: unknown; sha256: string; size: number };
          try {
            parsed = await readJson<unknown>(src, day);
          } catch (err) {
            if (err instanceof HoldfastError) throw err;
            ctx.warn({ code: 'BAD_RECORD', locator: `${day} ${jsonPosition(err)}`, message: `day file skipped: ${err instanceof Error ? err.message : String(err)}`, skipped: true });
            continue;
          }
          yield* custody(day, parsed);
          if (!Array.isArray(parsed.value)) {
            ctx.warn({ code: 'BAD_RECORD', locator: day, message: 'day file is not a JSON array; skipped' });
            continue;
          }
          const list = parsed.value as SlackMessage[];
          for (let i = 0; i < list.length; i++) {
            const msg = reader.message(list[i]!, key, `${day}[${i}]`);
            if (msg) yield msg;
          }
          ctx.progress(++done);
        }
      }
      if (byFolder.size === 0) ctx.warn({ code: 'BAD_RECORD', locator: path.basename(ctx.path), message: 'the export holds no channel-day files' });
    } finally {
      src.close();
    }
  },
};
