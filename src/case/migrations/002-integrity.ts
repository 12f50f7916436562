import type { Migration } from './types.ts';
import type { DB } from '../data/sqlcipher/connection.ts';
import { appendAudit } from '../audit.ts';
import { messageContentHash } from '../message-hash.ts';
import type { StoredMessageFields } from '../message-hash.ts';
import { dataOfConnection } from '../data/index.ts';

/** 2100-01-01 UTC: the end of the range src/importers/time-range.ts accepts. */
const LATEST_TIME_MS = 4102444800000;

/**
 * Earlier versions stored any digits a source gave as a time; one no Date can hold made listing and
 * producing fail for good. Such a message gets the unknown time (0; raw_time keeps what the source
 * said) and a recomputed content hash — only when its stored hash still matched, so an edit made
 * behind the application's back stays visible to verify — and the change is audited.
 */
function repairStoredTimes(db: DB): void {
  const rows = db.prepare('SELECT * FROM messages WHERE sent_at < 0 OR sent_at >= ? ORDER BY id').all(LATEST_TIME_MS) as (StoredMessageFields & { id: number; content_sha256: string })[];
  const repaired: { id: number; sentAt: number; rawTime: string }[] = [];
  for (const r of rows) {
    if (messageContentHash(r) !== r.content_sha256) continue;
    db.prepare('UPDATE messages SET sent_at = 0, content_sha256 = ? WHERE id = ?').run(messageContentHash({ ...r, sent_at: 0 }), r.id);
    repaired.push({ id: r.id, sentAt: r.sent_at, rawTime: r.raw_time });
  }
  if (repaired.length) appendAudit(dataOfConnection(db), 'holdfast', 'messages.time-unknown', { reason: 'stored time outside 1970–2099', messages: repaired });
}

/** Held rows: those an active legal hold covers (the SQL every hold trigger below shares). */
const held = (messageId: string) =>
  `EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id WHERE hi.message_id = ${messageId} AND h.released_at IS NULL)`;
/** Rows an import run still in progress wrote: its own rollback may remove them. */
const ofRunningImport = (runId: string) => `EXISTS (SELECT 1 FROM import_runs r WHERE r.id = ${runId} AND r.status = 'running')`;
const heldBlob = (sha: string) =>
  `EXISTS (SELECT 1 FROM attachments a JOIN hold_items hi ON hi.message_id = a.message_id JOIN holds h ON h.id = hi.hold_id WHERE a.sha256 = ${sha} AND h.released_at IS NULL)`;
const refuse = (what: string) => `SELECT RAISE(ABORT, 'HOLD_VIOLATION: ${what} is under an active legal hold and cannot be removed or changed');`;

/**
 * Integrity a passphrase holder cannot quietly undo by mistake (and the flag for unusable times):
 * - the case's Ed25519 signing key (one row, never changed or removed), which signs production
 *   manifests; the row lives inside the encrypted case;
 * - legal holds enforced by the database as well as by the application: deleting or changing a held
 *   message, its occurrences, attachments, attachment contents or hold items, or deleting an active
 *   hold, aborts whatever path tried it. The application checks first and explains; these catch
 *   any path that forgot to.
 */
export const integrity: Migration = {
  version: 2,
  name: 'integrity',
  before: repairStoredTimes,
  up: `
-- A time the source gave but that is no usable time (src/importers/time-range.ts): sent_at is 0 and
-- raw_time holds what the source said. Rows an earlier version stored out of range are flagged here.
ALTER TABLE messages ADD COLUMN time_unknown INTEGER NOT NULL DEFAULT 0;
-- 0 is what repairStoredTimes gave them (no source records a message at 1970-01-01T00:00:00.000).
UPDATE messages SET time_unknown = 1 WHERE sent_at = 0;

CREATE TABLE signing_key(
  id INTEGER PRIMARY KEY CHECK (id = 1), algorithm TEXT NOT NULL CHECK (algorithm = 'Ed25519'),
  public_key BLOB NOT NULL, private_key BLOB NOT NULL, fingerprint TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
CREATE TRIGGER signing_key_no_update BEFORE UPDATE ON signing_key BEGIN SELECT RAISE(ABORT, 'the signing key cannot be changed'); END;
CREATE TRIGGER signing_key_no_delete BEFORE DELETE ON signing_key BEGIN SELECT RAISE(ABORT, 'the signing key cannot be removed'); END;

CREATE TRIGGER hold_messages_no_delete BEFORE DELETE ON messages WHEN ${held('OLD.id')}
BEGIN ${refuse('the message')} END;
CREATE TRIGGER hold_messages_no_update
  BEFORE UPDATE OF conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
    direction, forwarded_from, external_id, fingerprint, content_sha256, source_id, locator ON messages
  WHEN ${held('OLD.id')}
BEGIN ${refuse('the message')} END;
CREATE TRIGGER hold_occurrences_no_delete BEFORE DELETE ON message_occurrences
  WHEN ${held('OLD.message_id')} AND NOT ${ofRunningImport('OLD.run_id')}
BEGIN ${refuse('the message (where it was found)')} END;
CREATE TRIGGER hold_occurrences_no_update BEFORE UPDATE ON message_occurrences WHEN ${held('OLD.message_id')}
BEGIN ${refuse('the message (where it was found)')} END;
CREATE TRIGGER hold_attachments_no_delete BEFORE DELETE ON attachments
  WHEN ${held('OLD.message_id')} AND NOT ${ofRunningImport('OLD.run_id')}
BEGIN ${refuse('the attachment')} END;
CREATE TRIGGER hold_attachments_no_update BEFORE UPDATE ON attachments WHEN ${held('OLD.message_id')}
BEGIN ${refuse('the attachment')} END;
CREATE TRIGGER hold_blobs_no_delete BEFORE DELETE ON blobs WHEN ${heldBlob('OLD.sha256')}
BEGIN ${refuse('the attachment content')} END;
CREATE TRIGGER hold_blobs_no_update BEFORE UPDATE ON blobs WHEN ${heldBlob('OLD.sha256')}
BEGIN ${refuse('the attachment content')} END;
CREATE TRIGGER hold_blob_chunks_no_delete BEFORE DELETE ON blob_chunks WHEN ${heldBlob('OLD.sha256')}
BEGIN ${refuse('the attachment content')} END;
CREATE TRIGGER hold_blob_chunks_no_update BEFORE UPDATE ON blob_chunks WHEN ${heldBlob('OLD.sha256')}
BEGIN ${refuse('the attachment content')} END;
CREATE TRIGGER hold_items_no_delete BEFORE DELETE ON hold_items
  WHEN EXISTS (SELECT 1 FROM holds h WHERE h.id = OLD.hold_id AND h.released_at IS NULL)
    AND NOT EXISTS (SELECT 1 FROM messages m JOIN import_runs r ON r.id = m.run_id WHERE m.id = OLD.message_id AND r.status = 'running')
BEGIN ${refuse('the message')} END;
CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds WHEN OLD.released_at IS NULL
BEGIN SELECT RAISE(ABORT, 'HOLD_VIOLATION: an active legal hold cannot be deleted; release it with a reason'); END;
`,
};
