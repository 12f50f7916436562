/** A schema step: SQL run in one transaction, after a backup of the file. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}
