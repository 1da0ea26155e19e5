// The renderer⇄main boundary: the contract's argument checks, the sender check, the gate
// around every handler (ipc-handlers.ts), and the preload bridge generated from the contract
// (preload.ts, with only the `electron` module substituted to capture what it exposes).
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_NAME, checkInvoke, EVENT_CHANNELS, INVOKE_CHANNELS, methodName } from '../../electron/shared/ipc-contract.js';
import { guard, isTrustedSender, registerIpcHandlers, type Handlers } from '../../electron/main/ipc-handlers.js';

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
  it('accepts well-formed calls', () => {
    expect(checkInvoke('status:get', [])).toBeUndefined();
    expect(checkInvoke('sync:now', [])).toBeUndefined();
    expect(checkInvoke('sync:now', ['work'])).toBeUndefined();
    expect(checkInvoke('settings:set-prefs', [{ notifyNewMail: true, launchAtLogin: false }])).toBeUndefined();
    expect(checkInvoke('config:set', [{ general: {}, accounts: [] }])).toBeUndefined();
    expect(checkInvoke('secret:set', ['work', 'hunter2'])).toBeUndefined();
  });

  it('refuses unknown channels, extra or wrong arguments, with the reason', () => {
    expect(checkInvoke('fs:read', ['/etc/passwd'])).toBe('unknown channel "fs:read"');
    expect(checkInvoke('__proto__', [])).toBe('unknown channel "__proto__"');
    expect(checkInvoke('status:get', [1])).toBe('status:get takes no arguments');
    expect(checkInvoke('sync:now', [42])).toBe('sync:now takes an optional account name');
    expect(checkInvoke('sync:now', ['a', 'b'])).toBe('sync:now takes an optional account name');
    expect(checkInvoke('folder:open', [''])).toBe('folder:open takes an account name');
    expect(checkInvoke('settings:set-prefs', [{ theme: 'dark' }])).toBe("settings:set-prefs 'theme' is not a preference");
    expect(checkInvoke('settings:set-prefs', [{ notifyErrors: 'yes' }])).toBe("settings:set-prefs 'notifyErrors' must be true or false");
    expect(checkInvoke('config:set', [{ accounts: [] }])).toMatch(/takes a configuration/);
    expect(checkInvoke('secret:set', ['work'])).toMatch(/takes an account name and a secret/);
    expect(checkInvoke('secret:set', ['x'.repeat(300), 's'])).toMatch(/takes an account name and a secret/);
  });

  it('has no channel that reads a secret back', () => {
    expect(Object.keys(INVOKE_CHANNELS).filter((c) => c.startsWith('secret:'))).toEqual(['secret:set', 'secret:delete']);
  });

  it('derives bridge method names', () => {
    expect(methodName('sync:now')).toBe('syncNow');
    expect(methodName('settings:set-prefs')).toBe('settingsSetPrefs');
    expect(methodName('status:changed', 'on')).toBe('onStatusChanged');
  });
});

describe('sender check', () => {
  const allowed = ['file:///opt/Satchel/resources/app.asar/renderer/dist/', 'http://localhost:5173'];
  const ok = { frameUrl: 'file:///opt/Satchel/resources/app.asar/renderer/dist/index.html#/log', isMainFrame: true, knownWindow: true };

  it('accepts our window, top frame, from the renderer directory or the dev server origin', () => {
    expect(isTrustedSender(ok, allowed)).toBe(true);
    expect(isTrustedSender({ ...ok, frameUrl: 'http://localhost:5173/wizard' }, allowed)).toBe(true);
  });

  it('refuses unknown windows, subframes, gone frames and other origins', () => {
    expect(isTrustedSender({ ...ok, knownWindow: false }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, isMainFrame: false }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: null }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///home/al/Downloads/evil.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'file:///opt/Satchel/resources/app.asar/renderer/dist-evil/x.html' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'http://localhost:5174/' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'https://evil.example/' }, allowed)).toBe(false);
    expect(isTrustedSender({ ...ok, frameUrl: 'not a url' }, allowed)).toBe(false);
  });
});

describe('handler gate', () => {
  const event = {} as never;

  it('runs the handler only for a trusted sender and valid arguments', async () => {
    const calls: unknown[][] = [];
    const h = (...a: unknown[]) => { calls.push(a); return 'done'; };
    await expect(guard('sync:now', h, () => true)(event, 'work')).resolves.toBe('done');
    await expect(guard('sync:now', h, () => false)(event, 'work')).rejects.toThrow('sync:now: refused, the sender is not a Satchel window');
    await expect(guard('sync:now', h, () => true)(event, 7)).rejects.toThrow('sync:now takes an optional account name');
    expect(calls).toEqual([['work']]);
  });

  it('registers one handler per contract channel and removes them all', async () => {
    const registered = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    const ipcMain = { handle: (c: string, fn: never) => void registered.set(c, fn), removeHandler: (c: string) => void registered.delete(c) };
    const handlers = Object.fromEntries(Object.keys(INVOKE_CHANNELS).map((c) => [c, () => `handled ${c}`])) as unknown as Handlers;
    const dispose = registerIpcHandlers(ipcMain as never, handlers, (e) => (e as unknown as { trusted: boolean }).trusted);
    expect([...registered.keys()].sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort());
    await expect(registered.get('log:get')!({ trusted: true })).resolves.toBe('handled log:get');
    await expect(registered.get('log:get')!({ trusted: false })).rejects.toThrow(/refused/);
    dispose();
    expect(registered.size).toBe(0);
  });
});

describe('preload bridge', () => {
  it('exposes one frozen function per channel and nothing else', async () => {
    await import('../../electron/preload/preload.js');
    const bridge = exposed[BRIDGE_NAME] as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.isFrozen(bridge)).toBe(true);
    const want = [...Object.keys(INVOKE_CHANNELS).map((c) => methodName(c)), ...EVENT_CHANNELS.map((c) => methodName(c, 'on'))];
    expect(Object.keys(bridge).sort()).toEqual(want.sort());
    for (const fn of Object.values(bridge)) expect(typeof fn).toBe('function');
    expect(Object.keys(exposed)).toEqual([BRIDGE_NAME]);
  });

  it('invokes the matching channel with the arguments', async () => {
    const bridge = exposed[BRIDGE_NAME] as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await expect(bridge.syncNow!('work')).resolves.toBe('ok');
    await bridge.settingsSetPrefs!({ notifyNewMail: true });
    expect(invoked).toEqual([['sync:now', 'work'], ['settings:set-prefs', { notifyNewMail: true }]]);
  });

  it('event subscriptions pass the payload only (never the event) and unsubscribe', () => {
    const bridge = exposed[BRIDGE_NAME] as Record<string, (fn: unknown) => () => void>;
    const got: unknown[][] = [];
    const off = bridge.onStatusChanged!((...a: unknown[]) => got.push(a));
    const [listener] = [...listeners.get('status:changed')!];
    listener!({ sender: 'the IpcRendererEvent' }, { host: 'ready' });
    expect(got).toEqual([[{ host: 'ready' }]]);
    off();
    expect(listeners.get('status:changed')!.size).toBe(0);
    expect(() => bridge.onLogLine!('not a function')).toThrow(TypeError);
  });
});
