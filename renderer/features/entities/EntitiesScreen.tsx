/**
 * The entity view: each phone number, email address, URL, IBAN, card-like number, amount or ISIN
 * found in the messages, with the conversations it appears in and how many messages there. A value
 * opens its messages (an `entity:` search), a conversation the entity's messages in it.
 */
import { useState } from 'react';
import type { EntityViewDTO } from '../../../src/api/analysis-dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

const KINDS: { kind: EntityViewDTO['kind']; label: string }[] = [
  { kind: 'phone', label: 'Phone numbers' },
  { kind: 'email', label: 'Email addresses' },
  { kind: 'url', label: 'URLs' },
  { kind: 'iban', label: 'IBANs' },
  { kind: 'card', label: 'Card numbers' },
  { kind: 'amount', label: 'Amounts' },
  { kind: 'isin', label: 'ISINs' },
];

const entityQuery = (value: string) => `entity:"${value.replace(/"/g, '')}"`;

export function EntitiesScreen() {
  const [kind, setKind] = useState<EntityViewDTO['kind'] | ''>('');
  const view = useApi('enrich.entities', kind ? { kind, limit: 500 } : { limit: 500 }, ['imported', 'conversations', 'retention']);
  const v = view.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Entities</h1>
        <span className="spacer" />
        <label className="small">
          Kind{' '}
          <select aria-label="Entity kind" value={kind} onChange={(e) => setKind(e.target.value as EntityViewDTO['kind'] | '')}>
            <option value="">all</option>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={view.error} />
      {v && (
        <section className="card" aria-label="Entities found">
          <h2>
            {count(v.total)} {v.total === 1 ? 'entity' : 'entities'}
            {v.items.length < v.total ? `, the ${count(v.items.length)} most frequent shown` : ''}
          </h2>
          {v.items.length === 0 ? (
            <p className="muted">No entities found (they are extracted at import; `holdfast enrich` reads older imports).</p>
          ) : (
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Conversations</th>
                </tr>
              </thead>
              <tbody>
                {v.items.map((e) => (
                  <tr key={`${e.kind}:${e.value}`}>
                    <td className="small">{e.kind}</td>
                    <td className="mono">
                      <a href={href('search', [], { q: entityQuery(e.value) })}>{e.value}</a>
                    </td>
                    <td className="nowrap">{plural(e.messages, 'message')}</td>
                    <td className="small">
                      {e.conversations.map((c, i) => (
                        <span key={c.conversationId}>
                          {i > 0 && ', '}
                          <a href={href('search', [], { q: `${entityQuery(e.value)} conversation:${c.conversationId}` })}>{c.conversation}</a> ({count(c.messages)})
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
