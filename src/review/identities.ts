/**
 * Identities: one person (participant) across handles — phone numbers, emails, WhatsApp JIDs/LIDs,
 * Apple IDs. Ingest gives every new handle its own participant, and links the handles an address
 * book names together (ingest/identity-links.ts); reviewers link and unlink them,
 * helped by suggestions from exact normalised matches (the same E.164 number behind a phone handle
 * and a WhatsApp JID, the same address in another case) and from identical contact names.
 */
import type { HandleDTO, IdentitySuggestionDTO, ParticipantDTO, ParticipantRefDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { toE164 } from '../importers/common/handles.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseData, HandleRow } from '../case/data/interface.ts';
import { cleanIds } from './ids.ts';

function handleDto(h: HandleRow): HandleDTO {
  return { id: h.id, kind: h.kind, value: h.value, display: h.display, participantId: h.participant_id, messages: h.messages };
}

export function listIdentities(session: CaseSession, args: { participantIds?: readonly number[] } = {}): ParticipantDTO[] {
  const identities = dataOf(session).read.identities;
  const people = identities.participants(args.participantIds);
  const handles = identities.handlesOf(people.map((p) => p.id));
  const conversations = new Map(identities.conversationCounts(people.map((p) => p.id)).map((r) => [r.id, r.n]));
  const byPerson = new Map<number, HandleDTO[]>();
  for (const h of handles) {
    const list = byPerson.get(h.participant_id!) ?? [];
    list.push(handleDto(h));
    byPerson.set(h.participant_id!, list);
  }
  return people.map((p) => {
    const hs = byPerson.get(p.id) ?? [];
    return { id: p.id, name: p.name, handles: hs, messages: hs.reduce((n, h) => n + h.messages, 0), conversations: conversations.get(p.id) ?? 0 };
  });
}

function participantName(data: CaseData, id: number): string {
  const name = data.read.identities.participantName(id);
  if (name === undefined) throw new HoldfastError('NOT_FOUND', `No participant with id ${id} in this case.`, { participantId: id });
  return name;
}

function requireName(name: string): string {
  const n = name.trim();
  if (!n) throw new HoldfastError('VALIDATION', 'A participant needs a non-empty name.');
  if (n.length > 500) throw new HoldfastError('VALIDATION', 'A participant name is at most 500 characters.');
  return n;
}

function handleRows(data: CaseData, ids: readonly number[]): HandleRow[] {
  const rows = data.read.identities.handles(ids);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new HoldfastError('NOT_FOUND', `No handle with id ${missing.join(', ')} in this case.`, { missing });
  return rows;
}

/**
 * Makes `handleIds` one person: the participant `participantId`, or else the participant of the
 * first handle; `name` renames that person. Participants left with no handle are removed.
 */
export function linkHandles(session: CaseSession, args: { handleIds: readonly number[]; participantId?: number; name?: string }): ParticipantDTO {
  const data = dataOf(session);
  const ids = cleanIds(args.handleIds, 'handle');
  if (ids.length === 0) throw new HoldfastError('VALIDATION', 'Name at least one handle to link.');
  const target = data.write.transaction.run(() => {
    const rows = handleRows(data, ids);
    const targetId = args.participantId ?? rows.find((r) => r.id === args.handleIds[0])?.participant_id ?? rows[0]!.participant_id;
    if (targetId === null || targetId === undefined) throw new HoldfastError('INTERNAL', `Handle ${rows[0]!.id} has no participant.`);
    const beforeName = participantName(data, targetId);
    const name = args.name === undefined ? beforeName : requireName(args.name);
    const before = rows.map((r) => ({ handleId: r.id, kind: r.kind, value: r.value, participantId: r.participant_id, participant: r.participant_id === null ? null : participantName(data, r.participant_id) }));
    const moved = rows.filter((r) => r.participant_id !== targetId);
    if (moved.length === 0 && name === beforeName) throw new HoldfastError('VALIDATION', `Those handles already belong to participant ${targetId} (${beforeName}).`);
    data.write.identities.assignHandles(targetId, ids);
    if (name !== beforeName) data.write.identities.renameParticipant(targetId, name);
    // Participants left without any handle go; the audit entry names them.
    const removed: ParticipantRefDTO[] = data.write.identities.dropEmptyParticipants(moved.map((r) => r.participant_id).filter((p): p is number => p !== null));
    appendAudit(dataOf(session), session.actor, 'identity.link', {
      participantId: targetId,
      before: { handles: before, name: beforeName },
      after: { participantId: targetId, name, handleIds: ids },
      removedParticipants: removed,
    });
    return targetId;
  });
  return listIdentities(session, { participantIds: [target] })[0]!;
}

/** Gives `handleId` a participant of its own (named `name`, or after the handle). */
export function unlinkHandle(session: CaseSession, args: { handleId: number; name?: string }): ParticipantDTO {
  const data = dataOf(session);
  const created = data.write.transaction.run(() => {
    const [row] = handleRows(data, cleanIds([args.handleId], 'handle'));
    const from = row!.participant_id;
    const others = from === null ? 0 : data.read.identities.otherHandles(from, row!.id);
    if (from !== null && others === 0) throw new HoldfastError('VALIDATION', `Handle ${row!.id} is the only handle of participant ${from}; there is nothing to unlink it from.`);
    const name = args.name === undefined ? (row!.display ?? row!.value) : requireName(args.name);
    const id = data.write.identities.createParticipant(name, Date.now());
    data.write.identities.moveHandle(row!.id, id);
    appendAudit(dataOf(session), session.actor, 'identity.unlink', {
      handleId: row!.id,
      handle: { kind: row!.kind, value: row!.value },
      before: { participantId: from, participant: from === null ? null : participantName(data, from) },
      after: { participantId: id, participant: name },
    });
    return id;
  });
  return listIdentities(session, { participantIds: [created] })[0]!;
}

export function renameParticipant(session: CaseSession, args: { participantId: number; name: string }): ParticipantDTO {
  const data = dataOf(session);
  const name = requireName(args.name);
  data.write.transaction.run(() => {
    const before = participantName(data, args.participantId);
    if (before === name) return;
    data.write.identities.renameParticipant(args.participantId, name);
    appendAudit(dataOf(session), session.actor, 'identity.rename', { participantId: args.participantId, before: { name: before }, after: { name } });
  });
  return listIdentities(session, { participantIds: [args.participantId] })[0]!;
}

/** The exact identity a handle carries, normalised: `tel:+E164` or `mailto:address`; none for opaque ids (WhatsApp LIDs). */
export function identityKey(kind: string, value: string): { reason: 'same-phone' | 'same-email'; key: string } | undefined {
  const v = value.trim();
  const phone = (text: string) => {
    const e164 = toE164(text);
    return e164 ? { reason: 'same-phone' as const, key: `tel:${e164}` } : undefined;
  };
  const email = (text: string) => ({ reason: 'same-email' as const, key: `mailto:${text.toLowerCase()}` });
  switch (kind) {
    case 'phone':
      return phone(v.startsWith('+') ? v : `+${v}`) ?? phone(v);
    case 'email':
      return v.includes('@') ? email(v) : undefined;
    case 'apple-id':
      return v.includes('@') ? email(v) : phone(v);
    case 'wa-jid': {
      // 447700900123@s.whatsapp.net, 447700900123:12@s.whatsapp.net (a linked device), 447700900123@c.us; groups (@g.us) are not people.
      const m = /^(\d{6,15})(?::\d+)?@(s\.whatsapp\.net|c\.us)$/i.exec(v);
      return m ? phone(`+${m[1]}`) : undefined;
    }
    case 'telegram':
    case 'other':
      return /^\+\d{6,15}$/.test(v) ? phone(v) : v.includes('@') && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? email(v) : undefined;
    default:
      return undefined;
  }
}

/** Contact names compared for suggestions: Unicode-normalised, case-folded, spacing collapsed; numbers are not names. */
export function nameKey(name: string | null): string | undefined {
  if (!name) return undefined;
  const k = name.normalize('NFKC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().replace(/\s+/g, ' ').toLocaleLowerCase('und');
  if (k.length < 2 || /^[+\d\s().-]+$/.test(k)) return undefined;
  return k;
}

/** Pairs of participants that look like one person, strongest evidence first; nothing already linked. */
export function suggestIdentities(session: CaseSession): IdentitySuggestionDTO[] {
  const identities = dataOf(session).read.identities;
  const handles = identities.linkedHandles();
  const names = new Map(identities.participantNames());
  const groups = new Map<string, { reason: IdentitySuggestionDTO['reason']; key: string; handles: HandleRow[] }>();
  const add = (reason: IdentitySuggestionDTO['reason'], key: string, h: HandleRow) => {
    const id = `${reason}\u001f${key}`;
    const g = groups.get(id) ?? { reason, key, handles: [] };
    if (!g.handles.includes(h)) g.handles.push(h);
    groups.set(id, g);
  };
  for (const h of handles) {
    const exact = identityKey(h.kind, h.value);
    if (exact) add(exact.reason, exact.key.replace(/^(tel|mailto):/, ''), h);
    for (const n of new Set([nameKey(h.display), h.kind === 'name' ? nameKey(h.value) : undefined, nameKey(names.get(h.participant_id!) ?? null)])) {
      if (n) add('same-name', n, h);
    }
  }
  const rank = { 'same-phone': 0, 'same-email': 0, 'same-name': 1 };
  const seen = new Set<string>();
  const out: IdentitySuggestionDTO[] = [];
  for (const g of [...groups.values()].sort((a, b) => rank[a.reason] - rank[b.reason] || a.key.localeCompare(b.key))) {
    const people = [...new Set(g.handles.map((h) => h.participant_id!))].sort((a, b) => a - b);
    if (people.length < 2) continue;
    // The same set of people suggested by stronger evidence already: say it once.
    const set = people.join(',');
    if (seen.has(set)) continue;
    seen.add(set);
    out.push({
      reason: g.reason,
      key: g.key,
      participants: people.map((id) => ({ id, name: names.get(id) ?? '' })),
      handles: g.handles.map(handleDto),
    });
  }
  return out;
}
