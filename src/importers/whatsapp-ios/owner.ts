/**
 * The owner of a WhatsApp for iOS database. ChatStorage.sqlite does not hold it; the app's group
 * preferences (`Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist`, older:
 * `net.whatsapp.WhatsApp.plist`) keep `OwnJabberID` (or `LastOwnJabberID`) and `FullUserName`.
 */
import type { HandleRef } from '../types.ts';
import { isDict, parsePlist, str } from '../ios-backup/plist.ts';
import { handleForJid, jidLabel } from '../whatsapp-db/jid.ts';

export interface WhatsAppOwner {
  handle: HandleRef;
  label: string;
}

export const PREFS_PATHS = [
  'Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist',
  'Library/Preferences/group.net.whatsapp.WhatsAppSMB.shared.plist',
  'Library/Preferences/net.whatsapp.WhatsApp.plist',
];

/** The owner named by a preferences plist, or undefined when it names none (or is unreadable). */
export function ownerFromPrefs(bytes: Buffer): WhatsAppOwner | undefined {
  let prefs;
  try {
    prefs = parsePlist(bytes);
  } catch {
    return undefined;
  }
  if (!isDict(prefs)) return undefined;
  const jid = str(prefs, 'OwnJabberID') ?? str(prefs, 'LastOwnJabberID');
  if (!jid) return undefined;
  const full = jid.includes('@') ? jid : `${jid}@s.whatsapp.net`;
  const name = str(prefs, 'FullUserName')?.trim();
  return { handle: handleForJid(full, name), label: name || jidLabel(full) };
}

/** When nothing names the owner: a handle that says so rather than a guess. */
export function unknownOwner(hint: string): WhatsAppOwner {
  return { handle: { kind: 'other', value: `device-owner:${hint}`, display: 'Device owner' }, label: 'Device owner' };
}
