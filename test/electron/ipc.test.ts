// The renderer⇄main boundary: the contract's argument checks, the sender check, the gate
// around every handler (ipc-handlers.ts), and the preload bridge generated from the contract
// (preload.ts, with only the `electron` module substituted to capture what it exposes).
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHODS } from '../../core/contract/bridge-contract.js';
import { BRIDGE_NAME, checkInvoke, DESKTOP_NAME, INVOKE_CHANNELS } from '../../electron/shared/ipc-contract.js';
import { guard, isTrustedSender, registerIpcHandlers, type Handlers } from '../../electron/main/ipc-handlers.js';
import { APP_INDEX_URL, APP_ORIGIN } from '../../electron/main/app-protocol.js';

const exposed: Record<string, unknown> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => { exposed[name] = api; } },
  ipcRenderer: {
    invoke: async (...a: unknown[]) => { invoked.push(a); return 'ok'; },
    on: (c: string, fn: (...a: unknown[]) => void) => { if (!listeners.has(c)) listeners.set(c, new Set()); listeners.get(c)!.add(fn); },
    removeListener: (c: string, fn: (...a: unknown[]) => void) => listeners.get(c)?.delete(fn),
  },
}));

describe('contract argument checks', () => {
  it('has one bridge channel per SatchelBridge method, plus the desktop extras', () => {
    expect(INVOKE_CHANNELS.filter((c) => c.startsWith('bridge:')).sort()).toEqual(Object.keys(BRIDGE_METHODS).map((m) => `bridge:${m}`).sort());
    expect(INVOKE_CHANNELS.filter((c) => !c.startsWith('bridge:')).sort()).toEqual(['desktop:login-item', 'desktop:open-folder', 'desktop:retry']);
  });

  it('accepts well-formed calls', () => {
    expect(checkInvoke('bridge:getStatus', [])).toBeUndefined();
    expect(checkInvoke('bridge:syncNow', [])).toBeUndefined();
    expect(checkInvoke('bridge:syncNow', ['work'])).toBeUndefined();
    expect(checkInvoke('bridge:setPreferences', [{ notifyNewMail: true, launchAtLogin: false }])).toBeUndefined();
    expect(checkInvoke('bridge:previewRules', [{ folders: ['INBOX'], separator: '/', localSeparator: '.', rules: {} }])).toBeUndefined();
    expect(checkInvoke('desktop:open-folder', ['work'])).toBeUndefined();
  });

  it('refuses unknown channels, extra or wrong arguments, with the reason', () => {
    expect(checkInvoke('fs:read', ['/etc/passwd'])).toBe('unknown channel "fs:read"');
    expect(checkInvoke('__proto__', [])).toBe('unknown channel "__proto__"');
    expect(checkInvoke('bridge:__proto__', [])).toBe('unknown channel "bridge:__proto__"');
    expect(checkInvoke('bridge:getStatus', [1])).toBe('getStatus takes no arguments');
    expect(checkInvoke('bridge:syncNow', [42])).toBe('syncNow takes an optional account name');
    expect(checkInvoke('bridge:syncNow', ['a', 'b'])).toBe('syncNow takes an optional account name');
    expect(checkInvoke('desktop:open-folder', [''])).toBe('openFolder takes an account name');
    expect(checkInvoke('desktop:retry', [1])).toBe('retry takes no arguments');
    expect(checkInvoke('bridge:setPreferences', [{ theme: 'dark' }])).toBe("setPreferences 'theme' is not a preference");
    expect(checkInvoke('bridge:testConnection', [{ host: 'h', port: 0, security: 'tls', user: 'u', password: 'p' }])).toMatch(/port/);
  });
});

