/**
 * The last coding action and its Undo button; Ctrl+Z (⌘Z) anywhere but a text field does the same
 * (also after the toast has gone: it leaves after 10 s or when the screen changes).
 */
import { useEffect } from 'react';
import { dismissUndoNotice, undoLast, useUndo } from '../lib/undo.ts';
import { isTyping } from '../lib/keys.ts';

export function UndoToast() {
  const { notice, entries } = useUndo();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z' && !isTyping(e.target)) {
        e.preventDefault();
        void undoLast();
      }
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', dismissUndoNotice);
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', dismissUndoNotice);
    };
  }, []);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(dismissUndoNotice, 10_000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`toast${notice.error ? ' error' : ''}`} role="status" aria-label="Last action">
      <span className="grow">{notice.text}</span>
      {notice.undoable && entries.length > 0 && (
        <button type="button" className="small" onClick={() => void undoLast()} title="Undo (Ctrl+Z)">
          Undo
        </button>
      )}
      <button type="button" className="small ghost" onClick={dismissUndoNotice} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
