/**
 * The sandboxed preload: exposes exactly two functions to the page — invoke(method, args) and
 * subscribe(listener) — over the two channels. No Node, no ipcRenderer, no other surface.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.ts';

contextBridge.exposeInMainWorld('holdfast', {
  invoke: (method: string, args: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE_CHANNEL, String(method), args),
  subscribe: (listener: (event: string, payload: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
});

// Dropped files: only this isolated world can learn their paths. They are left on the document
// element (shared with the page) just before the page's own drop handlers run.
window.addEventListener(
  'drop',
  (e: DragEvent) => {
    const paths = [...(e.dataTransfer?.files ?? [])].map((f) => webUtils.getPathForFile(f)).filter(Boolean);
    document.documentElement.dataset.droppedPaths = JSON.stringify(paths);
  },
  true,
);
