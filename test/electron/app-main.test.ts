// The desktop main process (app-main.ts) as the transport of the real app service: only the
// `electron` module is substituted (windows, tray, IPC registry, notifications); the generated
// IPC handlers, their argument and sender checks, the app service, its electron-store settings
// file, the keyring (a private gnome-keyring) and the engine (in process, against a private
// Dovecot) are all real. Covers the drifts the desktop once had: a new account gets the
// schedule, the status shows folders, preferences survive a restart, tray and window agree.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppService, type AppService } from '../../core/app/app-service.js';
import { createInProcessEngine } from '../../core/app/in-process-engine.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import type { AccountDraft, StatusView } from '../../core/contract/bridge-contract.js';
import { startDovecot, makeMessage, type DovecotServer } from '../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../helpers/keyring.js';

const h = vi.hoisted(() => {
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  const s = {
    userData: '',
    lock: true,
    app: undefined as any,
    windows: [] as any[],
    trays: [] as any[],
    handlers: new Map<string, (...a: any[]) => Promise<unknown>>(),
    notifications: [] as any[],
    opened: [] as string[],
    powerMonitor: new EventEmitter(),
    schemes: [] as unknown[],
    handled: [] as string[],
  };
  class FakeApp extends EventEmitter {
    quitCalls = 0;
    isPackaged = true;
    requestSingleInstanceLock = () => s.lock;
    quit = () => { this.quitCalls++; const e = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } }; this.emit('before-quit', e); return e; };
    whenReady = async () => {};
    setAppUserModelId = () => {};
    getPath = () => s.userData;
    getVersion = () => '0.1.0';
    getName = () => 'Satchel';
    getAppPath = () => '/app';
    getLoginItemSettings = () => ({ openAtLogin: false, wasOpenedAtLogin: false });
    setLoginItemSettings = () => {};
  }
  class BrowserWindow extends EventEmitter {
    static fromWebContents = (wc: unknown) => s.windows.find((w) => w.webContents === wc) ?? null;
    shown = 0;
    destroyed = false;
    loaded: string | undefined;
    webContents: any;
    constructor(public options: any) {
      super();
      const wc = new EventEmitter() as any;
      wc.setWindowOpenHandler = () => {};
      wc.isLoading = () => false;
      wc.sent = [] as unknown[][];
      wc.send = (...a: unknown[]) => wc.sent.push(a);
      wc.mainFrame = { url: 'app://satchel/index.html', parent: null };
      this.webContents = wc;
      s.windows.push(this);
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    restore = () => {};
    show = () => { this.shown++; };
    focus = () => {};
    loadURL = async (u: string) => { this.loaded = u; this.emit('ready-to-show'); };
  }
  class Tray extends EventEmitter {
    menus: any[] = [];
    tooltip = '';
    constructor() { super(); s.trays.push(this); }
    setContextMenu = (m: any) => this.menus.push(m);
    setImage = () => {};
    setToolTip = (t: string) => { this.tooltip = t; };
    destroy = () => {};
    popUpContextMenu = () => {};
  }
  class Notification extends EventEmitter {
    static isSupported = () => true;
    constructor(public options: any) { super(); }
    show = () => s.notifications.push(this.options);
  }
  const session = { webRequest: { onHeadersReceived: () => {} }, setPermissionRequestHandler: () => {}, setPermissionCheckHandler: () => {} };
  // A stable `app` object forwarding to the current test's FakeApp.
  const app = new Proxy({}, { get: (_t, k) => { const v = s.app[k]; return typeof v === 'function' ? v.bind(s.app) : v; } });
  const electron = {
    app,
    BrowserWindow,
    Tray,
    Notification,
    Menu: { buildFromTemplate: (t: unknown) => ({ template: t }) },
    nativeImage: { createFromPath: () => ({ setTemplateImage() {} }) },
    ipcMain: { handle: (c: string, fn: any) => s.handlers.set(c, fn), removeHandler: (c: string) => s.handlers.delete(c), on: () => {} },
    net: { isOnline: () => true },
    powerMonitor: s.powerMonitor,
    protocol: { registerSchemesAsPrivileged: (s2: unknown) => { s.schemes.push(s2); }, handle: (scheme: string) => { s.handled.push(scheme); } },
    shell: { openPath: async (p: string) => { s.opened.push(p); return ''; } },
    session: { defaultSession: session },
  };
  return { s, FakeApp, electron };
});
vi.mock('electron', () => ({ ...h.electron, default: h.electron }));

