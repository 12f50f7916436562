/**
 * Search: the query box (with help), filters that become query terms, the exact total, the
 * virtualised results, and coding on the current row, the selection or every result.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { SearchExpansionDTO, SearchHitDTO, SearchSort } from '../../../src/api/dto.ts';
import type { ApiError } from '../../../src/api/client.ts';
import { api } from '../../lib/api.ts';
import { toApiError, useAction, useApi } from '../../lib/hooks.ts';
import { useWindowed } from '../../lib/windowed.ts';
import { useRowCoding } from '../../lib/row-coding.ts';
import { count, plural, useTimeZone, zoneLabel } from '../../lib/format.ts';
import { isTyping, refocusReviewList } from '../../lib/keys.ts';
import { placeFor, rememberPlace } from './place.ts';
import { EXPORT_MAX, resultsCsv } from './export.ts';
import { Facets } from './Facets.tsx';
import { recentSearches, rememberSearch } from './recent.ts';
import type { Narrow } from './Facets.tsx';
import { download, downloadBase64 } from '../../lib/csv.ts';
import { href, navigate } from '../../lib/router.ts';
import type { Route } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Progress } from '../../components/Progress.tsx';
import { CodingPanel } from '../coding/CodingPanel.tsx';
import { MAX_ROWS, ResultsTable } from './ResultsTable.tsx';
import { QueryHelp } from './QueryHelp.tsx';
import { SavedSearches } from './SavedSearches.tsx';
import { Expansions } from './Expansions.tsx';
import { composeQuery, NO_FILTERS } from './query.ts';
import { useMay } from '../../lib/account.ts';
import type { Filters } from './query.ts';

const PAGE = 100;

/** Names each search the screen runs, so its progress events can be told apart and it can be cancelled. */
let searches = 0;
const newSearchId = () => `s${++searches}-${Math.random().toString(36).slice(2, 10)}`;
const SORTS: SearchSort[] = ['relevance', 'time-asc', 'time-desc'];

function filtersOf(q: URLSearchParams): Filters {
  return { custodian: q.get('custodian') ?? '', conversation: q.get('in') ?? '', tag: q.get('tag') ?? '', after: q.get('after') ?? '', before: q.get('before') ?? '' };
}

