/** A schema step for a matter's PostgreSQL schema: SQL run in one transaction, recorded in schema_version. */
export interface PgMigration {
  version: number;
  name: string;
  up: string;
}
