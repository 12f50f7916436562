import type { DB } from './connection.ts';
import type { PurgeResult, PurgeWriter, PurgedRecord } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function purgeWriter(db: DB): PurgeWriter {
  return { messages: (ids) => purgeMessages(db, ids) };
}

function purgeMessages(db: DB, ids: readonly number[]): PurgeResult {
  const list = jsonIds(ids);
  const senders = db.prepare(`SELECT DISTINCT sender_handle_id FROM messages WHERE id ${IN_IDS} AND sender_handle_id IS NOT NULL`).pluck().all(list) as number[];
  const reactors = db.prepare(`SELECT DISTINCT handle_id FROM reactions WHERE message_id ${IN_IDS} AND handle_id IS NOT NULL`).pluck().all(list) as number[];
  const recipients = db.prepare(`SELECT DISTINCT handle_id FROM message_recipients WHERE message_id ${IN_IDS}`).pluck().all(list) as number[];
  const records = db
    .prepare(`SELECT id, conversation_id, sent_at, fingerprint, content_sha256, run_id, source_id FROM messages WHERE id ${IN_IDS} ORDER BY id`)
    .raw()
    .all(list) as PurgedRecord[];
  const attachments = db
    .prepare(`SELECT id, message_id AS messageId, name, sha256 FROM attachments WHERE message_id ${IN_IDS} ORDER BY message_id, seq`)
    .all(list) as PurgeResult['attachments'];
  // Items of released holds are a record of what they held; they cannot outlive the message.
  db.prepare(`DELETE FROM hold_items WHERE message_id ${IN_IDS} AND hold_id IN (SELECT id FROM holds WHERE released_at IS NOT NULL)`).run(list);
  db.prepare(`DELETE FROM messages WHERE id ${IN_IDS}`).run(list);

  const candidates = [...new Set(attachments.map((a) => a.sha256).filter((s): s is string => s !== null))];
  const blobs = db
    .prepare(`SELECT sha256 FROM blobs WHERE sha256 IN (SELECT value FROM json_each(?)) AND sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL) ORDER BY sha256`)
    .pluck()
    .all(JSON.stringify(candidates)) as string[];
  db.prepare('DELETE FROM blob_chunks WHERE sha256 IN (SELECT value FROM json_each(?))').run(JSON.stringify(blobs));
  db.prepare('DELETE FROM blobs WHERE sha256 IN (SELECT value FROM json_each(?))').run(JSON.stringify(blobs));

  // A conversation an active hold names stays, even empty: what arrives in it later is held.
  const emptied = db
    .prepare(
      `SELECT id, platform, external_id AS externalId, name FROM conversations c WHERE c.id ${IN_IDS}
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM holds h, json_each(h.scope, '$.conversations') j WHERE h.released_at IS NULL AND j.value = c.id)
        ORDER BY id`,
    )
    .all(jsonIds(new Set(records.map((r) => r[1])))) as PurgeResult['conversations'];
  const members = db.prepare(`SELECT DISTINCT handle_id FROM conversation_members WHERE conversation_id ${IN_IDS}`).pluck().all(jsonIds(emptied.map((c) => c.id))) as number[];
  db.prepare(`DELETE FROM conversations WHERE id ${IN_IDS}`).run(jsonIds(emptied.map((c) => c.id)));
  const { handles, participants } = dropUnusedHandles(db, [...new Set([...senders, ...reactors, ...recipients, ...members])]);
  return { records, attachments, blobs, conversations: emptied, handles, participants };
}

/** Of `candidates`, the handles no message, reaction or conversation refers to any more: removed, with people left without a handle. */
function dropUnusedHandles(db: DB, candidates: readonly number[]): Pick<PurgeResult, 'handles' | 'participants'> {
  const handles = db
    .prepare(
      `SELECT id, kind, value, display, participant_id AS participantId FROM handles h WHERE h.id ${IN_IDS}
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.sender_handle_id = h.id)
          AND NOT EXISTS (SELECT 1 FROM reactions r WHERE r.handle_id = h.id)
          AND NOT EXISTS (SELECT 1 FROM conversation_members cm WHERE cm.handle_id = h.id)
          AND NOT EXISTS (SELECT 1 FROM message_recipients mr WHERE mr.handle_id = h.id)
        ORDER BY id`,
    )
    .all(jsonIds(candidates)) as PurgeResult['handles'];
  db.prepare(`DELETE FROM handles WHERE id ${IN_IDS}`).run(jsonIds(handles.map((h) => h.id)));
  const people = [...new Set(handles.map((h) => h.participantId).filter((p): p is number => p !== null))];
  const participants = db
    .prepare(`SELECT id, display_name AS name FROM participants p WHERE p.id ${IN_IDS} AND NOT EXISTS (SELECT 1 FROM handles h WHERE h.participant_id = p.id) ORDER BY id`)
    .all(jsonIds(people)) as PurgeResult['participants'];
  db.prepare(`DELETE FROM participants WHERE id ${IN_IDS}`).run(jsonIds(participants.map((p) => p.id)));
  return { handles, participants };
}
