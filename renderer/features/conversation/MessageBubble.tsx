/** One message as the source app showed it: a bubble left or right by direction, with its parts. */
import { memo, useState } from 'react';
import type { AttachmentDTO, HighlightRange, MessageDTO } from '../../../src/api/dto.ts';
import { attachmentUrl } from '../../../src/api/wire.ts';
import { bytes, dateTime, timeOnly } from '../../lib/format.ts';
import { Highlighted, rangesWithin } from '../../lib/highlighted.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { useApi } from '../../lib/hooks.ts';

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export interface BubbleProps {
  message: MessageDTO;
  tz: string;
  /** The message this one replies to, when it is loaded. */
  replyTo?: MessageDTO | undefined;
  onJumpTo?: ((messageId: number) => void) | undefined;
  /** The search's hits in the text (UTF-16 ranges into it, from the core). */
  highlights?: readonly HighlightRange[] | undefined;
  current?: boolean;
  selected?: boolean;
  hit?: boolean;
  /** Show the sender's name (groups; not for consecutive messages of one sender). */
  showSender?: boolean;
  onSelect?: ((e: React.MouseEvent) => void) | undefined;
}

export const MessageBubble = memo(function MessageBubble(p: BubbleProps) {
  const m = p.message;
  const [history, setHistory] = useState(false);
  const side = m.kind === 'system' ? 'system' : m.direction;
  const whole = m.redacted.some((r) => r.start === null);
  const classes = ['bubble', p.current ? 'current' : '', p.hit ? 'hit' : '', p.selected ? 'selected' : '', whole ? 'redacted' : ''].filter(Boolean).join(' ');
  const visibleReactions = m.reactions.filter((r) => !r.removed);
  return (
    <div className={`msg-row ${side}`} data-message-id={m.id}>
      <div className={classes} onClick={p.onSelect} aria-label={`${m.sender ?? 'System'}, ${dateTime(m.sentAt, p.tz)}`}>
        {m.kind !== 'system' && p.showSender !== false && m.sender && <div className="sender">{m.sender}</div>}
        {m.replyTo !== null && (
          <div className="reply">
            {p.replyTo ? (
              <>
                <strong>{p.replyTo.sender ?? 'Unknown'}</strong>: {p.replyTo.text.slice(0, 140) || (p.replyTo.attachments[0]?.name ?? '')}
              </>
            ) : (
              <>Reply to an earlier message</>
            )}
            {p.onJumpTo && (
              <button type="button" className="ghost small" onClick={(e) => (e.stopPropagation(), p.onJumpTo?.(m.replyTo!))} aria-label="Go to the message replied to">
                ↑
              </button>
            )}
          </div>
        )}
        {m.forwardedFrom && <div className="small muted">Forwarded from {m.forwardedFrom}</div>}
        {m.recipients.some((r) => r.role !== 'bcc') && (
          <div className="small muted recipients" aria-label="Recipients">
            {(['to', 'cc'] as const).map((role) => {
              const list = m.recipients.filter((r) => r.role === role);
              return list.length ? (
                <div key={role}>
                  {role === 'to' ? 'To' : 'Cc'}: {list.map((r) => (r.name ? `${r.name} <${r.handle}>` : r.handle)).join(', ')}
                </div>
              ) : null;
            })}
          </div>
        )}
        {m.subject && <div><strong>{m.subject}</strong></div>}
        {m.attachments.length > 0 && (
          <div className="attachments">
            {m.attachments.map((a) => (
              <Attachment key={a.id} a={a} />
            ))}
          </div>
        )}
        {m.deleted && (!m.text || /^(this message was deleted|you deleted this message)\.?$/i.test(m.text.trim())) ? (
          <div className="deleted">🚫 {m.text || 'This message was deleted'}</div>
        ) : (
          m.text && (
            <div className="text">
              <RedactedText text={m.text} marks={whole ? [] : m.redacted} highlights={p.highlights ?? NO_HIGHLIGHTS} />
            </div>
          )
        )}
        <div className="meta">
          {m.tags.map((t) => (
            <TagChip key={t} name={t} />
          ))}
          {m.reviewed && (
            <span className="reviewed-mark" title="Reviewed (coded or marked)" aria-label="Reviewed">
              ✓
            </span>
          )}
          {m.deleted && <span className="badge danger">deleted</span>}
          {m.redacted.length > 0 && (
            <span className="badge redacted-badge" title="Productions leave this out; the case keeps the original">
              {whole ? 'redacted' : `${m.redacted.length === 1 ? 'part' : `${m.redacted.length} parts`} redacted`}
            </span>
          )}
          {m.edited && (
            <button type="button" className="ghost small" onClick={(e) => (e.stopPropagation(), setHistory((h) => !h))} aria-expanded={history} aria-label="Edit history">
              edited
            </button>
          )}
          {m.timeSource && (
            <span className="badge warn" title={`The source gave no readable time for this message; shown time from: ${m.timeSource}`}>
              time unknown
            </span>
          )}
          <time dateTime={m.sentAt} title={`${dateTime(m.sentAt, p.tz)} (${m.sentAt} UTC; source: ${m.rawTime})`}>
            {timeOnly(m.sentAt, p.tz)}
          </time>
        </div>
        {history && m.edits.length > 0 && (
          <div className="edits" aria-label="Earlier versions">
            {m.edits.map((e) => (
              <div key={e.seq}>
                <span className="muted">{e.editedAt ? dateTime(e.editedAt, p.tz) : `version ${e.seq}`}:</span> {e.text}
              </div>
            ))}
          </div>
        )}
      </div>
      {visibleReactions.length > 0 && (
        <div className="reactions" aria-label="Reactions">
          {visibleReactions.map((r, i) => (
            <span key={i} className="reaction" title={`${r.sender ?? 'Someone'}${r.sentAt ? `, ${dateTime(r.sentAt, p.tz)}` : ''}`}>
              {r.value}
            </span>
          ))}
        </div>
      )}
    </div>
  );
});

