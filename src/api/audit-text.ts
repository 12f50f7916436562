/**
 * One sentence per audit entry, for people: the CLI's `audit` and the app's audit screen show it
 * beside the time and the actor; the entry's JSON stays the record (shown a click away, exported
 * with it). Pure TypeScript, no Node or DOM: the renderer imports it too.
 */
import type { AuditEntryDTO } from './dto.ts';

type D = Record<string, unknown>;

const obj = (v: unknown): D => (v && typeof v === 'object' && !Array.isArray(v) ? (v as D) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : 0);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const quoted = (v: unknown) => (str(v) ? `“${str(v)}”` : '');
const part = (d: D) => (typeof d.part === 'number' && typeof d.parts === 'number' ? ` (part ${d.part} of ${d.parts})` : '');

const SENTENCES: Record<string, (d: D) => string> = {
  'case.create': (d) => `Created the case${d.matter ? ` for matter ${quoted(d.matter)}` : ''}.`,
  'case.signing-key': (d) => `Made the case's signing key (Ed25519, fingerprint ${str(d.fingerprint)}).`,
  'case.rekey': () => 'Changed the case passphrase.',
  'case.display-tz': (d) => `Changed the display time zone from ${str(obj(d.before).displayTz)} to ${str(obj(d.after).displayTz)}.`,
  import: (d) => `Imported ${plural(num(d.messages), 'message')} from ${str(d.source)} (${str(d.format)}${d.custodian ? `, custodian ${str(d.custodian)}` : ''}).`,
  'import.rollback': (d) => `Rolled back import run ${str(d.runId)} (${str(d.reason)}): ${plural(num(d.rolledBackMessages), 'message')} removed.`,
  'import.skipped': (d) => `Skipped ${str(d.source)}: it was already imported.`,
  'tag.create': (d) => `Created tag ${quoted(obj(d.after).name)}.`,
  'tag.update': (d) => `Changed tag ${quoted(obj(d.after).name ?? obj(d.before).name)}.`,
  'tag.delete': (d) => `Deleted tag ${quoted(obj(d.before).name)}.`,
  'tag.apply': (d) => `Tagged ${plural(num(d.changed), 'message')} ${quoted(obj(d.tag).name)}${part(d)}.`,
  'tag.remove': (d) => `Removed tag ${quoted(obj(d.tag).name)} from ${plural(num(d.changed), 'message')}${part(d)}.`,
  'tag.basis': (d) => `Set the privilege basis of ${quoted(obj(d.tag).name)} on ${plural(num(d.changed), 'message')}${part(d)}.`,
  'review.mark': (d) => `Marked ${plural(num(d.changed), 'message')} reviewed${part(d)}.`,
  'review.unmark': (d) => `Took the reviewed mark off ${plural(num(d.changed), 'message')}${part(d)}.`,
  'note.add': () => 'Added a note.',
  'note.edit': () => 'Edited a note.',
  'note.delete': () => 'Deleted a note.',
  'field.create': (d) => `Created coding field ${quoted(obj(d.after).name)} (${str(obj(d.after).type)}).`,
  'field.delete': (d) => `Deleted coding field ${quoted(obj(d.before).name) || str(d.fieldId)}, clearing ${plural(num(d.cleared), 'value')}${part(d)}.`,
  'field.set': (d) =>
    d.after === null
      ? `Cleared ${quoted(obj(d.field).name)} on ${plural(num(d.changed), 'message')}${part(d)}.`
      : `Set ${quoted(obj(d.field).name)} to ${quoted(d.after)} on ${plural(num(d.changed), 'message')}${part(d)}.`,
  'hold.create': (d) => `Put legal hold ${quoted(obj(d.after).name)} on ${plural(num(d.messages), 'message')}.`,
  'hold.release': (d) => `Released legal hold ${quoted(d.name)} (${plural(num(d.messages), 'message')}): ${str(d.reason)}.`,
  'hold.extend': (d) => `Legal hold ${str(d.holdId)} now also covers ${plural(num(d.added), 'newly imported message')}.`,
  'hold.violation': (d) => `Refused ${str(d.attempted)}: ${plural(num(d.held), 'message')} under legal hold.`,
  'messages.delete': (d) => `Deleted ${plural(num(d.deleted), 'message')}${d.reason ? `: ${str(d.reason)}` : ''}${part(d)}.`,
  'conversation.delete': (d) => `Deleted conversation ${quoted(obj(d.target).name) || str(obj(d.target).conversationId)} (${plural(num(d.deleted), 'message')})${part(d)}.`,
  'retention.purge': (d) => `Retention purged ${plural(num(d.deleted), 'message')}${part(d)}.`,
  'retention.policy.create': (d) => `Created retention policy ${quoted(obj(d.after).name)}.`,
  'retention.policy.delete': (d) => `Deleted retention policy ${quoted(obj(d.before).name)}.`,
  'conversation.personal': (d) => `Marked conversation ${quoted(d.name) || str(d.conversationId)} ${obj(d.after).personal ? 'personal' : 'not personal'}.`,
  'identity.link': (d) => `Linked handles to participant ${quoted(obj(d.after).name)}${d.evidence ? ` on the evidence of the address book in ${str(obj(d.evidence).source)} (${str(obj(d.evidence).locator)})` : ''}.`,
  'identity.unlink': () => 'Unlinked a handle from its participant.',
  'identity.rename': (d) => `Renamed participant ${quoted(obj(d.before).name)} to ${quoted(obj(d.after).name)}.`,
  'production.create': (d) => `Produced ${plural(num(d.messages), 'message')} as ${str(d.format).toUpperCase()}${d.batesFirst ? `, Bates ${str(d.batesFirst)}–${str(d.batesLast)}` : ''}, into ${str(d.out)}.`,
  'production.cancel': (d) => `Cancelled a ${str(d.format).toUpperCase()} production.`,
  'production.fail': (d) => `A ${str(d.format).toUpperCase()} production failed: ${str(d.error)}`,
  'redaction.add': () => 'Added a redaction mark.',
  'redaction.remove': () => 'Removed a redaction mark.',
  'redaction.add-all': (d) => `Redacted every instance of a ${plural(num(d.textLength), 'character')} text: ${plural(num(d.added), 'mark')} in ${plural(num(d.messages), 'message')}.`,
  'search.save': (d) => `Saved the search ${quoted(obj(d.after).name)}: ${str(obj(d.after).query)}.`,
  'search.unsave': (d) => `Deleted the saved search ${quoted(obj(d.before).name)}.`,
  'search.reindex': () => 'Rebuilt the search index.',
  'policy.create': (d) => `Created surveillance policy ${quoted(obj(d.after).name)}.`,
  'policy.update': (d) => `Changed surveillance policy ${quoted(obj(d.after).name ?? obj(d.before).name)}.`,
  'surveillance.run': (d) => `Surveillance policies raised ${plural(num(d.total), 'alert')}${d.trigger === 'on demand' ? ' (run on demand)' : ' on an import'}.`,
  'alert.disposition': (d) =>
    `${obj(d.after).status === 'escalated' ? 'Escalated' : 'Closed as a false positive'} alert ${str(d.alertId)} of policy ${quoted(d.policy)}${obj(d.after).reason ? `: ${str(obj(d.after).reason)}` : ''}.`,
  'gaps.report': (d) => `Wrote the gap findings report ${str(d.path)} (${str(d.format)}, ${plural(num(d.findings), 'finding')}, SHA-256 ${str(d.sha256)}).`,
  'gaps.tag': (d) => `Tagged the ${plural(num(d.messageIds), 'message')} of a gap finding (${str(d.finding)}) ${quoted(d.tag)}.`,
  'batch.create': (d) => `Made batch set ${quoted(obj(d.after).name)}: ${plural(num(obj(d.after).units), 'review unit')} in ${plural(num(obj(d.after).batchCount), 'batch', 'batches')}${part(d)}.`,
  'batch.assign': (d) => (obj(d.after).assignee ? `Assigned batch ${str(d.number)} to ${str(obj(d.after).assignee)}.` : `Took batch ${str(d.number)} off ${str(obj(d.before).assignee)}.`),
  'batch.checkout': (d) => `Checked out batch ${str(d.number)}.`,
  'batch.checkin': (d) => `Checked in batch ${str(d.number)}${d.forced ? ` with ${plural(num(d.unreviewedUnits), 'unit')} unreviewed: ${str(d.reason)}` : ''}.`,
  'batch.checkout-offline': (d) => `Checked out batch ${str(d.number)} offline (${plural(num(d.messageIds), 'message')}, check-out ${str(d.checkout)}).`,
  'batch.checkin-offline': (d) =>
    `Checked in batch ${str(d.number)} from its offline file: ${plural(num(d.applied), 'change')} applied, ${plural(num(d.conflicts), 'conflict')} (${str(d.offlineWon)} won offline, ${str(d.serverWon)} on the matter), ${plural(num(d.notesAdded), 'note')} added.`,
  'case.offline-copy': (d) => `Made this file as an offline check-out of batch ${str(obj(d.manifest).number)} of matter ${quoted(obj(d.manifest).matter)}.`,
  'qc.sample': (d) => `Sampled ${str(d.percent)}% of each reviewer's reviewed units for QC (${plural(num(d.samples), 'unit')}, seed ${str(d.seed)}).`,
  'qc.confirm': (d) => `Confirmed ${str(d.reviewer)}'s coding of unit ${str(d.unit)} in QC.`,
  'qc.overturn': (d) => `Overturned ${str(d.reviewer)}'s coding of unit ${str(d.unit)} in QC${d.reason ? `: ${str(d.reason)}` : ''}.`,
  'messages.time-unknown': (d) => `Marked ${plural(num(d.messages), 'message')} time unknown (stored time outside 1970–2099).`,
};

export function describeAudit(action: string, details: unknown): string {
  const sentence = SENTENCES[action];
  if (sentence) {
    try {
      return sentence(obj(details)).replace(/\s+/g, ' ');
    } catch {
      // An entry of an unexpected shape still gets the generic line below.
    }
  }
  return `${action}.`;
}

/** "2026-12-02 14:05:33 GMT+1" in `tz` (the case's display zone). */
export function localAuditTime(iso: string, tz: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' });
  for (const x of f.formatToParts(d)) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName ?? ''}`.trim();
}

const CSV_COLUMNS = ['seq', 'time_utc', 'time_local', 'actor', 'action', 'description', 'details_json', 'hash'] as const;

function csvCell(value: string): string {
  // Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) is text, not a formula.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit log as CSV (RFC 4180, CRLF, UTF-8 with BOM for spreadsheets). */
export function auditCsv(entries: readonly AuditEntryDTO[], tz: string): string {
  const rows = entries.map((e) => [String(e.seq), e.at, localAuditTime(e.at, tz), e.actor, e.action, describeAudit(e.action, e.details), JSON.stringify(e.details), e.hash]);
  return `\uFEFF${[[...CSV_COLUMNS], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
