// The app entry (app-main.ts) with the `electron` module substituted and a scripted engine
// port: single-instance lock, --hidden start, quit that stops the engine with a deadline,
// settings changes reconfiguring the engine, IPC sender checks, tray actions, wake on resume.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineNotice, EnginePort, EngineSnapshot } from '../../electron/shared/engine-port.js';
import type { SatchelConfig } from '../../core/config/model.js';

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
    powerMonitor: new EventEmitter(),
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
      wc.mainFrame = { url: 'file:///app/renderer/dist/index.html', parent: null };
      this.webContents = wc;
      s.windows.push(this);
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    restore = () => {};
    show = () => { this.shown++; };
    focus = () => {};
    loadFile = async (f: string) => { this.loaded = f; this.emit('ready-to-show'); };
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
    shell: { openPath: async () => '' },
    session: { defaultSession: session },
  };
  return { s, FakeApp, electron };
});
vi.mock('electron', () => ({ ...h.electron, default: h.electron }));

class ScriptedPort implements EnginePort {
  calls: unknown[][] = [];
  snap: EngineSnapshot = { host: 'ready', accounts: [{ account: 'work', state: 'idle' }] };
  private snapFns = new Set<(s: EngineSnapshot) => void>();
  stopResolve?: () => void;
  private rec = (name: string) => async (...a: unknown[]) => { this.calls.push([name, ...a]); };
  syncNow = this.rec('syncNow');
  pause = this.rec('pause');
  resume = this.rec('resume');
  reconfigure = this.rec('reconfigure');
  wake = this.rec('wake');
  retry = this.rec('retry');
  tool = (async (name: string, ...a: unknown[]) => { this.calls.push(['tool', name, ...a]); return { tool: name }; }) as EnginePort['tool'];
  stop = (deadline: number) => { this.calls.push(['stop', deadline]); return new Promise<void>((r) => { this.stopResolve = r; }); };
  snapshot = () => this.snap;
  onSnapshot = (fn: (s: EngineSnapshot) => void) => { this.snapFns.add(fn); return () => this.snapFns.delete(fn); };
  noticeFns = new Set<(n: EngineNotice) => void>();
  onNotice = (fn: (n: EngineNotice) => void) => { this.noticeFns.add(fn); return () => this.noticeFns.delete(fn); };
  notice(n: EngineNotice) { for (const fn of this.noticeFns) fn(n); }
  emit(s: EngineSnapshot) { this.snap = s; for (const fn of this.snapFns) fn(s); }
}

const config = (autorefresh = 5): SatchelConfig => ({
  general: { metadata: '/home/al/.local/state/satchel', maxSyncAccounts: 1, fsync: true },
  accounts: [{
    name: 'work', utf8foldernames: false, autorefresh,
    local: { name: 'l', type: 'maildir', localfolders: '/home/al/Mail', sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true },
    remote: { name: 'r', type: 'imap', host: 'imap.example.org', port: 993, user: 'al', password: { kind: 'keyring', service: 'Satchel', account: 'work' }, ssl: true, starttls: true, maxConnections: 1, expunge: true, gmail: false, readonly: false, createFolders: true, syncDeletes: true },
  }],
});

const { startApp, STOP_DEADLINE_MS } = await import('../../electron/main/app-main.js');

let port: ScriptedPort;
let created: number;
const deps = (argv: string[]) => ({
  createEnginePort: () => { created++; return port; },
  createSecretStore: () => ({ get: async () => undefined, set: async () => {}, delete: async () => false }),
  paths: { preload: '/app/dist/electron/preload.cjs', rendererIndex: '/app/renderer/dist/index.html', iconsDir: '/app/build/icons' },
  argv,
});

beforeEach(() => {
  h.s.userData = mkdtempSync(join(tmpdir(), 'satchel-app-'));
  process.env.XDG_CONFIG_HOME = h.s.userData; // the Linux autostart file goes to the temp dir
  h.s.app = new h.FakeApp();
  h.s.lock = true;
  h.s.windows.length = 0;
  h.s.trays.length = 0;
  h.s.handlers.clear();
  h.s.powerMonitor.removeAllListeners();
  port = new ScriptedPort();
  created = 0;
});
const savedXdg = process.env.XDG_CONFIG_HOME;
afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(h.s.userData, { recursive: true, force: true });
});

/** A trusted event from a window opened for the purpose (the app started hidden). */
const trustedEvent0 = () => { if (!h.s.windows.length) h.s.app.emit('second-instance'); return trustedEvent(); };
const trustedEvent = () => { const w = h.s.windows[0]; return { sender: w.webContents, senderFrame: w.webContents.mainFrame }; };

