import type { PgMigration } from './types.ts';
import { initial } from './001-initial.ts';
import { integrity } from './002-integrity.ts';
import { withheldItems } from './003-withheld-items.ts';
import { recipientsTimeSource } from './004-recipients-time-source.ts';
import { tagGroups } from './005-tag-groups.ts';
import { reviewsSavedSearches } from './006-reviews-saved-searches.ts';
import { surveillanceEnrichment } from './007-surveillance-enrichment.ts';
import { codingFields } from './008-coding-fields.ts';
import { reviewBatches } from './009-review-batches.ts';
import { offlineCheckout } from './010-offline-checkout.ts';

/** Ordered like src/case/migrations/index.ts, version for version; checked at load. */
export const PG_MIGRATIONS: readonly PgMigration[] = [initial, integrity, withheldItems, recipientsTimeSource, tagGroups, reviewsSavedSearches, surveillanceEnrichment, codingFields, reviewBatches, offlineCheckout];

for (const [i, m] of PG_MIGRATIONS.entries()) {
  if (m.version !== i + 1) throw new Error(`PostgreSQL migration registry out of order: ${m.name} has version ${m.version}, expected ${i + 1}`);
}
