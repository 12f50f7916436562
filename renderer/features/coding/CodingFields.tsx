/**
 * Custom coding fields in the coding panel: one input per field (text, a fixed choice, a date),
 * showing the current message's saved value; saving sets it on the message or on the selection.
 * An empty value clears it. The core audits every change with the value before.
 */
import { useEffect, useState } from 'react';
import type { CodingFieldDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function CodingFields({ messageIds }: { messageIds: readonly number[] }) {
  const fields = useApi('fields.list', {}, ['fields']);
  // One message: its saved values; a selection: empty inputs that set every selected message.
  const one = messageIds.length === 1 ? messageIds[0]! : null;
  const values = useApi('fields.values', one !== null ? { messageId: one } : null, ['fields']);
  const [status, setStatus] = useState('');
  const targetKey = messageIds.join(',');
  useEffect(() => setStatus(''), [targetKey]);
  const save = useAction(async (f: CodingFieldDTO, value: string) => {
    const r = await api.call('fields.set', { fieldId: f.id, target: { messageIds: [...messageIds] }, value: value.trim() ? value : null });
    const what = r.value === null ? `Cleared ${f.name}` : `Set ${f.name} to “${r.value}”`;
    setStatus(`${what} on ${plural(r.changed, 'message')}${r.changed !== r.selected ? ` (${count(r.selected - r.changed)} already so)` : ''}.`);
  });
  if (!fields.data?.length) return null;
  const saved = (f: CodingFieldDTO) => values.data?.find((v) => v.fieldId === f.id)?.value ?? '';
  return (
    <section className="stack" style={{ gap: 6 }} aria-label="Coding fields">
      <h2>Fields</h2>
      {fields.data.map((f) => (
        <FieldInput key={`${f.id}|${targetKey}|${saved(f)}`} field={f} saved={one !== null ? saved(f) : ''} disabled={messageIds.length === 0 || save.busy} onSave={(v) => void save.run(f, v)} />
      ))}
      <div aria-live="polite" className="small muted" data-testid="fields-status">
        {status}
      </div>
      <ErrorNotice error={fields.error ?? values.error ?? save.error} onDismiss={save.clear} />
    </section>
  );
}

function FieldInput(p: { field: CodingFieldDTO; saved: string; disabled: boolean; onSave(value: string): void }) {
  const [value, setValue] = useState(p.saved);
  const f = p.field;
  const label = f.name;
  return (
    <form
      className="row"
      style={{ gap: 6 }}
      onSubmit={(e) => {
        e.preventDefault();
        p.onSave(value);
      }}
    >
      <label className="field grow">
        <span className="small">{label}</span>
        {f.type === 'choice' ? (
          <select aria-label={label} value={value} disabled={p.disabled} onChange={(e) => setValue(e.target.value)}>
            <option value="">—</option>
            {f.choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        ) : (
          <input type={f.type === 'date' ? 'date' : 'text'} aria-label={label} value={value} maxLength={4000} disabled={p.disabled} onChange={(e) => setValue(e.target.value)} />
        )}
      </label>
      <button type="submit" className="small" style={{ alignSelf: 'flex-end' }} disabled={p.disabled || value === p.saved} aria-label={`Save ${f.name}`}>
        Save
      </button>
    </form>
  );
}
