import type { DB } from './connection.ts';
import type { FoundConversation, IngestWriter, RunIds } from '../interface.ts';

/** The statements are prepared here, once per run; each method only binds and runs. */
export function ingestWriter(db: DB, { runId, sourceId, custodianId }: RunIds): IngestWriter {
  const stmt = {
    findHandle: db.prepare('SELECT id FROM handles WHERE kind = ? AND value = ?').pluck(),
    insertParticipant: db.prepare('INSERT INTO participants(display_name, created_at) VALUES (?, ?)'),
    insertHandle: db.prepare('INSERT INTO handles(kind, value, display, participant_id, run_id) VALUES (?, ?, ?, ?, ?)'),
    fillHandleDisplay: db.prepare('UPDATE handles SET display = ? WHERE id = ? AND display IS NULL'),
    findConversation: db.prepare('SELECT id, name, kind, external_id AS externalId FROM conversations WHERE platform = ? AND external_id = ?'),
    findAlias: db.prepare(
      'SELECT c.id, c.name, c.kind, c.external_id AS externalId FROM conversation_aliases a JOIN conversations c ON c.id = a.conversation_id WHERE a.platform = ? AND a.external_id = ?',
    ),
    insertAlias: db.prepare('INSERT OR IGNORE INTO conversation_aliases(platform, external_id, conversation_id, run_id) VALUES (?, ?, ?, ?)'),
    insertHandleName: db.prepare('INSERT OR IGNORE INTO handle_names(handle_id, name, run_id) VALUES (?, ?, ?)'),
    insertRecipient: db.prepare('INSERT OR IGNORE INTO message_recipients(message_id, seq, role, handle_id, run_id) VALUES (?, ?, ?, ?, ?)'),
    makeGroup: db.prepare("UPDATE conversations SET kind = 'group' WHERE id = ? AND kind = 'direct'"),
    insertConversation: db.prepare('INSERT INTO conversations(platform, external_id, kind, name, run_id) VALUES (?, ?, ?, ?, ?)'),
    insertConversationName: db.prepare('INSERT OR IGNORE INTO conversation_names(conversation_id, name, from_at, run_id) VALUES (?, ?, ?, ?)'),
    insertMember: db.prepare('INSERT OR IGNORE INTO conversation_members(conversation_id, handle_id, joined_at, left_at, run_id) VALUES (?, ?, ?, ?, ?)'),
    findMessage: db.prepare('SELECT id, fingerprint FROM messages WHERE fingerprint_key = ?').raw(),
    insertMessage: db.prepare(
      `INSERT INTO messages(conversation_id, sender_handle_id, sent_at, raw_time, kind, system_type, text, subject, edited, deleted,
         direction, forwarded_from, external_id, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator, time_unknown, time_source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertOccurrence: db.prepare('INSERT OR IGNORE INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id) VALUES (?, ?, ?, ?, ?)'),
    insertEdit: db.prepare('INSERT OR IGNORE INTO message_edits(message_id, seq, edited_at, text, run_id) VALUES (?, ?, ?, ?, ?)'),
    insertReaction: db.prepare('INSERT OR IGNORE INTO reactions(message_id, handle_id, value, at, removed, run_id, locator) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertAttachment: db.prepare('INSERT INTO attachments(message_id, seq, name, mime, size, sha256, missing_reason, run_id, locator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    setReply: db.prepare('UPDATE messages SET reply_to_id = ? WHERE id = ?'),
    insertSourceFile: db.prepare('INSERT INTO source_files(source_id, inner_path, size, sha256, run_id) VALUES (?, ?, ?, ?, ?)'),
  };
  return {
    // Each row is written as it comes: nothing is held back.
    flush: () => {},
    handleId: (kind, value) => stmt.findHandle.get(kind, value) as number | undefined,
    addHandle: (h) => {
      const participant = Number(stmt.insertParticipant.run(h.participantName, h.at).lastInsertRowid);
      return Number(stmt.insertHandle.run(h.kind, h.value, h.display, participant, runId).lastInsertRowid);
    },
    fillHandleDisplay: (handleId, display) => {
      stmt.fillHandleDisplay.run(display, handleId);
    },
    addHandleName: (handleId, name) => {
      stmt.insertHandleName.run(handleId, name, runId);
    },
    conversation: (platform, externalId) => stmt.findConversation.get(platform, externalId) as FoundConversation | undefined,
    conversationByAlias: (platform, externalId) => stmt.findAlias.get(platform, externalId) as FoundConversation | undefined,
    addConversation: (c) => Number(stmt.insertConversation.run(c.platform, c.externalId, c.kind, c.name, runId).lastInsertRowid),
    makeGroup: (conversationId) => {
      stmt.makeGroup.run(conversationId);
    },
    addAlias: (platform, externalId, conversationId) => {
      stmt.insertAlias.run(platform, externalId, conversationId, runId);
    },
    addConversationName: (conversationId, name, fromAt) => {
      stmt.insertConversationName.run(conversationId, name, fromAt, runId);
    },
    addMember: (conversationId, handleId, joinedAt, leftAt) => {
      stmt.insertMember.run(conversationId, handleId, joinedAt, leftAt, runId);
    },
    messagesByFingerprintKey: (key) => stmt.findMessage.all(key) as [number, string][],
    addMessage: (m) =>
      Number(
        stmt.insertMessage.run(
          m.conversationId, m.senderHandleId, m.sentAt, m.rawTime, m.kind, m.systemType, m.text, m.subject, m.edited,
          m.deleted, m.direction, m.forwardedFrom, m.externalId, m.fingerprint, m.contentSha256, m.fingerprintKey, runId,
          sourceId, m.locator, m.timeUnknown, m.timeSource,
        ).lastInsertRowid,
      ),
    addOccurrence: (messageId, locator) => {
      stmt.insertOccurrence.run(messageId, sourceId, custodianId, locator, runId);
    },
    addEdit: (messageId, seq, editedAt, text) => {
      stmt.insertEdit.run(messageId, seq, editedAt, text, runId);
    },
    addRecipient: (messageId, seq, role, handleId) => {
      stmt.insertRecipient.run(messageId, seq, role, handleId, runId);
    },
    addReaction: (r) => stmt.insertReaction.run(r.messageId, r.handleId, r.value, r.at, r.removed, runId, r.locator).changes,
    addAttachment: (a) => {
      stmt.insertAttachment.run(a.messageId, a.seq, a.name, a.mime, a.size, a.sha256, a.missingReason, runId, a.locator);
    },
    setReplyTo: (messageId, replyToId) => {
      stmt.setReply.run(replyToId, messageId);
    },
    addSourceFile: (innerPath, size, sha256) => {
      stmt.insertSourceFile.run(sourceId, innerPath, size, sha256, runId);
    },
  };
}
