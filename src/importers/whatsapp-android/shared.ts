/** What the current and the legacy msgstore readers share: names, the owner, message bodies. */
import { Readable } from 'node:stream';
import type { AttachmentRecord, HandleRef, ImportWarning } from '../types.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { handleForJid, jidLabel, parseJid } from '../whatsapp-db/jid.ts';
import type { ContactNames } from './contacts.ts';

export interface MediaRequest {
  filePath: string | null;
  name: string | null;
  mime: string | null;
  size: number | null;
  locator: string;
}

export interface AndroidReadContext {
  db: MemoryDb;
  names: ContactNames;
  /** Locator prefix: the database's inner path ("msgstore.db"). */
  label: string;
  /** Attachment for a media row: opens the file from the Media folder, or says why it is missing. */
  media(req: MediaRequest): AttachmentRecord;
  warn(w: ImportWarning): void;
  signal: AbortSignal;
}

/** Android message_type values (same in the legacy media_wa_type). */
export const TYPE = {
  text: 0, image: 1, audio: 2, video: 3, contact: 4, location: 5, system: 7, document: 9, missedCall: 10, waiting: 11,
  gif: 13, contactArray: 14, revoked: 15, liveLocation: 16, sticker: 20, disappearingSet: 36, viewOnceImage: 42,
  viewOnceVideo: 43, viewOnceAudio: 82, videoCall: 90, album: 99,
} as const;

export const MEDIA_TYPES: ReadonlySet<number> = new Set([
  TYPE.image, TYPE.audio, TYPE.video, TYPE.document, TYPE.gif, TYPE.sticker, TYPE.viewOnceImage, TYPE.viewOnceVideo, TYPE.viewOnceAudio,
]);

export function nameOf(names: ContactNames, jid: string | null | undefined): string | undefined {
  if (!jid) return undefined;
  const bare = parseJid(jid)?.bare ?? jid;
  return names.get(bare);
}

export interface Owner {
  handle: HandleRef;
  label: string;
  /** The owner's own bare JID, when the database reveals it. */
  jid: string | undefined;
}

/**
 * The device owner. msgstore.db does not store the owner's own JID; it shows when the owner was
 * added to a group (the participant of a "joined" event with is_me_joined = 1). The profile name is
 * in `props.user_push_name`.
 */
export function findOwner(db: MemoryDb, names: ContactNames, ownJid: string | undefined): Owner {
  let pushName: string | undefined;
  try {
    const row = db.prepare(`SELECT value FROM props WHERE key = 'user_push_name'`).get() as { value: string | null } | undefined;
    pushName = row?.value?.trim() || undefined;
  } catch {
    // props is absent from reduced or very old databases.
  }
  if (ownJid) {
    const jid = parseJid(ownJid)?.bare ?? ownJid;
    return { handle: handleForJid(jid, pushName ?? nameOf(names, jid)), label: pushName ?? nameOf(names, jid) ?? jidLabel(jid), jid };
  }
  const label = pushName ?? 'Device owner';
  return { handle: { kind: 'name', value: label, display: label }, label, jid: undefined };
}

/** Handles and display labels of the people in the database (the owner included). */
export class People {
  readonly names: ContactNames;
  readonly owner: Owner;

  constructor(names: ContactNames, owner: Owner) {
    this.names = names;
    this.owner = owner;
  }

  isOwner(jid: string | null | undefined): boolean {
    return !!jid && !!this.owner.jid && (parseJid(jid)?.bare ?? jid) === this.owner.jid;
  }

  handle(jid: string): HandleRef {
    return this.isOwner(jid) ? this.owner.handle : handleForJid(jid, nameOf(this.names, jid));
  }

  label(jid: string): string {
    if (this.isOwner(jid)) return this.owner.label;
    return nameOf(this.names, jid) ?? jidLabel(parseJid(jid)?.bare ?? jid);
  }
}

export function locationText(place: string | null, address: string | null, lat: number | null, lon: number | null, url: string | null): string {
  const parts = [place, address].filter((s): s is string => !!s?.trim());
  const coords = lat !== null && lon !== null && (lat !== 0 || lon !== 0) ? `(${lat}, ${lon})` : '';
  return ['Location:', parts.join(', '), coords, url ?? ''].filter(Boolean).join(' ');
}

/** A shared contact card, kept as a .vcf attachment (it lives in the database, not in Media/). */
export function vcardAttachment(vcard: string, index: number, locator: string): AttachmentRecord {
  const fn = /^FN[^:]*:(.*)$/m.exec(vcard)?.[1]?.trim();
  const base = (fn || `contact-${index + 1}`).replace(/[\\/:*?"<>|]+/g, '_');
  const bytes = Buffer.from(vcard, 'utf8');
  return { name: `${base}.vcf`, mime: 'text/vcard', size: bytes.length, open: async () => Readable.from([bytes]), locator };
}
