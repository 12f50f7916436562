/** Test page: the results table over a million synthetic hits; what it asks for is recorded on window.__page. */
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { SearchHitDTO, SearchSort } from '../../../src/api/dto.ts';
import { ResultsTable } from '../../../renderer/features/search/ResultsTable.tsx';
import '../../../renderer/styles.css';

const TOTAL = Number(new URLSearchParams(location.search).get('total') ?? 1_000_000);
const state = { requested: [] as [number, number][], sorts: [] as SearchSort[], opened: [] as number[], clicked: [] as number[] };
(window as unknown as { __page: typeof state }).__page = state;

function hit(index: number, sort: SearchSort): SearchHitDTO {
  const n = sort === 'time-desc' ? TOTAL - 1 - index : index;
  const snippet = `Row ${n}: the <shipment> invoice number ${n}`;
  const at = snippet.indexOf('invoice');
  return {
    messageId: n + 1,
    conversationId: 1 + (n % 7),
    conversation: `Chat ${1 + (n % 7)}`,
    sender: n % 2 ? 'Dana Whitfield' : 'Alex Morgan',
    sentAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    snippet,
    highlights: [[at, at + 'invoice'.length]],
    score: 1,
  };
}

function Page() {
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [loaded, setLoaded] = useState(() => new Set<number>());
  const [current, setCurrent] = useState<number | null>(0);
  const ensure = useCallback((from: number, to: number) => {
    state.requested.push([from, to]);
    setLoaded((l) => {
      const next = new Set(l);
      for (let i = from; i <= to; i++) next.add(i);
      return next;
    });
  }, []);
  const getHit = useCallback((i: number) => (loaded.has(i) ? hit(i, sort) : undefined), [loaded, sort]);
  const tagsOf = useCallback((id: number) => (id % 3 === 0 ? ['Hot'] : []), []);
  const reviewedOf = useCallback((id: number) => id % 2 === 0, []);
  return (
    <div style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <ResultsTable
        total={TOTAL}
        getHit={getHit}
        tagsOf={tagsOf}
        reviewedOf={reviewedOf}
        ensure={ensure}
        sort={sort}
        onSort={(s) => {
          state.sorts.push(s);
          setSort(s);
        }}
        tz="UTC"
        currentIndex={current}
        selected={new Set()}
        onRowClick={(i) => {
          state.clicked.push(i);
          setCurrent(i);
        }}
        onOpen={(h) => state.opened.push(h.messageId)}
        onKey={(e) => {
          if (e.key === 'j') setCurrent((c) => Math.min(TOTAL - 1, (c ?? -1) + 1));
          if (e.key === 'End') setCurrent(TOTAL - 1);
        }}
        follow
      />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
