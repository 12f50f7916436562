import type { Bridge } from './bridge.ts';
import type { FoundConversation, IngestWriter, RunIds } from '../interface.ts';

/**
 * One run's rows, a statement per call (the bridge's connection keeps each prepared). "add" of a
 * row that is one fact is INSERT … ON CONFLICT DO NOTHING, as SQLite's INSERT OR IGNORE.
 */
export function ingestWriter(b: Bridge, { runId, sourceId, custodianId }: RunIds): IngestWriter {
  const found = 'SELECT c.id, c.name, c.kind, c.external_id AS "externalId" FROM';
  return {
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
    messagesByFingerprintKey: (key) => b.rows<[number, string]>('SELECT id, fingerprint FROM messages WHERE fingerprint_key = $1 ORDER BY id', [key]),
    addMessage: (m) =>
      b.value<number>(
        `INSERT INTO messages(conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
           direction, forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator, time_unknown, time_source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
        [
          m.conversationId, m.senderHandleId, m.sentAt, m.rawTime, m.kind, m.systemType, m.text, m.subject, m.edited, m.deleted, m.direction,
          m.forwardedFrom, m.externalId, m.fingerprint, m.contentSha256, m.fingerprintKey, runId, sourceId, m.locator, m.timeUnknown, m.timeSource,
        ],
      )!,
    addOccurrence: (messageId, locator) => {
      b.run('INSERT INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        messageId, sourceId, custodianId, locator, runId,
      ]);
    },
    addEdit: (messageId, seq, editedAt, text) => {
      b.run('INSERT INTO message_edits(message_id, seq, edited_at, text, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [messageId, seq, editedAt, text, runId]);
    },
    addRecipient: (messageId, seq, role, handleId) => {
      b.run('INSERT INTO message_recipients(message_id, seq, role, handle_id, run_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [messageId, seq, role, handleId, runId]);
    },
    addReaction: (r) =>
      b.run('INSERT INTO reactions(message_id, handle_id, value, at, removed, run_id, locator) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING', [
        r.messageId, r.handleId, r.value, r.at, r.removed, runId, r.locator,
      ]),
    addAttachment: (a) => {
      b.run('INSERT INTO attachments(message_id, seq, name, mime, size, sha256, missing_reason, run_id, locator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        a.messageId, a.seq, a.name, a.mime, a.size, a.sha256, a.missingReason, runId, a.locator,
      ]);
    },
    setReplyTo: (messageId, replyToId) => {
      b.run('UPDATE messages SET reply_to_id = $1 WHERE id = $2', [replyToId, messageId]);
    },
    addSourceFile: (innerPath, size, sha256) => {
      b.run('INSERT INTO source_files(source_id, inner_path, size, sha256, run_id) VALUES ($1, $2, $3, $4, $5)', [sourceId, innerPath, size, sha256, runId]);
    },
  };
}
