/**
 * Search results as a virtualised grid: the row count is the exact total (up to what a browser can
 * scroll), rows are fetched a page at a time as they come into view, and only the visible rows are
 * in the DOM — smooth at a million results. Columns and sort state come from TanStack Table; the
 * sort itself runs in the core (manual sorting).
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { REVIEW_KEYS } from '../../lib/keys.ts';
import { columnSizingFeature, createColumnHelper, rowSortingFeature, tableFeatures, useTable } from '@tanstack/react-table';
import type { SortingState } from '@tanstack/react-table';
import type { SearchHitDTO, SearchSort } from '../../../src/api/dto.ts';
import { compactDateTime } from '../../lib/format.ts';
import { Highlighted } from '../../lib/highlighted.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { useFixedRows } from '../../lib/fixed-rows.ts';

/** Rows a browser can scroll at ROW_HEIGHT before hitting its element-height limit (~33.5M px). */
export const MAX_ROWS = 1_100_000;
export const ROW_HEIGHT = 30;
/** The sticky column header's height (styles.css `.grid-head`): rows scrolled to stay below it. */
const HEADER_HEIGHT = 32;

export interface ResultRow {
  index: number;
  hit: SearchHitDTO | undefined;
  tags: string[] | undefined;
  reviewed: boolean | undefined;
}

/** The text column takes the width the others leave. */
const FLEX = { flex: '1 1 0', minWidth: 240, textOverflow: 'clip' };

const features = tableFeatures({ rowSortingFeature, columnSizingFeature });
const helper = createColumnHelper<typeof features, ResultRow>();

export interface ResultsTableProps {
  total: number;
  getHit(index: number): SearchHitDTO | undefined;
  tagsOf(messageId: number): string[] | undefined;
  /** Coded or marked reviewed; undefined until known. */
  reviewedOf(messageId: number): boolean | undefined;
  ensure(from: number, to: number): void;
  sort: SearchSort;
  onSort(sort: SearchSort): void;
  tz: string;
  currentIndex: number | null;
  selected: ReadonlySet<number>;
  onRowClick(index: number, hit: SearchHitDTO, e: React.MouseEvent): void;
  onOpen(hit: SearchHitDTO): void;
  onKey(e: React.KeyboardEvent): void;
  /** Scroll the current row into view when it changes. */
  follow?: boolean;
  /** Where to scroll on mount (back from a conversation). */
  initialScrollTop?: number;
  onScrollTop?: (top: number) => void;
  /** Focus the grid on mount. */
  autoFocus?: boolean;
}

function toSorting(sort: SearchSort): SortingState {
  return sort === 'relevance' ? [] : [{ id: 'time', desc: sort === 'time-desc' }];
}

