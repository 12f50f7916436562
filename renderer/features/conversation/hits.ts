/** The current search's hits inside one conversation, in time order, for next/previous hit. */
import { useEffect, useMemo, useState } from 'react';
import type { ApiError } from '../../../src/api/client.ts';
import { api } from '../../lib/api.ts';
import { toApiError } from '../../lib/hooks.ts';
import { highlightTerms } from '../../lib/query-terms.ts';

export interface ConversationHits {
  ids: number[];
  items: { id: number; sentAt: string }[];
  /** Position of each hit in time order. */
  order: Map<number, number>;
  terms: string[];
  loading: boolean;
  error: ApiError | null;
}

export function useConversationHits(conversationId: number, query: string): ConversationHits {
  const [items, setItems] = useState<{ id: number; sentAt: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setItems([]);
    if (!query.trim()) return;
    let live = true;
    setLoading(true);
    api.call('search.inConversation', { query, conversationId }).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [conversationId, query]);
  const ids = useMemo(() => items.map((i) => i.id), [items]);
  const order = useMemo(() => new Map(ids.map((id, i) => [id, i])), [ids]);
  const terms = useMemo(() => highlightTerms(query), [query]);
  return { ids, items, order, terms, loading, error };
}
