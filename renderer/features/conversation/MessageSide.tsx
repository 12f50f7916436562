/** The side panel beside a conversation: the current message's facts, then coding. */
import { useEffect, useState } from 'react';
import type { MessageDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { CodingPanel } from '../coding/CodingPanel.tsx';
import { ThreadPanel } from './ThreadPanel.tsx';

export function MessageSide(p: { message: MessageDTO | undefined; targets: number[]; selectionSize: number; onChanged: () => void; onJumpTo: (id: number) => void }) {
  const tz = useTimeZone();
  const m = p.message;
  return (
    <aside className="side" aria-label="Message details and coding">
      <CodingPanel messageIds={p.targets} current={p.selectionSize > 0 ? undefined : m} onChanged={p.onChanged} />
      {m && <ThreadPanel message={m} onJumpTo={p.onJumpTo} />}
      {m && (
        <section aria-label="Message details">
          <h2>Message</h2>
          <dl className="facts small">
            <dt>From</dt>
            <dd>
              {m.sender ?? '—'}
              {m.senderHandle && m.senderHandle !== m.sender && <div className="mono muted">{m.senderHandle}</div>}
            </dd>
            <dt>Sent</dt>
            <dd>
              {dateTime(m.sentAt, tz)}
              <div className="mono muted">{m.sentAt}</div>
            </dd>
            <dt>As written</dt>
            <dd className="mono">{m.rawTime}</dd>
            <dt>Direction</dt>
            <dd>{m.direction}</dd>
            <dt>Source</dt>
            <dd className="mono">
              #{m.source.sourceId}, {m.source.locator}
            </dd>
            <dt>Id</dt>
            <dd className="mono">{m.id}</dd>
          </dl>
        </section>
      )}
      {m && p.selectionSize === 0 && <Redactions message={m} />}
    </aside>
  );
}

/**
 * The last text selected inside `message`'s bubble, as offsets into its stored text. It stays while
 * the reviewer types a reason (clicking the field clears the page's selection) until `clear`.
 */
function useTextSelection(message: MessageDTO): [{ start: number; end: number; text: string } | null, () => void] {
  const [sel, setSel] = useState<{ start: number; end: number; text: string } | null>(null);
  useEffect(() => {
    setSel(null);
    const onChange = () => {
      const s = document.getSelection();
      const box = document.querySelector(`.msg-row[data-message-id="${message.id}"] .text`);
      if (!s || s.rangeCount === 0 || s.isCollapsed || !box) return;
      const range = s.getRangeAt(0);
      if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
      // The bubble shows the stored text unchanged (highlights and marks only wrap it), so offsets carry over.
      const before = document.createRange();
      before.setStart(box, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const start = before.toString().length;
      const text = range.toString();
      if (text && message.text.slice(start, start + text.length) === text) setSel({ start, end: start + text.length, text });
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [message.id, message.text]);
  const clear = () => {
    document.getSelection()?.removeAllRanges();
    setSel(null);
  };
  return [sel, clear];
}

/** Redaction marks: productions leave the marked text (or the whole message) out; the case keeps it intact. */
function Redactions({ message }: { message: MessageDTO }) {
  const list = useApi('redactions.list', { messageId: message.id }, ['productions']);
  const [reason, setReason] = useState('');
  const [selection, clearSelection] = useTextSelection(message);
  const add = useAction(async (span: { start: number; end: number } | null) => {
    await api.call('redactions.add', { messageId: message.id, reason: reason.trim(), ...(span ? { start: span.start, end: span.end } : {}) });
    setReason('');
    clearSelection();
  });
  const remove = useAction((redactionId: number) => api.call('redactions.remove', { redactionId }));
  const [every, setEvery] = useState('');
  const [scope, setScope] = useState<'conversation' | 'case'>('conversation');
  const [done, setDone] = useState<{ added: number; messages: number } | null>(null);
  const addAll = useAction(async () => {
    const r = await api.call('redactions.addAll', { text: every, reason: reason.trim(), ...(scope === 'conversation' ? { conversationId: message.conversationId } : {}) });
    setDone(r);
    setEvery('');
  });
  return (
    <section aria-label="Redactions">
      <h2>Redaction</h2>
      {list.data && list.data.length > 0 && (
        <ul className="notes-list">
          {list.data.map((r) => (
            <li key={r.id} className="row">
              <span className="grow">
                {r.start === null ? 'Whole message' : `“${message.text.slice(r.start, r.end ?? undefined)}” (characters ${r.start}–${r.end})`}: {r.reason}
                <div className="muted">{r.by}</div>
              </span>
              <button type="button" className="small ghost" onClick={() => void remove.run(r.id)} aria-label={`Remove redaction: ${r.reason}`}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="stack"
        style={{ marginTop: 6, gap: 6 }}
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) void add.run(selection);
        }}
      >
        <input type="text" aria-label="Redaction reason" placeholder="Reason (e.g. personal data)" value={reason} onChange={(e) => setReason(e.target.value)} />
        <div className="small muted" aria-live="polite">
          {selection ? (
            <>
              Selected: “{selection.text.length > 60 ? `${selection.text.slice(0, 60)}…` : selection.text}” (characters {selection.start}–{selection.end})
            </>
          ) : (
            'Select words in the message to redact only them.'
          )}
        </div>
        <div className="row">
          <button type="submit" className="small" disabled={!reason.trim() || add.busy}>
            {selection ? 'Redact selection' : 'Redact whole message'}
          </button>
          {selection && (
            <button type="button" className="small ghost" onClick={() => (setEvery(selection.text), clearSelection())}>
              All instances of it…
            </button>
          )}
        </div>
      </form>
      <form
        className="stack"
        style={{ marginTop: 8, gap: 6 }}
        aria-label="Redact all instances"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() && every) void addAll.run();
        }}
      >
        <label className="field small">
          Redact all instances of
          <input type="text" aria-label="Text to redact everywhere" value={every} onChange={(e) => setEvery(e.target.value)} placeholder="e.g. a phone number or a name" />
        </label>
        <div className="row">
          <select aria-label="Where to redact it" value={scope} onChange={(e) => setScope(e.target.value as 'conversation' | 'case')}>
            <option value="conversation">in this conversation</option>
            <option value="case">in the whole case</option>
          </select>
          <button type="submit" className="small" disabled={!reason.trim() || !every || addAll.busy}>
            Redact all
          </button>
        </div>
        {done && (
          <div className="small muted" role="status">
            {done.added ? `Redacted ${plural(done.added, 'instance')} in ${plural(done.messages, 'message')}.` : 'No new instances found (already redacted, or not there).'}
          </div>
        )}
        {!reason.trim() && every && <div className="small muted">Give a reason above first.</div>}
      </form>
      <ErrorNotice error={add.error ?? remove.error ?? addAll.error} />
    </section>
  );
}
