/**
 * Search results as a spreadsheet for the team (not a production: no Bates numbers, no manifest):
 * each message's id, time in the case's display zone, conversation, sender, full text, tags and
 * review status, in the search's order. Capped like the app's CSV export.
 */
import { DateTime } from 'luxon';
import type { SearchSort } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { getMessages } from '../case/messages.ts';
import { searchMessages } from '../search/search.ts';

/** More than this many rows is a production's job, not a spreadsheet's (the CSV export's cap too). */
export const RESULTS_EXPORT_MAX = 10_000;

export async function resultsXlsx(
  session: CaseSession,
  args: { query: string; sort: SearchSort; includePersonal: boolean },
): Promise<{ name: string; rows: number; total: number; base64: string }> {
  const ids: number[] = [];
  let total = 0;
  for (let offset = 0; offset < RESULTS_EXPORT_MAX; offset += 1000) {
    const page = searchMessages(session, { ...args, offset, limit: Math.min(1000, RESULTS_EXPORT_MAX - offset) });
    total = page.total;
    ids.push(...page.hits.map((h) => h.messageId));
    if (offset + page.hits.length >= page.total || page.hits.length === 0) break;
  }
  const tz = session.displayTz;
  // Loaded on first use: the CLI starts without ExcelJS unless it writes a workbook.
  const { Workbook } = (await import('exceljs')).default;
  const wb = new Workbook();
  const ws = wb.addWorksheet('Results');
  ws.addRow(['Message id', `Sent (${tz})`, 'Conversation', 'Sender', 'Text', 'Tags', 'Reviewed']).font = { bold: true };
  for (let i = 0; i < ids.length; i += 500) {
    for (const m of getMessages(session, ids.slice(i, i + 500))) {
      const sent = DateTime.fromISO(m.sentAt, { zone: tz }).toFormat('yyyy-MM-dd HH:mm:ss');
      ws.addRow([m.id, sent, m.conversation, m.sender ?? '', m.text, m.tags.join('; '), m.reviewed ? 'yes' : 'no']);
    }
  }
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.getColumn(2).width = 20;
  ws.getColumn(3).width = 24;
  ws.getColumn(5).width = 80;
  // The search itself, so the sheet says what it holds.
  const about = wb.addWorksheet('Search');
  about.addRows([['Query', args.query], ['Order', args.sort], ['Personal conversations', args.includePersonal ? 'included' : 'left out'], ['Results', total], ['Rows in this file', ids.length], ['Time zone', tz], ['Exported by', session.actor], ['Exported at (UTC)', new Date().toISOString()]]);
  about.getColumn(1).width = 24;
  about.getColumn(2).width = 60;
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { name: 'search-results.xlsx', rows: ids.length, total, base64: buf.toString('base64') };
}
