/** Facets beside the results: where the messages are (custodian, platform, conversation, sender, tag, language, entity kind, month); a click narrows the search. */
import type { FacetDTO, FacetsDTO } from '../../../src/api/dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { count } from '../../lib/format.ts';

export type Narrow = { custodian: string } | { conversation: string } | { tag: string } | { sender: string } | { month: string } | { lang: string } | { entity: string };

const SECTIONS: { key: keyof FacetsDTO; title: string; narrow?: (value: string) => Narrow }[] = [
  { key: 'custodians', title: 'Custodian', narrow: (v) => ({ custodian: v }) },
  { key: 'platforms', title: 'Platform' },
  { key: 'conversations', title: 'Conversation', narrow: (v) => ({ conversation: v }) },
  { key: 'senders', title: 'Sender', narrow: (v) => ({ sender: v }) },
  { key: 'tags', title: 'Tag', narrow: (v) => ({ tag: v }) },
  { key: 'languages', title: 'Language', narrow: (v) => ({ lang: v }) },
  { key: 'entities', title: 'Entity', narrow: (v) => ({ entity: v }) },
  { key: 'months', title: 'Month', narrow: (v) => ({ month: v }) },
];

export function Facets({ query, includePersonal, onNarrow }: { query: string; includePersonal: boolean; onNarrow(n: Narrow): void }) {
  const facets = useApi('search.facets', query ? { query, includePersonal } : null, ['tags', 'imported', 'retention', 'conversations', 'identities']);
  if (!facets.data) return null;
  return (
    <section aria-label="Narrow by" className="facets">
      <h2>Narrow by</h2>
      {SECTIONS.map((s) => (
        <Facet key={s.key} title={s.title} facet={facets.data![s.key]} narrow={s.narrow} onNarrow={onNarrow} />
      ))}
    </section>
  );
}

function Facet({ title, facet, narrow, onNarrow }: { title: string; facet: FacetDTO; narrow: ((v: string) => Narrow) | undefined; onNarrow(n: Narrow): void }) {
  if (facet.values.length === 0) return null;
  const max = Math.max(...facet.values.map((v) => v.count));
  return (
    <div role="group" aria-label={title} className="facet">
      <h3>{title}</h3>
      <ul>
        {facet.values.map((v) => (
          <li key={v.value}>
            {narrow ? (
              <button type="button" className="ghost facet-value" onClick={() => onNarrow(narrow(v.value))} title={`Only ${v.value}`}>
                <span className="grow">{v.value}</span>
                <span className="mono small">{count(v.count)}</span>
              </button>
            ) : (
              <span className="facet-value">
                <span className="grow">{v.value}</span>
                <span className="mono small">{count(v.count)}</span>
              </span>
            )}
            <span className="facet-bar" style={{ width: `${(100 * v.count) / max}%` }} aria-hidden="true" />
          </li>
        ))}
        {facet.more > 0 && <li className="small muted">and {count(facet.more)} more</li>}
      </ul>
    </div>
  );
}
