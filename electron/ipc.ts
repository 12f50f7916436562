/**
 * Binds the one invoke channel and the one event channel for a window. Calls are accepted only
 * from that window's top frame showing our own origin; arguments are validated by dispatch.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { Envelope } from '../src/api/contract.ts';
import type { AppContext } from '../src/app/app-context.ts';
import { dispatch } from '../src/app/dispatch.ts';
import { APP_ORIGIN, EVENT_CHANNEL, INVOKE_CHANNEL } from './channels.ts';

export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow): boolean {
  if (win.isDestroyed() || event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function bindIpc(ctx: AppContext, win: BrowserWindow): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, args: unknown): Promise<Envelope> => {
    if (!isTrustedSender(event, win)) return { ok: false, error: { code: 'VALIDATION', message: 'Calls are accepted only from the Holdfast window.' } };
    return dispatch(ctx, method, args);
  });
  const unsubscribe = ctx.events.subscribe((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
  };
}
