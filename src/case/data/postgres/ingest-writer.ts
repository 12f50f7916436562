import type { Bridge } from './bridge.ts';
import type { FoundConversation, IngestWriter, NewMessageRow, RunIds } from '../interface.ts';

/**
 * One run's rows, loaded in bulk. A statement per row costs a round trip (a few hundred messages a
 * second), so the many rows — messages and what hangs off them — are held in column arrays and sent
 * by flush() as one `INSERT … SELECT FROM unnest($1::type[], …)` per table (ingest flushes before
 * each commit and before reading the run back). What a caller needs at once is answered without the
 * database:
 * - a new message's id comes from a block reserved from the table's identity sequence; what the
 *   batch did not use is handed back at flush, so ids run on as a case file's do;
 * - dedupe by fingerprint reads the keys of the messages already in the matter once, when the run
 *   first asks, and keeps adding its own: a key never seen needs no look-up; a key seen is looked up
 *   in the matter (rows flushed) and among the rows held back. One writer runs at a time (the case
 *   lock), so no other connection adds messages meanwhile;
 * - a reaction's "added or already there" for a message still held back is decided among the
 *   reactions held with it (no stored row can name that message yet).
 * The few rows that are looked up by later records (handles, conversations, their names, aliases and
 * members) are written at once, as before. Every row carries the run id, so rollback is unchanged.
 */
const ID_BLOCK = 10_000;

interface Columns {
  [column: string]: unknown[];
}

function columns<K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
}

function clear(c: Columns): void {
  for (const k of Object.keys(c)) c[k]!.length = 0;
}

