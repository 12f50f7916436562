/**
 * Coding: tag buttons laid out by tag group (number keys 1–9 are their shortcuts), a privilege
 * basis for privilege tags, notes. Acts on the selected messages, or the current one, or (bulk)
 * every search result — large and whole-result actions ask first, with the count — and every
 * action can be undone (toast, Ctrl+Z). `r` marks the message (or the selection) reviewed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MessageDTO, NoteDTO, TagDTO, TagGroupDTO, TagResultDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { codingKeysAct } from '../../lib/keys.ts';
import { pushUndo } from '../../lib/undo.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { CodingFields } from './CodingFields.tsx';
import { useMay } from '../../lib/account.ts';

/** Above this many messages a coding action asks first (an action on a whole result set always does). */
export const CONFIRM_ABOVE = 25;

export interface CodingPanelProps {
  /** What the tag buttons act on: the selection, or the current message alone. */
  messageIds: readonly number[];
  /** The current message (its tags show which buttons are on). */
  current: MessageDTO | undefined;
  /** Every result of the search, for bulk coding. */
  bulk?: { query: string; total: number } | undefined;
  onChanged?: () => void;
}

type Target = { messageIds: number[] } | { query: string };
interface Pending {
  op: 'apply' | 'remove';
  tag: TagDTO;
  target: Target;
  size: number;
}

function describe(op: 'apply' | 'remove', r: TagResultDTO): string {
  return `${op === 'apply' ? 'Tagged' : 'Untagged'} ${plural(r.changed, 'message')} ${op === 'apply' ? 'as' : 'from'} ${r.tag}`;
}

/** Tags in the order of tags.list, cut into their groups (a group where its first tag is), ungrouped tags each alone. */
function layout(tags: readonly TagDTO[], groups: readonly TagGroupDTO[]): { group: TagGroupDTO | null; tags: TagDTO[] }[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const out: { group: TagGroupDTO | null; tags: TagDTO[] }[] = [];
  const placed = new Map<number, { group: TagGroupDTO | null; tags: TagDTO[] }>();
  for (const t of tags) {
    const g = t.group !== null ? byId.get(t.group) : undefined;
    if (g) {
      let slot = placed.get(g.id);
      if (!slot) out.push((slot = { group: g, tags: [] })), placed.set(g.id, slot);
      slot.tags.push(t);
    } else {
      const last = out.at(-1);
      if (last && last.group === null) last.tags.push(t);
      else out.push({ group: null, tags: [t] });
    }
  }
  return out;
}

