/**
 * Choosing conversations out of hundreds: type part of a name, tick the matches (the first 50
 * shown), see the chosen ones as removable chips. Replaces a multi-select nobody can scroll.
 */
import { useId, useMemo, useState } from 'react';
import type { ConversationSummaryDTO } from '../../src/api/dto.ts';
import { count } from '../lib/format.ts';

const SHOWN = 50;

export function ConversationPicker(p: { label: string; conversations: readonly ConversationSummaryDTO[]; chosen: readonly number[]; onChange(ids: number[]): void }) {
  const [filter, setFilter] = useState('');
  const listId = useId();
  const chosen = new Set(p.chosen);
  const matches = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? p.conversations.filter((c) => c.name.toLowerCase().includes(f) || c.platform.includes(f) || c.custodians.some((x) => x.toLowerCase().includes(f))) : p.conversations;
  }, [filter, p.conversations]);
  const toggle = (id: number) => p.onChange(chosen.has(id) ? p.chosen.filter((x) => x !== id) : [...p.chosen, id]);
  return (
    <div className="picker stack" style={{ gap: 6 }} role="group" aria-label={p.label}>
      {p.chosen.length > 0 && (
        <div className="row wrap" style={{ gap: 4 }} aria-label={`Chosen ${p.label.toLowerCase()}`}>
          {p.chosen.map((id) => {
            const c = p.conversations.find((x) => x.id === id);
            return (
              <span key={id} className="tag-chip">
                {c?.name ?? `#${id}`}
                <button type="button" className="ghost small" onClick={() => toggle(id)} aria-label={`Remove ${c?.name ?? id}`}>
                  ✕
                </button>
              </span>
            );
          })}
        </div>
      )}
      <input type="search" aria-label={`Find ${p.label.toLowerCase()}`} aria-controls={listId} placeholder={`Find among ${count(p.conversations.length)} by name, platform or custodian`} value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul id={listId} className="picker-list">
        {matches.slice(0, SHOWN).map((c) => (
          <li key={c.id}>
            <label className="check">
              <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} />
              {c.name} <span className="muted small">({c.platform}, {count(c.messages)})</span>
            </label>
          </li>
        ))}
        {matches.length > SHOWN && <li className="muted small">{count(matches.length - SHOWN)} more: type more of the name.</li>}
        {matches.length === 0 && <li className="muted small">No conversation matches “{filter}”.</li>}
      </ul>
    </div>
  );
}
