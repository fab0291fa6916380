// Electron entry: single instance, one hardened sandboxed window, IPC through the typed contract to the services,
// which run in a utilityProcess (main/host: files, the ledger, TSAs, PDFs never touch this thread); their events
// reach the window over a MessagePort handed over at each page load.
import { app, BrowserWindow, dialog, MessageChannelMain, safeStorage, session, shell, utilityProcess } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_NAME } from '../core/home.js';
import { EVENTS_PORT } from '../preload/api.js';
import { electronDialogs } from './dialogs.js';
import type { HostProcess } from './host/protocol.js';
import { startServiceHost, type ServiceHost } from './host/start.js';
import { registerHandlers } from './ipc.js';
import { keychain } from './keychain.js';
import { accountServer } from './account-store.js';
import { createMainSide } from './main-side.js';
import { hardenSession, hardenWindow } from './security.js';
import { OpenedQueue, fileArgs } from './services/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const indexHtml = join(here, '..', '..', 'renderer', 'dist', 'index.html');
const indexUrl = pathToFileURL(indexHtml).href;
const isOurs = (url: string) => url.split('#')[0] === indexUrl;

app.setName(APP_NAME);
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
let host: ServiceHost | null = null;
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
  connectEvents(win);
  void win.loadFile(indexHtml);
}

/** At each load of our page, a new MessagePort of events: one end to the preload, the other fed from the host. */
function connectEvents(w: BrowserWindow): void {
  let stop: (() => void) | null = null;
  const disconnect = () => stop?.();
  w.webContents.on('did-finish-load', () => {
    disconnect();
    if (!host || !isOurs(w.webContents.getURL())) return;
    const { port1, port2 } = new MessageChannelMain();
    const unsubscribe = host.subscribeEvents((event) => port2.postMessage(event));
    stop = () => {
      unsubscribe();
      port2.close();
      stop = null;
    };
    w.webContents.postMessage(EVENTS_PORT, null, [port1]);
  });
  w.on('closed', disconnect);
}

/** The service host as a utilityProcess (its own V8 and event loop; crashes restart it at the next call). */
function utilityHost(script: URL): HostProcess {
  const child = utilityProcess.fork(fileURLToPath(script), [], {
    serviceName: `${APP_NAME} services`,
    stdio: 'inherit',
  });
  return {
    post: (m) => child.postMessage(m),
    onMessage: (f) => void child.on('message', f),
    onExit: (f) => void child.on('exit', f),
    kill: () => void child.kill(),
  };
}

app.on('second-instance', (_event, argv) => {
  opened.push(fileArgs(argv, app.isPackaged ? 1 : 2));
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

void app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  const dataDir = process.env.SEALDESK_HOME || app.getPath('userData');
  const keys = keychain(join(dataDir, 'secrets'), safeStorage);
  const hooks = {
    ...electronDialogs({ dialog, shell }, () => win),
    secrets: keys.secrets,
    keychainRefused: keys.refused ?? undefined,
    keychainProblem: keys.problem ?? undefined,
  };
  // The host runs the queue timer and the TSA reachability checks itself.
  host = await startServiceHost({ options: { dataDir, version: app.getVersion() }, hooks, spawn: utilityHost });
  const events = host.client.events;
  opened.onPush = () => events.emit({ kind: 'opened' });
  // Files enter only through main (dialogs, drops the preload vouches for, the OS): the window holds handles.
  const serverUrl = () => accountServer(keys.secrets); // named when a file is to be sealed via the server
  registerHandlers(host.services, isOurs, createMainSide({ dataDir, hooks, opened, serverUrl }));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// The ledger connection is closed by the host before the app goes.
let closing = false;
app.on('before-quit', (event) => {
  if (closing || !host) return;
  closing = true;
  event.preventDefault();
  void host.close().finally(() => app.quit());
});
