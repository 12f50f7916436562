import type { Migration } from './types.ts';

/**
 * A production records the messages it withheld (privileged) under the Bates number of their slip
 * sheet, beside the messages it produced: the privilege log lists exactly those numbers.
 */
export const withheldItems: Migration = {
  version: 3,
  name: 'withheld-items',
  up: `
ALTER TABLE production_items ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0;
`,
};