const { startApp, STOP_DEADLINE_MS } = await import('../../electron/main/app-main.js');
const { electronSettingsStorage } = await import('../../electron/main/settings-store.js');

const PASSWORD = 'desk-7Hq2-pw';
let dovecot: DovecotServer;
let keyring: TestKeyring;
let services: AppService[] = [];
let created = 0;
let clock = 1_000_000;

beforeAll(async () => {
  keyring = await startKeyring();
  dovecot = await startDovecot();
  await dovecot.addUser('al', PASSWORD);
  for (let i = 1; i <= 2; i++) await dovecot.appendMessage('al', 'INBOX', makeMessage({ subject: `m${i}`, messageId: `<desk${i}@test>` }));
  await dovecot.appendMessage('al', 'Archive', makeMessage({ subject: 'a1', messageId: '<desk-a1@test>' }));
}, 60_000);
afterAll(async () => { await dovecot?.stop(); await keyring?.stop(); });

/** The real service as index.ts builds it, but with the engine in process (no Electron utility process here). */
const deps = (argv: string[]) => ({
  createService: ({ userData, loginItem }: { userData: string; loginItem: { get(): boolean; set(on: boolean): void } }) => {
    created++;
    const home = join(userData, 'home');
    const service = createAppService({
      storage: electronSettingsStorage(userData), secrets: new KeyringSecretStore(), loginItem,
      stateDir: join(userData, 'state'), home, env: { HOME: home }, statusIntervalMs: 20, now: () => clock,
      createPort: (getSecret, config) => createInProcessEngine({ config, getSecret, home }),
    });
    services.push(service);
    return service;
  },
  paths: { preload: '/app/dist/electron/preload.cjs', rendererDir: '/app/renderer/dist', iconsDir: '/app/build/icons' },
  argv,
});

const draft = (over: Partial<AccountDraft> = {}): AccountDraft => ({
  name: 'work', email: 'al@example.org', password: PASSWORD, localfolders: join(h.s.userData, 'Mail'),
  server: { host: '127.0.0.1', port: dovecot.port, security: 'starttls', user: 'al' }, certFingerprint: dovecot.certFingerprint, ...over,
});

beforeEach(() => {
  h.s.userData = mkdtempSync(join(tmpdir(), 'satchel-app-'));
  process.env.XDG_CONFIG_HOME = h.s.userData; // the Linux autostart file goes to the temp dir
  h.s.app = new h.FakeApp();
  h.s.lock = true;
  h.s.windows.length = 0;
  h.s.trays.length = 0;
  h.s.opened.length = 0;
  h.s.notifications.length = 0;
  h.s.handlers.clear();
  h.s.powerMonitor.removeAllListeners();
  created = 0;
  clock = 1_000_000;
});
const savedXdg = process.env.XDG_CONFIG_HOME;
afterEach(async () => {
  for (const s of services.splice(0)) await s.close(5_000);
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(h.s.userData, { recursive: true, force: true });
});

