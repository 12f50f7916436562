/** The data interface on a matter in PostgreSQL: one schema per matter, one connection (a bridge) per data object. */
import { HoldfastError } from '../../../api/errors.ts';
import type { CaseData } from '../interface.ts';
import { auditAnchorReader, auditReader, auditWriter } from './audit.ts';
import { batchReader, batchWriter } from './batches.ts';
import { postgresBlobStore } from './blob-store.ts';
import { blobContentReader, blobContentWriter, blobReader } from './blobs.ts';
import { openBridge } from './bridge.ts';
import type { Bridge } from './bridge.ts';
import { caseFactsReader } from './case-facts.ts';
import { caseLockReader, caseLockWriter } from './case-lock.ts';
import { caseMetaReader, caseMetaWriter } from './case-meta.ts';
import { codingFieldReader, codingFieldWriter } from './coding-fields.ts';
import { conversationReviewReader } from './conversation-review.ts';
import { conversationReader, conversationWriter, custodianReader } from './conversations.ts';
import { dashboardReader } from './dashboard.ts';
import { enrichmentReader, enrichmentWriter } from './enrichment.ts';
import { facetReader } from './facets.ts';
import { findingReader } from './findings.ts';
import { gapReader } from './gaps.ts';
import { holdItemReader, holdItemWriter } from './hold-items.ts';
import { holdReader, holdWriter } from './holds.ts';
import { identityReader, identityWriter } from './identities.ts';
import { identityLinkReader, identityLinkWriter } from './identity-links.ts';
import { importRunReader, importRunWriter } from './import-runs.ts';
import { messageViewReader } from './message-view.ts';
import { messageReader } from './messages.ts';
import { migrateMatter } from './migrate.ts';
import { noteReader, noteWriter } from './notes.ts';
import { producedReader } from './produced.ts';
import { productionReader, productionWriter } from './productions.ts';
import { purgeWriter } from './purge.ts';
import { redactionReader, redactionWriter } from './redactions.ts';
import { retentionReader, retentionWriter } from './retention.ts';
import { reviewMarkReader, reviewMarkWriter } from './review-marks.ts';
import { reviewUnitReader } from './review-units.ts';
import { searchDocReader } from './search-docs.ts';
import { searchIndexReader, searchIndexWriter } from './search-index.ts';
import { searchLookupReader } from './search-lookups.ts';
import { savedSearchReader, savedSearchWriter } from './saved-searches.ts';
import { signingKeyReader, signingKeyWriter } from './signing-key.ts';
import { sliceReader, sliceWriter } from './slice.ts';
import { sourceReader } from './sources.ts';
import { surveillanceReader, surveillanceWriter } from './surveillance.ts';
import { tagGroupReader, tagGroupWriter, tagReader } from './tags.ts';
import { taggingReader, taggingWriter } from './tagging.ts';
import { transactionWriter } from './transaction.ts';

export interface PostgresData extends CaseData {
  /** The matter's schema (matter_<name>). */
  schema: string;
  schemaVersion: number;
  close(): void;
}

export interface PostgresDataOptions {
  /** The matter's name: lower-case letters, digits and underscores. */
  matter: string;
  /** How long one statement may take (default 60 s). */
  timeoutMs?: number;
}

export function matterSchema(matter: string): string {
  if (!/^[a-z0-9_]{1,50}$/.test(matter)) throw new HoldfastError('VALIDATION', `A matter's name is 1 to 50 lower-case letters, digits and underscores: ${JSON.stringify(matter)}`);
  return `matter_${matter}`;
}

function postgresData(b: Bridge): CaseData {
  const transaction = transactionWriter(b);
  const blobs = postgresBlobStore(b);
  return {
    read: {
      audit: auditReader(b), auditAnchors: auditAnchorReader(b), batches: batchReader(b), blobContent: blobContentReader(b, blobs), blobs: blobReader(b),
      caseFacts: caseFactsReader(b), caseLock: caseLockReader(b), caseMeta: caseMetaReader(b), conversationReview: conversationReviewReader(b),
      conversations: conversationReader(b), custodians: custodianReader(b), dashboard: dashboardReader(b), enrichment: enrichmentReader(b), facets: facetReader(b),
      fields: codingFieldReader(b), findings: findingReader(b), gaps: gapReader(b), holdItems: holdItemReader(b), holds: holdReader(b), identities: identityReader(b),
      identityLinks: identityLinkReader(b), importRuns: importRunReader(b), messageView: messageViewReader(b), messages: messageReader(b),
      notes: noteReader(b), produced: producedReader(b), productions: productionReader(b), redactions: redactionReader(b),
      retention: retentionReader(b), reviewMarks: reviewMarkReader(b), reviewUnits: reviewUnitReader(b), savedSearches: savedSearchReader(b),
      searchDocs: searchDocReader(b), searchIndex: searchIndexReader(b), searchLookups: searchLookupReader(b), signingKey: signingKeyReader(b), slice: sliceReader(b),
      sources: sourceReader(b), surveillance: surveillanceReader(b), tagGroups: tagGroupReader(b), tagging: taggingReader(b), tags: tagReader(b),
    },
    write: {
      audit: auditWriter(b), batches: batchWriter(b), blobContent: blobContentWriter(b, blobs), caseLock: caseLockWriter(b), caseMeta: caseMetaWriter(b), conversations: conversationWriter(b),
      enrichment: enrichmentWriter(b, transaction),
      fields: codingFieldWriter(b), holdItems: holdItemWriter(b), holds: holdWriter(b), identities: identityWriter(b),
      identityLinks: identityLinkWriter(b), importRuns: importRunWriter(b, transaction), notes: noteWriter(b), productions: productionWriter(b),
      purge: purgeWriter(b), redactions: redactionWriter(b), retention: retentionWriter(b), reviewMarks: reviewMarkWriter(b),
      savedSearches: savedSearchWriter(b), searchIndex: searchIndexWriter(b, transaction), signingKey: signingKeyWriter(b), slice: sliceWriter(b),
      surveillance: surveillanceWriter(b), tagGroups: tagGroupWriter(b), tagging: taggingWriter(b), transaction,
    },
  };
}

/** Connects, creates or migrates the matter's schema, and returns its data interface on that one connection. */
export function openPostgresData(url: string, opts: PostgresDataOptions): PostgresData {
  const schema = matterSchema(opts.matter);
  const b = openBridge(url, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
  let schemaVersion: number;
  try {
    schemaVersion = migrateMatter(b, schema);
    b.exec(`LISTEN ${schema}_changes`);
  } catch (e) {
    b.close();
    throw e;
  }
  return { ...postgresData(b), schema, schemaVersion, close: () => b.close() };
}
