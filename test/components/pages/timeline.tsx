/**
 * Test page: the conversation timeline over synthetic messages that exercise every part of a
 * bubble (direction, replies, reactions, edits, deletion, system events, an inline image served by
 * the real server, day boundaries in the case zone); selections and keys are recorded on window.__page.
 */
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { HighlightRange, MessageDTO } from '../../../src/api/dto.ts';
import { Timeline } from '../../../renderer/features/conversation/Timeline.tsx';
import '../../../renderer/styles.css';

const params = new URLSearchParams(location.search);
const TOTAL = Number(params.get('total') ?? 60);
const TZ = params.get('tz') ?? 'Europe/London';
const IMAGE_ID = Number(params.get('image') ?? 1);
const state = { ensured: [] as [number, number][], selected: [] as number[], keys: [] as string[], jumps: [] as number[] };
(window as unknown as { __page: typeof state }).__page = state;

/** Message i: every 10th from the other side, one reply, one reaction, an edit, a deletion, an image, a system event; a new day every 20. */
export function message(i: number): MessageDTO {
  const out = i % 3 !== 0;
  const day = Math.floor(i / 20);
  return {
    id: 1000 + i,
    conversationId: 1,
    conversation: 'Falcon team',
    sender: i === 5 ? null : out ? 'Alex Morgan' : 'Dana Whitfield',
    senderId: null,
    senderHandle: i === 5 ? null : out ? '+447700900001' : '+447700900002',
    direction: i === 5 ? 'unknown' : out ? 'out' : 'in',
    // 22:50–23:47 UTC is 23:50–00:47 in London (BST): the day separator must follow the zone, not UTC.
    sentAt: new Date(Date.UTC(2024, 6, 1 + day, 22, 50) + (i % 20) * 3 * 60_000).toISOString(),
    rawTime: '',
    timeSource: null,
    text: i === 7 ? '' : i === 5 ? 'Dana Whitfield added Lee' : `Message ${i} about the shipment`,
    subject: null,
    kind: i === 5 ? 'system' : 'message',
    systemType: i === 5 ? 'join' : null,
    attachments: i === 9 ? [{ id: IMAGE_ID, name: 'pallets.png', sha256: 'a'.repeat(64), size: 100, mime: 'image/png', missingReason: null }] : [],
    reactions: i === 4 ? [{ value: '👍', sender: 'Dana Whitfield', sentAt: null, removed: false }, { value: '❤️', sender: 'Lee', sentAt: null, removed: true }] : [],
    edits: i === 6 ? [{ seq: 1, editedAt: null, text: 'Message 6 about the shipmnet' }] : [],
    edited: i === 6,
    deleted: i === 7,
    replyTo: i === 8 ? 1003 : null,
    forwardedFrom: null,
    recipients: i === 3 ? [{ role: 'to', name: 'Dana Whitfield', handle: 'dana@example.com' }, { role: 'cc', name: null, handle: 'lee@example.com' }] : [],
    tags: i === 4 ? ['Hot'] : [],
    reviewed: i === 4,
    redacted: i === 8 ? [{ start: 0, end: 7 }] : [],
    source: { sourceId: 1, locator: `line ${i + 1}` },
  };
}

/** What the core gives for the hits: 'shipment' in 1001; '8' and 'shipment' in 1008, whose first word is redacted. */
const HIGHLIGHTS = new Map<number, HighlightRange[]>([
  [1001, [[20, 28]]],
  [1008, [[8, 9], [20, 28]]],
]);

function Page() {
  const [current, setCurrent] = useState<number | null>(8);
  const [selected, setSelected] = useState(new Set<number>());
  const ensure = useCallback((from: number, to: number) => void state.ensured.push([from, to]), []);
  const get = useCallback((i: number) => (i >= 0 && i < TOTAL ? message(i) : undefined), []);
  return (
    <div style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Timeline
        total={TOTAL}
        segmentStart={0}
        segmentLength={TOTAL}
        get={get}
        byId={(id) => (id >= 1000 && id < 1000 + TOTAL ? message(id - 1000) : undefined)}
        ensure={ensure}
        tz={TZ}
        currentIndex={current}
        selected={selected}
        hits={new Set([1001, 1008])}
        highlights={(id) => HIGHLIGHTS.get(id)}
        group
        onSelect={(i, m) => {
          state.selected.push(m.id);
          setCurrent(i);
          setSelected(new Set([...selected, m.id]));
        }}
        onKey={(e) => {
          state.keys.push(e.key);
          if (e.key === 'j') setCurrent((c) => Math.min(TOTAL - 1, (c ?? 0) + 1));
          if (e.key === 'k') setCurrent((c) => Math.max(0, (c ?? 0) - 1));
        }}
        onJumpTo={(id) => state.jumps.push(id)}
        onEdge={() => {}}
      />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
