/**
 * Coding layout: the case's tags and tag groups, made and changed in the app — custom tags with
 * kind, colour, key and group; groups single-choice (the tags exclude each other on a message) or
 * multi-choice, required or not; custom fields (text, fixed choice, date). Every change is audited by the core.
 */
import { useState } from 'react';
import type { TagDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { CodingFieldsCard } from './CodingFieldsCard.tsx';

const KINDS = ['coding', 'issue', 'privilege'] as const;
const KEYS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

export function CodingLayoutScreen() {
  const tags = useApi('tags.list', {}, ['tags']);
  const groups = useApi('tags.groups', {}, ['tags']);
  const [deleting, setDeleting] = useState<TagDTO | null>(null);
  const [tagName, setTagName] = useState('');
  const [tagKind, setTagKind] = useState<(typeof KINDS)[number]>('coding');
  const [tagGroup, setTagGroup] = useState('');
  const [tagKey, setTagKey] = useState('');
  const [groupName, setGroupName] = useState('');
  const [groupChoice, setGroupChoice] = useState<'single' | 'multi'>('single');
  const [groupRequired, setGroupRequired] = useState(false);
  const usedKeys = new Set(tags.data?.map((t) => t.shortcut).filter((k) => k !== null));

  const change = useAction(async (fn: () => Promise<unknown>) => fn());
  const createTag = () =>
    change.run(async () => {
      await api.call('tags.create', { name: tagName.trim(), kind: tagKind, ...(tagGroup ? { groupId: Number(tagGroup) } : {}), ...(tagKey ? { shortcut: Number(tagKey) } : {}) });
      setTagName('');
      setTagKey('');
    });
  const createGroup = () =>
    change.run(async () => {
      await api.call('tags.createGroup', { name: groupName.trim(), choice: groupChoice, required: groupRequired });
      setGroupName('');
      setGroupRequired(false);
    });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Coding layout</h1>
      </div>
      <p className="muted">
        Tags are what reviewers code with (number keys 1–9 in search and conversations). Put tags in a <strong>single-choice</strong> group when a message can carry only one of them (coding one replaces the other), and mark a group <strong>required</strong> when every message must be answered in it.
      </p>
      <ErrorNotice error={tags.error ?? groups.error ?? change.error} onDismiss={change.clear} />
      <div className="cards" style={{ gridTemplateColumns: '1fr', alignItems: 'start' }}>
        <section className="card" aria-label="Tag groups">
          <h2>Groups</h2>
          {groups.data?.length === 0 && <p className="muted">No groups yet: every tag stands alone. Make one below.</p>}
          {groups.data && groups.data.length > 0 && (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Choice</th>
                  <th scope="col">Required</th>
                  <th scope="col">Tags</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {groups.data.map((g) => (
                  <tr key={g.id}>
                    <td>{g.name}</td>
                    <td>
                      <select aria-label={`Choice in ${g.name}`} value={g.choice} onChange={(e) => void change.run(() => api.call('tags.updateGroup', { groupId: g.id, choice: e.target.value as 'single' | 'multi' }))}>
                        <option value="single">one choice</option>
                        <option value="multi">any of</option>
                      </select>
                    </td>
                    <td>
                      <input type="checkbox" aria-label={`${g.name} is required`} checked={g.required} onChange={(e) => void change.run(() => api.call('tags.updateGroup', { groupId: g.id, required: e.target.checked }))} />
                    </td>
                    <td className="small">{g.tags.map((id) => tags.data?.find((t) => t.id === id)?.name ?? `#${id}`).join(', ') || <span className="muted">none yet</span>}</td>
                    <td>
                      <button type="button" className="small ghost" onClick={() => void change.run(() => api.call('tags.deleteGroup', { groupId: g.id }))} aria-label={`Delete group ${g.name}`}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form
            className="row wrap"
            aria-label="New group"
            style={{ marginTop: 10 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (groupName.trim()) void createGroup();
            }}
          >
            <input type="text" aria-label="Group name" placeholder="New group, e.g. Issues" value={groupName} onChange={(e) => setGroupName(e.target.value)} />
            <select aria-label="Group choice" value={groupChoice} onChange={(e) => setGroupChoice(e.target.value as 'single' | 'multi')}>
              <option value="single">one choice</option>
              <option value="multi">any of</option>
            </select>
            <label className="check">
              <input type="checkbox" checked={groupRequired} onChange={(e) => setGroupRequired(e.target.checked)} /> required
            </label>
            <button type="submit" className="small primary" disabled={!groupName.trim() || change.busy}>
              Add group
            </button>
          </form>
        </section>
        <section className="card" aria-label="Tags">
          <h2>Tags</h2>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Kind</th>
                <th scope="col">Colour</th>
                <th scope="col">Key</th>
                <th scope="col">Group</th>
                <th scope="col">Messages</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tags.data?.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.builtin ? (
                      <span title="A default tag: its name and kind stay">{t.name}</span>
                    ) : (
                      <input
                        type="text"
                        aria-label={`Name of ${t.name}`}
                        defaultValue={t.name}
                        onBlur={(e) => e.target.value.trim() && e.target.value.trim() !== t.name && void change.run(() => api.call('tags.update', { tagId: t.id, name: e.target.value.trim() }))}
                      />
                    )}
                  </td>
                  <td>
                    <select aria-label={`Kind of ${t.name}`} value={t.kind} disabled={t.builtin} onChange={(e) => void change.run(() => api.call('tags.update', { tagId: t.id, kind: e.target.value as TagDTO['kind'] }))}>
                      {KINDS.map((k) => (
                        <option key={k} value={k}>
                          {k}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="color" aria-label={`Colour of ${t.name}`} value={t.color ?? '#2457c5'} onChange={(e) => void change.run(() => api.call('tags.update', { tagId: t.id, color: e.target.value }))} />
                  </td>
                  <td>
                    <select aria-label={`Key of ${t.name}`} value={t.shortcut ?? ''} onChange={(e) => void change.run(() => api.call('tags.update', { tagId: t.id, shortcut: e.target.value ? Number(e.target.value) : null }))}>
                      <option value="">none</option>
                      {KEYS.filter((k) => k === t.shortcut || !usedKeys.has(k)).map((k) => (
                        <option key={k} value={k}>
                          {k}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`Group of ${t.name}`} value={t.group ?? ''} onChange={(e) => void change.run(() => api.call('tags.update', { tagId: t.id, groupId: e.target.value ? Number(e.target.value) : null }))}>
                      <option value="">none</option>
                      {groups.data?.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="mono">{count(t.messages)}</td>
                  <td>
                    {!t.builtin && (
                      <button type="button" className="small ghost" onClick={() => setDeleting(t)} aria-label={`Delete tag ${t.name}`}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="row wrap"
            aria-label="New tag"
            style={{ marginTop: 10 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (tagName.trim()) void createTag();
            }}
          >
            <input type="text" aria-label="Tag name" placeholder="New tag, e.g. Pricing" value={tagName} onChange={(e) => setTagName(e.target.value)} />
            <select aria-label="Tag kind" value={tagKind} onChange={(e) => setTagKind(e.target.value as (typeof KINDS)[number])}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <select aria-label="Tag key" value={tagKey} onChange={(e) => setTagKey(e.target.value)}>
              <option value="">no key</option>
              {KEYS.filter((k) => !usedKeys.has(k)).map((k) => (
                <option key={k} value={k}>
                  key {k}
                </option>
              ))}
            </select>
            <select aria-label="Tag group" value={tagGroup} onChange={(e) => setTagGroup(e.target.value)}>
              <option value="">no group</option>
              {groups.data?.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
            <button type="submit" className="small primary" disabled={!tagName.trim() || change.busy}>
              Add tag
            </button>
          </form>
        </section>
        <CodingFieldsCard />
      </div>
      {deleting && (
        <ConfirmDialog
          title={`Delete the tag “${deleting.name}”?`}
          confirm="Delete tag"
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            const x = deleting;
            void change.run(() => api.call('tags.delete', { tagId: x.id }));
          }}
        >
          <p>
            {deleting.messages > 0 ? `It comes off ${plural(deleting.messages, 'message')}; ` : ''}the audit log keeps which messages carried it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
