/**
 * The desktop shell: one locked-down window over the core. No business logic here: it creates the
 * app context, binds the two IPC channels, serves the renderer over app://, and denies everything
 * else — navigation, new windows, permissions, and every request that would leave the machine.
 * No auto-update, no telemetry, no crash reporting upload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import type { MenuItemConstructorOptions, OpenDialogOptions } from 'electron';
import { AppContext } from '../src/app/app-context.ts';
import type { HostCapabilities } from '../src/app/app-context.ts';
import { bindIpc } from './ipc.ts';
import { handleProtocol, registerScheme } from './protocol.ts';
import { APP_ORIGIN } from './channels.ts';
import { sqliteBinding } from './native-binding.ts';
import { ATTACHMENT_PATH } from '../src/api/wire.ts';
import { connectFromApp } from '../src/server/matter/connect.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.join(here, '..', 'renderer');

// An Electron-ABI build of the SQLCipher module, when one was shipped beside the app (every
// connection, the job workers' too, reads the variable); packaged, nothing else is loaded.
const electronBinding = path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node');
const binding = sqliteBinding(process.env, app.isPackaged, electronBinding, fs.existsSync(electronBinding));
if (binding) process.env.HOLDFAST_SQLITE_BINDING = binding;
else delete process.env.HOLDFAST_SQLITE_BINDING;

app.enableSandbox();
registerScheme();
app.setAboutPanelOptions({ applicationName: 'Holdfast', copyright: 'Offline review workstation' });

// One window per user: a second launch focuses the first.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

/** A case file given on the command line or by the file association. */
function caseArgument(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => a.toLowerCase().endsWith('.hfcase') && fs.existsSync(a));
}

let launchCase = caseArgument(process.argv);
app.on('open-file', (event, file) => {
  event.preventDefault();
  launchCase = file;
});

function lockDownSession(): void {
  const s = session.defaultSession;
  // Offline by design: only the app's own protocol and the developer tools may load anything.
  s.webRequest.onBeforeRequest((details, callback) => {
    const scheme = details.url.slice(0, details.url.indexOf(':'));
    callback({ cancel: !(scheme === 'app' || scheme === 'devtools') });
  });
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  // Saving an attachment (the user picks where, in the save dialog) is the only download there is.
  s.on('will-download', (event, item) => {
    // ...and saving the audit log export the page made itself (a blob: URL of the app's own origin).
    const url = item.getURL();
    if (!url.startsWith(`${APP_ORIGIN}${ATTACHMENT_PATH}`) && !url.startsWith(`blob:${APP_ORIGIN}/`)) event.preventDefault();
  });
  s.setSpellCheckerEnabled(false);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function createWindow(ctx: AppContext): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Holdfast',
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const unbind = bindIpc(ctx, win);
  win.on('closed', unbind);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function buildMenu(ctx: AppContext): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Close Case', accelerator: 'CmdOrCtrl+W', click: () => void ctx.close().catch(() => {}) },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

void app.whenReady().then(() => {
  if (!primary) return;
  lockDownSession();
  let win: BrowserWindow | null = null;
  const host: HostCapabilities = {
    kind: 'electron',
    connectMatter: connectFromApp,
    ...(launchCase ? { launchCase } : {}),
    async pickPath(req) {
      const parent = win ?? undefined;
      if (req.mode === 'save-file') {
        const r = parent
          ? await dialog.showSaveDialog(parent, { ...(req.title ? { title: req.title } : {}), ...(req.defaultPath ? { defaultPath: req.defaultPath } : {}), ...(req.filters ? { filters: req.filters } : {}) })
          : await dialog.showSaveDialog({ ...(req.filters ? { filters: req.filters } : {}) });
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const options: OpenDialogOptions = {
        properties: [req.mode === 'open-folder' ? 'openDirectory' : 'openFile'],
        ...(req.title ? { title: req.title } : {}),
        ...(req.defaultPath ? { defaultPath: req.defaultPath } : {}),
        ...(req.filters ? { filters: req.filters } : {}),
      };
      const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
  const ctx = new AppContext({ host, configDir: app.getPath('userData'), examiner: process.env.HOLDFAST_EXAMINER });
  handleProtocol(ctx, RENDERER_DIR);
  buildMenu(ctx);
  win = createWindow(ctx);
  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void ctx.shutdown().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
});
