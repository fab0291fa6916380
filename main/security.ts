// Window and session hardening: strict CSP, no navigation, no new windows, no permissions, no remote content.
import type { BrowserWindow, Session } from 'electron';

export const CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // Only our own files load; anything remote is cancelled.
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !/^(file|devtools):/.test(details.url) }),
  );
}

export function hardenWindow(win: BrowserWindow, isOurs: (url: string) => boolean): void {
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOurs(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
}
