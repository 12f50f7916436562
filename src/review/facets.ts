/**
 * Facets beside search results: how the query's messages fall by custodian, platform,
 * conversation, sender, tag, language, entity kind and month (in the case's display zone), largest first, so a reviewer
 * can narrow the search with one click.
 */
import type { FacetsDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import type { FacetCount } from '../case/data/interface.ts';
import { queryMessageIds } from './query.ts';

/** Values listed per facet (the rest are counted in `more`). */
const TOP = 12;

function top(rows: FacetCount[]): { values: FacetCount[]; more: number } {
  return { values: rows.slice(0, TOP), more: Math.max(0, rows.length - TOP) };
}

export function searchFacets(session: CaseSession, args: { query: string; includePersonal?: boolean }): FacetsDTO {
  const ids = queryMessageIds(session, args.query, { includePersonal: args.includePersonal ?? false });
  const facets = dataOf(session).read.facets;
  const { custodians, platforms, conversations, senders, tags, languages, entities } = facets.counts(ids);
  // Months in the display zone. Zone offsets are whole quarter hours, so a local midnight always
  // starts a UTC quarter hour: the month is formatted once per quarter hour, not per message.
  const times = facets.sentTimes(ids);
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: session.displayTz, year: 'numeric', month: '2-digit' });
  const bySlot = new Map<number, string>();
  const months = new Map<string, number>();
  for (const at of times) {
    const slot = Math.floor(at / 900_000);
    let month = bySlot.get(slot);
    if (month === undefined) bySlot.set(slot, (month = fmt.format(new Date(slot * 900_000)).slice(0, 7)));
    months.set(month, (months.get(month) ?? 0) + 1);
  }
  const monthRows = [...months].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value));
  return {
    custodians: top(custodians),
    platforms: top(platforms),
    conversations: top(conversations),
    senders: top(senders),
    tags: top(tags),
    languages: top(languages),
    entities: top(entities),
    months: { values: monthRows, more: 0 },
  };
}
