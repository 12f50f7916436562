/**
 * SQL that reads the same in SQLite and PostgreSQL, shared by both implementations so the two
 * cannot drift apart. Dialect-specific SQL stays in sqlcipher/ and postgres/.
 */

/** The message view's columns: a message with its conversation and sender (handle and person). */
export const MESSAGE_VIEW_SELECT = `
  SELECT m.id, m.conversation_id, c.name AS conversation, m.sender_handle_id, h.display AS sender_display, h.value AS sender_value,
         h.participant_id AS sender_participant, p.display_name AS sender_name, m.direction, m.sent_at, m.raw_time, m.time_unknown, m.text, m.subject, m.kind, m.system_type,
         m.edited, m.deleted, m.reply_to_id, m.forwarded_from, m.source_id, m.locator, m.time_source
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    LEFT JOIN handles h ON h.id = m.sender_handle_id
    LEFT JOIN participants p ON p.id = h.participant_id`;
