/**
 * RSMF manifest (1.0 / 2.0) → normalised records. The manifest is checked as it is read: a record
 * that breaks the schema is a warning (with the JSON path) and is read as far as it makes sense;
 * a manifest without its required top-level arrays is unusable.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type {
  AttachmentRecord, ConversationRecord, HandleRef, ImportContext, ImportRecord, MessageRecord, ReactionRecordData,
} from '../types.ts';

interface Participant {
  id?: unknown;
  display?: string;
  email?: string;
  account_id?: string;
}

interface Conversation {
  id?: unknown;
  display?: string;
  platform?: string;
  type?: string;
  participants?: unknown[];
}

interface RsmfEvent {
  id?: unknown;
  type?: string;
  parent?: unknown;
  body?: string;
  participant?: unknown;
  conversation?: unknown;
  timestamp?: string;
  deleted?: boolean;
  importance?: string;
  direction?: string;
  reactions?: { value?: string; count?: number; participants?: unknown[] }[];
  attachments?: { id?: string; display?: string; size?: number }[];
  attachment?: string;
  edits?: { participant?: unknown; timestamp?: string; previous?: string; new?: string }[];
  read_receipts?: unknown[];
}

export interface Manifest {
  version?: string;
  eventcollectionid?: string;
  participants?: Participant[];
  conversations?: Conversation[];
  events?: RsmfEvent[];
}

/** What the manifest's attachments are read from (the zip, or the manifest's folder). */
export interface RsmfFiles {
  has(name: string): boolean;
  size(name: string): number | undefined;
  open(name: string): Promise<Readable>;
  /** Why a named file is not available, when the container knows (a rejected zip entry). */
  whyMissing(name: string): string | undefined;
}

const SYSTEM: Record<string, string> = { join: 'join', leave: 'leave', disclaimer: 'disclaimer', history: 'history', unknown: 'other' };

