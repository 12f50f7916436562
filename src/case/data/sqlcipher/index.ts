/** The data interface on a SQLCipher case file (better-sqlite3-multiple-ciphers). */
import type { DB } from './connection.ts';
import type { CaseData } from '../interface.ts';
import { auditReader, auditWriter } from './audit.ts';
import { blobReader } from './blobs.ts';
import { codingFieldReader, codingFieldWriter } from './coding-fields.ts';
import { conversationReader, conversationWriter, custodianReader } from './conversations.ts';
import { findingReader } from './findings.ts';
import { holdReader, holdWriter } from './holds.ts';
import { messageReader } from './messages.ts';
import { noteReader, noteWriter } from './notes.ts';
import { reviewReaders, reviewWriters } from './review.ts';
import { producedReader } from './produced.ts';
import { productionReader, productionWriter } from './productions.ts';
import { redactionReader, redactionWriter } from './redactions.ts';
import { tagGroupReader, tagGroupWriter } from './tag-groups.ts';
import { tagReader } from './tags.ts';
import { transactionWriter } from './transaction.ts';
import { importRunReader, importRunWriter } from './import-runs.ts';
import { blobContentReader, blobContentWriter } from './blob-content.ts';
import { sourceReader } from './sources.ts';
import { messageViewReader } from './message-view.ts';
import { caseFactsReader } from './case-facts.ts';
import { dashboardReader } from './dashboard.ts';
import { identityLinkReader, identityLinkWriter } from './identity-links.ts';
import { caseLockReader, caseLockWriter } from './case-lock.ts';
import { signingKeyReader, signingKeyWriter } from './signing-key.ts';
import { auditAnchorReader } from './audit-anchors.ts';
import { searchDocReader } from './search-docs.ts';
import { searchIndexReader, searchIndexWriter } from './search-index.ts';
import { searchLookupReader } from './search-lookups.ts';
import { surveillanceReader, surveillanceWriter } from './surveillance.ts';
import { gapReader } from './gaps.ts';
import { enrichmentReader, enrichmentWriter } from './enrichment.ts';
import { caseMetaReader, caseMetaWriter } from './meta.ts';
import { batchReader, batchWriter } from './batches.ts';
import { sliceReader, sliceWriter } from './slice.ts';

export function sqlcipherData(db: DB): CaseData {
  return {
    read: { audit: auditReader(db), blobs: blobReader(db), conversations: conversationReader(db), custodians: custodianReader(db), messages: messageReader(db), tags: tagReader(db), notes: noteReader(db), holds: holdReader(db), tagGroups: tagGroupReader(db),
      importRuns: importRunReader(db), blobContent: blobContentReader(db), sources: sourceReader(db), messageView: messageViewReader(db),
      caseFacts: caseFactsReader(db), dashboard: dashboardReader(db), identityLinks: identityLinkReader(db), caseLock: caseLockReader(db),
      signingKey: signingKeyReader(db), auditAnchors: auditAnchorReader(db), ...reviewReaders(db),
      productions: productionReader(db), produced: producedReader(db), redactions: redactionReader(db),
      searchDocs: searchDocReader(db), searchLookups: searchLookupReader(db), searchIndex: searchIndexReader(db), surveillance: surveillanceReader(db),
      fields: codingFieldReader(db), findings: findingReader(db), gaps: gapReader(db), enrichment: enrichmentReader(db), caseMeta: caseMetaReader(db), batches: batchReader(db), slice: sliceReader(db) },
    write: { audit: auditWriter(db), conversations: conversationWriter(db), notes: noteWriter(db), holds: holdWriter(db), tagGroups: tagGroupWriter(db),
      transaction: transactionWriter(db), importRuns: importRunWriter(db), blobContent: blobContentWriter(db), identityLinks: identityLinkWriter(db),
      caseLock: caseLockWriter(db), signingKey: signingKeyWriter(db), ...reviewWriters(db),
      productions: productionWriter(db), redactions: redactionWriter(db),
      searchIndex: searchIndexWriter(db), surveillance: surveillanceWriter(db),
      fields: codingFieldWriter(db), enrichment: enrichmentWriter(db), caseMeta: caseMetaWriter(db), batches: batchWriter(db), slice: sliceWriter(db) },
  };
}