describe('app main', () => {
  it('a second instance quits at once without starting an engine', async () => {
    h.s.lock = false;
    await startApp(deps(['/opt/satchel']));
    expect(h.s.app.quitCalls).toBe(1);
    expect(created).toBe(0);
    expect(h.s.trays).toHaveLength(0);
  });

  it('--hidden starts in the tray only; a second launch shows the window', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    expect(created).toBe(1);
    expect(h.s.trays).toHaveLength(1);
    expect(h.s.trays[0].menus.length).toBeGreaterThan(0);
    expect(h.s.windows).toHaveLength(0);
    h.s.app.emit('second-instance');
    expect(h.s.windows).toHaveLength(1);
    expect(h.s.windows[0].loaded).toBe('/app/renderer/dist/index.html');
    expect(h.s.windows[0].shown).toBe(1);
    h.s.app.emit('second-instance');
    expect(h.s.windows).toHaveLength(1); // focused, not duplicated
    expect(h.s.windows[0].shown).toBe(2);
  });

  it('without --hidden (first run, no accounts) the window opens', async () => {
    await startApp(deps(['/opt/satchel']));
    expect(h.s.windows).toHaveLength(1);
    expect(h.s.windows[0].options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/dist/electron/preload.cjs' });
  });

  it('quit asks the engine to stop with the deadline, once, and quits for real when it has stopped', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    const first = h.s.app.quit();
    expect(first.defaultPrevented).toBe(true);
    expect(h.s.app.quit().defaultPrevented).toBe(true); // a second Quit while stopping
    expect(port.calls.filter((c) => c[0] === 'stop')).toEqual([['stop', STOP_DEADLINE_MS]]);
    port.stopResolve!();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.s.app.quitCalls).toBe(3); // the final quit, not prevented
    const last = h.s.app.quit();
    expect(last.defaultPrevented).toBe(false);
  });

  it('engine snapshots rebuild the tray menu; the Pause action pauses and the menu then offers Resume', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    const tray = h.s.trays[0];
    const before = tray.menus.length;
    port.emit({ host: 'ready', accounts: [{ account: 'work', state: 'syncing' }] });
    expect(tray.menus.length).toBe(before + 1);
    expect(tray.tooltip).toMatch(/^Satchel — Syncing/);
    const items = tray.menus.at(-1).template as any[];
    items.find((i) => i.id === 'pause').click();
    expect(port.calls).toContainEqual(['pause']);
    const after = tray.menus.at(-1).template as any[];
    expect(after.find((i) => i.id === 'resume')).toBeDefined();
    expect(after.find((i) => i.id === 'pause')).toBeUndefined();
  });

  it('IPC: saving an account from our window stores it, its password in the keyring, and reconfigures the engine; other senders are refused', async () => {
    const secrets = new Map<string, string>();
    await startApp({ ...deps(['/opt/satchel']), createSecretStore: () => ({ get: async (k: string) => secrets.get(k), set: async (k: string, v: string) => { secrets.set(k, v); }, delete: async (k: string) => secrets.delete(k) }) });
    const save = h.s.handlers.get('bridge:saveAccount')!;
    const draft = { name: 'work', email: 'al@example.org', server: { host: 'imap.example.org', port: 993, security: 'tls', user: 'al' }, password: 'hunter2', localfolders: '/home/al/Mail',
      rules: { nametrans: "lambda f: re.sub('^INBOX\\.', '', f)", folderincludes: "['debug']" } };
    await expect(save({ sender: {}, senderFrame: { url: 'file:///app/renderer/dist/index.html', parent: null } }, draft)).rejects.toThrow(/not a Satchel window/);
    const w = h.s.windows[0];
    const subframe = { url: 'file:///app/renderer/dist/index.html', parent: w.webContents.mainFrame };
    await expect(save({ sender: w.webContents, senderFrame: subframe }, draft)).rejects.toThrow(/not a Satchel window/);
    await expect(save({ sender: w.webContents, senderFrame: { url: 'file:///tmp/evil.html', parent: null } }, draft)).rejects.toThrow(/not a Satchel window/);
    expect(port.calls.filter((c) => c[0] === 'reconfigure')).toHaveLength(0);
    await save(trustedEvent(), draft);
    expect(secrets.get('work')).toBe('hunter2');
    const reconf = port.calls.filter((c) => c[0] === 'reconfigure');
    expect(reconf).toHaveLength(1);
    const saved = (reconf[0]![1] as SatchelConfig).accounts[0]!;
    expect(saved.remote).toMatchObject({ host: 'imap.example.org', ssl: true, password: { kind: 'keyring', account: 'work' }, folderincludes: ['debug'], nametransSource: "lambda f: re.sub('^INBOX\\.', '', f)" });
    expect(JSON.stringify(reconf)).not.toContain('hunter2');
    const list = (await h.s.handlers.get('bridge:listAccounts')!(trustedEvent())) as any[];
    expect(list).toEqual([expect.objectContaining({ name: 'work', localfolders: '/home/al/Mail', server: { host: 'imap.example.org', port: 993, security: 'tls', user: 'al' }, rules: expect.objectContaining({ folderincludes: "['debug']" }) })]);
    await h.s.handlers.get('bridge:setPreferences')!(trustedEvent(), { syncEveryMinutes: 15 });
    expect(((await h.s.handlers.get('bridge:getPreferences')!(trustedEvent())) as any).syncEveryMinutes).toBe(15);
    await expect(h.s.handlers.get('bridge:syncNow')!(trustedEvent(), 42)).rejects.toThrow(/optional account name/);
    await expect(h.s.handlers.get('bridge:saveRules')!(trustedEvent(), 'work', { folderfilter: "lambda f: re.search('(', f)" })).rejects.toThrow(/regular expression/);
  });

  it('IPC: pausing one account goes to the engine with its name and leaves the pause of all (tray) alone', async () => {
    await startApp(deps(['/opt/satchel']));
    await h.s.handlers.get('bridge:pause')!(trustedEvent(), 'work');
    expect(port.calls).toContainEqual(['pause', 'work']);
    expect((h.s.trays[0].menus.at(-1).template as any[]).find((i) => i.id === 'pause')).toBeDefined();
    await h.s.handlers.get('bridge:resume')!(trustedEvent(), 'work');
    expect(port.calls).toContainEqual(['resume', 'work']);
    await h.s.handlers.get('bridge:pause')!(trustedEvent());
    expect((h.s.trays[0].menus.at(-1).template as any[]).find((i) => i.id === 'resume')).toBeDefined();
    await expect(h.s.handlers.get('bridge:pause')!(trustedEvent(), 42)).rejects.toThrow(/optional account name/);
  });

  it('IPC: the account-setup tools go to the engine process; status is the bridge StatusView', async () => {
    await startApp(deps(['/opt/satchel']));
    expect(await h.s.handlers.get('bridge:discover')!(trustedEvent(), 'al@example.org')).toEqual({ tool: 'discover' });
    await h.s.handlers.get('bridge:checkLocalFolder')!(trustedEvent(), '~/Mail', 'work');
    expect(port.calls.filter((c) => c[0] === 'tool')).toEqual([['tool', 'discover', 'al@example.org'], ['tool', 'checkLocalFolder', '~/Mail', 'work']]);
    await expect(h.s.handlers.get('bridge:testConnection')!(trustedEvent(), { host: 'h', port: 993, security: 'tls', user: 'u', password: 'p', certFingerprint: 'XX' })).rejects.toThrow(/certFingerprint/);
    expect(await h.s.handlers.get('bridge:getStatus')!(trustedEvent())).toEqual({ host: 'ready', accounts: [{ account: 'work', state: 'idle', folders: [] }] });
  });

  it('the launch-at-login preference writes the autostart entry and reads the truth back', async () => {
    await startApp(deps(['/opt/satchel']));
    const set = h.s.handlers.get('bridge:setPreferences')!;
    expect(await set(trustedEvent(), { launchAtLogin: true })).toMatchObject({ launchAtLogin: true });
    const file = join(h.s.userData, 'autostart', 'org.satchel.Satchel.desktop');
    expect(readFileSync(file, 'utf8')).toContain(`Exec=${process.execPath} --hidden`);
    rmSync(file); // removed behind the app's back: the system's truth wins over the stored wish
    expect(((await h.s.handlers.get('bridge:getPreferences')!(trustedEvent())) as any).launchAtLogin).toBe(false);
  });

  it('notices become desktop notifications by the policy (quiet after start, new mail opt-in), all logged', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_000_000);
      h.s.notifications.length = 0;
      await startApp(deps(['/opt/satchel', '--hidden']));
      port.notice({ kind: 'auth-required', account: 'work', message: 'Password refused' });
      expect(h.s.notifications).toEqual([]); // quiet after start
      vi.setSystemTime(1_000_000 + 61_000);
      port.notice({ kind: 'new-mail', account: 'work', folder: 'INBOX', message: '2 new', count: 2 });
      expect(h.s.notifications).toEqual([]); // new mail is opt-in
      port.emit({ host: 'ready', accounts: [{ account: 'work', state: 'auth-required', error: 'Password refused' }] });
      expect(h.s.notifications).toEqual([{ title: 'work: sign-in required', body: 'Password refused', silent: false }]);
      const log = (await h.s.handlers.get('bridge:getLog')!(trustedEvent0())) as { message: string }[];
      expect(log.map((l) => l.message)).toEqual(['work: Password refused', 'work/INBOX: 2 new', 'work: sign-in required: Password refused']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('power resume wakes the engine', async () => {
    await startApp(deps(['/opt/satchel', '--hidden']));
    h.s.powerMonitor.emit('resume');
    await new Promise((r) => setTimeout(r, 0));
    expect(port.calls).toContainEqual(['wake', 'resume']);
  });
});
