/** The coding layout's custom fields: made (text, a fixed choice, a date) and deleted in the app; reviewers fill them in the coding panel. */
import { useState } from 'react';
import type { CodingFieldDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';

const TYPES: { id: CodingFieldDTO['type']; label: string }[] = [
  { id: 'text', label: 'free text' },
  { id: 'choice', label: 'one of fixed choices' },
  { id: 'date', label: 'date' },
];

export function CodingFieldsCard() {
  const fields = useApi('fields.list', {}, ['fields']);
  const [name, setName] = useState('');
  const [type, setType] = useState<CodingFieldDTO['type']>('text');
  const [choices, setChoices] = useState('');
  const [deleting, setDeleting] = useState<CodingFieldDTO | null>(null);
  const change = useAction(async (fn: () => Promise<unknown>) => fn());
  const choiceList = choices.split(',').map((c) => c.trim()).filter(Boolean);
  const ready = name.trim() && (type !== 'choice' || choiceList.length > 0);
  const create = () =>
    change.run(async () => {
      await api.call('fields.create', { name: name.trim(), type, ...(type === 'choice' ? { choices: choiceList } : {}) });
      setName('');
      setChoices('');
    });

  return (
    <section className="card" aria-label="Coding fields">
      <h2>Fields</h2>
      <p className="muted small">
        Fields hold a value per message beside its tags — free text, one of fixed choices, or a date — set in the coding panel. They are work product: a production carries them only when “Custom coding fields” is picked.
      </p>
      {fields.data?.length === 0 && <p className="muted">No fields yet. Make one below, e.g. “Issue” or “Follow-up date”.</p>}
      {fields.data && fields.data.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Messages</th>
              <th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {fields.data.map((f) => (
              <tr key={f.id}>
                <td>{f.name}</td>
                <td className="small">{f.type === 'choice' ? `one of: ${f.choices.join(', ')}` : TYPES.find((t) => t.id === f.type)!.label}</td>
                <td className="mono">{count(f.messages)}</td>
                <td>
                  <button type="button" className="small ghost" onClick={() => setDeleting(f)} aria-label={`Delete field ${f.name}`}>
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
        aria-label="New field"
        style={{ marginTop: 10 }}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void create();
        }}
      >
        <input type="text" aria-label="Field name" placeholder="New field, e.g. Issue" value={name} onChange={(e) => setName(e.target.value)} />
        <select aria-label="Field type" value={type} onChange={(e) => setType(e.target.value as CodingFieldDTO['type'])}>
          {TYPES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
        {type === 'choice' && <input type="text" aria-label="Choices" placeholder="Choices, comma-separated" value={choices} onChange={(e) => setChoices(e.target.value)} />}
        <button type="submit" className="small primary" disabled={!ready || change.busy}>
          Add field
        </button>
      </form>
      <ErrorNotice error={fields.error ?? change.error} onDismiss={change.clear} />
      {deleting && (
        <ConfirmDialog
          title={`Delete the field “${deleting.name}”?`}
          confirm="Delete field"
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            const x = deleting;
            void change.run(() => api.call('fields.delete', { fieldId: x.id }));
          }}
        >
          <p>{deleting.messages > 0 ? `Its values on ${plural(deleting.messages, 'message')} are cleared; ` : ''}the audit log keeps what each message held.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
