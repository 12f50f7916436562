/**
 * The two message hashes (see docs/SCHEMA.md):
 * - fingerprint: which message this is, whatever file it came in (dedupe across overlapping exports);
 * - content hash: the stored fields, recomputed by `verify` to detect edits made behind the app's back.
 */
import { hash } from 'node:crypto';

const SEP = '\u001f';

export interface FingerprintInput {
  platform: string;
  conversationExternalId: string;
  externalId?: string | undefined;
  senderKey: string;
  sentAt: number;
  kind: string;
  text: string;
  /** Nth identical message at the same (coarse) timestamp in one source. */
  ordinal: number;
}

export function messageFingerprint(m: FingerprintInput): string {
  // crypto.hash: one call per message, about half the cost of a Hash object for inputs this small.
  const input = m.externalId
    ? ['id', m.platform, m.conversationExternalId, m.externalId].join(SEP)
    : ['msg', m.platform, m.conversationExternalId, m.senderKey, String(m.sentAt), m.kind, m.text, String(m.ordinal)].join(SEP);
  return hash('sha256', input, 'hex').slice(0, 32);
}

/**
 * The indexed lookup key of a fingerprint (not unique by itself; dedupe compares the full
 * fingerprint of the rows it finds). A fingerprint made from the send time (no external id) keys
 * by that minute followed by 24 bits of the hash: a source is read roughly in time order, so its
 * inserts land on the last pages of the index instead of on random pages, which at a million
 * messages made every commit rewrite most of the index. A fingerprint made from an external id
 * cannot use the time (two sources may record one message's time at different precisions) and
 * keys by its first 52 bits. Both fit a safe integer.
 */
export function fingerprintKey(fingerprint: string, timeBased: { sentAt: number } | null): number {
  if (!timeBased) return parseInt(fingerprint.slice(0, 13), 16);
  return Math.floor(timeBased.sentAt / 60_000) * 2 ** 24 + parseInt(fingerprint.slice(0, 6), 16);
}

/** The stored fields a content hash covers, exactly as they sit in the messages row. */
export interface StoredMessageFields {
  conversation_id: number;
  sender_handle_id: number | null;
  sent_at: number;
  raw_time: string;
  kind: string;
  system_type: string | null;
  text: string;
  subject: string | null;
  edited: number;
  deleted: number;
  direction: string;
  forwarded_from: string | null;
  external_id: string | null;
  fingerprint: string;
  source_id: number;
  locator: string;
}

export function messageContentHash(m: StoredMessageFields): string {
  const parts = [
    m.conversation_id, m.sender_handle_id ?? '', m.sent_at, m.raw_time, m.kind, m.system_type ?? '', m.text, m.subject ?? '',
    m.edited, m.deleted, m.direction, m.forwarded_from ?? '', m.external_id ?? '', m.fingerprint, m.source_id, m.locator,
  ];
  return hash('sha256', parts.map(String).join(SEP), 'hex');
}
