/** The whole deletion-gap report of a case: cross-custodian, sequence, silence, coverage and deletion-cluster findings. */
import type { GapReportDTO } from '../../api/analysis-dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { DB } from '../../case/store.ts';
import { dataOfConnection } from '../../case/data/index.ts';
import { coverage } from './coverage.ts';
import { crossCustodianGaps } from './cross-custodian.ts';
import { DEFAULT_WINDOW_MINUTES, deletionClusters } from './deletions.ts';
import { sequenceGaps } from './sequence.ts';
import { DEFAULT_MIN_DAYS, silences } from './silences.ts';
import { caseSpan, conversationRefs, custodianNames, datedMessages, messageCopies, sourceSpans } from './store.ts';

export interface GapOptions {
  /** The matter's date range (UTC ms); by default the first to the last message of the case. */
  from?: number;
  to?: number;
  /** The shortest silence reported, in days. */
  minSilenceDays?: number;
  /** The longest time between two deletions of one cluster, in minutes. */
  deletionWindowMinutes?: number;
}

export function gapReport(db: DB, opts: GapOptions = {}): GapReportDTO {
  const conversations = conversationRefs(db);
  const names = custodianNames(db);
  const span = caseSpan(db);
  const from = opts.from ?? span.from;
  const to = opts.to ?? span.to;
  if (from !== null && to !== null && from > to) throw new HoldfastError('VALIDATION', 'the matter range ends before it starts');
  const findings = dataOfConnection(db).read.findings;
  const ends = new Map(findings.sourceWindowEnds().map(([sourceId, first, firstIn, last, lastIn]) => [
    sourceId, { first: { messageId: first, conversationId: firstIn }, last: { messageId: last, conversationId: lastIn } },
  ]));
  return {
    crossCustodian: crossCustodianGaps(messageCopies(db), conversations, names),
    sequence: sequenceGaps(findings.sourceLocators(), conversations),
    silences: silences(datedMessages(db), conversations, opts.minSilenceDays ?? DEFAULT_MIN_DAYS),
    coverage: from === null || to === null ? [] : coverage(sourceSpans(db), names, { from, to }, ends),
    deletions: deletionClusters(findings.deletedCopies(), conversations, names, opts.deletionWindowMinutes ?? DEFAULT_WINDOW_MINUTES),
  };
}
