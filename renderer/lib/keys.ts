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

/**
 * After coding, focus goes back to the review list where the keys act — unless the reviewer has
 * moved on meanwhile (typing a note, or a dialog opened while the call was under way).
 */
export function refocusReviewList(list: { focus(options?: FocusOptions): void } | null | undefined): void {
  const active = document.activeElement;
  if (active instanceof HTMLTextAreaElement || active?.closest('[role="dialog"]')) return;
  list?.focus({ preventScroll: true });
}
