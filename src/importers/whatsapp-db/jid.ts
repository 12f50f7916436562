/**
 * WhatsApp JIDs (Jabber ids) as Holdfast handles and conversation kinds, shared by the iOS and
 * Android database readers.
 *   NUMBER@s.whatsapp.net (older: @c.us)  a phone account → phone handle in E.164
 *   NUMBER:DEVICE@s.whatsapp.net          one device of that account (the device part is dropped)
 *   ID@lid                                a privacy "linked id": NOT a phone number → wa-lid handle
 *   ID@g.us / NUMBER-TIME@g.us            a group
 *   ID@broadcast, status@broadcast        a broadcast list / status updates
 *   ID@newsletter                         a channel
 */
import { toE164 } from '../common/handles.ts';
import type { ConversationRecord, HandleRef } from '../types.ts';

export interface ParsedJid {
  user: string;
  server: string;
  /** The JID without a device suffix, lower-cased server. */
  bare: string;
}

export function parseJid(jid: string): ParsedJid | undefined {
  const at = jid.lastIndexOf('@');
  if (at <= 0 || at === jid.length - 1) return undefined;
  const server = jid.slice(at + 1).trim().toLowerCase();
  let user = jid.slice(0, at).trim();
  if (server === 's.whatsapp.net' || server === 'c.us' || server === 'lid') user = user.replace(/[:.].*$/, '');
  return { user, server, bare: `${user}@${server}` };
}

export function isGroupJid(jid: string | null | undefined): boolean {
  return !!jid && parseJid(jid)?.server === 'g.us';
}

export function conversationKind(jid: string): ConversationRecord['kind'] {
  const server = parseJid(jid)?.server;
  if (server === 'g.us') return 'group';
  if (server === 'broadcast' || server === 'newsletter') return 'channel';
  return 'direct';
}

/** The handle of a person's JID: a phone number when the JID is one, otherwise the JID itself. */
export function handleForJid(jid: string, display?: string | null): HandleRef {
  const p = parseJid(jid);
  const d = display?.trim() ? { display: display.trim() } : {};
  if (!p) return { kind: 'wa-jid', value: jid.trim(), ...d };
  if (p.server === 'lid') return { kind: 'wa-lid', value: p.bare, ...d };
  if ((p.server === 's.whatsapp.net' || p.server === 'c.us') && /^\d{5,}$/.test(p.user)) {
    const e164 = toE164(`+${p.user}`);
    if (e164) return { kind: 'phone', value: e164, ...d };
  }
  return { kind: 'wa-jid', value: p.bare, ...d };
}

/** What the reviewer sees for a JID when no name is known: "+44 7700 900123" style or the JID. */
export function jidLabel(jid: string): string {
  const h = handleForJid(jid);
  return h.kind === 'phone' ? h.value : jid;
}

/** Whole seconds (or fractions) since 2001-01-01 UTC, Apple's Core Data epoch, as UTC ms. */
export const APPLE_EPOCH_S = 978_307_200;
