/**
 * Who may call what on the matter server: six roles, each granting a set of permissions, and the
 * permission every method of the contract needs. The table is keyed by MethodName, so a method added
 * to the contract without an entry here does not compile. The same tables are in docs/SERVER.md.
 */
import type { MethodName } from '../../api/methods/index.ts';

export const ROLES = ['admin', 'project-manager', 'reviewer', 'qc-reviewer', 'producer', 'read-only'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type Permission =
  /** Read, search and view the case: messages, tags, notes, holds, productions, the audit log. */
  | 'view'
  /** First-level coding: tags, review marks, notes, coding field values, redaction marks. */
  | 'code'
  /** Second-level calls on what others marked: taking a redaction off, disposing of an alert. */
  | 'overturn'
  /** Running the review: coding layout, holds, saved searches, imports, identities, policies, case-wide jobs. */
  | 'manage'
  /** Productions and exports that leave the case (spreadsheets, reports written to disk). */
  | 'produce'
  /** Cancelling a running job (an import, a production, a reindex). */
  | 'cancel'
  /** The host and the case itself: opening, creating, rekeying, settings, deletions, retention. */
  | 'administer';

export const GRANTS: { readonly [R in Role]: readonly Permission[] } = {
  admin: ['view', 'code', 'overturn', 'manage', 'produce', 'cancel', 'administer'],
  'project-manager': ['view', 'code', 'manage', 'cancel'],
  'qc-reviewer': ['view', 'code', 'overturn'],
  reviewer: ['view', 'code'],
  producer: ['view', 'produce', 'cancel'],
  'read-only': ['view'],
};

export const METHOD_PERMISSIONS: { readonly [M in MethodName]: Permission } = {
  'app.info': 'view',
  // A native dialog exists only on the desktop host.
  'dialog.pickPath': 'administer',
  'cases.create': 'administer',
  'cases.open': 'administer',
  'cases.close': 'administer',
  'cases.current': 'view',
  'cases.info': 'view',
  'cases.rekey': 'administer',
  'cases.setDisplayTz': 'administer',
  // The host's list of case file paths.
  'cases.recent': 'administer',
  'cases.forget': 'administer',
  'imports.formats': 'view',
  // Reads a path on the server's disk.
  'imports.detect': 'manage',
  'imports.start': 'manage',
  'sources.list': 'view',
  'sources.files': 'view',
  'jobs.list': 'view',
  'jobs.get': 'view',
  'jobs.cancel': 'cancel',
  'conversations.list': 'view',
  'conversations.get': 'view',
  'conversations.messages': 'view',
  'conversations.units': 'view',
  'conversations.unitMessages': 'view',
  'conversations.slices': 'view',
  'conversations.sliceIds': 'view',
  'conversations.delete': 'administer',
  'conversations.setPersonal': 'manage',
  'messages.get': 'view',
  'messages.tags': 'view',
  'messages.thread': 'view',
  'messages.delete': 'administer',
  'search.query': 'view',
  'search.cancel': 'view',
  'search.inConversation': 'view',
  'search.highlights': 'view',
  'search.facets': 'view',
  'search.saved': 'view',
  'search.save': 'manage',
  'search.deleteSaved': 'manage',
  'search.exportXlsx': 'produce',
  'search.reindex': 'manage',
  'search.terms': 'view',
  'tags.list': 'view',
  'tags.create': 'manage',
  'tags.update': 'manage',
  'tags.delete': 'manage',
  'tags.apply': 'code',
  'tags.remove': 'code',
  'tags.basis': 'view',
  'tags.undo': 'code',
  'tags.groups': 'view',
  'tags.createGroup': 'manage',
  'tags.updateGroup': 'manage',
  'tags.deleteGroup': 'manage',
  'review.mark': 'code',
  'review.progress': 'view',
  'review.of': 'view',
  'notes.list': 'view',
  'notes.add': 'code',
  'notes.edit': 'code',
  'notes.delete': 'code',
  'fields.list': 'view',
  'fields.create': 'manage',
  'fields.delete': 'manage',
  'fields.values': 'view',
  'fields.set': 'code',
  'holds.create': 'manage',
  'holds.preview': 'view',
  'holds.list': 'view',
  'holds.get': 'view',
  'holds.release': 'manage',
  'retention.run': 'administer',
  'retention.policies': 'view',
  'retention.createPolicy': 'administer',
  'retention.deletePolicy': 'administer',
  'identities.list': 'view',
  'identities.suggest': 'view',
  'identities.link': 'manage',
  'identities.unlink': 'manage',
  'identities.rename': 'manage',
  'productions.start': 'produce',
  'productions.preview': 'produce',
  'productions.list': 'view',
  'productions.get': 'view',
  'productions.verify': 'produce',
  'redactions.list': 'view',
  'redactions.add': 'code',
  'redactions.remove': 'overturn',
  'redactions.addAll': 'code',
  'audit.head': 'view',
  'audit.anchors': 'view',
  'audit.export': 'view',
  'audit.list': 'view',
  // Rehashes every message and blob: a heavy job on a shared server.
  'verify.run': 'manage',
  'stats.dashboard': 'view',
  'analysis.gaps': 'view',
  // Writes a report file on the server's disk.
  'analysis.gapsReport': 'produce',
  'analysis.tagFinding': 'code',
  'enrich.ocr': 'manage',
  'enrich.ocrOptions': 'view',
  'enrich.pending': 'manage',
  'enrich.imageText': 'view',
  'enrich.entities': 'view',
  'surveillance.policies': 'view',
  'surveillance.createPolicy': 'manage',
  'surveillance.addStarter': 'manage',
  'surveillance.editPolicy': 'manage',
  'surveillance.run': 'manage',
  'surveillance.alerts': 'view',
  'surveillance.disposition': 'overturn',
  'batches.create': 'manage',
  'batches.list': 'view',
  'batches.get': 'view',
  'batches.assign': 'manage',
  // Checking out and in is a reviewer's own work on a batch.
  'batches.checkout': 'code',
  'batches.checkin': 'code',
  // Offline the same: the engine lets a reviewer take only a batch assigned to them or to no one.
  'batches.checkoutOffline': 'code',
  'batches.checkinOffline': 'code',
  // What check-ins found both sides changing is the project manager's to sort out.
  'batches.conflicts': 'manage',
  'batches.progress': 'view',
  // Drawing the QC queue is running the review; deciding on a sample is the second-level call.
  'batches.qcSample': 'manage',
  'batches.qcQueue': 'view',
  'batches.qcDecide': 'overturn',
  // The app's own connection to a matter server, like opening a case on the host: never served by a server.
  'matters.connect': 'administer',
  'matters.disconnect': 'administer',
  'matters.current': 'administer',
  'matters.recent': 'administer',
};

export function mayCall(role: Role, method: MethodName): boolean {
  return GRANTS[role].includes(METHOD_PERMISSIONS[method]);
}
