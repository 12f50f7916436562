/** Where keyboard shortcuts may act. */

export function isTyping(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable);
}

/** The attribute that marks a list whose current item the review keys (j/k, 1–9, x) act on. */
export const REVIEW_KEYS = 'data-review-keys';

/**
 * Whether a tag shortcut (1–9) pressed with focus on `target` may code: never while typing or in a
 * dialog; where the page has a review list, only with focus in it or in the coding panel — so a
 * key never codes a message the reviewer is not looking at while j/k go nowhere.
 */
export function codingKeysAct(target: EventTarget | null): boolean {
  if (isTyping(target)) return false;
  const el = target instanceof Element ? target : null;
  if (el?.closest('[role="dialog"]')) return false;
  if (!document.querySelector(`[${REVIEW_KEYS}]`)) return true;
  return !!el?.closest(`[${REVIEW_KEYS}], [data-coding-panel]`);
}
