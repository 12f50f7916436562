/** Identity linking: one person across phone numbers, emails, WhatsApp ids, Apple ids — suggested, then confirmed by hand. */
import { useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function IdentitiesScreen() {
  const people = useApi('identities.list', {}, ['identities', 'imported']);
  const suggestions = useApi('identities.suggest', {}, ['identities', 'imported']);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [name, setName] = useState('');
  const link = useAction(async (handleIds: number[], participantId?: number, newName?: string) => {
    await api.call('identities.link', { handleIds, ...(participantId ? { participantId } : {}), ...(newName ? { name: newName } : {}) });
    setPicked(new Set());
    setName('');
  });
  const unlink = useAction((handleId: number) => api.call('identities.unlink', { handleId }));
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const rename = useAction(async (participantId: number, newName: string) => {
    await api.call('identities.rename', { participantId, name: newName });
    setRenaming(null);
  });
  const toggle = (id: number) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Identities</h1>
      </div>
      <ErrorNotice error={people.error ?? suggestions.error ?? link.error ?? unlink.error ?? rename.error} />
      {suggestions.data && suggestions.data.length > 0 && (
        <section className="card" style={{ marginBottom: 16 }}>
          <h2>Suggested links</h2>
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 8 }}>
            {suggestions.data.map((s) => (
              <li key={`${s.reason}:${s.key}`} className="row wrap">
                <span className="badge">{s.reason.replace('same-', 'same ')}</span>
                <span className="mono small">{s.key}</span>
                <span className="grow">{s.participants.map((p) => p.name).join(' · ')}</span>
                <button type="button" className="small" disabled={link.busy} onClick={() => void link.run(s.handles.map((h) => h.id), s.participants[0]?.id)}>
                  Link as one person
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card">
        <div className="row" style={{ marginBottom: 8 }}>
          <h2 style={{ margin: 0 }}>People</h2>
          <span className="spacer" />
          {picked.size > 0 && (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void link.run([...picked], undefined, name.trim() || undefined);
              }}
            >
              <span className="small muted">{picked.size} handles chosen</span>
              <input type="text" aria-label="Name of the person" placeholder="Name of the person" value={name} onChange={(e) => setName(e.target.value)} />
              <button type="submit" className="primary small" disabled={link.busy || picked.size < 1}>
                Link
              </button>
            </form>
          )}
        </div>
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Handles</th>
              <th scope="col">Messages</th>
              <th scope="col">Conversations</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {people.data?.map((p) => (
              <tr key={p.id}>
                <td>
                  {renaming?.id === p.id ? (
                    <form
                      className="row"
                      onSubmit={(e) => {
                        e.preventDefault();
                        if (renaming.name.trim()) void rename.run(p.id, renaming.name.trim());
                      }}
                    >
                      <input type="text" aria-label={`New name for ${p.name}`} value={renaming.name} onChange={(e) => setRenaming({ id: p.id, name: e.target.value })} autoFocus />
                      <button type="submit" className="small primary" disabled={!renaming.name.trim() || rename.busy}>
                        Save
                      </button>
                      <button type="button" className="small ghost" onClick={() => setRenaming(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    p.name
                  )}
                </td>
                <td>
                  <div className="stack" style={{ gap: 2 }}>
                    {p.handles.map((h) => (
                      <span key={h.id} className="row small" style={{ gap: 6 }}>
                        <input type="checkbox" checked={picked.has(h.id)} onChange={() => toggle(h.id)} aria-label={`Choose ${h.kind} ${h.value}`} />
                        <span className="badge">{h.kind}</span>
                        <span className="mono">{h.value}</span>
                        {p.handles.length > 1 && (
                          <button type="button" className="ghost small" onClick={() => void unlink.run(h.id)} aria-label={`Unlink ${h.value} from ${p.name}`}>
                            unlink
                          </button>
                        )}
                      </span>
                    ))}
                  </div>
                </td>
                <td className="mono">{count(p.messages)}</td>
                <td className="mono">{count(p.conversations)}</td>
                <td>
                  <button type="button" className="ghost small" onClick={() => setRenaming({ id: p.id, name: p.name })} aria-label={`Rename ${p.name}`}>
                    rename
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
