/**
 * An offline check-out's file (src/review/batches/offline/) takes coding only: tags, review marks,
 * coding field values and notes, which its check-in merges into the matter. What would not come back,
 * or must happen on the matter for everyone (imports, holds, deletion and retention, the coding
 * layout, identities, productions, redactions, saved searches, surveillance, batches), is refused
 * in it with CASE_READ_ONLY, naming the matter and batch.
 */
import { HoldfastError } from '../api/errors.ts';
import type { MethodName } from '../api/methods/index.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseSession } from '../case/session.ts';
import { offlineCopyOf } from '../review/batches/offline/copy.ts';

const REFUSED_OFFLINE: ReadonlySet<MethodName> = new Set([
  'imports.start',
  'cases.setDisplayTz',
  'conversations.delete', 'conversations.setPersonal', 'messages.delete',
  'retention.run', 'retention.createPolicy', 'retention.deletePolicy',
  'holds.create', 'holds.release',
  'tags.create', 'tags.update', 'tags.delete', 'tags.createGroup', 'tags.updateGroup', 'tags.deleteGroup', 'fields.create', 'fields.delete',
  'identities.link', 'identities.unlink', 'identities.rename',
  'productions.start', 'redactions.add', 'redactions.remove', 'redactions.addAll',
  'search.save', 'search.deleteSaved',
  'surveillance.createPolicy', 'surveillance.addStarter', 'surveillance.editPolicy', 'surveillance.run', 'surveillance.disposition',
  'batches.create', 'batches.assign', 'batches.checkout', 'batches.checkin', 'batches.qcSample', 'batches.qcDecide', 'batches.checkoutOffline', 'batches.checkinOffline',
] satisfies MethodName[]);

export function refuseOffline(session: CaseSession, method: MethodName): void {
  if (!REFUSED_OFFLINE.has(method)) return;
  const copy = offlineCopyOf(dataOf(session));
  if (!copy) return;
  throw new HoldfastError(
    'CASE_READ_ONLY',
    `${method} is not done in an offline check-out: this file is batch ${copy.number} of "${copy.setName}" from matter "${copy.matter}". Offline, code, mark and annotate its messages; do the rest on the matter after checking the batch in.`,
    { method, matter: copy.matter, batch: copy.number },
  );
}