export const ResultsTable = memo(function ResultsTable(p: ResultsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = Math.min(p.total, MAX_ROWS);
  const v = useFixedRows({ count, rowHeight: ROW_HEIGHT, overscan: 12, scrollRef, headerHeight: HEADER_HEIGHT });
  const items = v.items;
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;

  // Ask for the visible pages once scrolling pauses (a flung scrollbar would otherwise fetch every page it passes).
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    const t = setTimeout(() => p.ensure(first, last), 40);
    return () => clearTimeout(t);
  }, [first, last, p.ensure]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (p.initialScrollTop) el.scrollTop = p.initialScrollTop;
    if (p.autoFocus) el.focus({ preventScroll: true });
    const report = () => p.onScrollTop?.(el.scrollTop);
    el.addEventListener('scroll', report, { passive: true });
    return () => el.removeEventListener('scroll', report);
  }, []);

  useEffect(() => {
    if (p.follow && p.currentIndex !== null) v.scrollToIndex(p.currentIndex);
  }, [p.currentIndex, p.follow]);

  const columns = useMemo(
    () =>
      helper.columns([
        helper.display({
          id: 'reviewed',
          header: () => <span title="Reviewed (coded or marked with r)" aria-label="Reviewed">✓</span>,
          size: 30,
          cell: (c) => {
            const r = c.row.original.reviewed;
            if (r === undefined) return null;
            return (
              <span className={`reviewed-mark${r ? ' yes' : ''}`} data-reviewed={r ? 'yes' : 'no'} role="img" aria-label={r ? 'Reviewed' : 'Not reviewed'} title={r ? 'Reviewed' : 'Not reviewed'}>
                {r ? '✓' : '·'}
              </span>
            );
          },
        }),
        helper.accessor((r) => r.hit?.sentAt ?? '', {
          id: 'time',
          header: 'Time',
          size: 145,
          enableSorting: true,
          cell: (c) => <span className="nowrap mono">{compactDateTime(c.row.original.hit?.sentAt, p.tz)}</span>,
        }),
        helper.accessor((r) => r.hit?.conversation ?? '', { id: 'conversation', header: 'Conversation', size: 150, enableSorting: false }),
        helper.accessor((r) => r.hit?.sender ?? '', { id: 'sender', header: 'Sender', size: 135, enableSorting: false }),
        helper.display({
          id: 'snippet',
          header: 'Text',
          size: 520,
          cell: (c) => {
            const h = c.row.original.hit;
            if (!h) return <span className="placeholder" />;
            return (
              <span title={h.snippet}>
                <Highlighted text={h.snippet} ranges={h.highlights} />
              </span>
            );
          },
        }),
        helper.display({
          id: 'tags',
          header: 'Tags',
          size: 120,
          // Two chips fit the column; the rest are counted, and all are named on hover.
          cell: (c) => {
            const tags = c.row.original.tags ?? [];
            return (
              <span className="row chips" style={{ gap: 4 }} title={tags.join(', ') || undefined}>
                {tags.slice(0, 2).map((t) => (
                  <TagChip key={t} name={t} />
                ))}
                {tags.length > 2 && <span className="small muted" aria-label={`and ${tags.length - 2} more: ${tags.slice(2).join(', ')}`}>+{tags.length - 2}</span>}
              </span>
            );
          },
        }),
      ]),
    [p.tz],
  );
  const data = useMemo(
    () => items.map((it): ResultRow => {
      const hit = p.getHit(it.index);
      return { index: it.index, hit, tags: hit ? p.tagsOf(hit.messageId) : undefined, reviewed: hit ? p.reviewedOf(hit.messageId) : undefined };
    }),
    [items, p.getHit, p.tagsOf, p.reviewedOf],
  );
  const sorting = useMemo(() => toSorting(p.sort), [p.sort]);
  const table = useTable({
    features,
    columns,
    data,
    manualSorting: true,
    enableSortingRemoval: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const s = next[0];
      p.onSort(!s ? 'relevance' : s.desc ? 'time-desc' : 'time-asc');
    },
    getRowId: (r) => String(r.index),
  });
  const rows = table.getRowModel().rows;

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      aria-label="Search results"
      aria-rowcount={count + 1}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={p.onKey}
      {...{ [REVIEW_KEYS]: '' }}
      aria-activedescendant={p.currentIndex !== null ? `result-${p.currentIndex}` : undefined}
    >
      {table.getHeaderGroups().map((group) => (
        <div key={group.id} className="grid-head" role="row" aria-rowindex={1}>
          {group.headers.map((h) => {
            const sorted = h.column.getIsSorted();
            return (
              <div
                key={h.id}
                role="columnheader"
                style={h.column.id === 'snippet' ? FLEX : { width: h.getSize() }}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : h.column.getCanSort() ? 'none' : undefined}
              >
                {h.column.getCanSort() ? (
                  <button type="button" onClick={h.column.getToggleSortingHandler()} title="Sort by time (again: reverse, then relevance)">
                    <table.FlexRender header={h} />
                    <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'}</span>
                  </button>
                ) : (
                  <table.FlexRender header={h} />
                )}
              </div>
            );
          })}
        </div>
      ))}
      <div className="grid-body" style={{ height: v.totalSize }} role="rowgroup">
        {rows.map((row, i) => {
          const item = items[i]!;
          const hit = row.original.hit;
          return (
            <div
              key={row.id}
              id={`result-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={hit ? p.selected.has(hit.messageId) : false}
              className={`grid-row${p.currentIndex === item.index ? ' current' : ''}`}
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              onClick={(e) => hit && p.onRowClick(item.index, hit, e)}
              onDoubleClick={() => hit && p.onOpen(hit)}
            >
              {row.getAllCells().map((cell) => (
                <div key={cell.id} role="gridcell" style={cell.column.id === 'snippet' ? FLEX : { width: cell.column.getSize() }}>
                  {hit || cell.column.id === 'snippet' ? <table.FlexRender cell={cell} /> : null}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
});
