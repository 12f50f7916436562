/** `?` (outside text fields) shows every keyboard shortcut, with the tags on the number keys of this case. */
import { useEffect, useState } from 'react';
import { Dialog } from '../components/Dialog.tsx';
import { isTyping } from '../lib/keys.ts';
import { api } from '../lib/api.ts';
import { SHORTCUTS } from './shortcuts.ts';

export function ShortcutSheet() {
  const [open, setOpen] = useState(false);
  const [tagKeys, setTagKeys] = useState<{ key: number; name: string }[]>([]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (!open) return;
    api.call('tags.list', {}).then(
      (tags) => setTagKeys(tags.filter((t) => t.shortcut !== null).map((t) => ({ key: t.shortcut!, name: t.name }))),
      () => setTagKeys([]),
    );
  }, [open]);
  if (!open) return null;
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={() => setOpen(false)}
      actions={
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      }
    >
      <div className="shortcuts" role="table" aria-label="Keyboard shortcuts">
        {SHORTCUTS.map((section) => (
          <div key={section.where} role="rowgroup" style={{ display: 'contents' }}>
            <h3>{section.where}</h3>
            {section.keys.map((k) => (
              <div key={k.keys} role="row" style={{ display: 'contents' }}>
                <span role="cell">
                  <kbd>{k.keys}</kbd>
                </span>
                <span role="cell">{k.does}</span>
              </div>
            ))}
          </div>
        ))}
        {tagKeys.length > 0 && (
          <div role="rowgroup" style={{ display: 'contents' }}>
            <h3>Tags on the number keys in this case</h3>
            {tagKeys.map((t) => (
              <div key={t.key} role="row" style={{ display: 'contents' }}>
                <span role="cell">
                  <kbd>{t.key}</kbd>
                </span>
                <span role="cell">{t.name}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </Dialog>
  );
}
