/** The whole deletion-gap report of a case: cross-custodian, sequence, silence, coverage and deletion-cluster findings. */
import type { GapReportDTO } from '../../api/analysis-dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { CaseSession } from '../../case/session.ts';
import { dataOf } from '../../case/data/index.ts';
import { coverage } from './coverage.ts';
import { crossCustodianGaps } from './cross-custodian.ts';
import { DEFAULT_WINDOW_MINUTES, deletionClusters } from './deletions.ts';
import { sequenceGaps } from './sequence.ts';
import { DEFAULT_MIN_DAYS, silences } from './silences.ts';

export interface GapOptions {
  /** The matter's date range (UTC ms); by default the first to the last message of the case. */
  from?: number;
  to?: number;
  /** The shortest silence reported, in days. */
  minSilenceDays?: number;
  /** The longest time between two deletions of one cluster, in minutes. */
  deletionWindowMinutes?: number;
}

export function gapReport(session: CaseSession, opts: GapOptions = {}): GapReportDTO {
  const { gaps, findings } = dataOf(session).read;
  const conversations = gaps.conversations();
  const names = gaps.custodianNames();
  const span = gaps.caseSpan();
  const from = opts.from ?? span.from;
  const to = opts.to ?? span.to;
  if (from !== null && to !== null && from > to) throw new HoldfastError('VALIDATION', 'the matter range ends before it starts');
  const ends = new Map(gaps.sourceWindowEnds().map(([sourceId, first, firstIn, last, lastIn]) => [
    sourceId, { first: { messageId: first, conversationId: firstIn }, last: { messageId: last, conversationId: lastIn } },
  ]));
  return {
    crossCustodian: crossCustodianGaps(gaps.messageCopies(), conversations, names),
    sequence: sequenceGaps(gaps.sourceLocators(), conversations),
    silences: silences(gaps.datedMessages(), conversations, opts.minSilenceDays ?? DEFAULT_MIN_DAYS),
    coverage: from === null || to === null ? [] : coverage(gaps.sourceSpans(), names, { from, to }, ends),
    deletions: deletionClusters(findings.deletedCopies(), conversations, names, opts.deletionWindowMinutes ?? DEFAULT_WINDOW_MINUTES),
  };
}
