/** Every conversation in review: name, platform, period, participants, custodians, held, personal. */
import { useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi, useDebounced } from '../../lib/hooks.ts';
import { count, dateTime, useTimeZone } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function ConversationsScreen() {
  const tz = useTimeZone();
  const [name, setName] = useState('');
  const [showPersonal, setShowPersonal] = useState(false);
  const debounced = useDebounced(name, 200);
  const list = useApi('conversations.list', { ...(debounced ? { name: debounced } : {}), includePersonal: showPersonal }, ['imported', 'conversations', 'retention', 'holds', 'notes']);
  const personal = useAction((conversationId: number, value: boolean) => api.call('conversations.setPersonal', { conversationId, personal: value }));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Conversations</h1>
        <span className="muted">{list.data ? count(list.data.length) : ''}</span>
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={showPersonal} onChange={(e) => setShowPersonal(e.target.checked)} /> Show personal
        </label>
        <input type="search" aria-label="Filter conversations by name" placeholder="Filter by name" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <ErrorNotice error={list.error ?? personal.error} />
      {list.data && list.data.length === 0 && (
        <div className="card">
          No conversations yet. <a href={href('import')}>Import a source</a> to begin.
        </div>
      )}
      {list.data && list.data.length > 0 && (
        <table className="plain card" style={{ padding: 0 }}>
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col">Platform</th>
              <th scope="col">Messages</th>
              <th scope="col">Period</th>
              <th scope="col">Participants</th>
              <th scope="col">Custodians</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={href('conversation', [c.id])}>{c.name}</a>
                  <div className="small muted">{c.kind}</div>
                </td>
                <td>{c.platform}</td>
                <td className="nowrap">{count(c.messages)}</td>
                <td className="small nowrap">
                  {dateTime(c.firstAt, tz)}
                  <br />
                  {dateTime(c.lastAt, tz)}
                </td>
                <td className="small">{c.participants.slice(0, 6).map((p) => p.name).join(', ')}{c.participants.length > 6 ? ` +${c.participants.length - 6}` : ''}</td>
                <td className="small">{c.custodians.join(', ')}</td>
                <td>
                  <span className="row wrap" style={{ gap: 4 }}>
                    {c.heldMessages > 0 && <span className="badge accent">held {count(c.heldMessages)}</span>}
                    {c.personal && <span className="badge warn">personal</span>}
                    {c.notes > 0 && <span className="badge">{c.notes} notes</span>}
                  </span>
                </td>
                <td>
                  <button type="button" className="small" disabled={personal.busy} onClick={() => void personal.run(c.id, !c.personal)} aria-label={c.personal ? `Return ${c.name} to review` : `Mark ${c.name} as personal`}>
                    {c.personal ? 'In scope' : 'Personal'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
