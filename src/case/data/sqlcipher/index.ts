/** The data interface on a SQLCipher case file (better-sqlite3-multiple-ciphers). */
import type { DB } from '../../store.ts';
import type { CaseData } from '../interface.ts';
import { auditReader, auditWriter } from './audit.ts';
import { blobReader } from './blobs.ts';
import { conversationReader, conversationWriter, custodianReader } from './conversations.ts';
import { findingReader } from './findings.ts';
import { holdReader, holdWriter } from './holds.ts';
import { messageReader } from './messages.ts';
import { noteReader, noteWriter } from './notes.ts';
import { tagGroupReader, tagGroupWriter } from './tag-groups.ts';
import { tagReader } from './tags.ts';

export function sqlcipherData(db: DB): CaseData {
  return {
    read: { audit: auditReader(db), blobs: blobReader(db), conversations: conversationReader(db), custodians: custodianReader(db), messages: messageReader(db), tags: tagReader(db), notes: noteReader(db), holds: holdReader(db), tagGroups: tagGroupReader(db), findings: findingReader(db) },
    write: { audit: auditWriter(db), conversations: conversationWriter(db), notes: noteWriter(db), holds: holdWriter(db), tagGroups: tagGroupWriter(db) },
  };
}
