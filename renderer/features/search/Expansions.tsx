import type { SearchExpansionDTO } from '../../../src/api/dto.ts';

/** What each fuzzy~ and stem: operand was expanded to: the terms the count is made of. */
export function Expansions({ items }: { items: SearchExpansionDTO[] }) {
  if (items.length === 0) return null;
  return (
    <div className="notice small" style={{ margin: '8px 16px' }} aria-label="Terms searched">
      {items.map((e) => (
        <div key={`${e.position}:${e.operand}`}>
          <code>{e.operand}</code> {e.kind === 'fuzzy' ? 'matched' : 'stemmed to'}{' '}
          {e.terms.length === 0 ? <span className="muted">no indexed term</span> : e.terms.map((t, i) => <span key={t}>{i > 0 ? ', ' : ''}<code>{t}</code></span>)}
          {e.more > 0 && <span className="muted"> and {e.more} more</span>}
        </div>
      ))}
    </div>
  );
}