const trustedEvent = () => { const w = h.s.windows[0]; return { sender: w.webContents, senderFrame: w.webContents.mainFrame }; };
const call = (channel: string, ...args: unknown[]) => h.s.handlers.get(channel)!(trustedEvent(), ...args);
const menuOf = () => h.s.trays[0].menus.at(-1).template as any[];
const find = (items: any[], id: string): any => {
  for (const i of items) { if (i.id === id) return i; const s = i.submenu && find(i.submenu, id); if (s) return s; }
  return undefined;
};
async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the desktop main process over the one app service', () => {
  it('a second instance quits at once without starting a service', async () => {
    h.s.lock = false;
    await startApp(deps(['/opt/satchel']));
    expect(h.s.app.quitCalls).toBe(1);
    expect(created).toBe(0);
    expect(h.s.trays).toHaveLength(0);
  });

  it('--hidden starts in the tray only; a second launch shows the window, sandboxed, on the app:// page', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    expect(created).toBe(1);
    expect(h.s.trays[0].menus.length).toBeGreaterThan(0);
    expect(h.s.windows).toHaveLength(0);
    h.s.app.emit('second-instance');
    expect(h.s.windows).toHaveLength(1);
    expect(h.s.windows[0].loaded).toBe('app://satchel/index.html');
    expect(h.s.handled).toContain('app'); // served by the app protocol, with its path check and CSP
    expect(JSON.stringify(h.s.schemes)).toContain('"scheme":"app"');
    expect(h.s.windows[0].options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/dist/electron/preload.cjs' });
    h.s.app.emit('second-instance');
    expect(h.s.windows).toHaveLength(1); // focused, not duplicated
    expect(h.s.windows[0].shown).toBe(2);
  });

  it('IPC: a new account saved from our window only; it syncs, gets the schedule, and the window and tray show it with its folders', async () => {
    await startApp(deps(['/opt/satchel']));
    const save = h.s.handlers.get('bridge:saveAccount')!;
    const w = h.s.windows[0];
    await expect(save({ sender: {}, senderFrame: w.webContents.mainFrame }, draft())).rejects.toThrow(/not a Satchel window/);
    await expect(save({ sender: w.webContents, senderFrame: { url: 'app://satchel/index.html', parent: w.webContents.mainFrame } }, draft())).rejects.toThrow(/not a Satchel window/);
    await expect(save({ sender: w.webContents, senderFrame: { url: 'file:///app/renderer/dist/index.html', parent: null } }, draft())).rejects.toThrow(/not a Satchel window/);
    await expect(call('bridge:saveAccount', { ...draft(), name: '../x' })).rejects.toThrow(/letters, digits/);
    await call('bridge:saveAccount', draft());
    expect(await new KeyringSecretStore().get('work')).toBe(PASSWORD);
    const file = readdirSync(h.s.userData).find((f) => f.startsWith('settings'))!;
    const stored = readFileSync(join(h.s.userData, file), 'utf8');
    expect(stored).not.toContain(PASSWORD);
    // Drift 1: the desktop's new account gets the preferences' schedule (15 minutes by default) and IDLE.
    expect(JSON.parse(stored).config.accounts[0]).toMatchObject({ name: 'work', autorefresh: 15 });
    // Drift 2: the status sent to the window has the account's folders; the tray reads the same view.
    const status = await until('the first sync', async () => {
      const s = (await call('bridge:getStatus')) as StatusView;
      return s.accounts[0]?.lastSync && s.accounts[0].folders.length >= 2 && s.accounts[0].state === 'idle' ? s : undefined;
    });
    expect(status.accounts[0]!.folders.map((f) => f.name).sort()).toEqual(['Archive', 'INBOX']);
    expect(w.webContents.sent.some(([c, v]: [string, StatusView]) => c === 'bridge:status' && v.accounts[0]?.folders.length === 2)).toBe(true);
    await until('the tray to show it', () => find(menuOf(), 'account:work')?.label === 'work — In sync');
    expect(h.s.trays[0].tooltip).toMatch(/^Satchel — In sync, last sync/);
    expect(readdirSync(join(h.s.userData, 'Mail', 'INBOX', 'cur')).length + readdirSync(join(h.s.userData, 'Mail', 'INBOX', 'new')).length).toBe(2);
    // Open mail folder from the tray opens the Maildir root, a directory.
    find(menuOf(), 'account:work:open').click();
    await until('the folder to open', () => h.s.opened.length === 1);
    expect(h.s.opened).toEqual([join(h.s.userData, 'Mail')]);
    // A changed server with no password typed again is refused: the saved password stays with its server.
    await expect(call('bridge:saveAccount', draft({ password: '', server: { host: 'localhost', port: dovecot.port, security: 'starttls', user: 'al' } })))
      .rejects.toThrow(/enter the password again/);
  });

  it('preferences survive a restart of the app (drift 3), and the launch-at-login switch is the system truth', async () => {
    await startApp(deps(['/opt/satchel']));
    expect(await call('bridge:setPreferences', { localSeparator: '/', syncEveryMinutes: 30, notifyNewMail: true, launchAtLogin: true }))
      .toMatchObject({ localSeparator: '/', syncEveryMinutes: 30, notifyNewMail: true, launchAtLogin: true });
    const autostart = join(h.s.userData, 'autostart', 'org.satchel.Satchel.desktop');
    expect(readFileSync(autostart, 'utf8')).toContain(`Exec=${process.execPath} --hidden`);
    await services[0]!.close(5_000);
    // A new main process on the same user data.
    h.s.app = new h.FakeApp();
    h.s.windows.length = 0;
    h.s.trays.length = 0;
    h.s.handlers.clear();
    await startApp(deps(['/opt/satchel']));
    expect(await call('bridge:getPreferences')).toMatchObject({ localSeparator: '/', syncEveryMinutes: 30, notifyNewMail: true, launchAtLogin: true });
    rmSync(autostart); // removed behind the app's back: the system's truth wins over the stored wish
    expect(await call('bridge:getPreferences')).toMatchObject({ launchAtLogin: false });
    await expect(call('bridge:setPreferences', { syncEveryMinutes: 'often' })).rejects.toThrow(/wrong kind/);
  });

  it('Pause in the tray pauses everything and the menu then offers Resume; one account pauses through IPC', async () => {
    await startApp(deps(['/opt/satchel']));
    await call('bridge:saveAccount', draft());
    await until('the first sync', async () => ((await call('bridge:getStatus')) as StatusView).accounts[0]?.lastSync);
    find(menuOf(), 'pause').click();
    await until('Resume in the menu', () => find(menuOf(), 'resume'));
    expect(find(menuOf(), 'sync-now').enabled).toBe(false);
    expect(((await call('bridge:getStatus')) as StatusView)).toMatchObject({ paused: true, accounts: [{ state: 'paused' }] });
    find(menuOf(), 'resume').click();
    await until('Pause back in the menu', () => find(menuOf(), 'pause'));
    await call('bridge:pause', 'work');
    expect(((await call('bridge:getStatus')) as StatusView)).toMatchObject({ paused: false, accounts: [{ state: 'paused' }] });
    expect(find(menuOf(), 'pause')).toBeDefined(); // the pause of all is not on
    await expect(call('bridge:pause', 42)).rejects.toThrow(/optional account name/);
  });

  it('a refused password: auth-required in the window and the tray, one notification after the quiet period; power resume syncs again', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    h.s.app.emit('second-instance');
    clock += 61_000; // past the quiet period after start
    await call('bridge:saveAccount', draft({ password: 'wrong-password' }));
    await until('auth-required', async () => ((await call('bridge:getStatus')) as StatusView).accounts[0]?.state === 'auth-required', 30_000);
    await until('the notification', () => h.s.notifications.length > 0);
    expect(h.s.notifications).toEqual([{ title: 'work: sign-in required', body: expect.stringMatching(/.+/), silent: false }]);
    await until('the tray to say so', () => find(menuOf(), 'account:work:edit')?.label === 'Sign in again…');
    const log = (await call('bridge:getLog')) as { message: string }[];
    expect(log.some((l) => /sign-in required/.test(l.message))).toBe(true);
    expect(JSON.stringify(log)).not.toContain('wrong-password');
    // Resume from suspend: the service wakes the engine, which syncs now (and fails the same way: no second notification).
    const before = ((await call('bridge:getStatus')) as StatusView).accounts[0]!.lastSync ?? 0;
    h.s.powerMonitor.emit('resume');
    await until('a sync after the wake', async () => {
      const l = (await call('bridge:getLog')) as { message: string }[];
      return l.filter((x) => /login|password|auth/i.test(x.message)).length >= 2;
    });
    expect(before).toBe(0);
    expect(h.s.notifications).toHaveLength(1);
  });

  it('quit stops the service once, with the deadline, then quits for real', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    const stop = vi.spyOn(services[0]!, 'close');
    expect(h.s.app.quit().defaultPrevented).toBe(true);
    expect(h.s.app.quit().defaultPrevented).toBe(true); // a second Quit while stopping
    await until('the final quit', () => h.s.app.quitCalls === 3);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledWith(STOP_DEADLINE_MS);
    expect(h.s.app.quit().defaultPrevented).toBe(false);
    expect(existsSync(h.s.userData)).toBe(true);
  });
});
