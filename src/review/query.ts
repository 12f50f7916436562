/** Review's one bridge to search: which messages a query matches, and dropping purged messages from the index. */
export { matchingMessageIds as queryMessageIds, removeFromIndex as removeMessagesFromIndex } from '../search/search.ts';
