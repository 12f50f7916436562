import type { DB } from '../data/sqlcipher/connection.ts';

/** A schema step: SQL run in one transaction, after a backup of the file. */
export interface Migration {
  version: number;
  name: string;
  up: string;
  /** Work SQL alone cannot do (hashing), run just before `up` in the same transaction; only when upgrading an existing case. */
  before?: (db: DB) => void;
}
