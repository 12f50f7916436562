import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { DB } from './connection.ts';
import type { SearchHandleRow, SearchHitRow, SearchLookupReader } from '../interface.ts';
import { lazyStatement } from './lazy-statement.ts';
import { DOC_COLUMNS } from './search-docs.ts';

export function searchLookupReader(db: DB): SearchLookupReader {
  const personal = lazyStatement(db, 'SELECT id FROM conversations WHERE personal = 1 ORDER BY id', (s) => s.pluck());
  // Hit rows are read with the IN list padded to a power of two, so a handful of statements serve every page size.
  const hitRows = new Map<number, Statement>();
  // The filters' look-ups with a fixed text, prepared once; those naming a list of ids are made per query.
  const ids = (sql: string) => lazyStatement(db, sql, (s) => s.pluck());
  const exists = (sql: string) => lazyStatement(db, sql);
  const handles = lazyStatement(
    db,
    `SELECT h.id, h.participant_id, h.display, h.value, p.display_name,
            (SELECT group_concat(n.name, char(31)) FROM handle_names n WHERE n.handle_id = h.id) AS names
       FROM handles h LEFT JOIN participants p ON p.id = h.participant_id`,
  );
  const conversationExists = exists('SELECT 1 FROM conversations WHERE id = ?');
  const conversationNames = lazyStatement(db, 'SELECT c.id, c.name, (SELECT group_concat(n.name, char(31)) FROM conversation_names n WHERE n.conversation_id = c.id) AS names FROM conversations c');
  const ofSource = ids('SELECT message_id FROM message_occurrences WHERE source_id = ?');
  const sourceExists = exists('SELECT 1 FROM sources WHERE id = ?');
  const tags = lazyStatement(db, 'SELECT id, name FROM tags');
  const subjects = lazyStatement(db, "SELECT id, subject FROM messages WHERE subject IS NOT NULL AND subject <> ''", (s) => s.raw());
  const attachmentNames = lazyStatement(db, 'SELECT message_id, name FROM attachments', (s) => s.raw());
  const onPlatform = ids('SELECT id FROM conversations WHERE lower(platform) = lower(?)');
  const platforms = ids('SELECT DISTINCT platform FROM conversations ORDER BY platform');
  const anyLanguage = exists('SELECT 1 FROM message_languages LIMIT 1');
  const inLanguage = ids('SELECT message_id FROM message_languages WHERE lang = ?');
  const withEntityKind = ids('SELECT DISTINCT message_id FROM message_entities WHERE kind = ?');
  const withEntityValue = ids('SELECT DISTINCT message_id FROM message_entities WHERE lower(value) = ?');
  const withReactions = ids('SELECT DISTINCT message_id FROM reactions WHERE removed = 0');
  return {
    personalConversations: () => personal().all() as number[],
    hitRows: (ids) => {
      let size = 1;
      while (size < ids.length) size *= 2;
      let stmt = hitRows.get(size);
      if (!stmt) {
        stmt = db.prepare(
          // The sender as reviewers named them (participant), as src/case/messages.ts shows it.
          `SELECT ${DOC_COLUMNS}, c.name AS conversation,
                  CASE WHEN p.display_name IS NULL OR (p.display_name = h.value AND h.display IS NOT NULL) THEN COALESCE(h.display, h.value) ELSE p.display_name END AS sender
             FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN handles h ON h.id = m.sender_handle_id
             LEFT JOIN participants p ON p.id = h.participant_id
            WHERE m.id IN (${new Array<string>(size).fill('?').join(',')})`,
        );
        hitRows.set(size, stmt);
      }
      // Padding repeats the last id: IN ignores the duplicates.
      const params = ids.slice();
      while (params.length < size) params.push(ids[ids.length - 1]!);
      return stmt.all(...params) as SearchHitRow[];
    },
    handles: () => handles().all() as SearchHandleRow[],
    conversationExists: (conversationId) => conversationExists().get(conversationId) !== undefined,
    conversationNames: () => conversationNames().all() as { id: number; name: string | null; names: string | null }[],
    // The id lists are ids the case just gave (integers), written into the statement.
    messagesOfCustodians: (custodianIds) => db.prepare(`SELECT message_id FROM message_occurrences WHERE custodian_id IN (${custodianIds.join(',')})`).pluck().all() as number[],
    messagesOfSource: (sourceId) => ofSource().all(sourceId) as number[],
    sourceExists: (sourceId) => sourceExists().get(sourceId) !== undefined,
    tags: () => tags().all() as { id: number; name: string }[],
    messagesTagged: (tagIds) => db.prepare(`SELECT message_id FROM message_tags WHERE tag_id IN (${tagIds.join(',')})`).pluck().all() as number[],
    messagesTaggedOfKind: (kinds) =>
      db.prepare(`SELECT DISTINCT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind IN (${kinds.map(() => '?').join(',')})`).pluck().all(...kinds) as number[],
    subjects: () => subjects().all() as [number, string][],
    attachmentNames: () => attachmentNames().all() as [number, string][],
    conversationsOnPlatform: (platform) => onPlatform().all(platform) as number[],
    platforms: () => platforms().all() as string[],
    messagesToHandles: (role, handleIds) =>
      db.prepare(`SELECT DISTINCT message_id FROM message_recipients WHERE role = ? AND handle_id IN (${handleIds.join(',')})`).pluck().all(role) as number[],
    hasLanguages: () => anyLanguage().get() !== undefined,
    messagesInLanguage: (lang) => inLanguage().all(lang) as number[],
    messagesWithEntityKind: (kind) => withEntityKind().all(kind) as number[],
    messagesWithEntityValue: (key) => withEntityValue().all(key) as number[],
    messagesWithReactions: () => withReactions().all() as number[],
  };
}
