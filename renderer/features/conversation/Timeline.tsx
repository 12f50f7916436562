/**
 * A conversation as a virtualised list of bubbles: only the messages on screen are in the DOM, rows
 * are measured as they render, day separators appear where the day (in the case's zone) changes.
 * Very long conversations are shown a segment at a time (browsers cap an element's height).
 */
import { useEffect, useImperativeHandle, useRef } from 'react';
import type { Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { HighlightRange, MessageDTO } from '../../../src/api/dto.ts';
import { dayKey, dayLabel, count } from '../../lib/format.ts';
import { MessageBubble } from './MessageBubble.tsx';
import { REVIEW_KEYS } from '../../lib/keys.ts';

export const SEGMENT = 20_000;

export interface TimelineHandle {
  scrollToIndex(index: number): void;
  focus(): void;
}

export interface TimelineProps {
  ref?: Ref<TimelineHandle>;
  /** Messages in the whole conversation. */
  total: number;
  /** The shown segment of it: [start, start + length). */
  segmentStart: number;
  segmentLength: number;
  get(index: number): MessageDTO | undefined;
  byId(id: number): MessageDTO | undefined;
  ensure(from: number, to: number): void;
  tz: string;
  currentIndex: number | null;
  selected: ReadonlySet<number>;
  hits: ReadonlySet<number>;
  /** Where a message lights up for the search (ranges into its text, from the core). */
  highlights(messageId: number): readonly HighlightRange[] | undefined;
  group: boolean;
  onSelect(index: number, message: MessageDTO, e: React.MouseEvent): void;
  onKey(e: React.KeyboardEvent): void;
  onJumpTo(messageId: number): void;
  onEdge(which: 'earlier' | 'later'): void;
  /** Called with the index range on screen. */
  onRange?: (first: number, last: number) => void;
}

export function Timeline(p: TimelineProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: p.segmentLength,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    overscan: 8,
    getItemKey: (i) => p.segmentStart + i,
  });
  const items = v.getVirtualItems();
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    // One before the first, for its day separator.
    p.ensure(Math.max(0, p.segmentStart + first - 1), p.segmentStart + last);
    p.onRange?.(p.segmentStart + first, p.segmentStart + last);
  }, [first, last, p.segmentStart, p.ensure]);

  useImperativeHandle(p.ref, () => ({
    scrollToIndex(index: number) {
      const el = scrollRef.current;
      const size = v.measurementsCache[index - p.segmentStart]?.size ?? 0;
      // A message taller than the view is shown from its top, not centred (its middle would hide the hit)…
      v.scrollToIndex(index - p.segmentStart, { align: el && size > el.clientHeight * 0.8 ? 'start' : 'center' });
      // …and a highlighted hit further down in it is brought into view.
      requestAnimationFrame(() => {
        const mark = el?.querySelector<HTMLElement>(`#msg-${index} mark`);
        if (!el || !mark) return;
        const box = mark.getBoundingClientRect();
        const view = el.getBoundingClientRect();
        if (box.top < view.top || box.bottom > view.bottom) el.scrollTop += box.top - view.top - el.clientHeight / 3;
      });
    },
    focus() {
      scrollRef.current?.focus({ preventScroll: true });
    },
  }));

  return (
    <div
      ref={scrollRef}
      className="conv-scroll"
      tabIndex={0}
      role="listbox"
      aria-label="Messages"
      aria-multiselectable="true"
      {...{ [REVIEW_KEYS]: '' }}
      aria-activedescendant={p.currentIndex !== null ? `msg-${p.currentIndex}` : undefined}
      onKeyDown={p.onKey}
    >
      {p.segmentStart > 0 && (
        <div className="edge">
          <button type="button" onClick={() => p.onEdge('earlier')}>
            Show earlier messages ({count(p.segmentStart)} more)
          </button>
        </div>
      )}
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const index = p.segmentStart + item.index;
          const m = p.get(index);
          const prev = index > 0 ? p.get(index - 1) : undefined;
          const newDay = m && (index === 0 || (prev && dayKey(prev.sentAt, p.tz) !== dayKey(m.sentAt, p.tz)));
          const sameSender = m && prev && prev.senderHandle === m.senderHandle && !newDay && prev.kind === m.kind;
          return (
            <div
              key={item.key}
              id={`msg-${index}`}
              data-index={item.index}
              ref={v.measureElement}
              role="option"
              aria-selected={m ? p.selected.has(m.id) : false}
              aria-posinset={index + 1}
              aria-setsize={p.total}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
            >
              {newDay && m && (
                <div className="msg-row system">
                  <div className="day-sep" role="separator">{dayLabel(m.sentAt, p.tz)}</div>
                </div>
              )}
              {m ? (
                <MessageBubble
                  message={m}
                  tz={p.tz}
                  replyTo={m.replyTo !== null ? p.byId(m.replyTo) : undefined}
                  onJumpTo={p.onJumpTo}
                  highlights={p.highlights(m.id)}
                  current={p.currentIndex === index}
                  selected={p.selected.has(m.id)}
                  hit={p.hits.has(m.id)}
                  showSender={p.group && !sameSender}
                  onSelect={(e) => p.onSelect(index, m, e)}
                />
              ) : (
                <div className="msg-row unknown" aria-busy="true">
                  <div className="bubble muted">…</div>
                </div>
              )}
            </div>
          );
        })}
      </div>
      {p.segmentStart + p.segmentLength < p.total && (
        <div className="edge">
          <button type="button" onClick={() => p.onEdge('later')}>
            Show later messages ({count(p.total - p.segmentStart - p.segmentLength)} more)
          </button>
        </div>
      )}
    </div>
  );
}
