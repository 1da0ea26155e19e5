// The only way this app opens a window: createSecureWindow() sets sandbox, contextIsolation,
// no nodeIntegration, the contract preload, the Content-Security-Policy of
// content-security-policy.ts on every response of its session, and denies navigation, new
// windows, webviews and every permission request. It never loads remote content and never
// relaxes a setting per window.

import { BrowserWindow, session, type BrowserWindowConstructorOptions, type Session } from 'electron';
import { CSP } from './content-security-policy.js';

export interface SecureWindowOptions {
  /** Absolute path of the bundled CommonJS preload. */
  preload: string;
  width?: number;
  height?: number;
  title?: string;
  show?: boolean;
}

const hardened = new WeakSet<Session>();

/** Once per session: CSP header on every response, every permission denied. */
export function hardenSession(s: Session): void {
  if (hardened.has(s)) return;
  hardened.add(s);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
}

export function secureWebPreferences(preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function createSecureWindow(o: SecureWindowOptions): BrowserWindow {
  hardenSession(session.defaultSession);
  const win = new BrowserWindow({
    width: o.width ?? 900,
    height: o.height ?? 640,
    title: o.title ?? 'Satchel',
    show: o.show ?? false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(o.preload),
  });
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The renderer is a single page: any navigation it starts (links, location =, form posts,
  // drops) is refused; main loads pages with loadFile/loadURL, which these events do not see.
  wc.on('will-navigate', (e) => e.preventDefault());
  wc.on('will-frame-navigate', (e) => e.preventDefault());
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.on('will-attach-webview', (e) => e.preventDefault());
  return win;
}
