/** The current search's hits inside one conversation, in time order, for next/previous hit. */
import { useMemo } from 'react';
import type { ApiError } from '../../../src/api/client.ts';
import { useApi } from '../../lib/hooks.ts';
import { highlightTerms } from '../../lib/query-terms.ts';

export interface ConversationHits {
  ids: number[];
  items: { id: number; sentAt: string }[];
  terms: string[];
  loading: boolean;
  error: ApiError | null;
}

export function useConversationHits(conversationId: number, query: string): ConversationHits {
  const hits = useApi('search.inConversation', query.trim() ? { query, conversationId } : null);
  // Without a query there are no hits (the last query's result is not kept).
  const items = query.trim() ? (hits.data?.items ?? NONE) : NONE;
  const ids = useMemo(() => items.map((i) => i.id), [items]);
  const terms = useMemo(() => highlightTerms(query), [query]);
  return { ids, items, terms, loading: query.trim() !== '' && hits.loading, error: hits.error };
}

const NONE: { id: number; sentAt: string }[] = [];
