// The main process's life: single-instance lock (a second launch shows the first), --hidden
// start in the tray, wiring of tray, settings, login item, notifications, IPC and wake events
// to the engine port, and a clean quit (the engine is asked to stop, given a deadline, killed).
// The engine port and the secret store come in through StartDeps; this file never opens the
// status database, never reads a password for itself and never imports core/ beyond types.

import { app, BrowserWindow, ipcMain, net, Notification, powerMonitor, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SatchelConfig } from '../../core/config/model.js';
import type { SecretStore } from '../../core/secrets/secret-store.js';
import type { EnginePort, EngineSnapshot } from '../shared/engine-port.js';
import type { EventChannel } from '../shared/ipc-contract.js';
import { createBridgeHandlers, statusView } from './bridge-handlers.js';
import { registerIpcHandlers, isTrustedSender, type Handlers } from './ipc-handlers.js';
import { LogRing } from '../../core/bridge/log-ring.js';
import { createLoginItem, startHidden } from './login-item.js';
import { NotificationPolicy, type DesktopNotification } from './notification-policy.js';
import { createSecureWindow } from './secure-window.js';
import { SettingsStore } from './settings-store.js';
import type { TrayAction } from './tray-menu.js';
import { TrayService } from './tray.js';
import { watchWake } from './wake.js';

/** How long the engine gets to finish its current step on quit before it is killed. */
export const STOP_DEADLINE_MS = 10_000;

export interface EngineContext {
  config: SatchelConfig | null;
  secrets: SecretStore;
  log: LogRing;
}

export interface StartDeps {
  createEnginePort(ctx: EngineContext): EnginePort | Promise<EnginePort>;
  createSecretStore(): SecretStore;
  paths: {
    /** The bundled CommonJS preload. */
    preload: string;
    /** The renderer's index.html (packaged) ... */
    rendererIndex: string;
    /** ... or a dev server URL, which wins when set. */
    rendererUrl?: string;
    /** build/icons (or its copy in resources). */
    iconsDir: string;
  };
  argv?: readonly string[];
}

export type View = 'accounts' | 'account' | 'edit' | 'wizard' | 'errors' | 'preferences' | 'log';

