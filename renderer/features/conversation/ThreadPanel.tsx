/**
 * The reply thread of the current message, beside the conversation: its root and every reply
 * below it (indented by depth), in time order — Slack threads and quoted replies read as one
 * exchange even where the conversation view interleaves them with other messages. A click goes
 * to that message in the conversation.
 */
import type { MessageDTO } from '../../../src/api/dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function ThreadPanel({ message, onJumpTo }: { message: MessageDTO; onJumpTo(id: number): void }) {
  const tz = useTimeZone();
  const thread = useApi('messages.thread', { messageId: message.id }, ['conversations', 'retention', 'imported']);
  const t = thread.data;
  if (thread.error) return <ErrorNotice error={thread.error} />;
  if (!t || t.replies.length === 0) return null;
  const items = [{ ...t.root, depth: 0 }, ...t.replies];
  return (
    <section aria-label="Thread">
      <h2>Thread</h2>
      <div className="small muted">
        {plural(t.replies.length, 'reply', 'replies')} to {t.root.sender ?? 'a message'}, {dateTime(t.root.sentAt, tz)}
      </div>
      <ol className="thread-list">
        {items.map((m) => (
          <li key={m.id} style={{ paddingLeft: Math.min(m.depth, 6) * 12 }}>
            <button
              type="button"
              className={`thread-item ghost${m.id === message.id ? ' current' : ''}`}
              aria-current={m.id === message.id ? 'true' : undefined}
              onClick={() => onJumpTo(m.id)}
            >
              <span className="small">
                <strong>{m.sender ?? 'Unknown'}</strong> <span className="muted">{dateTime(m.sentAt, tz)}</span>
              </span>
              <span className="thread-text">{m.text || m.attachments[0]?.name || ''}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
