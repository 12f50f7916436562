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

// An offline check-out's rows (CaseSliceReader.ofBatch): `{batch}` stands for the batch id's parameter.
const M = '(SELECT bm.message_id FROM batch_unit_messages bm JOIN batch_units u ON u.id = bm.unit_id WHERE u.batch_id = {batch})';
const C = `(SELECT conversation_id FROM messages WHERE id IN ${M})`;
const S = `(SELECT source_id FROM messages WHERE id IN ${M} UNION SELECT source_id FROM message_occurrences WHERE message_id IN ${M})`;
const H = `(SELECT sender_handle_id FROM messages WHERE id IN ${M} UNION SELECT handle_id FROM message_recipients WHERE message_id IN ${M}
            UNION SELECT handle_id FROM reactions WHERE message_id IN ${M} UNION SELECT handle_id FROM conversation_members WHERE conversation_id IN ${C})`;
const BY_MESSAGE = `message_id IN ${M}`;

/**
 * Each table of a batch's slice with the rows it keeps, parents before children, in key order. A reply
 * to a message outside the batch points nowhere in the slice (as after that message's deletion); holds,
 * productions, surveillance, saved searches and other batches stay on the matter.
 */
export const BATCH_SLICE: readonly { table: string; where: string; order: string; replace?: Record<string, string> }[] = [
  { table: 'custodians', where: `id IN (SELECT custodian_id FROM sources WHERE id IN ${S} UNION SELECT custodian_id FROM message_occurrences WHERE ${BY_MESSAGE})`, order: 'id' },
  { table: 'import_runs', where: `id IN (SELECT run_id FROM messages WHERE id IN ${M} UNION SELECT run_id FROM sources WHERE id IN ${S})`, order: 'id' },
  { table: 'sources', where: `id IN ${S}`, order: 'id' },
  { table: 'source_files', where: `source_id IN ${S}`, order: 'id' },
  { table: 'participants', where: `id IN (SELECT participant_id FROM handles WHERE id IN ${H})`, order: 'id' },
  { table: 'handles', where: `id IN ${H}`, order: 'id' },
  { table: 'handle_names', where: `handle_id IN ${H}`, order: 'handle_id, name' },
  { table: 'conversations', where: `id IN ${C}`, order: 'id' },
  { table: 'conversation_names', where: `conversation_id IN ${C}`, order: 'conversation_id, name, from_at' },
  { table: 'conversation_members', where: `conversation_id IN ${C}`, order: 'conversation_id, handle_id' },
  { table: 'conversation_aliases', where: `conversation_id IN ${C}`, order: 'platform, external_id' },
  { table: 'messages', where: `id IN ${M}`, order: 'id', replace: { reply_to_id: `CASE WHEN reply_to_id IN ${M} THEN reply_to_id END` } },
  { table: 'message_occurrences', where: BY_MESSAGE, order: 'message_id, source_id' },
  { table: 'message_edits', where: BY_MESSAGE, order: 'message_id, seq' },
  { table: 'reactions', where: BY_MESSAGE, order: 'id' },
  { table: 'message_recipients', where: BY_MESSAGE, order: 'message_id, seq' },
  { table: 'blobs', where: `sha256 IN (SELECT sha256 FROM attachments WHERE ${BY_MESSAGE})`, order: 'sha256' },
  { table: 'attachments', where: BY_MESSAGE, order: 'id' },
  { table: 'attachment_text', where: `attachment_id IN (SELECT id FROM attachments WHERE ${BY_MESSAGE})`, order: 'attachment_id' },
  { table: 'message_entities', where: BY_MESSAGE, order: 'message_id, kind, value' },
  { table: 'message_languages', where: BY_MESSAGE, order: 'message_id' },
  { table: 'tag_groups', where: '1 = 1', order: 'id' },
  { table: 'tags', where: '1 = 1', order: 'id' },
  { table: 'message_tags', where: BY_MESSAGE, order: 'message_id, tag_id' },
  { table: 'coding_fields', where: '1 = 1', order: 'id' },
  { table: 'message_field_values', where: BY_MESSAGE, order: 'message_id, field_id' },
  { table: 'message_reviews', where: BY_MESSAGE, order: 'message_id' },
  { table: 'notes', where: `${BY_MESSAGE} OR conversation_id IN ${C}`, order: 'id' },
  { table: 'redactions', where: BY_MESSAGE, order: 'id' },
  { table: 'batch_sets', where: 'id IN (SELECT set_id FROM batches WHERE id = {batch})', order: 'id' },
  { table: 'batches', where: 'id = {batch}', order: 'id' },
  { table: 'batch_units', where: 'batch_id = {batch}', order: 'id' },
  { table: 'batch_unit_messages', where: 'unit_id IN (SELECT id FROM batch_units WHERE batch_id = {batch})', order: 'unit_id, message_id' },
];

/** The SELECT of one slice table, with `param` in place of the batch id. */
export function sliceSelect(spec: (typeof BATCH_SLICE)[number], columns: readonly string[], param: string): string {
  const list = columns.map((c) => (spec.replace?.[c] ? `${spec.replace[c]} AS "${c}"` : `"${c}"`)).join(', ');
  return `SELECT ${list} FROM ${spec.table} WHERE ${spec.where} ORDER BY ${spec.order}`.replaceAll('{batch}', param);
}
