/**
 * Saved searches, shared by everyone who opens the case: listed under the search box (a click
 * runs one), saved from the current search with a name, deleted after a question. Both audited.
 */
import { useState } from 'react';
import type { SavedSearchDTO, SearchSort } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useMay } from '../../lib/account.ts';
import { Dialog } from '../../components/Dialog.tsx';

export function SavedSearches(p: { query: string; sort: SearchSort; includePersonal: boolean; onOpen(s: SavedSearchDTO): void }) {
  const saved = useApi('search.saved', {}, ['searches', 'opened']);
  const maySave = useMay('search.save');
  const mayDelete = useMay('search.deleteSaved');
  const [naming, setNaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<SavedSearchDTO | null>(null);
  const save = useAction(async (name: string) => {
    const r = await api.call('search.save', { name, query: p.query, sort: p.sort, includePersonal: p.includePersonal });
    setNaming(null);
    return r;
  });
  const remove = useAction(async (s: SavedSearchDTO) => {
    await api.call('search.deleteSaved', { savedSearchId: s.id });
    setDeleting(null);
  });
  const list = saved.data ?? [];
  return (
    <div className="row wrap saved-searches" role="group" aria-label="Saved searches" style={{ gap: 4 }}>
      <span className="small muted">Saved searches:</span>
      {list.length === 0 && <span className="small muted">none yet{p.query && maySave ? ' — save this one for the team' : ''}.</span>}
      {list.map((s) => (
        <span key={s.id} className="saved-search">
          <button type="button" className="small ghost" onClick={() => p.onOpen(s)} title={`${s.query} — saved by ${s.createdBy}`}>
            {s.name}
          </button>
          {mayDelete && (
            <button type="button" className="small ghost" onClick={() => setDeleting(s)} aria-label={`Delete saved search ${s.name}`}>
              ✕
            </button>
          )}
        </span>
      ))}
      {p.query && maySave && (
        <button type="button" className="small" onClick={() => setNaming('')}>
          Save this search…
        </button>
      )}
      <ErrorNotice error={saved.error ?? remove.error} />
      {naming !== null && (
        <Dialog title="Save this search" onClose={() => setNaming(null)}>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (naming.trim()) void save.run(naming.trim());
            }}
          >
            <label className="field">
              Name
              <input type="text" aria-label="Saved search name" value={naming} onChange={(e) => setNaming(e.target.value)} placeholder="e.g. Falcon pricing, unreviewed" />
              <span className="hint">
                Saved in the case for everyone who opens it: <code>{p.query}</code>
              </span>
            </label>
            <ErrorNotice error={save.error} onDismiss={save.clear} />
            <div className="row">
              <span className="spacer" />
              <button type="button" onClick={() => setNaming(null)}>
                Cancel
              </button>
              <button type="submit" className="primary" disabled={!naming.trim() || save.busy}>
                Save search
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {deleting && (
        <Dialog
          title={`Delete the saved search “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          actions={
            <>
              <button type="button" onClick={() => setDeleting(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => void remove.run(deleting)}>
                Delete saved search
              </button>
            </>
          }
        >
          <p>
            It is removed for everyone working in this case; the audit log keeps its query (<code>{deleting.query}</code>).
          </p>
        </Dialog>
      )}
    </div>
  );
}
