/**
 * What runs once an import is committed and searchable, in the import job (so the CLI and the app
 * both get it): enrichment of the messages it brought (language, entities), then the standing
 * surveillance policies over them (alerts), so a policy may use entity: and lang: terms.
 */
import type { ImportResultDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { enrichPending } from '../enrich/enrich.ts';
import { runPolicies } from '../surveillance/run.ts';

export function afterImport(session: CaseSession, result: ImportResultDTO, signal?: AbortSignal): ImportResultDTO {
  if (result.alreadyImported) return result;
  const enriched = enrichPending(session, signal);
  return { ...result, enriched: enriched.messages, surveillance: runPolicies(session, { sourceId: result.sourceId }) };
}
