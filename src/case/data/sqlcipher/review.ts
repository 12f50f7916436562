/** The review domain's readers and writers (saved searches, review units, review marks, facets, tagging, conversations, identities). */
import type { DB } from '../../store.ts';
import type { ReviewReaders, ReviewWriters } from '../interface.ts';
import { conversationReviewReader } from './conversation-review.ts';
import { facetReader } from './facets.ts';
import { identityReader, identityWriter } from './identities.ts';
import { reviewMarkReader, reviewMarkWriter } from './review-marks.ts';
import { reviewUnitReader } from './review-units.ts';
import { savedSearchReader, savedSearchWriter } from './saved-searches.ts';
import { taggingReader, taggingWriter } from './tagging.ts';

export function reviewReaders(db: DB): ReviewReaders {
  return { savedSearches: savedSearchReader(db), reviewUnits: reviewUnitReader(db), reviewMarks: reviewMarkReader(db), facets: facetReader(db), tagging: taggingReader(db), conversationReview: conversationReviewReader(db), identities: identityReader(db) };
}

export function reviewWriters(db: DB): ReviewWriters {
  return { savedSearches: savedSearchWriter(db), reviewMarks: reviewMarkWriter(db), tagging: taggingWriter(db), identities: identityWriter(db) };
}