describe('sender check', () => {
  const allowed = [APP_ORIGIN, 'http://localhost:5173'];
  const ok = { frameUrl: 'app://satchel/index.html#/log', isMainFrame: true, knownWindow: true };

  it('accepts our window, top frame, from the app origin or the dev server origin', () => {
    expect(isTrustedSender(ok, allowed)).toBe(true);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://satchel/' }, allowed)).toBe(true);
    expect(isTrustedSender({ ...ok, frameUrl: 'http://localhost:5173/wizard' }, allowed)).toBe(true);
    expect(isTrustedSender(ok, [APP_INDEX_URL])).toBe(true);
  });

  it('refuses unknown windows, subframes, gone frames and other origins', () => {
    expect(isTrustedSender({ ...ok, knownWindow: false }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, isMainFrame: false }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: null }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://evil/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://satchel.evil/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://satchel:1/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'app://user@satchel/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'evil://satchel/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'http://localhost:5174/' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'about:blank' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'data:text/html,hi' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'not a url' }, allowed)).toBe(false);
    expect(isTrustedSender(ok, ['not a url'])).toBe(false);
    expect(isTrustedSender(ok, [])).toBe(false);
  });

  it('refuses file:// pages, even where file:// is passed as allowed', () => {
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///opt/Satchel/resources/app.asar/renderer/dist/index.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///home/al/Downloads/evil.html' }, allowed)).toBe(false);
    const legacy = ['file:///opt/Satchel/resources/app.asar/renderer/dist/'];
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///opt/Satchel/resources/app.asar/renderer/dist/index.html' }, legacy)).toBe(false);
  });
});

describe('handler gate', () => {
  const event = {} as never;

  it('runs the handler only for a trusted sender and valid arguments', async () => {
    const calls: unknown[][] = [];
    const h = (...a: unknown[]) => { calls.push(a); return 'done'; };
    await expect(guard('bridge:syncNow', h, () => true)(event, 'work')).resolves.toBe('done');
    await expect(guard('bridge:syncNow', h, () => false)(event, 'work')).rejects.toThrow('bridge:syncNow: refused, the sender is not a Satchel window');
    await expect(guard('bridge:syncNow', h, () => true)(event, 7)).rejects.toThrow('syncNow takes an optional account name');
    expect(calls).toEqual([['work']]);
  });

  it('registers one handler per contract channel and removes them all', async () => {
    const registered = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    const ipcMain = { handle: (c: string, fn: never) => void registered.set(c, fn), removeHandler: (c: string) => void registered.delete(c) };
    const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, () => `handled ${c}`])) as unknown as Handlers;
    const dispose = registerIpcHandlers(ipcMain as never, handlers, (e) => (e as unknown as { trusted: boolean }).trusted);
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    await expect(registered.get('bridge:getLog')!({ trusted: true })).resolves.toBe('handled bridge:getLog');
    await expect(registered.get('bridge:getLog')!({ trusted: false })).rejects.toThrow(/refused/);
    dispose();
    expect(registered.size).toBe(0);
  });
});

describe('preload bridge', () => {
  it('exposes exactly the SatchelBridge methods plus onStatus/onLog, frozen, and the desktop extras apart', async () => {
    await import('../../electron/preload/preload.js');
    const bridge = exposed[BRIDGE_NAME] as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(BRIDGE_METHODS), 'onStatus', 'onLog'].sort());
    for (const fn of Object.values(bridge)) expect(typeof fn).toBe('function');
    const desktop = exposed[DESKTOP_NAME] as Record<string, unknown>;
    expect(Object.isFrozen(desktop)).toBe(true);
    expect(Object.keys(desktop).sort()).toEqual(['loginItem', 'onNavigate', 'openFolder', 'retry']);
    expect(Object.keys(exposed).sort()).toEqual([BRIDGE_NAME, DESKTOP_NAME].sort());
  });

  it('invokes the matching channel with the arguments', async () => {
    const bridge = exposed[BRIDGE_NAME] as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await expect(bridge.syncNow!('work')).resolves.toBe('ok');
    await bridge.setPreferences!({ notifyNewMail: true });
    await (exposed[DESKTOP_NAME] as Record<string, (...a: unknown[]) => Promise<unknown>>).openFolder!('work');
    expect(invoked).toEqual([['bridge:syncNow', 'work'], ['bridge:setPreferences', { notifyNewMail: true }], ['desktop:open-folder', 'work']]);
  });

  it('event subscriptions pass the payload only (never the event) and unsubscribe', () => {
    const bridge = exposed[BRIDGE_NAME] as Record<string, (fn: unknown) => () => void>;
    const got: unknown[][] = [];
    const off = bridge.onStatus!((...a: unknown[]) => got.push(a));
    const [listener] = [...listeners.get('bridge:status')!];
    listener!({ sender: 'the IpcRendererEvent' }, { host: 'ready' });
    expect(got).toEqual([[{ host: 'ready' }]]);
    off();
    expect(listeners.get('bridge:status')!.size).toBe(0);
    expect(() => bridge.onLog!('not a function')).toThrow(TypeError);
  });
});
