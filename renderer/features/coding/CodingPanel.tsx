/**
 * Coding: tag buttons (number keys 1–9 are their shortcuts), a privilege basis for privilege
 * tags, notes. Acts on the selected messages, or the current one, or (bulk) every search result.
 */
import { useEffect, useRef, useState } from 'react';
import type { MessageDTO, TagDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export interface CodingPanelProps {
  /** What the tag buttons act on: the selection, or the current message alone. */
  messageIds: readonly number[];
  /** The current message (its tags show which buttons are on). */
  current: MessageDTO | undefined;
  /** Every result of the search, for bulk coding. */
  bulk?: { query: string; total: number } | undefined;
  onChanged?: () => void;
}

function isTyping(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable);
}

export function CodingPanel({ messageIds, current, bulk, onChanged }: CodingPanelProps) {
  const tz = useTimeZone();
  const tags = useApi('tags.list', {}, ['tags']);
  const [status, setStatus] = useState('');
  const [basis, setBasis] = useState('');
  const [noteText, setNoteText] = useState('');
  const notes = useApi('notes.list', current ? { messageId: current.id } : null, ['notes']);
  const act = useAction(async (op: 'apply' | 'remove', tag: TagDTO, target: { messageIds: number[] } | { query: string }, withBasis?: string) => {
    const r =
      op === 'apply'
        ? await api.call('tags.apply', { tag: tag.id, target, ...(withBasis !== undefined ? { basis: withBasis } : {}) })
        : await api.call('tags.remove', { tag: tag.id, target });
    setStatus(`${op === 'apply' ? 'Tagged' : 'Untagged'} ${plural(r.changed, 'message')} ${op === 'apply' ? 'as' : 'from'} ${r.tag}${r.changed !== r.selected ? ` (${count(r.selected - r.changed)} already ${op === 'apply' ? 'had it' : 'without it'})` : ''}.`);
    onChanged?.();
    return r;
  });
  const addNote = useAction(async () => {
    if (!current) return;
    await api.call('notes.add', { messageId: current.id, text: noteText });
    setNoteText('');
    setStatus('Note added.');
  });

  const has = (t: TagDTO) => current?.tags.some((n) => n.toLowerCase() === t.name.toLowerCase()) ?? false;
  const toggle = (t: TagDTO) => {
    if (messageIds.length === 0) return;
    // With one message the button is a toggle; with a selection it applies (remove is the − button).
    const remove = messageIds.length === 1 && has(t);
    void act.run(remove ? 'remove' : 'apply', t, { messageIds: [...messageIds] });
  };

  const latest = useRef({ toggle, tags: tags.data });
  latest.current = { toggle, tags: tags.data };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !/^[1-9]$/.test(e.key)) return;
      const t = latest.current.tags?.find((x) => x.shortcut === Number(e.key));
      if (t) {
        e.preventDefault();
        latest.current.toggle(t);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const privileged = tags.data?.filter((t) => t.kind === 'privilege' && has(t)) ?? [];
  const targetLabel = messageIds.length === 0 ? 'No message chosen' : messageIds.length === 1 ? 'This message' : `${count(messageIds.length)} selected messages`;

  return (
    <section className="stack" aria-label="Coding">
      <div>
        <h2>Coding</h2>
        <div className="small muted" aria-live="polite">{targetLabel}</div>
      </div>
      <div className="tag-buttons" role="group" aria-label="Tags">
        {tags.data?.map((t) => (
          <span key={t.id} className="row" style={{ gap: 2 }}>
            <button
              type="button"
              style={{ ['--chip' as string]: t.color ?? undefined }}
              aria-pressed={messageIds.length === 1 ? has(t) : undefined}
              disabled={messageIds.length === 0 || act.busy}
              onClick={() => toggle(t)}
              title={t.shortcut ? `Shortcut: ${t.shortcut}` : undefined}
              aria-keyshortcuts={t.shortcut ? String(t.shortcut) : undefined}
            >
              {t.shortcut && <kbd aria-hidden="true">{t.shortcut}</kbd>}
              {t.name}
            </button>
            {messageIds.length > 1 && (
              <button type="button" className="small ghost" disabled={act.busy} onClick={() => void act.run('remove', t, { messageIds: [...messageIds] })} aria-label={`Remove ${t.name} from the selection`}>
                −
              </button>
            )}
          </span>
        ))}
      </div>
      {bulk && bulk.total > 0 && (
        <details>
          <summary>Code all {count(bulk.total)} results</summary>
          <div className="tag-buttons" role="group" aria-label="Tag every result" style={{ marginTop: 8 }}>
            {tags.data?.map((t) => (
              <span key={t.id} className="row" style={{ gap: 2 }}>
                <button type="button" className="small" disabled={act.busy} onClick={() => void act.run('apply', t, { query: bulk.query })} aria-label={`Tag all ${bulk.total} results as ${t.name}`}>
                  + {t.name}
                </button>
                <button type="button" className="small ghost" disabled={act.busy} onClick={() => void act.run('remove', t, { query: bulk.query })} aria-label={`Remove ${t.name} from all ${bulk.total} results`}>
                  −
                </button>
              </span>
            ))}
          </div>
        </details>
      )}
      {privileged.length > 0 && messageIds.length > 0 && (
        <form
          className="stack"
          style={{ gap: 6 }}
          onSubmit={(e) => {
            e.preventDefault();
            void act.run('apply', privileged[0]!, { messageIds: [...messageIds] }, basis);
          }}
        >
          <label className="field">
            Privilege basis
            <textarea value={basis} onChange={(e) => setBasis(e.target.value)} placeholder="e.g. Legal advice from outside counsel re: contract terms" />
            <span className="hint">Shown in the privilege log for {privileged.map((t) => t.name).join(', ')}.</span>
          </label>
          <div>
            <button type="submit" className="small" disabled={act.busy}>
              Save basis
            </button>
          </div>
        </form>
      )}
      <div aria-live="polite" className="small">
        {status && <span className="muted">{status}</span>}
      </div>
      <ErrorNotice error={act.error} onDismiss={act.clear} />
      {current && (
        <div>
          <h2>Notes</h2>
          {notes.data && notes.data.length > 0 && (
            <ul className="notes-list">
              {notes.data.map((n) => (
                <li key={n.id}>
                  <div>{n.text}</div>
                  <div className="muted">
                    {n.by}, {dateTime(n.at, tz)}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <form
            className="stack"
            style={{ gap: 6, marginTop: 8 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (noteText.trim()) void addNote.run();
            }}
          >
            <label className="field">
              <span className="sr-only">New note</span>
              <textarea value={noteText} onChange={(e) => setNoteText(e.target.value)} placeholder="Add a note to this message" aria-label="New note" />
            </label>
            <div>
              <button type="submit" className="small" disabled={!noteText.trim() || addNote.busy}>
                Add note
              </button>
            </div>
          </form>
          <ErrorNotice error={addNote.error} onDismiss={addNote.clear} />
        </div>
      )}
    </section>
  );
}