export function ingestWriter(b: Bridge, { runId, sourceId, custodianId }: RunIds): IngestWriter {
  const found = 'SELECT c.id, c.name, c.kind, c.external_id AS "externalId" FROM';
  const messages = columns(
    'id', 'conversation_id', 'sender_handle_id', 'sent_at', 'raw_time', 'kind', 'system_type', 'text', 'subject', 'edited', 'deleted',
    'direction', 'forwarded_from', 'external_id', 'fingerprint', 'content_sha256', 'fingerprint_key', 'locator', 'time_unknown', 'time_source',
  );
  const occurrences = columns('message_id', 'locator');
  const edits = columns('message_id', 'seq', 'edited_at', 'text');
  const recipients = columns('message_id', 'seq', 'role', 'handle_id');
  const reactions = columns('message_id', 'handle_id', 'value', 'at', 'removed', 'locator');
  const attachments = columns('message_id', 'seq', 'name', 'mime', 'size', 'sha256', 'missing_reason', 'locator');
  const sourceFiles = columns('inner_path', 'size', 'sha256');
  const replies = columns('id', 'reply_to_id');

  let ids: number[] = [];
  /** Fingerprint keys of the matter's stored messages (read on first use), and of every row flushed since. */
  let storedKeys: Set<number> | null = null;
  /** Messages held back: their ids, and [id, fingerprint] by fingerprint key. */
  const heldIds = new Set<number>();
  const heldKeys = new Map<number, [number, string][]>();
  /** Reactions held back that a unique key makes one fact (message, handle, value, time; NULLs differ). */
  const heldReactions = new Set<string>();

  /** The messages' identity sequence (schema-qualified, as PostgreSQL names it). */
  let sequence: string | undefined;
  const nextId = (): number => {
    if (ids.length === 0) {
      sequence ??= b.value<string>("SELECT pg_get_serial_sequence('messages', 'id')")!;
      ids = b.column<number>('SELECT nextval($1::regclass) FROM generate_series(1, $2) ORDER BY 1 DESC', [sequence, ID_BLOCK]);
    }
    return ids.pop()!;
  };

  /**
   * Hands the ids reserved but not used back to the sequence, so that ids stay contiguous as a case
   * file's do (productions name message ids). Only if nobody has drawn from it since: ids that rows
   * used, rolled back or not, are never handed out again.
   */
  const returnUnusedIds = (): void => {
    if (!ids.length || !sequence) return;
    b.value(`SELECT setval($1::regclass, $2, false) FROM ${sequence} WHERE last_value = $3`, [sequence, ids.at(-1), ids[0]]);
    ids = [];
  };

  const keysStored = (): Set<number> => {
    if (!storedKeys) {
      const all = b.value<string | null>('SELECT string_agg(fingerprint_key::text, \',\') FROM messages') ?? '';
      storedKeys = new Set(all ? all.split(',').map(Number) : []);
    }
    return storedKeys;
  };

  const flush = (): void => {
    if (messages.id.length) {
      const m = messages;
      b.run(
        `INSERT INTO messages(id, conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
           direction, forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator, time_unknown, time_source)
         SELECT id, conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
           direction, forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, $20, $21, locator, time_unknown, time_source
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],
           $11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bigint[], $18::text[], $19::bigint[], $22::text[])
           AS t(id, conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted, direction,
             forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, locator, time_unknown, time_source)`,
        [
          m.id, m.conversation_id, m.sender_handle_id, m.sent_at, m.raw_time, m.kind, m.system_type, m.text, m.subject, m.edited, m.deleted,
          m.direction, m.forwarded_from, m.external_id, m.fingerprint, m.content_sha256, m.fingerprint_key, m.locator, m.time_unknown, runId, sourceId,
          m.time_source,
        ],
      );
      for (const key of heldKeys.keys()) storedKeys?.add(key);
    }
    if (occurrences.message_id.length) {
      b.run(
        `INSERT INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id)
         SELECT message_id, $3, $4, locator, $5 FROM unnest($1::bigint[], $2::text[]) AS t(message_id, locator) ON CONFLICT DO NOTHING`,
        [occurrences.message_id, occurrences.locator, sourceId, custodianId, runId],
      );
    }
    if (edits.message_id.length) {
      b.run(
        `INSERT INTO message_edits(message_id, seq, edited_at, text, run_id)
         SELECT message_id, seq, edited_at, text, $5 FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS t(message_id, seq, edited_at, text)
         ON CONFLICT DO NOTHING`,
        [edits.message_id, edits.seq, edits.edited_at, edits.text, runId],
      );
    }
    if (recipients.message_id.length) {
      b.run(
        `INSERT INTO message_recipients(message_id, seq, role, handle_id, run_id)
         SELECT message_id, seq, role, handle_id, $5 FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) AS t(message_id, seq, role, handle_id)
         ON CONFLICT DO NOTHING`,
        [recipients.message_id, recipients.seq, recipients.role, recipients.handle_id, runId],
      );
    }
    if (reactions.message_id.length) {
      // In the order they came, so a reaction's id follows the source as a row-by-row insert's would.
      b.run(
        `INSERT INTO reactions(message_id, handle_id, value, at, removed, run_id, locator)
         SELECT message_id, handle_id, value, at, removed, $7, locator
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[]) WITH ORDINALITY AS t(message_id, handle_id, value, at, removed, locator, n)
         ORDER BY n ON CONFLICT DO NOTHING`,
        [reactions.message_id, reactions.handle_id, reactions.value, reactions.at, reactions.removed, reactions.locator, runId],
      );
    }
    if (attachments.message_id.length) {
      const a = attachments;
      b.run(
        `INSERT INTO attachments(message_id, seq, name, mime, size, sha256, missing_reason, run_id, locator)
         SELECT message_id, seq, name, mime, size, sha256, missing_reason, $9, locator
         FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
           AS t(message_id, seq, name, mime, size, sha256, missing_reason, locator, n)
         ORDER BY n`,
        [a.message_id, a.seq, a.name, a.mime, a.size, a.sha256, a.missing_reason, a.locator, runId],
      );
    }
    if (sourceFiles.inner_path.length) {
      b.run(
        `INSERT INTO source_files(source_id, inner_path, size, sha256, run_id)
         SELECT $4, inner_path, size, sha256, $5 FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS t(inner_path, size, sha256, n) ORDER BY n`,
        [sourceFiles.inner_path, sourceFiles.size, sourceFiles.sha256, sourceId, runId],
      );
    }
    if (replies.id.length) {
      b.run('UPDATE messages m SET reply_to_id = t.reply_to_id FROM unnest($1::bigint[], $2::bigint[]) AS t(id, reply_to_id) WHERE m.id = t.id', [replies.id, replies.reply_to_id]);
    }
    returnUnusedIds();
    for (const c of [messages, occurrences, edits, recipients, reactions, attachments, sourceFiles, replies]) clear(c);
    heldIds.clear();
    heldKeys.clear();
    heldReactions.clear();
  };

  const holdMessage = (m: NewMessageRow): number => {
    const id = nextId();
    const c = messages;
    c.id.push(id);
    c.conversation_id.push(m.conversationId);
    c.sender_handle_id.push(m.senderHandleId);
    c.sent_at.push(m.sentAt);
    c.raw_time.push(m.rawTime);
    c.kind.push(m.kind);
    c.system_type.push(m.systemType);
    c.text.push(m.text);
    c.subject.push(m.subject);
    c.edited.push(m.edited);
    c.deleted.push(m.deleted);
    c.direction.push(m.direction);
    c.forwarded_from.push(m.forwardedFrom);
    c.external_id.push(m.externalId);
    c.fingerprint.push(m.fingerprint);
    c.content_sha256.push(m.contentSha256);
    c.fingerprint_key.push(m.fingerprintKey);
    c.locator.push(m.locator);
    c.time_unknown.push(m.timeUnknown);
    c.time_source.push(m.timeSource);
    heldIds.add(id);
    keysStored();
    const same = heldKeys.get(m.fingerprintKey);
    if (same) same.push([id, m.fingerprint]);
    else heldKeys.set(m.fingerprintKey, [[id, m.fingerprint]]);
    return id;
  };

  return {
    flush,
    handleId: (kind, value) => b.value<number>('SELECT id FROM handles WHERE kind = $1 AND value = $2', [kind, value]),
    addHandle: (h) => {
      const participant = b.value<number>('INSERT INTO participants(display_name, created_at) VALUES ($1, $2) RETURNING id', [h.participantName, h.at]);
      return b.value<number>('INSERT INTO handles(kind, value, display, participant_id, run_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [h.kind, h.value, h.display, participant, runId])!;
    },
    fillHandleDisplay: (handleId, display) => {
      b.run('UPDATE handles SET display = $1 WHERE id = $2 AND display IS NULL', [display, handleId]);
    },
    addHandleName: (handleId, name) => {
      b.run('INSERT INTO handle_names(handle_id, name, run_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [handleId, name, runId]);
    },
    conversation: (platform, externalId) => b.get<FoundConversation>(`${found} conversations c WHERE c.platform = $1 AND c.external_id = $2`, [platform, externalId]),
    conversationByAlias: (platform, externalId) =>
      b.get<FoundConversation>(`${found} conversation_aliases a JOIN conversations c ON c.id = a.conversation_id WHERE a.platform = $1 AND a.external_id = $2`, [platform, externalId]),
    addConversation: (c) =>
      b.value<number>('INSERT INTO conversations(platform, external_id, kind, name, run_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [c.platform, c.externalId, c.kind, c.name, runId])!,
    makeGroup: (conversationId) => {
      b.run("UPDATE conversations SET kind = 'group' WHERE id = $1 AND kind = 'direct'", [conversationId]);
    },
    addAlias: (platform, externalId, conversationId) => {
      b.run('INSERT INTO conversation_aliases(platform, external_id, conversation_id, run_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [platform, externalId, conversationId, runId]);
    },
    addConversationName: (conversationId, name, fromAt) => {
      b.run('INSERT INTO conversation_names(conversation_id, name, from_at, run_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [conversationId, name, fromAt, runId]);
    },
    addMember: (conversationId, handleId, joinedAt, leftAt) => {
      b.run('INSERT INTO conversation_members(conversation_id, handle_id, joined_at, left_at, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        conversationId, handleId, joinedAt, leftAt, runId,
      ]);
    },
    messagesByFingerprintKey: (key) => {
      const stored = keysStored().has(key) ? b.rows<[number, string]>('SELECT id, fingerprint FROM messages WHERE fingerprint_key = $1 ORDER BY id', [key]) : [];
      return [...stored, ...(heldKeys.get(key) ?? [])];
    },
    addMessage: holdMessage,
    addOccurrence: (messageId, locator) => {
      occurrences.message_id.push(messageId);
      occurrences.locator.push(locator);
    },
    addEdit: (messageId, seq, editedAt, text) => {
      edits.message_id.push(messageId);
      edits.seq.push(seq);
      edits.edited_at.push(editedAt);
      edits.text.push(text);
    },
    addRecipient: (messageId, seq, role, handleId) => {
      recipients.message_id.push(messageId);
      recipients.seq.push(seq);
      recipients.role.push(role);
      recipients.handle_id.push(handleId);
    },
    addReaction: (r) => {
      if (!heldIds.has(r.messageId)) {
        // A stored message (an earlier batch, another source): the database decides, as row by row.
        return b.run('INSERT INTO reactions(message_id, handle_id, value, at, removed, run_id, locator) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING', [
          r.messageId, r.handleId, r.value, r.at, r.removed, runId, r.locator,
        ]);
      }
      if (r.handleId !== null && r.at !== null) {
        const key = JSON.stringify([r.messageId, r.handleId, r.value, r.at]);
        if (heldReactions.has(key)) return 0;
        heldReactions.add(key);
      }
      reactions.message_id.push(r.messageId);
      reactions.handle_id.push(r.handleId);
      reactions.value.push(r.value);
      reactions.at.push(r.at);
      reactions.removed.push(r.removed);
      reactions.locator.push(r.locator);
      return 1;
    },
    addAttachment: (a) => {
      const c = attachments;
      c.message_id.push(a.messageId);
      c.seq.push(a.seq);
      c.name.push(a.name);
      c.mime.push(a.mime);
      c.size.push(a.size);
      c.sha256.push(a.sha256);
      c.missing_reason.push(a.missingReason);
      c.locator.push(a.locator);
    },
    setReplyTo: (messageId, replyToId) => {
      replies.id.push(messageId);
      replies.reply_to_id.push(replyToId);
    },
    addSourceFile: (innerPath, size, sha256) => {
      sourceFiles.inner_path.push(innerPath);
      sourceFiles.size.push(size);
      sourceFiles.sha256.push(sha256);
    },
  };
}
