import type { Bridge } from './bridge.ts';
import type { PurgeResult, PurgeWriter, PurgedRecord } from '../interface.ts';
import { namedByActiveHold } from './holds.ts';

export function purgeWriter(b: Bridge): PurgeWriter {
  return { messages: (ids) => purgeMessages(b, ids) };
}

function purgeMessages(b: Bridge, ids: readonly number[]): PurgeResult {
  const senders = b.column<number>('SELECT DISTINCT sender_handle_id FROM messages WHERE id = ANY($1::bigint[]) AND sender_handle_id IS NOT NULL', [ids]);
  const reactors = b.column<number>('SELECT DISTINCT handle_id FROM reactions WHERE message_id = ANY($1::bigint[]) AND handle_id IS NOT NULL', [ids]);
  const recipients = b.column<number>('SELECT DISTINCT handle_id FROM message_recipients WHERE message_id = ANY($1::bigint[])', [ids]);
  const records = b.rows<PurgedRecord>('SELECT id, conversation_id, sent_at, fingerprint, content_sha256, run_id, source_id FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
  const attachments = b.all<PurgeResult['attachments'][number]>(
    'SELECT id, message_id AS "messageId", name, sha256 FROM attachments WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, seq',
    [ids],
  );
  // Items of released holds are a record of what they held; they cannot outlive the message.
  b.run('DELETE FROM hold_items WHERE message_id = ANY($1::bigint[]) AND hold_id IN (SELECT id FROM holds WHERE released_at IS NOT NULL)', [ids]);
  b.run('DELETE FROM messages WHERE id = ANY($1::bigint[])', [ids]);

  const candidates = [...new Set(attachments.map((a) => a.sha256).filter((s): s is string => s !== null))];
  const blobs = b.column<string>(
    'SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[]) AND sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL) ORDER BY sha256',
    [candidates],
  );
  b.run('DELETE FROM blob_chunks WHERE sha256 = ANY($1::text[])', [blobs]);
  b.run('DELETE FROM blobs WHERE sha256 = ANY($1::text[])', [blobs]);

  // A conversation an active hold names stays, even empty: what arrives in it later is held.
  const emptied = b.all<PurgeResult['conversations'][number]>(
    `SELECT id, platform, external_id AS "externalId", name FROM conversations c WHERE c.id = ANY($1::bigint[])
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id) AND NOT ${namedByActiveHold('c.id')}
     ORDER BY id`,
    [[...new Set(records.map((r) => r[1]))]],
  );
  const emptiedIds = emptied.map((c) => c.id);
  const members = b.column<number>('SELECT DISTINCT handle_id FROM conversation_members WHERE conversation_id = ANY($1::bigint[])', [emptiedIds]);
  b.run('DELETE FROM conversations WHERE id = ANY($1::bigint[])', [emptiedIds]);
  const { handles, participants } = dropUnusedHandles(b, [...new Set([...senders, ...reactors, ...recipients, ...members])]);
  return { records, attachments, blobs, conversations: emptied, handles, participants };
}

/** Of `candidates`, the handles no message, reaction or conversation refers to any more: removed, with people left without a handle. */
function dropUnusedHandles(b: Bridge, candidates: readonly number[]): Pick<PurgeResult, 'handles' | 'participants'> {
  const handles = b.all<PurgeResult['handles'][number]>(
    `SELECT id, kind, value, display, participant_id AS "participantId" FROM handles h WHERE h.id = ANY($1::bigint[])
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.sender_handle_id = h.id)
       AND NOT EXISTS (SELECT 1 FROM reactions r WHERE r.handle_id = h.id)
       AND NOT EXISTS (SELECT 1 FROM conversation_members cm WHERE cm.handle_id = h.id)
       AND NOT EXISTS (SELECT 1 FROM message_recipients mr WHERE mr.handle_id = h.id)
     ORDER BY id`,
    [candidates],
  );
  b.run('DELETE FROM handles WHERE id = ANY($1::bigint[])', [handles.map((h) => h.id)]);
  const people = [...new Set(handles.map((h) => h.participantId).filter((p): p is number => p !== null))];
  const participants = b.all<PurgeResult['participants'][number]>(
    'SELECT id, display_name AS name FROM participants p WHERE p.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM handles h WHERE h.participant_id = p.id) ORDER BY id',
    [people],
  );
  b.run('DELETE FROM participants WHERE id = ANY($1::bigint[])', [participants.map((p) => p.id)]);
  return { handles, participants };
}
