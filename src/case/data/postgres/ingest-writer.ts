import type { Bridge } from './bridge.ts';
import type { FoundConversation, IngestWriter, NewMessageRow, RunIds } from '../interface.ts';
import { HoldfastError } from '../../../api/errors.ts';
import { NulInText, copyText } from './copy-text.ts';

/**
 * One run's rows, loaded in bulk. A statement per row costs a round trip (a few hundred messages a
 * second), so the many rows — messages and what hangs off them — are held in column arrays and sent
 * by flush() with one COPY per table, in the run's transaction (ingest flushes before each commit and
 * before reading the run back). COPY costs the server a third of the CPU of the same rows as
 * `INSERT … SELECT FROM unnest(…)` arrays (src/case/data/postgres/README.md). COPY cannot skip a row
 * that clashes with a unique key, so nothing held may clash, and what a caller needs at once is
 * answered without the database:
 * - a new message's id comes from a block reserved from the table's identity sequence; what the
 *   batch did not use is handed back at flush (returnUnusedIds), so ids run on as a case file's do;
 * - dedupe by fingerprint reads the keys of the messages already in the matter once, when the run
 *   first asks (a page at a time, into a sorted array: a matter may hold more than a Set can), and
 *   keeps adding its own: a key never seen needs no look-up; a key seen is looked up
 *   in the matter (rows flushed) and among the rows held back. One writer runs at a time (the case
 *   lock), so no other connection adds messages meanwhile;
 * - a row that is one fact (an occurrence, an edit or recipient by its seq, a reaction) of a message
 *   still held back is checked against the rows held with it: no stored row can name that message
 *   yet. An occurrence names the run's own new source, so only this run's rows can clash. A fact
 *   about a stored message (a reaction to an earlier batch's message) is inserted at once with
 *   ON CONFLICT DO NOTHING, as row by row.
 * The few rows that are looked up by later records (handles, conversations, their names, aliases and
 * members) are written at once, as before. Every row carries the run id, so rollback is unchanged.
 */
