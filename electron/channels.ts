/** The only two IPC channels between the window and the main process. */
export const INVOKE_CHANNEL = 'holdfast:invoke';
export const EVENT_CHANNEL = 'holdfast:event';
/** Where the renderer is served from (a standard, secure custom scheme; never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'holdfast';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
