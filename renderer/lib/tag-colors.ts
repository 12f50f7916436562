/** Tag colours by name, for chips wherever tags are shown (one list, refreshed when tags change). */
import { createContext, useContext } from 'react';

export const TagColorsContext = createContext<ReadonlyMap<string, string>>(new Map());

export function useTagColor(name: string): string | undefined {
  return useContext(TagColorsContext).get(name.toLowerCase());
}
