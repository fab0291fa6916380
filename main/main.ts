// Electron entry: single instance, one hardened sandboxed window, IPC through the typed contract.
import { app, BrowserWindow, dialog, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_NAME } from '../core/home.js';
import { JOB_PROGRESS } from '../preload/api.js';
import { electronDialogs } from './dialogs.js';
import { registerHandlers } from './ipc.js';
import { keychain } from './keychain.js';
import { createMainSide } from './main-side.js';
import { hardenSession, hardenWindow } from './security.js';
import { OpenedQueue, createServices, fileArgs } from './services/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const indexHtml = join(here, '..', '..', 'renderer', 'dist', 'index.html');
const indexUrl = pathToFileURL(indexHtml).href;
const isOurs = (url: string) => url.split('#')[0] === indexUrl;

app.setName(APP_NAME);
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
// Files opened with Sealdesk (file associations): at start, from a second instance, or macOS's open-file.
const opened = new OpenedQueue();
opened.push(fileArgs(process.argv, app.isPackaged ? 1 : 2));
app.on('open-file', (event, path) => {
  event.preventDefault();
  opened.push([path]);
});

function createWindow(): void {
  win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick', // no middle-click opening of links in new windows
    },
  });
  hardenWindow(win, isOurs);
  win.once('ready-to-show', () => win?.show());
  void win.loadFile(indexHtml);
}

app.on('second-instance', (_event, argv) => {
  opened.push(fileArgs(argv, app.isPackaged ? 1 : 2));
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  const dataDir = process.env.SEALDESK_HOME || app.getPath('userData');
  const keys = keychain(join(dataDir, 'secrets'), safeStorage);
  const hooks = { ...electronDialogs({ dialog, shell }, () => win), secrets: keys.secrets, keychainRefused: keys.refused ?? undefined };
  const services = createServices({ dataDir, version: app.getVersion() }, hooks, opened);
  // Files enter only through main (dialogs, drops the preload vouches for, the OS): the window holds handles.
  registerHandlers(services, isOurs, createMainSide({ dataDir, hooks, opened }));
  services.startQueueTimer(); // queued work completes on its own once a TSA answers again
  services.subscribeJobs((status) => win?.webContents.send(JOB_PROGRESS, status));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
