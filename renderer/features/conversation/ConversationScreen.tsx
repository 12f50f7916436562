/**
 * The conversation view: the whole chat in order, opened at a message (a search hit) with it
 * highlighted, moving through the search's hits in this conversation; j/k move, x selects, the
 * coding panel acts on the selection (or the current message).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationWindowDTO, HighlightRange, MessageDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useApi, toApiError } from '../../lib/hooks.ts';
import { useWindowed } from '../../lib/windowed.ts';
import { count, dateTime, plural, useTimeZone, zoneLabel } from '../../lib/format.ts';
import { lastResultsHref } from '../search/place.ts';
import { href, navigate } from '../../lib/router.ts';
import { refocusReviewList } from '../../lib/keys.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Timeline, SEGMENT } from './Timeline.tsx';
import type { TimelineHandle } from './Timeline.tsx';
import { hitHighlights, useConversationHits } from './hits.ts';
import { MessageSide } from './MessageSide.tsx';
import { ReviewUnitPicker } from './ReviewUnitPicker.tsx';
import type { ApiError } from '../../../src/api/client.ts';

const PAGE = 100;

export function ConversationScreen({ conversationId, messageId, query }: { conversationId: number; messageId: number | null; query: string }) {
  const tz = useTimeZone();
  const conv = useApi('conversations.get', { conversationId }, ['conversations', 'imported', 'retention']);
  const progress = useApi('review.progress', { conversationId }, ['tags', 'conversations', 'imported', 'retention']);
  const [head, setHead] = useState<Pick<ConversationWindowDTO, 'total' | 'anchorIndex'> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [segStart, setSegStart] = useState(0);
  const [current, setCurrent] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [anchorSel, setAnchorSel] = useState<number | null>(null);
  const timeline = useRef<TimelineHandle>(null);
  const byId = useRef(new Map<number, MessageDTO>());
  const [reloadTick, setReloadTick] = useState(0);
  const [find, setFind] = useState(query);
  // The hits' highlight ranges, asked for with each page of messages, so a hit is painted as soon as it is shown.
  const marks = useRef(new Map<number, HighlightRange[]>());
  const queryRef = useRef(query);

  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const w = await api.call('conversations.messages', { conversationId, offset, limit });
      const asked = queryRef.current;
      const found = await hitHighlights(asked, w.messages);
      for (const m of w.messages) {
        byId.current.set(m.id, m);
        if (asked === queryRef.current) marks.current.delete(m.id);
      }
      if (asked === queryRef.current) for (const h of found) marks.current.set(h.messageId, h.highlights);
      return w.messages;
    },
    [conversationId],
  );
  const rows = useWindowed<MessageDTO>(`${conversationId}:${reloadTick}`, PAGE, fetchPage);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    if (queryRef.current === query) return;
    // Another query: the pages shown are asked for again in place, with its highlights.
    queryRef.current = query;
    marks.current = new Map();
    rowsRef.current.refresh();
  }, [query]);
  const hits = useConversationHits(conversationId, query);
  const hitSet = useMemo(() => new Set(hits.ids), [hits.ids]);

  /** Brings message `index` into the shown segment and onto the screen. */
  const goTo = useCallback(
    (index: number, total: number) => {
      const start = total <= SEGMENT ? 0 : Math.max(0, Math.min(index - SEGMENT / 2, total - SEGMENT));
      setSegStart((s) => (index < s || index >= s + SEGMENT ? start : s));
      setCurrent(index);
      requestAnimationFrame(() => timeline.current?.scrollToIndex(index));
    },
    [],
  );

  useEffect(() => {
    let live = true;
    byId.current = new Map();
    setHead(null);
    setError(null);
    api
      .call('conversations.messages', messageId ? { conversationId, around: messageId, limit: 1 } : { conversationId, offset: 0, limit: 1 })
      .then(
        (w) => {
          if (!live) return;
          setHead({ total: w.total, anchorIndex: w.anchorIndex });
          const at = w.anchorIndex ?? 0;
          setSegStart(w.total <= SEGMENT ? 0 : Math.max(0, Math.min(at - SEGMENT / 2, w.total - SEGMENT)));
          setCurrent(w.anchorIndex);
          if (w.anchorIndex !== null) {
            rows.ensure(at - 20, at + 20);
            // Twice: once for the first layout, once after the rows around it were measured.
            setTimeout(() => timeline.current?.scrollToIndex(at), 0);
            setTimeout(() => timeline.current?.scrollToIndex(at), 250);
          }
        },
        (err: unknown) => live && setError(toApiError(err)),
      );
    return () => {
      live = false;
    };
  }, [conversationId, messageId, reloadTick]);

  // Keys act where focus is: on the message list as soon as it is there (after Enter opened the conversation too).
  const shown = head !== null;
  useEffect(() => {
    if (shown) timeline.current?.focus();
  }, [shown]);

  useEffect(
    () =>
      api.on('case.changed', (e) => {
        // Tags change in place; a purge or an import can shift every position: start again.
        if (e.what === 'tags' || e.what === 'productions') rowsRef.current.refresh();
        if (e.what === 'retention' || e.what === 'imported' || e.what === 'conversations') setReloadTick((t) => t + 1);
      }),
    [],
  );

  const total = head?.total ?? 0;
  const segLength = Math.min(SEGMENT, total - segStart);
  const currentMessage = current !== null ? rows.get(current) : undefined;

  const jumpToMessage = useCallback(
    async (id: number) => {
      try {
        const w = await api.call('conversations.messages', { conversationId, around: id, limit: 1 });
        if (w.anchorIndex !== null) goTo(w.anchorIndex, w.total);
      } catch (err) {
        setError(toApiError(err));
      }
    },
    [conversationId, goTo],
  );

  /** The first message on or after the start of `day` (YYYY-MM-DD in the display zone). */
  const jumpToDate = (day: string) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) void jumpToTime(new Date(zonedMidnight(day, tz)).toISOString());
  };

  /** The first message at or after `iso`, found by bisecting the conversation (it is in time order). */
  const jumpToTime = async (iso: string) => {
    if (total === 0) return;
    try {
      let lo = 0;
      let hi = total;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const [m] = (await api.call('conversations.messages', { conversationId, offset: mid, limit: 1 })).messages;
        if (m && m.sentAt < iso) lo = mid + 1;
        else hi = mid;
      }
      goTo(Math.min(lo, total - 1), total);
      timeline.current?.focus();
    } catch (err) {
      setError(toApiError(err));
    }
  };


  const hitPosition = currentMessage ? hits.ids.indexOf(currentMessage.id) : -1;
  const moveHit = (delta: 1 | -1) => {
    if (hits.ids.length === 0) return;
    let next: number;
    if (hitPosition >= 0) next = (hitPosition + delta + hits.ids.length) % hits.ids.length;
    else {
      // From a message that is not a hit: the nearest hit after (or before) it in time.
      const cur = currentMessage;
      const after = (h: { id: number; sentAt: string }) => !cur || h.sentAt > cur.sentAt || (h.sentAt === cur.sentAt && h.id > cur.id);
      const firstAfter = hits.items.findIndex(after);
      next = delta === 1 ? (firstAfter < 0 ? 0 : firstAfter) : (firstAfter < 0 ? hits.items.length : firstAfter) - 1;
      if (next < 0) next = hits.items.length - 1;
    }
    void jumpToMessage(hits.ids[next]!);
    // From the ↑/↓ buttons too: n, j and k go on working.
    timeline.current?.focus();
  };
  const backHref = query ? (lastResultsHref() ?? href('search', [], { q: query })) : href('conversations');

  const onSelect = (index: number, m: MessageDTO, e: React.MouseEvent) => {
    setCurrent(index);
    if (e.shiftKey && anchorSel !== null) {
      const [a, b] = anchorSel < index ? [anchorSel, index] : [index, anchorSel];
      const next = new Set(selected);
      for (let i = a; i <= b; i++) {
        const r = rows.get(i);
        if (r) next.add(r.id);
      }
      setSelected(next);
    } else if (e.ctrlKey || e.metaKey) {
      const next = new Set(selected);
      if (next.has(m.id)) next.delete(m.id);
      else next.add(m.id);
      setSelected(next);
      setAnchorSel(index);
    } else {
      setSelected(new Set());
      setAnchorSel(index);
    }
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const at = current ?? head?.anchorIndex ?? 0;
    const move = (to: number) => {
      e.preventDefault();
      goTo(Math.max(0, Math.min(total - 1, to)), total);
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'PageDown') move(at + 10);
    else if (e.key === 'PageUp') move(at - 10);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(total - 1);
    else if (e.key === 'n' && !e.shiftKey) (e.preventDefault(), moveHit(1));
    else if (e.key === 'N' || e.key === 'p') (e.preventDefault(), moveHit(-1));
    else if ((e.key === 'x' || e.key === ' ') && currentMessage) {
      e.preventDefault();
      const next = new Set(selected);
      if (next.has(currentMessage.id)) next.delete(currentMessage.id);
      else next.add(currentMessage.id);
      setSelected(next);
    } else if (e.key === 'Escape') setSelected(new Set());
    else if (e.key === 'Backspace' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      navigate(backHref);
    }
  };

  const targets = selected.size > 0 ? [...selected] : currentMessage ? [currentMessage.id] : [];

  return (
    <div className="conv-layout">
      <section className="conv-main" aria-label="Conversation">
        <header className="conv-head">
          <div className="grow">
            <h1>{conv.data?.name ?? 'Conversation'}</h1>
            {conv.data && (
              <div className="small muted">
                {conv.data.platform} · {conv.data.kind} · {plural(conv.data.messages, 'message')} · {dateTime(conv.data.firstAt, tz)} – {dateTime(conv.data.lastAt, tz)} <span title="The case's display time zone">({zoneLabel(tz)})</span>
                {conv.data.participants.length > 0 && <> · {plural(conv.data.participants.length, 'participant')}: {conv.data.participants.map((x) => x.name).join(', ')}</>}
              </div>
            )}
          </div>
          {progress.data && (
            <span className={`badge ${progress.data.reviewed === progress.data.total ? 'ok' : ''}`} data-testid="conversation-progress" title="Coded (a coding or privilege tag) or marked reviewed">
              {count(progress.data.reviewed)} of {count(progress.data.total)} reviewed
            </span>
          )}
          {conv.data?.personal && <span className="badge warn">personal</span>}
          <ReviewUnitPicker
            conversationId={conversationId}
            tz={tz}
            onOpen={(firstAt) => void jumpToTime(firstAt)}
            onSelect={(ids) => {
              setSelected(new Set(ids));
              timeline.current?.focus();
            }}
            onError={setError}
          />
          <input type="date" aria-label="Jump to date" title="Jump to the first message of a day" onChange={(e) => jumpToDate(e.target.value)} />
          <form
            role="search"
            aria-label="Search in this conversation"
            onSubmit={(e) => {
              e.preventDefault();
              // The query becomes this view's hits: n / Shift+N and the arrows move through them.
              navigate(href('conversation', [conversationId], { ...(currentMessage ? { m: currentMessage.id } : {}), q: find.trim() || undefined }), { replace: true });
              timeline.current?.focus();
            }}
          >
            <input type="search" aria-label="Find in this conversation" placeholder="Find in this conversation" value={find} onChange={(e) => setFind(e.target.value)} style={{ width: 200 }} />
          </form>
          {query && (
            <div className="row" role="group" aria-label="Search hits">
              <span className="small muted nowrap">
                {hits.loading ? 'Finding hits…' : hits.ids.length === 0 ? 'No hits here' : hitPosition >= 0 ? `Hit ${count(hitPosition + 1)} of ${count(hits.ids.length)}` : `${count(hits.ids.length)} hits`}
              </span>
              <button type="button" className="small" onClick={() => moveHit(-1)} disabled={hits.ids.length === 0} aria-label="Previous hit" title="Previous hit (Shift+N)">
                ↑
              </button>
              <button type="button" className="small" onClick={() => moveHit(1)} disabled={hits.ids.length === 0} aria-label="Next hit" title="Next hit (N)">
                ↓
              </button>
            </div>
          )}
          <a className="button small" href={backHref} title={query ? 'Back to the results, at the same row (Backspace)' : undefined}>
            {query ? 'Back to results' : 'All conversations'}
          </a>
        </header>
        <ErrorNotice error={error ?? conv.error ?? hits.error} />
        {head && (
          <Timeline
            ref={timeline}
            total={total}
            segmentStart={segStart}
            segmentLength={segLength}
            get={rows.get}
            byId={(id) => byId.current.get(id)}
            ensure={rows.ensure}
            tz={tz}
            currentIndex={current}
            selected={selected}
            hits={hitSet}
            highlights={(id) => marks.current.get(id)}
            group
            onSelect={onSelect}
            onKey={onKey}
            onJumpTo={(id) => void jumpToMessage(id)}
            onEdge={(which) => {
              const next = which === 'earlier' ? Math.max(0, segStart - SEGMENT / 2) : Math.min(total - SEGMENT, segStart + SEGMENT / 2);
              setSegStart(next);
              requestAnimationFrame(() => timeline.current?.scrollToIndex(which === 'earlier' ? segStart : segStart + SEGMENT - 1));
            }}
          />
        )}
      </section>
      <MessageSide
        message={currentMessage}
        targets={targets}
        selectionSize={selected.size}
        onJumpTo={(id) => {
          void jumpToMessage(id);
          timeline.current?.focus();
        }}
        onChanged={() => {
          rows.refresh();
          refocusReviewList(timeline.current);
        }}
      />
    </div>
  );
}

/** UTC ms of the start of `day` in `tz`. */
function zonedMidnight(day: string, tz: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return guess - (wall - guess);
}
