/** The side panel beside a conversation: the current message's facts, then coding. */
import type { MessageDTO } from '../../../src/api/dto.ts';
import { dateTime, useTimeZone } from '../../lib/format.ts';
import { CodingPanel } from '../coding/CodingPanel.tsx';

export function MessageSide(p: { message: MessageDTO | undefined; targets: number[]; selectionSize: number; onChanged: () => void }) {
  const tz = useTimeZone();
  const m = p.message;
  return (
    <aside className="side" aria-label="Message details and coding">
      <CodingPanel messageIds={p.targets} current={p.selectionSize > 0 ? undefined : m} onChanged={p.onChanged} />
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
    </aside>
  );
}