/** Starts the app; resolves once it runs (or at once in a second instance, which quits). */
export async function startApp(deps: StartDeps): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const argv = deps.argv ?? process.argv;
  const log = new LogRing();
  let window: BrowserWindow | null = null;
  let paused = false;
  let engine: EnginePort | undefined;

  const send = (channel: EventChannel, payload: unknown) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };
  const rendererOrigin = deps.paths.rendererUrl ?? pathToFileURL(deps.paths.rendererIndex).href.replace(/[^/]*$/, '');
  const showWindow = (view?: View, account?: string) => {
    if (!window || window.isDestroyed()) {
      window = createSecureWindow({ preload: deps.paths.preload, show: false });
      const w = window;
      w.once('ready-to-show', () => w.show());
      w.on('closed', () => (window = null));
      void (deps.paths.rendererUrl ? w.loadURL(deps.paths.rendererUrl) : w.loadFile(deps.paths.rendererIndex));
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

  const settings = new SettingsStore(app.getPath('userData'));
  const secrets = deps.createSecretStore();
  const loginItem = createLoginItem({ app, platform: process.platform, env: process.env, execPath: process.execPath });
  // An AppImage moves when it is updated: keep an enabled autostart entry pointing at this copy.
  if (process.platform === 'linux' && loginItem.get()) loginItem.set(true);
  const policy = new NotificationPolicy({ errors: settings.get().ui.notifyErrors, newMail: settings.get().ui.notifyNewMail }, Date.now());

  const notify = (n: DesktopNotification) => {
    log.push(n.kind === 'new-mail' ? 'info' : 'warn', `${n.title}: ${n.body}`);
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: n.title, body: n.body, silent: n.kind === 'new-mail' });
    shown.on('click', () => showWindow(n.kind === 'new-mail' ? 'account' : 'errors', n.account));
    shown.show();
  };

  const port = await deps.createEnginePort({ config: settings.get().config, secrets, log });
  engine = port;
  const act = (what: string, p: Promise<void>) => p.catch((e: unknown) => log.push('error', `${what} failed: ${(e as Error).message}`));

  const dispatch = (a: TrayAction): void => {
    switch (a.kind) {
      case 'sync-now': void act('Sync', port.syncNow(a.account)); break;
      case 'pause': paused = true; void act('Pause', port.pause()); refresh(); break;
      case 'resume': paused = false; void act('Resume', port.resume()); refresh(); break;
      case 'retry': void act('Try again', port.retry()); break;
      case 'open-folder': void openFolder(a.account); break;
      case 'edit-account': showWindow('edit', a.account); break;
      case 'add-account': showWindow('wizard'); break;
      case 'show-errors': showWindow('errors'); break;
      case 'preferences': showWindow('preferences'); break;
      case 'show-log': showWindow('log'); break;
      case 'quit': app.quit(); break;
    }
  };
  const tray = new TrayService({ iconsDir: deps.paths.iconsDir, platform: process.platform, dispatch });
  const refresh = (s: EngineSnapshot = port.snapshot()) => {
    tray.update(s, paused);
    send('bridge:status', statusView(s, settings.get().config, paused));
  };

  const openFolder = async (account: string) => {
    const acc = settings.get().config?.accounts.find((a) => a.name === account);
    const dir = acc?.local.type === 'maildir' ? acc.local.localfolders : undefined;
    if (!dir) return log.push('warn', `${account} has no local mail folder to open`);
    const err = await shell.openPath(dir);
    if (err) log.push('error', `Could not open ${dir}: ${err}`);
  };

  port.onSnapshot((s) => {
    refresh(s);
    for (const n of policy.onSnapshot(s, Date.now())) notify(n);
  });
  port.onNotice((n) => {
    log.push(n.kind === 'new-mail' ? 'info' : 'warn', `${n.account}${n.folder ? `/${n.folder}` : ''}: ${n.message}`);
    const d = policy.onNotice(n, Date.now());
    if (d) notify(d);
  });
  log.onLine((l) => send('bridge:log', l));

  settings.onChange((s, changed) => {
    if (changed === 'config') refresh();
    if (changed === 'config' && s.config) void act('Applying settings', port.reconfigure(s.config));
    if (changed === 'ui') policy.setPrefs({ errors: s.ui.notifyErrors, newMail: s.ui.notifyNewMail });
  });

  const handlers: Handlers = {
    ...createBridgeHandlers({
      port, settings, secrets, log, loginItem, paused: () => paused, setPaused: (p) => { paused = p; }, refresh: () => refresh(),
      stateDir: path.join(app.getPath('userData'), 'state'),
    }),
    'desktop:retry': () => port.retry(),
    'desktop:open-folder': (account: string) => openFolder(account),
    'desktop:login-item': () => loginItem.get(),
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
    port,
    power: powerMonitor,
    isOnline: () => net.isOnline(),
    onResume: () => policy.resumed(Date.now()),
    onError: (e) => log.push('error', `Wake failed: ${(e as Error).message}`),
  });

  // Quit: ask the engine to stop within the deadline (the port kills it after), then really quit.
  let stopping: Promise<void> | undefined;
  app.on('before-quit', (e) => {
    if (!engine) return;
    e.preventDefault();
    stopping ??= engine
      .stop(STOP_DEADLINE_MS)
      .catch((err: unknown) => {
        log.push('error', `Engine stop: ${(err as Error).message}`);
      })
      .finally(() => {
        engine = undefined;
        tray.destroy();
        app.quit();
      });
  });

  refresh();
  const ui = settings.get().ui;
  if (!startHidden(argv, process.platform, app) && (ui.showWindowOnStart || !settings.get().config)) showWindow();
}