/** Ids must be strings; numbers are accepted (warned) as their decimal text. */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** ISO 8601; a time without an offset is UTC (RSMF's convention). */
export function rsmfTime(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(ts.trim());
  if (!m) return undefined;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
  if (new Date(t).getUTCDate() !== Number(m[3]) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const z = m[8];
  if (z && z !== 'Z') {
    const digits = z.replace(':', '');
    t -= (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  }
  return t;
}

export function* manifestRecords(manifest: Manifest, files: RsmfFiles, ctx: ImportContext): Generator<ImportRecord> {
  const warn = (locator: string, message: string, code: 'BAD_RECORD' | 'BAD_DATE' | 'UNKNOWN_TARGET' | 'UNSUPPORTED_FEATURE' = 'BAD_RECORD') =>
    ctx.warn({ code, locator, message });

  const people = new Map<string, HandleRef>();
  (manifest.participants ?? []).forEach((p, i) => {
    const loc = `participants[${i}]`;
    if (!p || typeof p !== 'object') return warn(loc, 'participant is not an object');
    const id = idOf(p.id);
    if (!id) return warn(loc, 'participant has no id');
    if (typeof p.id !== 'string') warn(loc, `participant id ${JSON.stringify(p.id)} is not a string (schema); read as "${id}"`);
    const display = p.display || undefined;
    const ref: HandleRef = p.email
      ? { kind: 'email', value: p.email.toLowerCase() }
      : p.account_id
        ? { kind: 'other', value: p.account_id }
        : { kind: 'name', value: display ?? `participant ${id}` };
    people.set(id, display ? { ...ref, display } : ref);
  });
  const person = (v: unknown, loc: string): HandleRef | null => {
    const id = idOf(v);
    if (id === undefined) return null;
    const found = people.get(id);
    if (!found) {
      warn(loc, `participant "${id}" is not defined in participants`, 'UNKNOWN_TARGET');
      return { kind: 'name', value: `rsmf participant ${id}`, display: `participant ${id}` };
    }
    return found;
  };

  const convKeys = new Set<string>();
  for (const [i, c] of (manifest.conversations ?? []).entries()) {
    const loc = `conversations[${i}]`;
    const id = c && typeof c === 'object' ? idOf(c.id) : undefined;
    if (!id) {
      warn(loc, 'conversation has no id; skipped');
      continue;
    }
    if (!c.platform) warn(loc, 'conversation has no platform (required)');
    const members = (Array.isArray(c.participants) ? c.participants : []).map((p, j) => person(p, `${loc}.participants[${j}]`)).filter((h): h is HandleRef => h !== null);
    const identity = createHash('sha256')
      .update(JSON.stringify([c.platform ?? '', id, c.display ?? '', members.map((m) => `${m.kind}:${m.value}`).sort()]))
      .digest('hex')
      .slice(0, 16);
    convKeys.add(id);
    const record: ConversationRecord = {
      type: 'conversation', key: id, platform: (c.platform ?? 'rsmf').toLowerCase(),
      // Conversation ids are only unique within a manifest: a collection id (shared by RSMFs of one conversation) or a
      // digest of what identifies the conversation keeps unrelated "C1"s apart.
      externalId: manifest.eventcollectionid ? `${manifest.eventcollectionid}/${id}` : `rsmf:${identity}`,
      kind: c.type === 'direct' ? (members.length > 2 ? 'group' : 'direct') : 'channel',
      name: c.display ?? id, members: members.map((handle) => ({ handle })), locator: loc,
    };
    yield record;
  }

  let receiptsNoted = false;
  for (const [i, e] of (manifest.events ?? []).entries()) {
    const loc = `events[${i}]`;
    if (!e || typeof e !== 'object') {
      warn(loc, 'event is not an object');
      continue;
    }
    const conv = idOf(e.conversation);
    if (!conv || !convKeys.has(conv)) {
      warn(loc, `event refers to conversation "${conv ?? ''}", which is not defined; skipped`, 'UNKNOWN_TARGET');
      continue;
    }
    const sentAt = rsmfTime(e.timestamp);
    if (sentAt === undefined) {
      warn(loc, `timestamp "${e.timestamp ?? ''}" is not ISO 8601; event skipped`, 'BAD_DATE');
      continue;
    }
    const type = e.type ?? 'message';
    if (type !== 'message' && !(type in SYSTEM)) warn(loc, `unknown event type "${type}"; kept as a system event`);
    const sender = person(e.participant, `${loc}.participant`);
    const system = type !== 'message';
    const body = typeof e.body === 'string' ? e.body : '';
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv, sender, direction: e.direction === 'incoming' ? 'in' : e.direction === 'outgoing' ? 'out' : 'unknown',
      sentAt, rawTime: e.timestamp!, timePrecision: /\.\d/.test(e.timestamp!) ? 'ms' : /T\d\d:\d\d:\d\d/.test(e.timestamp!) ? 'second' : 'minute',
      kind: system ? 'system' : 'message',
      text: system && !body ? `${sender?.display ?? sender?.value ?? 'someone'} ${type === 'join' ? 'joined' : type === 'leave' ? 'left' : type}` : body,
      locator: loc,
    };
    if (system) msg.systemType = SYSTEM[type] ?? type;
    const id = idOf(e.id);
    if (id) {
      msg.externalId = id;
      msg.key = id;
    }
    const parent = idOf(e.parent);
    if (parent) msg.replyToKey = parent;
    if (e.deleted === true) msg.deleted = true;
    if (Array.isArray(e.edits) && e.edits.length) {
      const edits = e.edits.filter((x) => x && typeof x === 'object');
      msg.edited = true;
      msg.edits = edits
        .map((x) => ({ at: rsmfTime(x.timestamp), text: x.previous ?? '' }))
        .map((x) => (x.at === undefined ? { text: x.text } : { at: x.at, text: x.text }));
    }
    if (Array.isArray(e.reactions)) {
      const reactions: ReactionRecordData[] = [];
      e.reactions.forEach((r, j) => {
        if (!r?.value) return warn(`${loc}.reactions[${j}]`, 'reaction without a value');
        const who = Array.isArray(r.participants) ? r.participants : [];
        for (const [k, p] of who.entries()) reactions.push({ sender: person(p, `${loc}.reactions[${j}].participants[${k}]`), value: r.value });
        for (let n = who.length; n < (r.count ?? who.length); n++) reactions.push({ sender: null, value: r.value });
      });
      if (reactions.length) msg.reactions = reactions;
    }
    const refs = [...(Array.isArray(e.attachments) ? e.attachments : [])];
    if (typeof e.attachment === 'string') {
      warn(loc, '"attachment" is not an RSMF field (the schema has an "attachments" array); read as one attachment');
      refs.push({ id: e.attachment });
    }
    const attachments: AttachmentRecord[] = [];
    refs.forEach((a, j) => {
      if (!a?.id) return warn(`${loc}.attachments[${j}]`, 'attachment without an id');
      const name = a.display || a.id;
      const base = { name, locator: `${loc}.attachments[${j}] ${a.id}` };
      if (files.has(a.id)) attachments.push({ ...base, size: files.size(a.id) ?? a.size ?? 0, open: () => files.open(a.id!) });
      else attachments.push({ ...base, ...(a.size ? { size: a.size } : {}), missingReason: files.whyMissing(a.id) ?? `${a.id} is not in the RSMF container` });
    });
    if (attachments.length) msg.attachments = attachments;
    if (e.importance === 'high') msg.subject = '[importance: high]';
    if (Array.isArray(e.read_receipts) && e.read_receipts.length && !receiptsNoted) {
      receiptsNoted = true;
      warn(loc, 'read receipts are not kept (no place for them in the case yet)', 'UNSUPPORTED_FEATURE');
    }
    yield msg;
  }
}
