import type { Bridge } from './bridge.ts';
import type { DashboardReader } from '../interface.ts';

const HOUR = 3_600_000;
const IN_REVIEW = "m.kind = 'message' AND m.conversation_id IN (SELECT id FROM conversations WHERE personal = 0)";
const WHO = "COALESCE('p' || h.participant_id, 'h' || h.id)";

export function dashboardReader(b: Bridge): DashboardReader {
  return {
    totals: () => b.get<{ n: number; first: number | null; last: number | null }>(`SELECT count(*) AS n, min(sent_at) AS first, max(sent_at) AS last FROM messages m WHERE ${IN_REVIEW}`)!,
    perHour: () => b.all<{ h: number; n: number }>(`SELECT m.sent_at / ${HOUR} AS h, count(*) AS n FROM messages m WHERE ${IN_REVIEW} GROUP BY 1 ORDER BY 1`),
    senders: () =>
      b.all(
        `SELECT h.id AS handle_id, h.value AS handle, ${WHO} AS who, COALESCE(p.display_name, h.display, h.value) AS name, count(*) AS n
           FROM messages m JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
          WHERE ${IN_REVIEW} GROUP BY h.id, p.id ORDER BY h.id`,
      ),
    perSenderConversation: () =>
      b.all(`SELECT m.conversation_id AS c, m.sender_handle_id AS h, count(*) AS n FROM messages m WHERE ${IN_REVIEW} AND m.sender_handle_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`),
    members: () =>
      b.all(
        `SELECT conversation_id AS c, handle_id AS h FROM conversation_members
         UNION SELECT DISTINCT m.conversation_id, m.sender_handle_id FROM messages m WHERE ${IN_REVIEW} AND m.sender_handle_id IS NOT NULL ORDER BY 1, 2`,
      ),
    handlePeople: () =>
      b.all<{ id: number; name: string; who: string }>(`SELECT h.id, COALESCE(p.display_name, h.display, h.value) AS name, ${WHO} AS who FROM handles h LEFT JOIN participants p ON p.id = h.participant_id ORDER BY h.id`).values(),
    conversations: () => b.value<number>('SELECT count(*) FROM conversations WHERE personal = 0') ?? 0,
  };
}
