// createSecureWindow (secure-window.ts) with the `electron` module substituted: the test
// captures the BrowserWindow options and the handlers it installs, then fires them.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CSP } from '../../electron/main/content-security-policy.js';

const h = vi.hoisted(() => {
  const state = {
    windows: [] as { options: Record<string, unknown>; events: Map<string, (...a: unknown[]) => void>; openHandler?: (d: unknown) => unknown }[],
    headersHook: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((...a: unknown[]) => boolean),
    hookCount: 0,
  };
  const session = {
    webRequest: { onHeadersReceived: (fn: never) => { state.headersHook = fn; state.hookCount++; } },
    setPermissionRequestHandler: (fn: never) => { state.permissionRequest = fn; },
    setPermissionCheckHandler: (fn: never) => { state.permissionCheck = fn; },
  };
  class BrowserWindow {
    webContents: unknown;
    constructor(options: Record<string, unknown>) {
      const w = { options, events: new Map<string, (...a: unknown[]) => void>(), openHandler: undefined as undefined | ((d: unknown) => unknown) };
      state.windows.push(w);
      this.webContents = {
        setWindowOpenHandler: (fn: (d: unknown) => unknown) => { w.openHandler = fn; },
        on: (ev: string, fn: (...a: unknown[]) => void) => { w.events.set(ev, fn); },
      };
    }
  }
  return { state, session, BrowserWindow };
});
vi.mock('electron', () => ({ BrowserWindow: h.BrowserWindow, session: { defaultSession: h.session } }));

const { createSecureWindow } = await import('../../electron/main/secure-window.js');

describe('createSecureWindow', () => {
  beforeEach(() => {
    h.state.windows.length = 0;
  });

  it('sandboxes the renderer: sandbox, contextIsolation, no Node, no webview, the given preload', () => {
    createSecureWindow({ preload: '/app/dist/preload.cjs' });
    const wp = h.state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(wp).toMatchObject({
      preload: '/app/dist/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(h.state.windows[0]!.options.show).toBe(false);
  });

  it('denies new windows and every navigation, redirect and webview', () => {
    createSecureWindow({ preload: '/p.cjs' });
    const w = h.state.windows[0]!;
    expect(w.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn(), isMainFrame: true };
      expect(w.events.has(ev), ev).toBe(true);
      w.events.get(ev)!(e, 'https://evil.example/');
      expect(e.preventDefault, ev).toHaveBeenCalledOnce();
    }
  });

  it('denies every permission request and check', () => {
    createSecureWindow({ preload: '/p.cjs' });
    const answers: boolean[] = [];
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) h.state.permissionRequest!({}, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(h.state.permissionCheck!({}, 'media', 'file://', {})).toBe(false);
  });

  it('adds a strict CSP to every response, once per session', () => {
    createSecureWindow({ preload: '/p.cjs' });
    createSecureWindow({ preload: '/p.cjs' });
    expect(h.state.hookCount).toBe(1);
    let result: { responseHeaders: Record<string, string[]> } | undefined;
    h.state.headersHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => { result = r as never; });
    expect(result!.responseHeaders['Content-Type']).toEqual(['text/html']);
    expect(result!.responseHeaders['Content-Security-Policy']).toEqual([CSP]);
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/unsafe-(inline|eval)/);
  });
});
