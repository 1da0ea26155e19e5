// The main process's life, as a transport of the one app service (core/app/app-service.ts):
// single-instance lock, --hidden start in the tray, the IPC handlers generated from the bridge
// contract, the tray and notifications fed from the service's status and notices, wake events,
// and a clean quit (the service stops the engine within a deadline). The service comes in
// through StartDeps; this file decides nothing about accounts, status or preferences.

import { app, BrowserWindow, ipcMain, net, Notification, powerMonitor, protocol, shell } from 'electron';
import type { AppService } from '../../core/app/app-service.js';
import type { DesktopNotification } from '../../core/app/notification-policy.js';
import { runTrayAction, type DesktopView } from '../../core/app/tray-actions.js';
import type { EventChannel } from '../shared/ipc-contract.js';
import { APP_INDEX_URL, APP_ORIGIN, handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { bridgeHandlers, isTrustedSender, registerIpcHandlers, type Handlers } from './ipc-handlers.js';
import { createLoginItem, startHidden, type LoginItem } from './login-item.js';
import { createSecureWindow } from './secure-window.js';
import { TrayService } from './tray.js';
import { watchWake } from './wake.js';

/** How long the engine gets to finish its current step on quit before it is killed. */
export const STOP_DEADLINE_MS = 10_000;

export interface ServiceContext {
  /** app.getPath('userData'): settings and the engines' state live under it. */
  userData: string;
  loginItem: LoginItem;
  /** Opens a sign-in page in the OS browser (only http(s) addresses). */
  openUrl(url: string): Promise<void>;
}

export interface StartDeps {
  /** The app service on its storage, keyring and engine host (index.ts binds the real ones). */
  createService(ctx: ServiceContext): AppService | Promise<AppService>;
  paths: {
    /** The bundled CommonJS preload. */
    preload: string;
    /** The built interface, served as app://satchel (app-protocol.ts) ... */
    rendererDir: string;
    /** ... unless a dev server URL is given (not packaged). */
    rendererUrl?: string;
    /** build/icons (or its copy in resources). */
    iconsDir: string;
  };
  argv?: readonly string[];
}

/** Starts the app; resolves once it runs (or at once in a second instance, which quits). */
export async function startApp(deps: StartDeps): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const argv = deps.argv ?? process.argv;
  // Before 'ready': app:// must be a privileged, standard scheme for the page to have an origin.
  registerAppScheme(protocol);
  const rendererOrigin = deps.paths.rendererUrl ?? APP_ORIGIN;
  let window: BrowserWindow | null = null;

  const send = (channel: EventChannel, payload: unknown) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };
  const showWindow = (view?: DesktopView, account?: string) => {
    if (!window || window.isDestroyed()) {
      window = createSecureWindow({ preload: deps.paths.preload, show: false });
      const w = window;
      w.once('ready-to-show', () => w.show());
      w.on('closed', () => (window = null));
      void w.loadURL(deps.paths.rendererUrl ?? APP_INDEX_URL);
    } else {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    }
    if (view) {
      const w = window;
      const go = () => send('desktop:navigate', { view, account });
      if (w.webContents.isLoading()) w.webContents.once('did-finish-load', go);
      else go();
    }
  };

  app.on('second-instance', () => showWindow());
  // The tray app keeps running with no window open.
  app.on('window-all-closed', () => {});

  await app.whenReady();
  app.setAppUserModelId?.('org.satchel.Satchel');
  handleAppProtocol(protocol, deps.paths.rendererDir);

  const loginItem = createLoginItem({ app, platform: process.platform, env: process.env, execPath: process.execPath });
  // An AppImage moves when it is updated: keep an enabled autostart entry pointing at this copy.
  if (process.platform === 'linux' && loginItem.get()) loginItem.set(true);
  const openUrl = async (url: string) => { if (/^https?:\/\//.test(url)) await shell.openExternal(url); };
  const service = await deps.createService({ userData: app.getPath('userData'), loginItem, openUrl });

  const powers = { showWindow, openPath: (dir: string) => shell.openPath(dir), quit: () => app.quit() };
  const tray = new TrayService({ iconsDir: deps.paths.iconsDir, platform: process.platform, dispatch: (a) => void runTrayAction(a, service, powers) });
  tray.update(service.status());
  service.onStatus((v) => { tray.update(v); send('bridge:status', v); });
  service.onLog((l) => send('bridge:log', l));
  service.onNotify((n: DesktopNotification) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: n.title, body: n.body, silent: n.kind === 'new-mail' });
    shown.on('click', () => showWindow(n.kind === 'new-mail' ? 'account' : 'errors', n.account));
    shown.show();
  });

  const handlers: Handlers = {
    ...bridgeHandlers(service),
    'desktop:retry': () => service.retry(),
    'desktop:open-folder': (account: string) => runTrayAction({ kind: 'open-folder', account }, service, powers),
    'desktop:login-item': async () => (await service.getPreferences()).launchAtLogin,
  };
  registerIpcHandlers(ipcMain, handlers, (e) =>
    isTrustedSender(
      {
        frameUrl: e.senderFrame?.url ?? null,
        isMainFrame: !!e.senderFrame && e.senderFrame.parent === null,
        knownWindow: !!window && !window.isDestroyed() && BrowserWindow.fromWebContents(e.sender) === window,
      },
      [rendererOrigin],
    ),
  );

  watchWake({
    wake: (reason) => service.wake(reason),
    power: powerMonitor,
    isOnline: () => net.isOnline(),
    onError: (e) => service.note('error', `Wake failed: ${(e as Error).message}`),
  });

  // Quit: the service stops the engine within the deadline (the host kills it after), then really quit.
  let stopping: Promise<void> | undefined;
  let stopped = false;
  app.on('before-quit', (e) => {
    if (stopped) return;
    e.preventDefault();
    stopping ??= service
      .close(STOP_DEADLINE_MS)
      .catch((err: unknown) => service.note('error', `Engine stop: ${(err as Error).message}`))
      .finally(() => {
        stopped = true;
        tray.destroy();
        app.quit();
      });
  });

  if (!startHidden(argv, process.platform, app)) showWindow();
  await service.start();
}
