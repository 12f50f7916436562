import type { Bridge } from './bridge.ts';
import type { SearchHandleRow, SearchHitRow, SearchLookupReader } from '../interface.ts';
import { DOC_COLUMNS } from './search-docs.ts';

/** The sender as reviewers named them (participant), as src/case/messages.ts shows it. */
const SENDER = 'CASE WHEN p.display_name IS NULL OR (p.display_name = h.value AND h.display IS NOT NULL) THEN COALESCE(h.display, h.value) ELSE p.display_name END';

export function searchLookupReader(b: Bridge): SearchLookupReader {
  const ids = (sql: string, params: unknown[] = []) => b.column<number>(sql, params);
  return {
    personalConversations: () => ids('SELECT id FROM conversations WHERE personal = 1 ORDER BY id'),
    hitRows: (hits) =>
      b.all<SearchHitRow>(
        `SELECT ${DOC_COLUMNS}, c.name AS conversation, ${SENDER} AS sender
           FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN handles h ON h.id = m.sender_handle_id
           LEFT JOIN participants p ON p.id = h.participant_id
          WHERE m.id = ANY($1::bigint[]) ORDER BY m.id`,
        [hits],
      ),
    handles: () =>
      b.all<SearchHandleRow>(
        `SELECT h.id, h.participant_id, h.display, h.value, p.display_name,
                (SELECT string_agg(n.name, chr(31) ORDER BY n.name COLLATE "C") FROM handle_names n WHERE n.handle_id = h.id) AS names
           FROM handles h LEFT JOIN participants p ON p.id = h.participant_id ORDER BY h.id`,
      ),
    conversationExists: (conversationId) => b.get('SELECT 1 FROM conversations WHERE id = $1', [conversationId]) !== undefined,
    conversationNames: () =>
      b.all<{ id: number; name: string | null; names: string | null }>(
        'SELECT c.id, c.name, (SELECT string_agg(n.name, chr(31) ORDER BY n.ctid) FROM conversation_names n WHERE n.conversation_id = c.id) AS names FROM conversations c ORDER BY c.id',
      ),
    messagesOfCustodians: (custodianIds) => ids('SELECT message_id FROM message_occurrences WHERE custodian_id = ANY($1::bigint[]) ORDER BY message_id', [custodianIds]),
    messagesOfSource: (sourceId) => ids('SELECT message_id FROM message_occurrences WHERE source_id = $1 ORDER BY message_id', [sourceId]),
    sourceExists: (sourceId) => b.get('SELECT 1 FROM sources WHERE id = $1', [sourceId]) !== undefined,
    tags: () => b.all<{ id: number; name: string }>('SELECT id, name FROM tags ORDER BY id'),
    messagesTagged: (tagIds) => ids('SELECT message_id FROM message_tags WHERE tag_id = ANY($1::bigint[]) ORDER BY message_id', [tagIds]),
    messagesTaggedOfKind: (kinds) => ids('SELECT DISTINCT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind = ANY($1::text[]) ORDER BY 1', [kinds]),
    subjects: () => b.rows<[number, string]>("SELECT id, subject FROM messages WHERE subject IS NOT NULL AND subject <> '' ORDER BY id"),
    attachmentNames: () => b.rows<[number, string]>('SELECT message_id, name FROM attachments ORDER BY id'),
    conversationsOnPlatform: (platform) => ids('SELECT id FROM conversations WHERE lower(platform) = lower($1) ORDER BY id', [platform]),
    platforms: () => b.column<string>('SELECT DISTINCT platform FROM conversations ORDER BY platform'),
    messagesToHandles: (role, handleIds) =>
      ids('SELECT DISTINCT message_id FROM message_recipients WHERE role = $1 AND handle_id = ANY($2::bigint[]) ORDER BY message_id', [role, handleIds]),
    hasLanguages: () => b.get('SELECT 1 FROM message_languages LIMIT 1') !== undefined,
    messagesInLanguage: (lang) => ids('SELECT message_id FROM message_languages WHERE lang = $1 ORDER BY message_id', [lang]),
    messagesWithEntityKind: (kind) => ids('SELECT DISTINCT message_id FROM message_entities WHERE kind = $1 ORDER BY message_id', [kind]),
    messagesWithEntityValue: (key) => ids('SELECT DISTINCT message_id FROM message_entities WHERE lower(value) = $1 ORDER BY message_id', [key]),
    messagesWithReactions: () => ids('SELECT DISTINCT message_id FROM reactions WHERE removed = 0 ORDER BY message_id'),
  };
}
