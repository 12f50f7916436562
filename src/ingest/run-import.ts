/** One import as a job: pick the importer, apply defaults, ingest. Shared by the CLI, the API and the worker. */
import type { CaseSession } from '../session/session.ts';
import type { ImportResultDTO } from '../api/dto.ts';
import { detectImporter, importerById } from '../importers/registry.ts';
import { ingest } from './ingest.ts';
import { ImportIndexer } from '../search/import-indexer.ts';
import type { IngestProgress } from './ingest.ts';
import { extendQueryHolds } from '../review/holds.ts';

export interface ImportParams {
  source: string;
  format?: string | undefined;
  custodian?: string | undefined;
  tz?: string | undefined;
  dateOrder?: 'dmy' | 'mdy' | 'ymd' | undefined;
  conversation?: string | undefined;
  password?: string | undefined;
  region?: string | undefined;
}

/** The examiner's zone when the source carries none. */
export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export async function runImport(session: CaseSession, params: ImportParams, signal: AbortSignal, onProgress?: (p: IngestProgress) => void): Promise<ImportResultDTO> {
  const importer = params.format ? importerById(params.format) : (await detectImporter(params.source)).importer;
  const indexer = new ImportIndexer(session);
  const result = await ingest({
    db: session.db,
    casePath: session.path,
    source: params.source,
    importer,
    options: {
      tz: params.tz ?? defaultTimeZone(),
      ...(params.dateOrder ? { dateOrder: params.dateOrder } : {}),
      ...(params.conversation ? { conversation: params.conversation } : {}),
      ...(params.password ? { password: params.password } : {}),
      ...(params.region ? { region: params.region } : {}),
    },
    custodian: params.custodian,
    actor: session.actor,
    signal,
    onProgress,
    onMessagesCommitted: (docs) => indexer.committed(docs),
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
    duplicatesSkipped: result.duplicatesSkipped, warnings: result.warnings, warningCount: result.warningCount,
  };
}