export function CodingPanel({ messageIds, current, bulk, onChanged }: CodingPanelProps) {
  const tags = useApi('tags.list', {}, ['tags']);
  const groups = useApi('tags.groups', {}, ['tags']);
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  // On a matter, a role without coding (read-only, producer) sees the tags but cannot press them.
  const mayCode = useMay('tags.apply');
  const act = useAction(async (op: 'apply' | 'remove', tag: TagDTO, target: Target, withBasis?: string) => {
    const r =
      op === 'apply'
        ? await api.call('tags.apply', { tag: tag.id, target, ...(withBasis !== undefined ? { basis: withBasis } : {}) })
        : await api.call('tags.remove', { tag: tag.id, target });
    const label = describe(op, r);
    const replaced = r.replaced ? ` (replacing ${plural(r.replaced, 'other choice')} in its group)` : '';
    setStatus(`${label}${replaced}${r.changed !== r.selected ? ` (${count(r.selected - r.changed)} already ${op === 'apply' ? 'had it' : 'without it'})` : ''}.`);
    if (r.change !== null) pushUndo({ change: r.change, label });
    onChanged?.();
    return r;
  });

  // A status line speaks of the messages it was about: another target, another (empty) line.
  const targetKey = `${messageIds.join(',')}|${current?.id ?? ''}`;
  useEffect(() => setStatus(''), [targetKey]);

  const request = (op: 'apply' | 'remove', tag: TagDTO, target: Target, size: number) => {
    if ('query' in target || size > CONFIRM_ABOVE) setPending({ op, tag, target, size });
    else void act.run(op, tag, target);
  };

  // Right after j/k the selection has moved but `current` may still be the message before it: decide
  // nothing from that one's tags or mark (a key then applies or marks, and the answer says "already").
  const loaded = current !== undefined && messageIds.length === 1 && current.id === messageIds[0];
  const has = (t: TagDTO) => (loaded && current.tags.some((n) => n.toLowerCase() === t.name.toLowerCase())) || false;
  const toggle = (t: TagDTO) => {
    if (messageIds.length === 0 || !mayCode) return;
    // With one message the button is a toggle; with a selection it applies (remove is the − button).
    const remove = messageIds.length === 1 && has(t);
    request(remove ? 'remove' : 'apply', t, { messageIds: [...messageIds] }, messageIds.length);
  };

  // One message: `r` toggles its mark; a selection: `r` marks them all. A coded message is reviewed by its coding.
  const codedNow = messageIds.length === 1 && (tags.data?.some((t) => t.kind !== 'issue' && has(t)) ?? false);
  const markAll = messageIds.length > 1 || !loaded || !current.reviewed;
  const mark = useAction(async (reviewed: boolean) => {
    const r = await api.call('review.mark', { target: { messageIds: [...messageIds] }, reviewed });
    setStatus(
      reviewed
        ? `Marked ${plural(r.changed, 'message')} reviewed${r.changed !== r.selected ? ` (${count(r.selected - r.changed)} already marked)` : ''}.`
        : `Took the reviewed mark off ${plural(r.changed, 'message')}${r.stillCoded ? ` (${count(r.stillCoded)} still reviewed: coded)` : ''}.`,
    );
    onChanged?.();
    return r;
  });
  const toggleReviewed = () => {
    if (messageIds.length > 0 && !codedNow && !mark.busy && mayCode) void mark.run(markAll);
  };

  const latest = useRef({ toggle, toggleReviewed, tags: tags.data, pending });
  latest.current = { toggle, toggleReviewed, tags: tags.data, pending };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || latest.current.pending || !codingKeysAct(e.target)) return;
      if (e.key === 'r') {
        e.preventDefault();
        latest.current.toggleReviewed();
        return;
      }
      if (!/^[1-9]$/.test(e.key)) return;
      const t = latest.current.tags?.find((x) => x.shortcut === Number(e.key));
      if (t) {
        e.preventDefault();
        latest.current.toggle(t);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const sections = useMemo(() => layout(tags.data ?? [], groups.data ?? []), [tags.data, groups.data]);
  const privileged = tags.data?.filter((t) => t.kind === 'privilege' && has(t)) ?? [];
  const unanswered = current
    ? sections.filter((s) => s.group?.required && !s.tags.some(has)).map((s) => s.group!.name)
    : [];
  const targetLabel = messageIds.length === 0 ? 'No message chosen' : messageIds.length === 1 ? 'This message' : `${count(messageIds.length)} selected messages`;

  return (
    <section className="stack" aria-label="Coding" data-coding-panel="">
      <div>
        <h2>Coding</h2>
        <div className="small muted" aria-live="polite">{targetLabel}</div>
        {!mayCode && <div className="small muted">Your role may view the coding here, not change it.</div>}
      </div>
      <div className="stack" style={{ gap: 8 }} role="group" aria-label="Tags">
        {sections.map((s, i) => (
          <fieldset key={s.group?.id ?? `free-${i}`} className="tag-group" aria-label={s.group ? s.group.name : undefined}>
            {s.group && (
              <legend>
                {s.group.name} · {s.group.choice === 'single' ? 'one choice' : 'any of'}
                {s.group.required ? ' · required' : ''}
              </legend>
            )}
            <div className="tag-buttons">
              {s.tags.map((t) => (
                <span key={t.id} className="row" style={{ gap: 2 }}>
                  <button
                    type="button"
                    style={{ ['--chip' as string]: t.color ?? undefined }}
                    aria-pressed={messageIds.length === 1 ? has(t) : undefined}
                    disabled={messageIds.length === 0 || act.busy || !mayCode}
                    onClick={() => toggle(t)}
                    title={t.shortcut ? `Shortcut: ${t.shortcut}` : undefined}
                    aria-keyshortcuts={t.shortcut ? String(t.shortcut) : undefined}
                  >
                    {t.shortcut && <kbd aria-hidden="true">{t.shortcut}</kbd>}
                    {t.name}
                  </button>
                  {messageIds.length > 1 && (
                    <button type="button" className="small ghost" disabled={act.busy} onClick={() => request('remove', t, { messageIds: [...messageIds] }, messageIds.length)} aria-label={`Remove ${t.name} from the selection`}>
                      −
                    </button>
                  )}
                </span>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="row" role="group" aria-label="Review status">
        {/* Only once the message on screen is the one chosen: right after j/k it would be the previous one's. */}
        {loaded && (
          <span className={`badge ${current.reviewed ? 'ok' : ''}`} data-testid="review-status">
            {current.reviewed ? (codedNow ? '✓ Reviewed (coded)' : '✓ Reviewed') : 'Not reviewed'}
          </span>
        )}
        <button type="button" className="small" disabled={messageIds.length === 0 || codedNow || mark.busy || !mayCode} onClick={toggleReviewed} aria-keyshortcuts="r" title={codedNow ? 'Coded messages count as reviewed' : 'Shortcut: r'}>
          <kbd aria-hidden="true">r</kbd>
          {markAll ? (messageIds.length > 1 ? `Mark ${count(messageIds.length)} reviewed` : 'Mark reviewed') : 'Unmark reviewed'}
        </button>
      </div>
      {unanswered.length > 0 && messageIds.length === 1 && (
        <div className="small notice warn" role="note">
          Still to code: {unanswered.join(', ')} (required).
        </div>
      )}
      {bulk && bulk.total > 0 && mayCode && (
        <details>
          <summary>Code all {plural(bulk.total, 'result')}</summary>
          <div className="tag-buttons" role="group" aria-label="Tag every result" style={{ marginTop: 8 }}>
            {tags.data?.map((t) => (
              <span key={t.id} className="row" style={{ gap: 2 }}>
                <button type="button" className="small" disabled={act.busy} onClick={() => request('apply', t, { query: bulk.query }, bulk.total)} aria-label={`Tag all ${plural(bulk.total, 'result')} as ${t.name}`}>
                  + {t.name}
                </button>
                <button type="button" className="small ghost" disabled={act.busy} onClick={() => request('remove', t, { query: bulk.query }, bulk.total)} aria-label={`Remove ${t.name} from all ${plural(bulk.total, 'result')}`}>
                  −
                </button>
              </span>
            ))}
          </div>
        </details>
      )}
      {privileged.length > 0 && messageIds.length > 0 && (
        <PrivilegeBasis
          key={`${targetKey}|${privileged[0]!.id}`}
          tag={privileged[0]!}
          names={privileged.map((t) => t.name)}
          messageId={messageIds.length === 1 ? messageIds[0]! : null}
          busy={act.busy}
          onSave={(basis) => void act.run('apply', privileged[0]!, { messageIds: [...messageIds] }, basis)}
        />
      )}
      <CodingFields messageIds={messageIds} />
      <div aria-live="polite" className="small" data-testid="coding-status">
        {status && <span className="muted">{status}</span>}
      </div>
      <ErrorNotice error={act.error ?? mark.error} onDismiss={() => (act.clear(), mark.clear())} />
      {pending && (
        <Dialog
          title={`${pending.op === 'apply' ? 'Tag' : 'Untag'} ${plural(pending.size, 'message')}?`}
          onClose={() => setPending(null)}
          actions={
            <>
              <button type="button" onClick={() => setPending(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => {
                  const p = pending;
                  setPending(null);
                  void act.run(p.op, p.tag, p.target);
                }}
              >
                {pending.op === 'apply' ? `Tag ${plural(pending.size, 'message')} as ${pending.tag.name}` : `Remove ${pending.tag.name} from ${plural(pending.size, 'message')}`}
              </button>
            </>
          }
        >
          <p>
            {'query' in pending.target ? (
              <>
                This {pending.op === 'apply' ? 'tags' : 'untags'} <strong>every result</strong> of <code>{pending.target.query}</code>: {plural(pending.size, 'message')}
                {pending.op === 'apply' ? ` as ${pending.tag.name}` : ` (those carrying ${pending.tag.name})`}.
              </>
            ) : (
              <>
                This {pending.op === 'apply' ? `tags ${plural(pending.size, 'selected message')} as ${pending.tag.name}` : `removes ${pending.tag.name} from ${plural(pending.size, 'selected message')}`}.
              </>
            )}{' '}
            You can undo it afterwards (Ctrl+Z).
          </p>
        </Dialog>
      )}
      {current && <Notes messageId={current.id} />}
    </section>
  );
}

/** The basis of a privilege tag, read back from the case so what was saved shows again. */
function PrivilegeBasis(p: { tag: TagDTO; names: string[]; messageId: number | null; busy: boolean; onSave(basis: string): void }) {
  const saved = useApi('tags.basis', p.messageId !== null ? { messageId: p.messageId } : null, ['tags']);
  const [basis, setBasis] = useState<string | null>(null);
  const stored = saved.data?.find((b) => b.tagId === p.tag.id)?.basis ?? '';
  const value = basis ?? stored;
  return (
    <form
      className="stack"
      style={{ gap: 6 }}
      onSubmit={(e) => {
        e.preventDefault();
        p.onSave(value);
        setBasis(null);
      }}
    >
      <label className="field">
        Privilege basis
        <textarea value={value} onChange={(e) => setBasis(e.target.value)} placeholder="e.g. Legal advice from outside counsel re: contract terms" />
        <span className="hint">Shown in the privilege log for {p.names.join(', ')}.</span>
      </label>
      <div>
        <button type="submit" className="small" disabled={p.busy}>
          Save basis
        </button>
      </div>
    </form>
  );
}

function Notes({ messageId }: { messageId: number }) {
  const mayNote = useMay('notes.add');
  const tz = useTimeZone();
  const notes = useApi('notes.list', { messageId }, ['notes']);
  const [noteText, setNoteText] = useState('');
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null);
  const [deleting, setDeleting] = useState<NoteDTO | null>(null);
  const addNote = useAction(async () => {
    await api.call('notes.add', { messageId, text: noteText });
    setNoteText('');
  });
  const edit = useAction(async (id: number, text: string) => {
    await api.call('notes.edit', { noteId: id, text });
    setEditing(null);
  });
  const remove = useAction(async (id: number) => {
    await api.call('notes.delete', { noteId: id });
    setDeleting(null);
  });
  return (
    <div>
      <h2>Notes</h2>
      {notes.data && notes.data.length > 0 && (
        <ul className="notes-list" aria-label="Notes">
          {notes.data.map((n) => (
            <li key={n.id}>
              {editing?.id === n.id ? (
                <form
                  className="stack"
                  style={{ gap: 4 }}
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (editing.text.trim()) void edit.run(n.id, editing.text);
                  }}
                >
                  <textarea aria-label="Edit note" value={editing.text} onChange={(e) => setEditing({ id: n.id, text: e.target.value })} autoFocus />
                  <div className="row">
                    <button type="submit" className="small" disabled={!editing.text.trim() || edit.busy}>
                      Save note
                    </button>
                    <button type="button" className="small ghost" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <div>{n.text}</div>
                  <div className="row muted">
                    <span className="grow">
                      {n.by}, {dateTime(n.at, tz)}
                    </span>
                    {mayNote && (
                      <>
                        <button type="button" className="small ghost" onClick={() => setEditing({ id: n.id, text: n.text })} aria-label={`Edit note: ${n.text.slice(0, 40)}`}>
                          Edit
                        </button>
                        <button type="button" className="small ghost" onClick={() => setDeleting(n)} aria-label={`Delete note: ${n.text.slice(0, 40)}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayNote && (
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
      )}
      <ErrorNotice error={addNote.error ?? edit.error ?? remove.error} onDismiss={() => (addNote.clear(), edit.clear(), remove.clear())} />
      {deleting && (
        <Dialog
          title="Delete this note?"
          onClose={() => setDeleting(null)}
          actions={
            <>
              <button type="button" onClick={() => setDeleting(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => void remove.run(deleting.id)}>
                Delete note
              </button>
            </>
          }
        >
          <p>“{deleting.text}” is removed from the case; the audit log keeps what it said.</p>
        </Dialog>
      )}
    </div>
  );
}
