/**
 * Silences far outside a conversation's usual rhythm. The test is Tukey's "far out" fence on the
 * conversation's own gaps between consecutive messages: a gap longer than Q3 + 3 × IQR (quartiles
 * by linear interpolation) is an outlier by a rule any statistics text describes, with no
 * assumption about how the gaps are distributed. Two guards keep it meaningful: the conversation
 * needs at least MIN_GAPS gaps for quartiles to say anything, and the silence must also last at
 * least `minDays` (default 4: longer than a long weekend), so a busy chat's nights are not flagged.
 */
import type { SilenceDTO } from '../../api/analysis-dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { ConversationRef } from '../../case/data/interface.ts';

export const MIN_GAPS = 20;
export const FENCE_IQRS = 3;
export const DEFAULT_MIN_DAYS = 4;
const DAY_MS = 86_400_000;

/** The q-quantile of sorted values, interpolating linearly between ranks. */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const days = (ms: number) => Math.round((ms / DAY_MS) * 100) / 100;

function conversationSilences(conv: ConversationRef, ids: readonly number[], times: readonly number[], minDays: number): SilenceDTO[] {
  if (times.length - 1 < MIN_GAPS) return [];
  const gaps = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  const sorted = Float64Array.from(gaps).sort();
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const fence = q3 + FENCE_IQRS * (q3 - q1);
  const floor = minDays * DAY_MS;
  const out: SilenceDTO[] = [];
  for (let i = 0; i < gaps.length; i++) {
    const gap = gaps[i]!;
    if (gap <= fence || gap < floor) continue;
    out.push({
      conversationId: conv.id, conversation: conv.name, from: isoTime(times[i]!)!, to: isoTime(times[i + 1]!)!, days: days(gap),
      statistic: `gap of ${days(gap)} days > Q3 + ${FENCE_IQRS}×IQR = ${days(fence)} days (Tukey far-out fence over the conversation's ${gaps.length} gaps between messages: Q1 ${days(q1)} days, Q3 ${days(q3)} days; and ≥ ${minDays} days)`,
      beforeMessageId: ids[i]!, afterMessageId: ids[i + 1]!,
    });
  }
  return out;
}

/** `rows`: dated messages in conversation then time order (store.datedMessages). */
export function silences(rows: Iterable<[number, number, number]>, conversations: ReadonlyMap<number, ConversationRef>, minDays = DEFAULT_MIN_DAYS): SilenceDTO[] {
  const out: SilenceDTO[] = [];
  let convId = -1;
  let ids: number[] = [];
  let times: number[] = [];
  const flush = () => {
    const conv = conversations.get(convId);
    if (conv) out.push(...conversationSilences(conv, ids, times, minDays));
    ids = [];
    times = [];
  };
  for (const [conversationId, messageId, sentAt] of rows) {
    if (conversationId !== convId) {
      flush();
      convId = conversationId;
    }
    ids.push(messageId);
    times.push(sentAt);
  }
  flush();
  return out;
}
