import type { DB } from './connection.ts';
import type { DashboardReader } from '../interface.ts';

const HOUR = 3_600_000;
const IN_REVIEW = "m.kind = 'message' AND m.conversation_id IN (SELECT id FROM conversations WHERE personal = 0)";

export function dashboardReader(db: DB): DashboardReader {
  return {
    totals: () =>
      db.prepare(`SELECT count(*) AS n, min(sent_at) AS first, max(sent_at) AS last FROM messages m WHERE ${IN_REVIEW}`).get() as {
        n: number; first: number | null; last: number | null;
      },
    perHour: () => db.prepare(`SELECT m.sent_at / ${HOUR} AS h, count(*) AS n FROM messages m WHERE ${IN_REVIEW} GROUP BY 1 ORDER BY 1`).all() as { h: number; n: number }[],
    senders: () =>
      db
        .prepare(
          `SELECT h.id AS handle_id, h.value AS handle, COALESCE('p' || h.participant_id, 'h' || h.id) AS who,
                  COALESCE(p.display_name, h.display, h.value) AS name, count(*) AS n
             FROM messages m JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id
            WHERE ${IN_REVIEW} GROUP BY h.id`,
        )
        .all() as { handle_id: number; handle: string; who: string; name: string; n: number }[],
    perSenderConversation: () =>
      db
        .prepare(`SELECT m.conversation_id AS c, m.sender_handle_id AS h, count(*) AS n FROM messages m WHERE ${IN_REVIEW} AND m.sender_handle_id IS NOT NULL GROUP BY 1, 2`)
        .all() as { c: number; h: number; n: number }[],
    members: () =>
      db
        .prepare(
          `SELECT conversation_id AS c, handle_id AS h FROM conversation_members
           UNION SELECT DISTINCT m.conversation_id, m.sender_handle_id FROM messages m WHERE ${IN_REVIEW} AND m.sender_handle_id IS NOT NULL`,
        )
        .all() as { c: number; h: number }[],
    handlePeople: () =>
      db
        .prepare("SELECT h.id, COALESCE(p.display_name, h.display, h.value) AS name, COALESCE('p' || h.participant_id, 'h' || h.id) AS who FROM handles h LEFT JOIN participants p ON p.id = h.participant_id")
        .iterate() as IterableIterator<{ id: number; name: string; who: string }>,
    conversations: () => db.prepare('SELECT count(*) FROM conversations WHERE personal = 0').pluck().get() as number,
  };
}
