/** Every keyboard shortcut of the app, as the `?` sheet and the README list them. */
export interface Shortcut {
  keys: string;
  does: string;
}

export const SHORTCUTS: { where: string; keys: Shortcut[] }[] = [
  {
    where: 'Anywhere',
    keys: [
      { keys: '?', does: 'Show this list of shortcuts' },
      { keys: 'Ctrl+Z (⌘Z)', does: 'Undo the last coding action of this session (also the Undo button of the toast)' },
      { keys: 'Esc', does: 'Close a dialog' },
    ],
  },
  {
    where: 'Search results',
    keys: [
      { keys: '/', does: 'Go to the search box' },
      { keys: 'j or ↓, k or ↑', does: 'Next / previous result' },
      { keys: 'PageDown, PageUp, Home, End', does: 'Move 20 results, to the first, to the last' },
      { keys: 'Enter', does: 'Open the result in its conversation (keys then act there)' },
      { keys: 'x or Space', does: 'Add the result to the selection, or take it out' },
      { keys: 'Shift+click, Ctrl+click', does: 'Select a range, add one result' },
      { keys: 'Esc', does: 'Clear the selection' },
    ],
  },
  {
    where: 'Conversation',
    keys: [
      { keys: 'j or ↓, k or ↑', does: 'Next / previous message' },
      { keys: 'PageDown, PageUp, Home, End', does: 'Move 10 messages, to the first, to the last' },
      { keys: 'n, Shift+N (or p)', does: 'Next / previous search hit in this conversation' },
      { keys: 'x or Space', does: 'Add the message to the selection, or take it out' },
      { keys: 'Esc', does: 'Clear the selection' },
      { keys: 'Backspace', does: 'Back to the results, at the same row' },
    ],
  },
  {
    where: 'Batch',
    keys: [
      { keys: 'j or ↓, k or ↑', does: 'Next / previous review unit of the batch' },
      { keys: 'Enter', does: 'Open the unit in its conversation' },
      { keys: 'r', does: 'Mark every message of the unit reviewed' },
    ],
  },
  {
    where: 'Coding',
    keys: [
      { keys: '1 – 9', does: 'Toggle the tag on that key on the highlighted message (or tag the selection), with focus in the results or the conversation' },
      { keys: 'r', does: 'Mark the highlighted message (or the selection) reviewed; on a marked message, take the mark off' },
    ],
  },
];
