/** Every conversation in review: name, platform, period, participants, custodians, held, personal. */
import { useState } from 'react';
import type { ConversationSummaryDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi, useDebounced } from '../../lib/hooks.ts';
import { count, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function ConversationsScreen() {
  const tz = useTimeZone();
  const [name, setName] = useState('');
  const [showPersonal, setShowPersonal] = useState(false);
  const debounced = useDebounced(name, 200);
  const list = useApi('conversations.list', { ...(debounced ? { name: debounced } : {}), includePersonal: showPersonal }, ['imported', 'conversations', 'retention', 'holds', 'notes']);
  // With personal ones hidden, how many of them the filter matched (so an empty list says why).
  const withPersonal = useApi('conversations.list', !showPersonal && list.data?.length === 0 ? { ...(debounced ? { name: debounced } : {}), includePersonal: true } : null, ['conversations']);
  const [marking, setMarking] = useState<ConversationSummaryDTO | null>(null);
  const [reason, setReason] = useState('');
  const personal = useAction(async (conversationId: number, value: boolean, why?: string) => {
    await api.call('conversations.setPersonal', { conversationId, personal: value, ...(why ? { reason: why } : {}) });
    setMarking(null);
    setReason('');
  });
  const hiddenMatches = withPersonal.data?.length ?? 0;
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
        <div className="card" role="note">
          {hiddenMatches > 0 ? (
            <>
              Only {plural(hiddenMatches, 'personal conversation')} {debounced ? <>named like “{debounced}”</> : 'in this case'} — personal ones are hidden.{' '}
              <button type="button" className="small" onClick={() => setShowPersonal(true)}>
                Show personal
              </button>
            </>
          ) : debounced ? (
            <>No conversation is named like “{debounced}”. Try part of a name, or clear the filter.</>
          ) : (
            <>
              No conversations yet. <a href={href('import')}>Import a source</a> to begin.
            </>
          )}
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
                  <div className="small muted">
                    {c.kind} · {plural(c.participants.length, 'participant')}
                  </div>
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
                  <button
                    type="button"
                    className="small"
                    disabled={personal.busy}
                    onClick={() => (c.personal ? void personal.run(c.id, false) : setMarking(c))}
                    aria-label={c.personal ? `Return ${c.name} to review` : `Mark ${c.name} as personal`}
                  >
                    {c.personal ? 'In scope' : 'Personal'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {marking && (
        <Dialog
          title={`Mark “${marking.name}” as personal?`}
          onClose={() => setMarking(null)}
          actions={
            <>
              <button type="button" onClick={() => setMarking(null)}>
                Cancel
              </button>
              <button type="button" className="primary" disabled={!reason.trim() || personal.busy} onClick={() => void personal.run(marking.id, true, reason.trim())}>
                Mark as personal
              </button>
            </>
          }
        >
          <div className="stack">
            <p>
              Its {plural(marking.messages, 'message')} leave review, search and productions (searches say how many hits they hide). They stay in the case, preserved.
            </p>
            {marking.heldMessages > 0 && (
              <div className="notice warn" role="alert">
                {plural(marking.heldMessages, 'message')} of this conversation {marking.heldMessages === 1 ? 'is' : 'are'} under legal hold. They stay held and preserved; check that setting the conversation aside is right for the hold.
              </div>
            )}
            <label className="field">
              Reason (kept in the audit log)
              <textarea value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. the custodian's family chat, outside the scope of the matter" autoFocus />
            </label>
            <ErrorNotice error={personal.error} onDismiss={personal.clear} />
          </div>
        </Dialog>
      )}
    </div>
  );
}