const NO_HIGHLIGHTS: readonly HighlightRange[] = [];

/** The text with its redacted ranges marked (the reviewer still reads them; productions do not) and the hits highlighted. */
function RedactedText({ text, marks, highlights }: { text: string; marks: MessageDTO['redacted']; highlights: readonly HighlightRange[] }) {
  const plain = (from: number, to: number) => <Highlighted text={text.slice(from, to)} ranges={rangesWithin(highlights, from, to)} />;
  if (marks.length === 0) return plain(0, text.length);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, r] of [...marks].sort((a, b) => (a.start ?? 0) - (b.start ?? 0)).entries()) {
    const start = Math.max(at, r.start ?? 0);
    const end = Math.max(start, r.end ?? text.length);
    if (start > at) parts.push(<span key={`t${i}`}>{plain(at, start)}</span>);
    parts.push(
      <span key={`r${i}`} className="redacted-span" title="Redacted in productions">
        {text.slice(start, end)}
      </span>,
    );
    at = end;
  }
  if (at < text.length) parts.push(<span key="tail">{plain(at, text.length)}</span>);
  return <>{parts}</>;
}

/**
 * Text recognised in the image (OCR), beside it and marked as derived: how it was made (engine,
 * languages, confidence; each language's data hash on hover) and that the sender did not write it.
 */
function ImageText({ attachmentId }: { attachmentId: number }) {
  const t = useApi('enrich.imageText', { attachmentId }, ['recognised']);
  if (!t.data) return null;
  const d = t.data;
  const hashes = d.lang.split('+').map((l, i) => `${l}: ${d.dataSha256.split('+')[i] ?? ''}`).join('\n');
  return (
    <details className="image-text small" open onClick={(e) => e.stopPropagation()}>
      <summary title={`Language data SHA-256\n${hashes}`}>
        <span className="badge warn">derived · OCR</span> Text recognised by OCR ({d.engine} {d.engineVersion}, {d.lang}, {Math.round(d.confidence)}% confidence) — not written by the sender
      </summary>
      <div className="image-text-body">{d.text}</div>
    </details>
  );
}

function Attachment({ a }: { a: AttachmentDTO }) {
  if (!a.sha256) {
    return (
      <span className="file muted" title={a.missingReason ?? undefined}>
        📎 {a.name} — not in the source{a.missingReason ? ` (${a.missingReason})` : ''}
      </span>
    );
  }
  if (a.mime && INLINE_IMAGES.has(a.mime)) {
    return (
      <span className="image-with-text">
        <a href={attachmentUrl(a.id, { download: true })} download={a.name} onClick={(e) => e.stopPropagation()} title={`${a.name} (${bytes(a.size)})`}>
          <img className="inline" src={attachmentUrl(a.id)} alt={a.name} loading="lazy" />
        </a>
        <ImageText attachmentId={a.id} />
      </span>
    );
  }
  return (
    <a className="file" href={attachmentUrl(a.id, { download: true })} download={a.name} onClick={(e) => e.stopPropagation()}>
      📎 {a.name} <span className="muted">({bytes(a.size)})</span>
    </a>
  );
}
