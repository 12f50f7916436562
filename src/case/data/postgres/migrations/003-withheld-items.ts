import type { PgMigration } from './types.ts';

/** src/case/migrations/003-withheld-items.ts: withheld (privileged) items of a production. */
export const withheldItems: PgMigration = {
  version: 3,
  name: 'withheld-items',
  up: `
ALTER TABLE production_items ADD COLUMN withheld bigint NOT NULL DEFAULT 0;
`,
};
