/**
 * One import as a job: pick the importer, apply defaults, ingest, and wire what ingest does not know
 * of (the search index, legal holds). Shared by the CLI, the API and the worker.
 */
import type { CaseSession } from '../case/session.ts';
import type { ImportResultDTO } from '../api/dto.ts';
import { detectImporter, importerById } from '../importers/registry.ts';
import { ingest } from '../ingest/ingest.ts';
import { ImportIndexer } from '../search/import-indexer.ts';
import type { IngestProgress } from '../ingest/ingest.ts';
import { extendQueryHolds } from '../review/holds.ts';
import { applyHoldsToRun } from '../review/hold-scope.ts';
import { dataOf } from '../case/data/index.ts';

export interface ImportParams {
  source: string;
  format?: string | undefined;
  custodian?: string | undefined;
  tz?: string | undefined;
  dateOrder?: 'dmy' | 'mdy' | 'ymd' | undefined;
  conversation?: string | undefined;
  password?: string | undefined;
  /** The device owner's name in the source (WhatsApp text exports: sets each message's direction). */
  owner?: string | undefined;
  backupKey?: string | undefined;
  backupKeyFile?: string | undefined;
  region?: string | undefined;
}

/** The examiner's computer's zone: offered as a choice in the app, never used unasked for a source's times. */
export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The zone a source's wall-clock times (exports that write none) are read in, and why: the one the
 * examiner named, else the case's matter time zone — never the zone of the computer running the import.
 */
export function importTimeZone(matterTz: string, given: string | undefined): { zone: string; reason: string } {
  if (given) return { zone: given, reason: 'named for this import (--tz)' };
  return { zone: matterTz, reason: "the case's matter time zone (no zone was named for this import)" };
}

export async function runImport(session: CaseSession, params: ImportParams, signal: AbortSignal, onProgress?: (p: IngestProgress) => void): Promise<ImportResultDTO> {
  const importer = params.format ? importerById(params.format) : (await detectImporter(params.source)).importer;
  const indexer = new ImportIndexer(session);
  const tz = importTimeZone(session.displayTz, params.tz);
  const result = await ingest({
    data: dataOf(session),
    casePath: session.path,
    source: params.source,
    importer,
    options: {
      tz: tz.zone,
      ...(params.dateOrder ? { dateOrder: params.dateOrder } : {}),
      ...(params.conversation ? { conversation: params.conversation } : {}),
      ...(params.password ? { password: params.password } : {}),
      ...(params.owner?.trim() ? { owner: params.owner.trim() } : {}),
      ...(params.backupKey ? { backupKey: params.backupKey } : {}),
      ...(params.backupKeyFile ? { backupKeyFile: params.backupKeyFile } : {}),
      ...(params.region ? { region: params.region } : {}),
    },
    tzReason: tz.reason,
    custodian: params.custodian,
    actor: session.actor,
    signal,
    onProgress,
    onBatch: (docs) => indexer.batch(docs),
    applyHolds: applyHoldsToRun,
  }).catch((err: unknown) => {
    indexer.failed();
    throw err;
  });
  indexer.finish();
  // Query holds extend to what this import added, once the run is committed and searchable.
  if (result.runId !== null) extendQueryHolds(session, result.runId);
  return {
    sourceId: result.sourceId, format: result.format, sha256: result.sha256, alreadyImported: result.alreadyImported,
    messages: result.messages, conversations: result.conversations, attachments: result.attachments,
    duplicatesSkipped: result.duplicatesSkipped, warnings: result.warnings, warningCount: result.warningCount, report: result.report,
  };
}
