import type { PgMigration } from './types.ts';

const refuse = (what: string) => `RAISE EXCEPTION 'HOLD_VIOLATION: ${what} is under an active legal hold and cannot be removed or changed'`;
/** The row back to PostgreSQL when the trigger lets the change through. */
const pass = `RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END`;

/**
 * src/case/migrations/002-integrity.ts in PostgreSQL: the time_unknown flag, the signing key that
 * is never changed or removed, and legal holds enforced by the database with the same rules and the
 * same messages as SQLite's triggers (the 'HOLD_VIOLATION: ' prefix becomes that error code). The
 * functions keep the matter's search_path, so they read this matter's tables whoever calls them.
 * Stored times that no Date can hold are not repaired here: a matter schema starts empty.
 */
export const integrity: PgMigration = {
  version: 2,
  name: 'integrity',
  up: `
ALTER TABLE messages ADD COLUMN time_unknown bigint NOT NULL DEFAULT 0;

CREATE TABLE signing_key(
  id bigint PRIMARY KEY CHECK (id = 1), algorithm text NOT NULL CHECK (algorithm = 'Ed25519'),
  public_key bytea NOT NULL, private_key bytea NOT NULL, fingerprint text NOT NULL, created_at bigint NOT NULL);
CREATE FUNCTION signing_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'the signing key cannot be changed'; END IF;
  RAISE EXCEPTION 'the signing key cannot be removed';
END $$;
CREATE TRIGGER signing_key_no_update BEFORE UPDATE ON signing_key FOR EACH ROW EXECUTE FUNCTION signing_key_fixed();
CREATE TRIGGER signing_key_no_delete BEFORE DELETE ON signing_key FOR EACH ROW EXECUTE FUNCTION signing_key_fixed();

CREATE FUNCTION held(message bigint) RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT EXISTS (SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id WHERE hi.message_id = message AND h.released_at IS NULL) $$;
-- Rows an import run still in progress wrote: its own rollback may remove them.
CREATE FUNCTION of_running_import(run bigint) RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT EXISTS (SELECT 1 FROM import_runs r WHERE r.id = run AND r.status = 'running') $$;
CREATE FUNCTION held_blob(sha text) RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT EXISTS (SELECT 1 FROM attachments a JOIN hold_items hi ON hi.message_id = a.message_id JOIN holds h ON h.id = hi.hold_id
    WHERE a.sha256 = sha AND h.released_at IS NULL) $$;

CREATE FUNCTION hold_messages() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF held(OLD.id) THEN ${refuse('the message')}; END IF;
  ${pass};
END $$;
CREATE TRIGGER hold_messages_no_delete BEFORE DELETE ON messages FOR EACH ROW EXECUTE FUNCTION hold_messages();
CREATE TRIGGER hold_messages_no_update
  BEFORE UPDATE OF conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
    direction, forwarded_from, external_id, fingerprint, content_sha256, source_id, locator ON messages
  FOR EACH ROW EXECUTE FUNCTION hold_messages();

CREATE FUNCTION hold_occurrences() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF held(OLD.message_id) AND (TG_OP = 'UPDATE' OR NOT of_running_import(OLD.run_id)) THEN ${refuse('the message (where it was found)')}; END IF;
  ${pass};
END $$;
CREATE TRIGGER hold_occurrences_no_delete BEFORE DELETE ON message_occurrences FOR EACH ROW EXECUTE FUNCTION hold_occurrences();
CREATE TRIGGER hold_occurrences_no_update BEFORE UPDATE ON message_occurrences FOR EACH ROW EXECUTE FUNCTION hold_occurrences();

CREATE FUNCTION hold_attachments() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF held(OLD.message_id) AND (TG_OP = 'UPDATE' OR NOT of_running_import(OLD.run_id)) THEN ${refuse('the attachment')}; END IF;
  ${pass};
END $$;
CREATE TRIGGER hold_attachments_no_delete BEFORE DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION hold_attachments();
CREATE TRIGGER hold_attachments_no_update BEFORE UPDATE ON attachments FOR EACH ROW EXECUTE FUNCTION hold_attachments();

CREATE FUNCTION hold_blobs() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF held_blob(OLD.sha256) THEN ${refuse('the attachment content')}; END IF;
  ${pass};
END $$;
CREATE TRIGGER hold_blobs_no_delete BEFORE DELETE ON blobs FOR EACH ROW EXECUTE FUNCTION hold_blobs();
CREATE TRIGGER hold_blobs_no_update BEFORE UPDATE ON blobs FOR EACH ROW EXECUTE FUNCTION hold_blobs();
CREATE TRIGGER hold_blob_chunks_no_delete BEFORE DELETE ON blob_chunks FOR EACH ROW EXECUTE FUNCTION hold_blobs();
CREATE TRIGGER hold_blob_chunks_no_update BEFORE UPDATE ON blob_chunks FOR EACH ROW EXECUTE FUNCTION hold_blobs();

CREATE FUNCTION hold_items_kept() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM holds h WHERE h.id = OLD.hold_id AND h.released_at IS NULL)
    AND NOT EXISTS (SELECT 1 FROM messages m JOIN import_runs r ON r.id = m.run_id WHERE m.id = OLD.message_id AND r.status = 'running')
  THEN ${refuse('the message')}; END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER hold_items_no_delete BEFORE DELETE ON hold_items FOR EACH ROW EXECUTE FUNCTION hold_items_kept();

CREATE FUNCTION holds_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.released_at IS NULL THEN RAISE EXCEPTION 'HOLD_VIOLATION: an active legal hold cannot be deleted; release it with a reason'; END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_kept();
`,
};
