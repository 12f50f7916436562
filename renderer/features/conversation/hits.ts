/** The current search's hits inside one conversation, in time order, for next/previous hit; and where they light up. */
import { useMemo } from 'react';
import type { ApiError } from '../../../src/api/client.ts';
import type { MessageDTO, MessageHighlightsDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useApi } from '../../lib/hooks.ts';

export interface ConversationHits {
  ids: number[];
  items: { id: number; sentAt: string }[];
  loading: boolean;
  error: ApiError | null;
}

export function useConversationHits(conversationId: number, query: string): ConversationHits {
  const hits = useApi('search.inConversation', query.trim() ? { query, conversationId } : null);
  // Without a query there are no hits (the last query's result is not kept).
  const items = query.trim() ? (hits.data?.items ?? NONE) : NONE;
  const ids = useMemo(() => items.map((i) => i.id), [items]);
  return { ids, items, loading: query.trim() !== '' && hits.loading, error: hits.error };
}

const NONE: { id: number; sentAt: string }[] = [];

/** The core's highlight ranges in those of `messages` the query matches (none without a query). */
export async function hitHighlights(query: string, messages: readonly MessageDTO[]): Promise<MessageHighlightsDTO[]> {
  if (!query.trim() || messages.length === 0) return [];
  return api.call('search.highlights', { query, messageIds: messages.map((m) => m.id) });
}
