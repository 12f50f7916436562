/**
 * Domain code holds the data interface, not the SQLite connection, so a second storage back end can
 * run it: no file outside the data layer imports better-sqlite3, takes the `DB` type, builds a data
 * object on a bare connection (`dataOfConnection`) or reaches through the open case to its connection
 * (`session.db`). The migrations and importers (which read the sources' own databases) are outside the
 * rule; the entry points that open a connection are named below. The list of files still to move only
 * shrinks: a file that starts holding the connection fails, and so does a listed one that no longer does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/case.ts';
import { files } from './imports.ts';

const EXEMPT = ['src/case/data/', 'src/case/migrations/', 'src/importers/'];

/** Where a case's connection is opened and handed to the data layer. */
const ENTRY_POINTS = ['src/case/open.ts', 'src/case/session.ts'];

/** Still to move to the open case or its data interface. */
const STILL_HOLDING_THE_CONNECTION = [
  'src/app/app-context.ts',
  'src/app/attachments.ts',
  'src/app/finding-tags.ts',
  'src/app/handlers/audit.ts',
  'src/app/handlers/cases.ts',
  'src/app/handlers/imports.ts',
  'src/app/jobs/handlers.ts',
  'src/app/run-import.ts',
  'src/case/anchors.ts',
  'src/case/blobs.ts',
  'src/case/info.ts',
  'src/case/lock.ts',
  'src/case/review-status.ts',
  'src/case/review-units.ts',
  'src/case/runs.ts',
  'src/case/signing-key.ts',
  'src/case/sources.ts',
  'src/case/verify.ts',
  'src/enrich/ocr.ts',
  'src/ingest/identity-links.ts',
  'src/ingest/ingest.ts',
  'src/production/abandoned.ts',
  'src/production/bates.ts',
  'src/production/blob-read.ts',
  'src/production/definition.ts',
  'src/production/earlier-anchors.ts',
  'src/production/formats/dat.ts',
  'src/production/formats/pdf.ts',
  'src/production/formats/rsmf.ts',
  'src/production/formats/xlsx.ts',
  'src/production/manifest.ts',
  'src/production/run.ts',
  'src/production/signature.ts',
  'src/production/units.ts',
  'src/review/audit-items.ts',
  'src/review/coding-fields.ts',
  'src/review/conversations.ts',
  'src/review/delete.ts',
  'src/review/hold-scope.ts',
  'src/review/holds.ts',
  'src/review/identities.ts',
  'src/review/ids.ts',
  'src/review/notes.ts',
  'src/review/personal.ts',
  'src/review/purge.ts',
  'src/review/retention.ts',
  'src/review/reviewed.ts',
  'src/review/saved-searches.ts',
  'src/review/slices.ts',
  'src/review/tag-groups.ts',
  'src/review/tags.ts',
  'src/review/targets.ts',
  'src/review/threads.ts',
  'src/review/time-zone.ts',
  'src/review/units.ts',
  'src/review/verify-counts.ts',
  'src/search/evaluate.ts',
  'src/search/index-manager.ts',
  'src/search/search.ts',
  'src/server/server.ts',
];

const CONNECTION =
  /from ['"]better-sqlite3-multiple-ciphers['"]|import type \{[^}]*\bDB\b[^}]*\} from|\bdataOfConnection\b|\bsession(\(\))?\.db\b|\.db\.(transaction|prepare|exec|pragma|inTransaction|open)\b/;

function holdsConnection(file: string): boolean {
  return CONNECTION.test(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

test('only the data layer and the named entry points hold the SQLite connection (and the shrinking list still to move)', () => {
  const holding = files('src').filter((f) => !EXEMPT.some((d) => f.startsWith(d)) && !ENTRY_POINTS.includes(f) && holdsConnection(f));
  assert.deepEqual(holding.filter((f) => !STILL_HOLDING_THE_CONNECTION.includes(f)).sort(), [], 'take the open case or dataOf(session) instead of the connection');
  assert.deepEqual(STILL_HOLDING_THE_CONNECTION.filter((f) => !holding.includes(f)), [], 'these no longer hold the connection: take them off the list');
});

test('the check sees the connection where it is held', () => {
  assert.ok(ENTRY_POINTS.every(holdsConnection));
  assert.ok(files('src/case/data').some(holdsConnection));
});
