/** The side panel beside a conversation: the current message's facts, then coding. */
import { useState } from 'react';
import type { MessageDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { dateTime, useTimeZone } from '../../lib/format.ts';
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

/** Redaction marks: productions leave the message out of their text (the case keeps it intact). */
function Redactions({ message }: { message: MessageDTO }) {
  const list = useApi('redactions.list', { messageId: message.id }, ['productions']);
  const [reason, setReason] = useState('');
  const add = useAction(async () => {
    await api.call('redactions.add', { messageId: message.id, reason: reason.trim() });
    setReason('');
  });
  const remove = useAction((redactionId: number) => api.call('redactions.remove', { redactionId }));
  return (
    <section aria-label="Redactions">
      <h2>Redaction</h2>
      {list.data && list.data.length > 0 && (
        <ul className="notes-list">
          {list.data.map((r) => (
            <li key={r.id} className="row">
              <span className="grow">
                {r.start === null ? 'Whole message' : `Characters ${r.start}–${r.end}`}: {r.reason}
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
        className="row"
        style={{ marginTop: 6 }}
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) void add.run();
        }}
      >
        <input className="grow" type="text" aria-label="Redaction reason" placeholder="Reason (e.g. personal data)" value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" className="small" disabled={!reason.trim() || add.busy}>
          Redact
        </button>
      </form>
      <ErrorNotice error={add.error ?? remove.error} />
    </section>
  );
}
