/**
 * The coding of a message as offline check-in compares it: one value per slot. A slot is a tag group
 * (`group:ID`: the group's tags on the message), a tag in no group (`tag:ID`), a coding field
 * (`field:ID`: its value) or the review mark (`review`). Values are compared whole: "later wins per tag
 * group" means one side's whole choice in the group, never a mixture of both.
 */
import { createHash } from 'node:crypto';
import type { CaseData, TagRow } from '../../../case/data/interface.ts';

/** Tag ids (ascending) for a tag slot, the value for a field, true for a review mark; an empty slot is absent. */
export type SlotValue = number[] | string | true;

/** Each message's slots that hold something, by message id then slot. */
export type Coding = Map<number, Map<string, SlotValue>>;

/** A privilege basis per message and tag id, as `${messageId}:${tagId}`. */
export type Bases = Map<string, string | null>;

export const slotOfTag = (t: Pick<TagRow, 'id' | 'group_id'>): string => (t.group_id === null ? `tag:${t.id}` : `group:${t.group_id}`);

export const sameValue = (a: SlotValue | undefined, b: SlotValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The coding of `ids` now, with the privilege bases of their tags. */
export function codingOf(data: CaseData, ids: readonly number[]): { coding: Coding; bases: Bases } {
  const coding: Coding = new Map(ids.map((id) => [id, new Map()]));
  const bases: Bases = new Map();
  const put = (id: number, slot: string, add: (v: SlotValue | undefined) => SlotValue) => {
    const slots = coding.get(id)!;
    slots.set(slot, add(slots.get(slot)));
  };
  for (const tag of data.read.tagging.withCounts()) {
    if (!tag.messages) continue;
    for (const t of data.read.tagging.taggings(tag.id, ids)) {
      put(t.messageId, slotOfTag(tag), (v) => [...((v as number[] | undefined) ?? []), tag.id].sort((a, b) => a - b));
      if (t.basis !== null) bases.set(`${t.messageId}:${tag.id}`, t.basis);
    }
  }
  for (const field of data.read.fields.all()) {
    for (const [id, value] of data.read.fields.valuesOf(field.id, ids)) put(id, `field:${field.id}`, () => value);
  }
  for (const id of data.read.reviewMarks.marked(ids)) put(id, 'review', () => true);
  return { coding, bases };
}

/** Coding as JSON for a manifest: { messageId: { slot: value } }, messages with nothing left out. */
export function codingJson(coding: Coding): Record<string, Record<string, SlotValue>> {
  const out: Record<string, Record<string, SlotValue>> = {};
  for (const [id, slots] of coding) if (slots.size) out[id] = Object.fromEntries(slots);
  return out;
}

export function codingFromJson(json: Record<string, Record<string, SlotValue>>, ids: readonly number[]): Coding {
  return new Map(ids.map((id) => [id, new Map(Object.entries(json[id] ?? {}))]));
}

export const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Who last touched a slot of a message, and when, as the audit log says. */
export interface Touch {
  by: string;
  at: number;
}

/** Any tag slot of the message (a `tag.undo` entry names messages, not tags). */
const ANY_TAG = 'tags:*';

interface EntryDetails {
  tag?: { id: number };
  tagId?: number;
  messageIds?: number[];
  field?: { id: number };
  changes?: { messageId: number }[];
  before?: { messages?: { messageId: number }[] } | null;
}

/** The (message, slot) pairs an audit entry changed, for the actions that change coding. */
function touchedBy(action: string, detailsJson: string, tagSlot: (tagId: number) => string): [number, string][] {
  if (!/^(tag\.(apply|remove|basis|undo|delete)|review\.(mark|unmark)|field\.set)$/.test(action)) return [];
  const d = JSON.parse(detailsJson) as EntryDetails;
  switch (action) {
    case 'tag.undo':
      return (d.messageIds ?? []).map((id) => [id, ANY_TAG]);
    case 'tag.delete':
      return (d.before?.messages ?? []).map((t) => [t.messageId, tagSlot(d.tagId!)]);
    case 'review.mark':
    case 'review.unmark':
      return (d.messageIds ?? []).map((id) => [id, 'review']);
    case 'field.set':
      return (d.changes ?? []).map((c) => [c.messageId, `field:${d.field!.id}`]);
    default:
      return (d.messageIds ?? []).map((id) => [id, tagSlot(d.tag!.id)]);
  }
}

/** The last touch of every (message, slot) by the entries after audit entry `afterSeq`. */
export function lastTouches(data: CaseData, afterSeq: number, tagSlot: (tagId: number) => string): Map<string, Touch> {
  const out = new Map<string, Touch>();
  for (const e of data.read.audit.after(afterSeq, undefined, -1)) {
    for (const [id, slot] of touchedBy(e.action, e.details, tagSlot)) {
      const key = `${id} ${slot}`;
      const was = out.get(key);
      if (!was || was.at <= e.at) out.set(key, { by: e.actor, at: e.at });
    }
  }
  return out;
}

/** The touch of a slot: its own, or a `tag.undo` of the message for a tag slot, whichever is later. */
export function touchOf(touches: Map<string, Touch>, messageId: number, slot: string): Touch | undefined {
  const own = touches.get(`${messageId} ${slot}`);
  const undo = slot.startsWith('field:') || slot === 'review' ? undefined : touches.get(`${messageId} ${ANY_TAG}`);
  if (!own) return undo;
  if (!undo) return own;
  return undo.at > own.at ? undo : own;
}

/** `${messageId}:${tagId}` of every privilege basis changed on a tag the message kept, by the entries after `afterSeq`. */
export function rebasedAfter(data: CaseData, afterSeq: number): Set<string> {
  const out = new Set<string>();
  for (const e of data.read.audit.after(afterSeq, undefined, -1)) {
    if (e.action !== 'tag.basis') continue;
    const d = JSON.parse(e.details) as EntryDetails;
    for (const id of d.messageIds ?? []) out.add(`${id}:${d.tag!.id}`);
  }
  return out;
}

/** A tag's slot by id, from the case's tags (a tag deleted since is a slot of its own). */
export function tagSlots(data: CaseData): (tagId: number) => string {
  const slots = new Map(data.read.tagging.withCounts().map((t) => [t.id, slotOfTag(t)]));
  return (tagId) => slots.get(tagId) ?? `tag:${tagId}`;
}
