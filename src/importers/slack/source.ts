/**
 * A Slack export as a set of named files, whether it is a folder or a zip (the shared export tree).
 * JSON files are small (one channel-day each) and are read whole.
 */
import type { ExportTree } from '../export-tree/tree.ts';
import { openExportTree } from '../export-tree/tree.ts';

/** A channel-day file larger than this is not a Slack export file (guards memory). */
export const MAX_JSON_BYTES = 512 * 1024 ** 2;

export type SlackSource = ExportTree;

/** Exports zipped with their folder have one top-level directory; paths are taken below it. */
function zipPrefix(names: string[]): string {
  if (names.some((n) => n === 'users.json' || n === 'channels.json')) return '';
  const top = new Set(names.map((n) => n.split('/')[0]));
  if (top.size === 1) {
    const [only] = [...top];
    if (names.some((n) => n === `${only}/users.json` || n === `${only}/channels.json`)) return `${only}/`;
  }
  return '';
}

export async function openSlackSource(p: string): Promise<SlackSource> {
  return openExportTree(p, 'Slack export', zipPrefix);
}

/** Cheap check used by detect: the export's index files at its root. */
export function isSlackLayout(files: Iterable<string>): boolean {
  const set = new Set(files);
  return set.has('users.json') && ['channels.json', 'groups.json', 'dms.json', 'mpims.json'].some((f) => set.has(f));
}