export function SearchScreen({ route }: { route: Route }) {
  const tz = useTimeZone();
  const text = route.query.get('q') ?? '';
  const sortParam = route.query.get('sort') as SearchSort | null;
  const sort: SearchSort = sortParam && SORTS.includes(sortParam) ? sortParam : 'relevance';
  const includePersonal = route.query.get('personal') === '1';
  const filters = filtersOf(route.query);
  const query = composeQuery(text, filters);
  const [draft, setDraft] = useState(text);
  const [draftFilters, setDraftFilters] = useState<Filters>(filters);
  const [total, setTotal] = useState<number | null>(null);
  const [took, setTook] = useState<number | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [expansions, setExpansions] = useState<SearchExpansionDTO[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [current, setCurrent] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const [hiddenPersonal, setHiddenPersonal] = useState(0);
  /** A /regular expression/ reading messages: the running search's id and how far it is. */
  const [scan, setScan] = useState<{ searchId: string; done: number; total: number } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const coding = useRowCoding();
  // Back from a conversation: the same row, selection and scroll as when it was opened.
  const [restored] = useState(() => placeFor(location.hash));
  const restoring = useRef(restored);
  const scrollTop = useRef(0);

  useEffect(() => setDraft(text), [text]);
  const fKey = JSON.stringify(filters);
  useEffect(() => setDraftFilters(filters), [fKey]);

  const key = `${query}\u0000${sort}\u0000${includePersonal}\u0000${tick}`;
  const fetchPage = useCallback(
    async (offset: number, limit: number) => (await api.call('search.query', { query, sort, offset, limit, includePersonal })).hits,
    [query, sort, includePersonal],
  );
  const rows = useWindowed<SearchHitDTO>(key, PAGE, fetchPage);

  // A layout effect: the request leaves before the browser paints the new route, not a frame later.
  useLayoutEffect(() => {
    setTotal(null);
    setCurrent(null);
    setSelected(new Set());
    setError(null);
    setHiddenPersonal(0);
    setScan(null);
    if (!query) return;
    let live = true;
    let pending = true;
    const searchId = newSearchId();
    const offProgress = api.on('search.progress', (p) => {
      if (live && p.searchId === searchId) setScan(p);
    });
    api.call('search.query', { query, sort, offset: 0, limit: PAGE, includePersonal, searchId }).finally(() => {
      pending = false;
      offProgress();
      if (live) setScan(null);
    }).then(
      (r) => {
        if (!live) return;
        setTotal(r.total);
        setTook(r.tookMs);
        setWarnings(r.warnings);
        setExpansions(r.expansions ?? []);
        rows.seed(0, r.hits);
        const place = restoring.current;
        restoring.current = null;
        if (place && r.total > 0) {
          setCurrent(Math.min(place.current ?? 0, r.total - 1));
          setSelected(new Set(place.selected));
        } else if (r.total > 0) setCurrent(0);
        // Personal conversations are left out unless asked for: say how many hits that hides.
        if (!includePersonal) {
          void api.call('search.query', { query, limit: 0, includePersonal: true }).then((all) => live && setHiddenPersonal(all.total - r.total), () => {});
        }
      },
      (err: unknown) => live && setError(toApiError(err)),
    );
    return () => {
      live = false;
      offProgress();
      // A new search (or leaving the screen) stops a regular expression still reading messages.
      if (pending) void api.call('search.cancel', { searchId }).catch(() => {});
    };
  }, [key]);

  useEffect(
    () =>
      api.on('case.changed', (e) => {
        if (e.what === 'imported' || e.what === 'retention' || e.what === 'conversations') setTick((t) => t + 1);
      }),
    [],
  );

  const progress = useApi('review.progress', query && total ? { query, includePersonal } : null, ['tags', 'conversations', 'imported', 'retention']);
  const currentHit = current !== null ? rows.get(current) : undefined;
  const currentMessage = useApi('messages.get', currentHit ? { ids: [currentHit.messageId] } : null, ['tags']);

  const submit = (next: { text?: string; filters?: Filters; sort?: SearchSort }) => {
    const f = next.filters ?? draftFilters;
    rememberSearch(next.text ?? draft);
    navigate(
      href('search', [], {
        q: next.text ?? draft,
        sort: (next.sort ?? sort) === 'relevance' ? undefined : (next.sort ?? sort),
        custodian: f.custodian,
        in: f.conversation,
        tag: f.tag,
        after: f.after,
        before: f.before,
        personal: includePersonal ? 1 : undefined,
      }),
      { replace: true },
    );
  };

  const narrow = (n: Narrow) => {
    if ('sender' in n) return submit({ text: `${draft.trim()} from:"${n.sender.replace(/"/g, '')}"`.trim() });
    if ('lang' in n) return submit({ text: `${draft.trim()} lang:${n.lang}`.trim() });
    if ('entity' in n) return submit({ text: `${draft.trim()} entity:${n.entity}`.trim() });
    if ('month' in n) {
      const [y, m] = n.month.split('-').map(Number) as [number, number];
      const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
      return submit({ filters: { ...filters, after: `${n.month}-01`, before: next } });
    }
    submit({ filters: { ...filters, ...n } });
  };

  const open = (hit: SearchHitDTO) => {
    rememberPlace({ hash: location.hash, current, selected: [...selected], scrollTop: scrollTop.current });
    navigate(href('conversation', [hit.conversationId], { m: hit.messageId, q: query }));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target) && !(e.target instanceof Element && e.target.closest('[role="dialog"]'))) {
        e.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const onRowClick = (index: number, hit: SearchHitDTO, e: React.MouseEvent) => {
    setCurrent(index);
    if (e.shiftKey && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const next = new Set(selected);
      for (let i = a; i <= b; i++) {
        const h = rows.get(i);
        if (h) next.add(h.messageId);
      }
      setSelected(next);
    } else if (e.ctrlKey || e.metaKey) {
      const next = new Set(selected);
      if (next.has(hit.messageId)) next.delete(hit.messageId);
      else next.add(hit.messageId);
      setSelected(next);
      setAnchor(index);
    } else {
      setSelected(new Set());
      setAnchor(index);
    }
  };

  const exporting = useAction(async () => {
    const r = await resultsCsv(query, sort, includePersonal, tz);
    download('search-results.csv', r.csv);
    return r;
  });
  const mayExportXlsx = useMay('search.exportXlsx');
  const exportingXlsx = useAction(async () => {
    const r = await api.call('search.exportXlsx', { query, sort, includePersonal });
    downloadBase64(r.name, r.base64, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return r;
  });
  const shown = Math.min(total ?? 0, MAX_ROWS);
  const onKey = (e: React.KeyboardEvent) => {
    const at = current ?? 0;
    const move = (to: number) => {
      e.preventDefault();
      if (shown > 0) setCurrent(Math.max(0, Math.min(shown - 1, to)));
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'PageDown') move(at + 20);
    else if (e.key === 'PageUp') move(at - 20);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(shown - 1);
    else if (e.key === 'Enter' && currentHit) open(currentHit);
    else if ((e.key === 'x' || e.key === ' ') && currentHit) {
      e.preventDefault();
      const next = new Set(selected);
      if (next.has(currentHit.messageId)) next.delete(currentHit.messageId);
      else next.add(currentHit.messageId);
      setSelected(next);
    } else if (e.key === 'Escape') setSelected(new Set());
  };

  const convs = useApi('conversations.list', {}, ['imported', 'conversations']);
  const tags = useApi('tags.list', {}, ['tags']);
  const custodians = useMemo(() => [...new Set(convs.data?.flatMap((c) => c.custodians) ?? [])].sort(), [convs.data]);
  const targets = selected.size > 0 ? [...selected] : currentHit ? [currentHit.messageId] : [];
  const setF = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement>) => setDraftFilters({ ...draftFilters, [k]: e.target.value });
  const activeFilters = Object.values(filters).some(Boolean);

  return (
    <div className="search-layout">
      <section className="search-main" aria-label="Search">
        <form
          className="search-bar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            submit({});
          }}
        >
          <div className="row">
            <input
              ref={inputRef}
              type="search"
              aria-label="Search"
              placeholder='Search messages: words, "phrases", from:Name, tag:Hot, after:2024-01-01…'
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              autoFocus
              spellCheck={false}
            />
            <button type="submit" className="primary">
              Search
            </button>
          </div>
          <div className="filters" role="group" aria-label="Filters">
            <input type="text" list="custodian-options" aria-label="Custodian" placeholder="Custodian" value={draftFilters.custodian} onChange={setF('custodian')} />
            <input type="text" list="conversation-options" aria-label="Conversation" placeholder="Conversation" value={draftFilters.conversation} onChange={setF('conversation')} />
            <input type="text" list="tag-options" aria-label="Tag" placeholder="Tag" value={draftFilters.tag} onChange={setF('tag')} />
            <label className="row small" style={{ gap: 4 }}>
              From <input type="date" aria-label="From date" value={draftFilters.after} onChange={setF('after')} />
            </label>
            <label className="row small" style={{ gap: 4 }}>
              until before <input type="date" aria-label="Until before date" value={draftFilters.before} onChange={setF('before')} />
            </label>
            <button type="submit" className="small">
              Apply
            </button>
            {activeFilters && (
              <button
                type="button"
                className="small ghost"
                onClick={() => {
                  setDraftFilters(NO_FILTERS);
                  submit({ filters: NO_FILTERS });
                }}
              >
                Clear filters
              </button>
            )}
            <datalist id="custodian-options">{custodians.map((c) => <option key={c} value={c} />)}</datalist>
            <datalist id="conversation-options">{convs.data?.slice(0, 2000).map((c) => <option key={c.id} value={c.name} />)}</datalist>
            <datalist id="tag-options">{tags.data?.map((t) => <option key={t.id} value={t.name} />)}</datalist>
          </div>
          <QueryHelp />
        </form>
        <SavedSearches
          query={activeFilters ? query : text.trim()}
          sort={sort}
          includePersonal={includePersonal}
          onOpen={(s) => {
            rememberSearch(s.query);
            navigate(href('search', [], { q: s.query, sort: s.sort === 'relevance' ? undefined : s.sort, personal: s.includePersonal ? 1 : undefined }));
          }}
        />
        <div className="result-meta" aria-live="polite">
          {query ? (
            total === null && !error ? (
              scan ? (
                <div className="row" style={{ gap: 8 }}>
                  <div style={{ width: 420 }}>
                    <Progress label="Regular expression search" progress={{ phase: 'Reading messages for the regular expression', done: scan.done, total: scan.total, items: scan.done }} />
                  </div>
                  <button type="button" className="small" onClick={() => void api.call('search.cancel', { searchId: scan.searchId }).catch(() => {})}>
                    Cancel search
                  </button>
                </div>
              ) : (
                <span>Searching…</span>
              )
            ) : total !== null ? (
              <>
                <strong>{count(total)}</strong> {total === 1 ? 'message' : 'messages'}
                {took !== null && <span>in {took} ms</span>}
                {progress.data && progress.data.total === total && (
                  <span className="badge" data-testid="search-progress" title="Coded (a coding or privilege tag) or marked reviewed; search reviewed:no for the rest">
                    {count(progress.data.reviewed)} of {count(total)} reviewed
                  </span>
                )}
                {hiddenPersonal > 0 && (
                  <span className="row" style={{ gap: 6 }}>
                    · {plural(hiddenPersonal, 'hit')} in personal conversations hidden
                    <button type="button" className="small" onClick={() => navigate(`${location.hash}${location.hash.includes('?') ? '&' : '?'}personal=1`, { replace: true })}>
                      Include them
                    </button>
                  </span>
                )}
                {includePersonal && (
                  <span className="row" style={{ gap: 6 }}>
                    · personal conversations included
                    <button type="button" className="small ghost" onClick={() => navigate(location.hash.replace(/[?&]personal=1/, ''), { replace: true })}>
                      Hide them
                    </button>
                  </span>
                )}
                {total > MAX_ROWS && <span>(the first {count(MAX_ROWS)} are listed; narrow the search to see the rest)</span>}
                {selected.size > 0 && <span>· {count(selected.size)} selected</span>}
              </>
            ) : null
          ) : (
            <span>
              Type a query, or use the filters, and press Enter.
              {recentSearches().length > 0 && (
                <span className="row wrap" role="group" aria-label="Recent searches" style={{ gap: 4, marginTop: 6 }}>
                  <span className="small muted">Recent:</span>
                  {recentSearches().map((q) => (
                    <button key={q} type="button" className="small ghost" onClick={() => submit({ text: q })}>
                      {q}
                    </button>
                  ))}
                </span>
              )}
            </span>
          )}
          <span className="spacer" />
          {total !== null && total > 0 && (
            <button type="button" className="small" disabled={exporting.busy} onClick={() => void exporting.run()} title={total > EXPORT_MAX ? `The first ${count(EXPORT_MAX)} in this order` : undefined}>
              {exporting.busy ? 'Exporting…' : total > EXPORT_MAX ? `Export first ${count(EXPORT_MAX)} to CSV` : 'Export CSV'}
            </button>
          )}
          {total !== null && total > 0 && mayExportXlsx && (
            <button type="button" className="small" disabled={exportingXlsx.busy} onClick={() => void exportingXlsx.run()} title={total > EXPORT_MAX ? `The first ${count(EXPORT_MAX)} in this order` : undefined}>
              {exportingXlsx.busy ? 'Exporting…' : total > EXPORT_MAX ? `Export first ${count(EXPORT_MAX)} to XLSX` : 'Export XLSX'}
            </button>
          )}
          <span className="small muted" title="Times and date filters are in the case's display time zone (Case & passphrase)">Times in {zoneLabel(tz)}</span>
          <label className="row" style={{ gap: 4 }}>
            Order
            <select value={sort} onChange={(e) => submit({ sort: e.target.value as SearchSort })} aria-label="Order of results">
              <option value="relevance">Relevance</option>
              <option value="time-asc">Oldest first</option>
              <option value="time-desc">Newest first</option>
            </select>
          </label>
        </div>
        {warnings.length > 0 && <div className="notice warn small" style={{ margin: '8px 16px' }}>{warnings.join(' ')}</div>}
        <Expansions items={total === null ? [] : expansions} />
        <div style={{ padding: error ? '8px 16px' : 0 }}>
          <ErrorNotice error={error ?? exporting.error ?? exportingXlsx.error} />
        </div>
        {total === 0 && (
          <div className="empty" role="note">
            <p>
              <strong>No messages match.</strong>
            </p>
            <p className="small muted">
              Check the spelling, use fewer words or OR between them, widen the dates, {activeFilters ? 'clear the filters, ' : ''}
              {hiddenPersonal > 0 ? 'include personal conversations, ' : ''}or open <em>Query language</em> above for what a query can say.
            </p>
          </div>
        )}
        {total !== null && total > 0 && (
          <ResultsTable
            total={total}
            getHit={rows.get}
            tagsOf={coding.tagsOf}
            reviewedOf={coding.reviewedOf}
            ensure={rows.ensure}
            sort={sort}
            onSort={(s) => submit({ sort: s })}
            tz={tz}
            currentIndex={current}
            selected={selected}
            onRowClick={onRowClick}
            onOpen={open}
            onKey={onKey}
            follow
            initialScrollTop={restored?.scrollTop}
            onScrollTop={(t) => (scrollTop.current = t)}
            autoFocus={restored !== null}
          />
        )}
      </section>
      <aside className="side" aria-label="Coding">
        <CodingPanel
          messageIds={targets}
          current={selected.size > 0 ? undefined : currentMessage.data?.[0]}
          bulk={total ? { query, total } : undefined}
          onChanged={() => {
            currentMessage.reload();
            // Back to the list, where the keys act.
            refocusReviewList(document.querySelector<HTMLElement>('[aria-label="Search results"]'));
          }}
        />
        {currentHit && (
          <div className="row">
            <button type="button" onClick={() => open(currentHit)}>
              Open in conversation
            </button>
          </div>
        )}
        {total !== null && total > 0 && <Facets query={query} includePersonal={includePersonal} onNarrow={narrow} />}
      </aside>
    </div>
  );
}
