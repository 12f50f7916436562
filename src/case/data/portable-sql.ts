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

/** Each custodian's source with the time range and count of its dated messages (the gap analysis's coverage). */
export const SOURCE_SPANS = `
  SELECT s.id AS "sourceId", s.name, s.format, s.custodian_id AS "custodianId",
         min(CASE WHEN m.time_unknown = 0 THEN m.sent_at END) AS "from",
         max(CASE WHEN m.time_unknown = 0 THEN m.sent_at END) AS "to",
         count(m.id) AS messages
    FROM sources s
    LEFT JOIN message_occurrences o ON o.source_id = s.id
    LEFT JOIN messages m ON m.id = o.message_id AND m.kind = 'message'
   WHERE s.custodian_id IS NOT NULL
   GROUP BY s.id ORDER BY s.custodian_id, s.id`;