const ID_BLOCK = 10_000;
/** Fingerprint keys read per statement when the matter's are first read (a page's text stays far below a string's limit). */
const KEY_PAGE = 1_000_000;

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
  /**
   * Fingerprint keys of the matter's stored messages, read on first use, sorted for a binary search (a
   * Set holds at most 2^24 entries, and a matter may have more messages); and those of every row flushed since.
   */
  let storedKeys: Float64Array | null = null;
  const flushedKeys = new Set<number>();
  /** Messages held back: their ids, and [id, fingerprint] by fingerprint key. */
  const heldIds = new Set<number>();
  const heldKeys = new Map<number, [number, string][]>();
  /**
   * Rows held back that a unique key makes one fact, so a second is not added: edits and recipients
   * (message, seq), reactions (message, handle, value, time; NULLs differ).
   */
  const heldFacts = new Set<string>();
  /** Messages met in this run's source: one occurrence each (the source is the run's own, so no stored row can clash). */
  const occurred = new Set<number>();
  /** Whether a row that is one fact is new among those held back (first one wins, as INSERT OR IGNORE). */
  const firstHeld = (...key: unknown[]): boolean => {
    const k = JSON.stringify(key);
    if (heldFacts.has(k)) return false;
    heldFacts.add(k);
    return true;
  };

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
   * file's do (productions name message ids): the sequence is set to the last id used, as if only the
   * ids used had been drawn, so pg_sequence_last_value still names it (a run's messages_after, a case
   * copy's counters; `setval(…, false)` would leave it NULL). Only if nobody has drawn from it since
   * and the ids handed back were all this block's (none drawn by another connection between them):
   * ids that rows used, rolled back or not, are never handed out again.
   */
  const returnUnusedIds = (): void => {
    if (!ids.length || !sequence) return;
    const last = ids[0]!;
    const firstUnused = ids.at(-1)!;
    if (last - firstUnused + 1 === ids.length) {
      // The block's first id is always used (ids are taken smallest first), so firstUnused - 1 is one of ours.
      b.value(`SELECT setval($1::regclass, $2) FROM ${sequence} WHERE last_value = $3`, [sequence, firstUnused - 1, last]);
    }
    ids = [];
  };

  const readStoredKeys = (): Float64Array => {
    const pages: number[][] = [];
    for (let after = -1; ; ) {
      const page = b.value<string | null>(
        `SELECT string_agg(k::text, ',' ORDER BY k) FROM (SELECT DISTINCT fingerprint_key AS k FROM messages WHERE fingerprint_key > $1 ORDER BY 1 LIMIT ${KEY_PAGE}) s`,
        [after],
      );
      if (!page) break;
      const keys = page.split(',').map(Number);
      pages.push(keys);
      if (keys.length < KEY_PAGE) break;
      after = keys.at(-1)!;
    }
    const all = new Float64Array(pages.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pages) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  };

  /** Whether a stored message may have the key (then it is looked up). */
  const keyStored = (key: number): boolean => {
    if (flushedKeys.has(key)) return true;
    storedKeys ??= readStoredKeys();
    let lo = 0;
    let hi = storedKeys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = storedKeys[mid]!;
      if (k === key) return true;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };

  /** Sends the held rows of one table with COPY, columns in the order the statement names them. */
  const copy = (table: string, held: Columns, constants: Record<string, unknown> = {}): void => {
    const names = Object.keys(held);
    const n = held[names[0]!]!.length;
    if (!n) return;
    const fixed = Object.entries(constants).map(([name, value]) => [name, new Array<unknown>(n).fill(value)] as const);
    let rows: string;
    try {
      rows = copyText([...names.map((k) => held[k]!), ...fixed.map(([, v]) => v)]);
    } catch (e) {
      if (!(e instanceof NulInText)) throw e;
      const where = held.locator?.[e.row];
      throw new HoldfastError(
        'IMPORT_UNSUPPORTED_SOURCE',
        `The ${names[e.column] ?? 'text'} of ${table.replace(/_/g, ' ')} row ${where ? `at ${String(where)}` : e.row + 1} holds a NUL character (U+0000), ` +
          'which a matter database (PostgreSQL) cannot store; nothing of this import was kept. Import the source into a case file, which keeps it as written.',
        where ? { position: String(where) } : undefined,
      );
    }
    b.copyFrom(`COPY ${table}(${[...names, ...fixed.map(([name]) => name)].join(', ')}) FROM STDIN`, rows);
  };

  const flush = (): void => {
    // Parents first: the messages, then the rows naming them; each in the order it came.
    copy('messages', messages, { run_id: runId, source_id: sourceId });
    for (const key of heldKeys.keys()) flushedKeys.add(key);
    copy('message_occurrences', occurrences, { source_id: sourceId, custodian_id: custodianId, run_id: runId });
    copy('message_edits', edits, { run_id: runId });
    copy('message_recipients', recipients, { run_id: runId });
    copy('reactions', reactions, { run_id: runId });
    copy('attachments', attachments, { run_id: runId });
    copy('source_files', sourceFiles, { source_id: sourceId, run_id: runId });
    if (replies.id.length) {
      b.run('UPDATE messages m SET reply_to_id = t.reply_to_id FROM unnest($1::bigint[], $2::bigint[]) AS t(id, reply_to_id) WHERE m.id = t.id', [replies.id, replies.reply_to_id]);
    }
    returnUnusedIds();
    for (const c of [messages, occurrences, edits, recipients, reactions, attachments, sourceFiles, replies]) clear(c);
    heldIds.clear();
    heldKeys.clear();
    heldFacts.clear();
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
      const stored = keyStored(key) ? b.rows<[number, string]>('SELECT id, fingerprint FROM messages WHERE fingerprint_key = $1 ORDER BY id', [key]) : [];
      return [...stored, ...(heldKeys.get(key) ?? [])];
    },
    addMessage: holdMessage,
    addOccurrence: (messageId, locator) => {
      if (occurred.has(messageId)) return;
      occurred.add(messageId);
      occurrences.message_id.push(messageId);
      occurrences.locator.push(locator);
    },
    addEdit: (messageId, seq, editedAt, text) => {
      if (!heldIds.has(messageId)) {
        b.run('INSERT INTO message_edits(message_id, seq, edited_at, text, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [messageId, seq, editedAt, text, runId]);
        return;
      }
      if (!firstHeld('edit', messageId, seq)) return;
      edits.message_id.push(messageId);
      edits.seq.push(seq);
      edits.edited_at.push(editedAt);
      edits.text.push(text);
    },
    addRecipient: (messageId, seq, role, handleId) => {
      if (!heldIds.has(messageId)) {
        b.run('INSERT INTO message_recipients(message_id, seq, role, handle_id, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [messageId, seq, role, handleId, runId]);
        return;
      }
      if (!firstHeld('recipient', messageId, seq)) return;
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
      if (r.handleId !== null && r.at !== null && !firstHeld('reaction', r.messageId, r.handleId, r.value, r.at)) return 0;
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
