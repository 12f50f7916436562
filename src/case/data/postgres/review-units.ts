import type { Bridge } from './bridge.ts';
import type { ReviewUnitReader } from '../interface.ts';
import { coded } from './review-marks.ts';

export function reviewUnitReader(b: Bridge): ReviewUnitReader {
  return {
    events: (conversationId) =>
      b.rows<[number, number, number]>(`SELECT m.sent_at, (m.kind = 'message')::int, (${coded('m')})::int FROM messages m WHERE m.conversation_id = $1 ORDER BY m.sent_at, m.id`, [conversationId]).values(),
    partIds: (conversationId, start, end, limit, offset) =>
      b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 AND sent_at >= $2 AND sent_at < $3 ORDER BY sent_at, id LIMIT $4 OFFSET $5', [conversationId, start, end, limit, offset]),
  };
}
