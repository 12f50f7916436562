/**
 * The session's coding history for undo: every tags.apply / tags.remove that changed something is
 * pushed here with the core's change id; Ctrl+Z or the toast's Undo takes the latest back through
 * tags.undo (which the core audits). Kept in memory: a reload or a new case starts it empty.
 */
import { useSyncExternalStore } from 'react';
import { api } from './api.ts';

export interface UndoEntry {
  change: number;
  /** What was done, as the toast says it: "Tagged 3 messages as Hot". */
  label: string;
}

export interface UndoState {
  entries: readonly UndoEntry[];
  /** The last thing said (done or undone), for the toast. */
  notice: { text: string; undoable: boolean; error?: boolean } | null;
}

let state: UndoState = { entries: [], notice: null };
const listeners = new Set<() => void>();

function set(next: UndoState): void {
  state = next;
  for (const l of listeners) l();
}

export function pushUndo(entry: UndoEntry): void {
  set({ entries: [...state.entries, entry], notice: { text: `${entry.label}.`, undoable: true } });
}

export function dismissUndoNotice(): void {
  set({ ...state, notice: null });
}

export function clearUndo(): void {
  set({ entries: [], notice: null });
}

/** Undoes the latest coding action of this session (nothing when there is none). */
export async function undoLast(): Promise<void> {
  const last = state.entries.at(-1);
  if (!last) {
    set({ ...state, notice: { text: 'Nothing to undo in this session.', undoable: false } });
    return;
  }
  set({ ...state, entries: state.entries.slice(0, -1) });
  try {
    const r = await api.call('tags.undo', { change: last.change });
    set({ ...state, notice: { text: `Undone: ${last.label} (${r.changed === 1 ? '1 message' : `${r.changed.toLocaleString()} messages`} back as before).`, undoable: state.entries.length > 0 } });
  } catch (err) {
    set({ ...state, notice: { text: `Could not undo "${last.label}": ${err instanceof Error ? err.message : String(err)}`, undoable: false, error: true } });
  }
}

export function useUndo(): UndoState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
