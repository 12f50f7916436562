/**
 * Id lists in SQL. Selections can run to hundreds of thousands of messages, past SQLite's
 * parameter limit, so they travel as one JSON array bound to `json_each(?)`.
 */

/** `IN (SELECT value FROM json_each(?))` with this bound to the `?`. */
export function jsonIds(ids: Iterable<number>): string {
  return JSON.stringify([...ids]);
}

export const IN_IDS = 'IN (SELECT value FROM json_each(?))';
