/**
 * A file or folder path: typed (the browser cannot pick files natively), picked with the desktop
 * app's dialog, or dropped onto the field (the desktop app's preload supplies the dropped path).
 */
import { useState } from 'react';
import { api } from '../lib/api.ts';

export interface PathInputProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  mode: 'open-file' | 'open-folder' | 'save-file';
  canPick: boolean;
  hint?: string;
  placeholder?: string;
  filters?: { name: string; extensions: string[] }[];
  id?: string;
  autoFocus?: boolean;
}

export function PathInput(p: PathInputProps) {
  const [over, setOver] = useState(false);
  const [dropHint, setDropHint] = useState(false);
  const pick = async (mode: PathInputProps['mode']) => {
    const r = await api.call('dialog.pickPath', { mode, title: p.label, ...(p.filters ? { filters: p.filters } : {}) }).catch(() => null);
    if (r?.path) p.onChange(r.path);
  };
  return (
    <label className="field">
      {p.label}
      <div
        className={`row${over ? ' dropzone over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const dropped = document.documentElement.dataset.droppedPaths;
          delete document.documentElement.dataset.droppedPaths;
          const paths = dropped ? (JSON.parse(dropped) as string[]) : [];
          // A browser never reveals where a dropped file lives; the desktop app does.
          setDropHint(!paths[0]);
          if (paths[0]) p.onChange(paths[0]);
        }}
      >
        <input
          className="grow mono"
          type="text"
          value={p.value}
          onChange={(e) => p.onChange(e.target.value)}
          placeholder={p.placeholder}
          spellCheck={false}
          autoComplete="off"
          {...(p.id ? { id: p.id } : {})}
          {...(p.autoFocus ? { autoFocus: true } : {})}
        />
        {p.canPick && (
          <>
            <button type="button" onClick={() => void pick(p.mode)} aria-label={`Choose ${p.label.toLowerCase()}`}>
              Browse…
            </button>
            {p.mode === 'open-file' && (
              <button type="button" onClick={() => void pick('open-folder')} aria-label={`Choose a folder for ${p.label.toLowerCase()}`}>
                Folder…
              </button>
            )}
          </>
        )}
      </div>
      {p.hint && <span className="hint">{p.hint}</span>}
      {dropHint && <span className="hint" role="status">A browser cannot tell where a dropped file is: type its path, or use the desktop app.</span>}
    </label>
  );
}
