/**
 * The gap report as a numbered list of findings, each with its evidence: the messages around it in
 * its conversation (every message from the finding's first to its last, and `around` more on
 * either side), with sender, time, text and which custodian's source held each copy. What the
 * report files (src/app/gap-report-file.ts) and tagging from a finding work from.
 */
import type { GapReportDTO } from '../../api/analysis-dto.ts';
import type { CaseSession } from '../../case/session.ts';
import { dataOf } from '../../case/data/index.ts';
import { getMessages } from '../../case/messages.ts';

export interface Finding {
  /** 1-based, in the report's order. */
  n: number;
  kind: 'Missing from a copy' | 'Hole in source ids' | 'Silence' | 'Deletions' | 'Not covered';
  conversationId: number | null;
  /** The conversation, or for findings outside one the source or custodian. */
  where: string;
  /** What was found, in one sentence. */
  summary: string;
  count: number;
  unit: 'messages' | 'ids' | 'days';
  first: string | null;
  last: string | null;
  /**
   * The finding's own messages (the missing, the deleted, the two either side of a silence), or for a
   * finding outside one conversation the messages that bound it (either side of an id hole, the ends
   * of the coverage around a part not covered).
   */
  messageIds: number[];
}

export interface EvidenceRow {
  messageId: number;
  conversation: string;
  /** Part of the finding itself, or a message around it. */
  inFinding: boolean;
  sentAt: string;
  sender: string;
  /** "Custodian: source" of every copy. */
  heldBy: string[];
  text: string;
  deleted: boolean;
}

/** Messages of context on either side of a finding, by default and at most. */
export const DEFAULT_AROUND = 3;
export const MAX_AROUND = 50;

/** A finding's evidence is cut at this many messages (a span missing from a copy can run to thousands). */
export const MAX_EVIDENCE = 500;

export function findingsOf(r: GapReportDTO): Finding[] {
  const out: Omit<Finding, 'n'>[] = [
    ...r.crossCustodian.map((g) => ({
      kind: 'Missing from a copy' as const, conversationId: g.conversationId, where: g.conversation,
      summary: `${g.count} message${g.count === 1 ? '' : 's'} missing from ${g.missingFrom}'s copy, held by ${g.presentIn.join(', ')}`,
      count: g.count, unit: 'messages' as const, first: g.first, last: g.last, messageIds: g.messageIds,
    })),
    ...r.deletions.map((d) => ({
      kind: 'Deletions' as const, conversationId: d.conversationId, where: d.conversation,
      summary: `${d.count} messages marked deleted by the source, in the copies of ${d.custodians.join(', ') || 'no custodian'} (${d.rule})`,
      count: d.count, unit: 'messages' as const, first: d.first, last: d.last, messageIds: d.messageIds,
    })),
    ...r.silences.map((s) => ({
      kind: 'Silence' as const, conversationId: s.conversationId, where: s.conversation, summary: s.statistic,
      count: s.days, unit: 'days' as const, first: s.from, last: s.to, messageIds: [s.beforeMessageId, s.afterMessageId],
    })),
    ...r.sequence.map((g) => ({
      kind: 'Hole in source ids' as const, conversationId: null, where: `source ${g.sourceId}`,
      summary: `${g.missing} id${g.missing === 1 ? '' : 's'} of ${g.field} missing between ${g.after} and ${g.before}`,
      count: g.missing, unit: 'ids' as const, first: null, last: null, messageIds: [g.messageBeforeHole.messageId, g.messageAfterHole.messageId],
    })),
    ...r.coverage.flatMap((c) =>
      c.uncovered.map((u) => ({
        kind: 'Not covered' as const, conversationId: null, where: c.custodian,
        summary: `no source of ${c.custodian} covers ${u.from} – ${u.to} of the matter range ${c.matterFrom} – ${c.matterTo}`,
        count: u.days, unit: 'days' as const, first: u.from, last: u.to,
        messageIds: [u.messageBefore, u.messageAfter].flatMap((m) => (m ? [m.messageId] : [])),
      })),
    ),
  ];
  return out.map((f, i) => ({ n: i + 1, ...f }));
}

/** The ids of a finding's evidence, in conversation order: its span and `around` messages either side. */
export function evidenceIds(session: CaseSession, conversationId: number, messageIds: readonly number[], around: number): number[] {
  return dataOf(session).read.findings.around(conversationId, messageIds, around);
}

/** A finding in a conversation lists its span with messages around it; one outside a conversation, its bounding messages. */
export function evidenceOf(session: CaseSession, f: Finding, around: number): { rows: EvidenceRow[]; cut: number } {
  if (!f.messageIds.length) return { rows: [], cut: 0 };
  const all = f.conversationId === null ? [...new Set(f.messageIds)] : evidenceIds(session, f.conversationId, f.messageIds, around);
  const ids = all.slice(0, MAX_EVIDENCE);
  const own = new Set(f.messageIds);
  const heldBy = new Map<number, string[]>();
  for (const [id, custodian, source] of dataOf(session).read.findings.provenance(ids)) {
    heldBy.set(id, [...(heldBy.get(id) ?? []), `${custodian ?? 'no custodian'}: ${source}`]);
  }
  const rows = getMessages(session, ids).map((m) => ({
    messageId: m.id, conversation: m.conversation, inFinding: own.has(m.id), sentAt: m.sentAt, sender: m.sender ?? m.senderHandle ?? '(system)',
    heldBy: heldBy.get(m.id) ?? [], text: m.text, deleted: m.deleted,
  }));
  return { rows, cut: all.length - ids.length };
}
