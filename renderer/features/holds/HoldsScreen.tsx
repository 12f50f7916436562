/** Legal holds: create one over custodians, conversations, a query or a date range; see what each covers; release with a reason. */
import { useState } from 'react';
import type { HoldDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi, useDebounced } from '../../lib/hooks.ts';
import { count, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { ConversationPicker } from '../../components/ConversationPicker.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Dialog } from '../../components/Dialog.tsx';

export function HoldsScreen() {
  const tz = useTimeZone();
  const holds = useApi('holds.list', {}, ['holds', 'imported']);
  const convs = useApi('conversations.list', { includePersonal: true }, ['imported', 'conversations']);
  const [name, setName] = useState('');
  const [matter, setMatter] = useState('');
  const [reason, setReason] = useState('');
  const [custodians, setCustodians] = useState('');
  const [conversationIds, setConversationIds] = useState<number[]>([]);
  const [query, setQuery] = useState('');
  const [after, setAfter] = useState('');
  const [before, setBefore] = useState('');
  const [releasing, setReleasing] = useState<HoldDTO | null>(null);
  const [releaseReason, setReleaseReason] = useState('');
  const create = useAction(async () => {
    const list = custodians.split(',').map((c) => c.trim()).filter(Boolean);
    const h = await api.call('holds.create', {
      name,
      ...(matter ? { matter } : {}),
      ...(reason ? { reason } : {}),
      ...(list.length ? { custodians: list } : {}),
      ...(conversationIds.length ? { conversations: conversationIds } : {}),
      ...(query.trim() ? { query: query.trim() } : {}),
      ...(after ? { after } : {}),
      ...(before ? { before } : {}),
    });
    setName('');
    setReason('');
    setQuery('');
    setConversationIds([]);
    setCustodians('');
    setAfter('');
    setBefore('');
    return h;
  });
  const release = useAction(async (holdId: number, why: string) => {
    await api.call('holds.release', { holdId, reason: why });
    setReleasing(null);
    setReleaseReason('');
  });
  const allCustodians = [...new Set(convs.data?.flatMap((c) => c.custodians) ?? [])].sort();
  const custodianList = custodians.split(',').map((c) => c.trim()).filter(Boolean);
  const scope = {
    ...(custodianList.length ? { custodians: custodianList } : {}),
    ...(conversationIds.length ? { conversations: conversationIds } : {}),
    ...(query.trim() ? { query: query.trim() } : {}),
    ...(after ? { after } : {}),
    ...(before ? { before } : {}),
  };
  const settled = useDebounced(JSON.stringify(scope), 300);
  const preview = useApi('holds.preview', settled !== '{}' ? (JSON.parse(settled) as typeof scope) : null, ['holds', 'imported']);
  const convName = (id: number) => convs.data?.find((c) => c.id === id)?.name ?? `#${id}`;
  // The scope in words, as the hold will apply it (a union of selectors, narrowed by the dates).
  const words: string[] = [];
  if (preview.data && settled === JSON.stringify(scope)) {
    const d = preview.data;
    if (d.custodians !== null) words.push(`${custodianList.length === 1 ? 'custodian' : 'custodians'} ${custodianList.join(', ')} (${plural(d.custodians, 'message')})`);
    if (d.conversations !== null) words.push(`${conversationIds.length === 1 ? 'conversation' : 'conversations'} ${conversationIds.map(convName).join(', ')} (${plural(d.conversations, 'message')})`);
    if (d.query !== null) words.push(`${plural(d.query, 'message')} matching “${query.trim()}”, personal conversations included`);
  }
  const dates = after || before ? `${words.length ? ', only ' : 'every message '}${after ? `from ${after}` : ''}${after && before ? ' ' : ''}${before ? `until before ${before}` : ''}` : '';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Legal holds</h1>
      </div>
      <p className="muted">Held messages cannot be deleted, purged by retention or redacted destructively. A hold also covers what arrives later under its scope.</p>
      <div className="cards" style={{ gridTemplateColumns: 'minmax(320px, 420px) 1fr', alignItems: 'start' }}>
        <form
          className="card stack"
          aria-label="New hold"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <h2>New hold</h2>
          <label className="field">
            Name
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label className="field">
            Matter
            <input type="text" value={matter} onChange={(e) => setMatter(e.target.value)} />
          </label>
          <label className="field">
            Reason
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <fieldset className="stack">
            <legend>Scope (any combination)</legend>
            <label className="field">
              Custodians
              <input type="text" list="hold-custodians" value={custodians} onChange={(e) => setCustodians(e.target.value)} placeholder="Comma-separated" />
              <datalist id="hold-custodians">{allCustodians.map((c) => <option key={c} value={c} />)}</datalist>
            </label>
            <div className="field">
              Conversations
              <ConversationPicker label="Conversations" conversations={convs.data ?? []} chosen={conversationIds} onChange={setConversationIds} />
            </div>
            <label className="field">
              Query
              <input type="text" value={query} onChange={(e) => setQuery(e.target.value)} placeholder='e.g. "project falcon" OR from:Dana' spellCheck={false} />
            </label>
            <div className="row">
              <label className="field grow">
                From
                <input type="date" value={after} onChange={(e) => setAfter(e.target.value)} />
              </label>
              <label className="field grow">
                Until before
                <input type="date" value={before} onChange={(e) => setBefore(e.target.value)} />
              </label>
            </div>
          </fieldset>
          {settled !== '{}' && (
            <div className="notice small" role="status" aria-label="What the hold will cover">
              {preview.error ? (
                <ErrorNotice error={preview.error} />
              ) : preview.data && settled === JSON.stringify(scope) ? (
                <>
                  Holds {words.join(', plus ')}
                  {dates}: <strong>{plural(preview.data.messages, 'message')}</strong> now, and what later imports bring under this scope.
                </>
              ) : (
                'Counting…'
              )}
            </div>
          )}
          <ErrorNotice error={create.error} onDismiss={create.clear} />
          <div>
            <button type="submit" className="primary" disabled={!name.trim() || create.busy}>
              Put on hold
            </button>
          </div>
        </form>
        <section className="card" aria-label="Holds">
          <h2>Holds</h2>
          <ErrorNotice error={holds.error} />
          {holds.data?.length === 0 && <p className="muted">No holds yet.</p>}
          {holds.data && holds.data.length > 0 && (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">Hold</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Status</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {holds.data.map((h) => (
                  <tr key={h.holdId}>
                    <td>
                      <strong>{h.name}</strong>
                      <div className="small muted">
                        {h.matter ? `${h.matter} · ` : ''}
                        {h.createdBy}, {dateTime(h.createdAt, tz)}
                      </div>
                      {h.reason && <div className="small">{h.reason}</div>}
                    </td>
                    <td className="small">
                      {h.scope.custodians.length > 0 && <div>Custodians: {h.scope.custodians.join(', ')}</div>}
                      {h.scope.conversations.length > 0 && <div>Conversations: {h.scope.conversations.map((id) => convs.data?.find((c) => c.id === id)?.name ?? `#${id}`).join(', ')}</div>}
                      {h.scope.query && (
                        <div>
                          Query: <code>{h.scope.query}</code>
                        </div>
                      )}
                      {(h.scope.after || h.scope.before) && (
                        <div>
                          {h.scope.after ? `from ${dateTime(h.scope.after, tz)}` : ''} {h.scope.before ? `until ${dateTime(h.scope.before, tz)}` : ''}
                        </div>
                      )}
                    </td>
                    <td className="mono">{count(h.messages)}</td>
                    <td>
                      {h.active ? (
                        <span className="badge accent">active</span>
                      ) : (
                        <span className="badge" title={h.releaseReason ?? ''}>
                          released {h.releasedAt ? dateTime(h.releasedAt, tz) : ''}
                        </span>
                      )}
                    </td>
                    <td>
                      {h.active && (
                        <button type="button" className="small" onClick={() => setReleasing(h)} aria-label={`Release ${h.name}`}>
                          Release…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      {releasing && (
        <Dialog
          title={`Release “${releasing.name}”`}
          onClose={() => setReleasing(null)}
          actions={
            <>
              <button type="button" onClick={() => setReleasing(null)}>
                Keep the hold
              </button>
              <button type="button" className="primary" disabled={!releaseReason.trim() || release.busy} onClick={() => void release.run(releasing.holdId, releaseReason.trim())}>
                Release
              </button>
            </>
          }
        >
          <p>{count(releasing.messages)} messages will no longer be protected by this hold (other holds still apply). The release and its reason are recorded in the audit log.</p>
          <label className="field">
            Reason
            <textarea value={releaseReason} onChange={(e) => setReleaseReason(e.target.value)} />
          </label>
          <ErrorNotice error={release.error} onDismiss={release.clear} />
        </Dialog>
      )}
    </div>
  );
}
