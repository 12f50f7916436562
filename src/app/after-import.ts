/**
 * What runs once an import is committed and searchable: the standing surveillance policies over
 * the messages it brought (alerts). Runs in the import job, so the CLI and the app both get it.
 */
import type { ImportResultDTO } from '../api/dto.ts';
import type { CaseSession } from './session.ts';
import { runPolicies } from '../surveillance/run.ts';

export function afterImport(session: CaseSession, result: ImportResultDTO): ImportResultDTO {
  if (result.alreadyImported) return result;
  return { ...result, surveillance: runPolicies(session, { sourceId: result.sourceId }) };
}
