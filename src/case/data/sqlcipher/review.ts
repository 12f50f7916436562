/** The review domain's readers and writers (saved searches, review units, review marks, facets, tagging, conversations, identities, hold items, purge, retention). */
import type { DB } from './connection.ts';
import type { ReviewReaders, ReviewWriters } from '../interface.ts';
import { conversationReviewReader } from './conversation-review.ts';
import { facetReader } from './facets.ts';
import { holdItemReader, holdItemWriter } from './hold-items.ts';
import { identityReader, identityWriter } from './identities.ts';
import { purgeWriter } from './purge.ts';
import { retentionReader, retentionWriter } from './retention.ts';
import { reviewMarkReader, reviewMarkWriter } from './review-marks.ts';
import { reviewUnitReader } from './review-units.ts';
import { savedSearchReader, savedSearchWriter } from './saved-searches.ts';
import { taggingReader, taggingWriter } from './tagging.ts';

export function reviewReaders(db: DB): ReviewReaders {
  return {
    savedSearches: savedSearchReader(db), reviewUnits: reviewUnitReader(db), reviewMarks: reviewMarkReader(db), facets: facetReader(db), tagging: taggingReader(db),
    conversationReview: conversationReviewReader(db), identities: identityReader(db), holdItems: holdItemReader(db), retention: retentionReader(db),
  };
}

export function reviewWriters(db: DB): ReviewWriters {
  return {
    savedSearches: savedSearchWriter(db), reviewMarks: reviewMarkWriter(db), tagging: taggingWriter(db), identities: identityWriter(db),
    holdItems: holdItemWriter(db), purge: purgeWriter(db), retention: retentionWriter(db),
  };
}
