// The tray menu template, item by item: core/app/tray-menu.ts is pure, so the real function is
// tested directly, on the same StatusView the window shows.
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../core/contract/bridge-contract.js';
import { buildTrayMenu, flattenMenu, type TrayMenuItem } from '../../../core/app/tray-menu.js';

const now = Date.UTC(2026, 0, 10, 12, 0, 0);
const two: StatusView = {
  host: 'ready',
  accounts: [
    { account: 'work', state: 'idle', lastSync: now - 2 * 60_000, folders: [] },
    { account: 'home', state: 'syncing', folders: [] },
  ],
};
const byId = (menu: TrayMenuItem[], id: string) => flattenMenu(menu).find((i) => i.id === id);
const labels = (menu: TrayMenuItem[]) => menu.filter((i) => i.type !== 'separator').map((i) => i.label);

describe('buildTrayMenu', () => {
  it('has the items of DESIGN.md in order', () => {
    const menu = buildTrayMenu({ view: two, now });
    expect(labels(menu)).toEqual(['Syncing…', 'Sync now', 'Pause', 'Accounts', 'Add account…', 'Preferences…', 'Show log', 'Quit']);
    expect(menu[0]).toMatchObject({ id: 'status', enabled: false });
    expect(byId(menu, 'sync-now')?.action).toEqual({ kind: 'sync-now' });
    expect(byId(menu, 'add-account')?.action).toEqual({ kind: 'add-account' });
    expect(byId(menu, 'preferences')?.action).toEqual({ kind: 'preferences' });
    expect(byId(menu, 'show-log')?.action).toEqual({ kind: 'show-log' });
    expect(byId(menu, 'quit')?.action).toEqual({ kind: 'quit' });
    expect(menu.at(-1)?.id).toBe('quit');
  });

  it('offers Pause when running and Resume when paused; Sync now is off while paused', () => {
    const running = buildTrayMenu({ view: two, now });
    expect(byId(running, 'pause')?.action).toEqual({ kind: 'pause' });
    expect(byId(running, 'resume')).toBeUndefined();
    const paused = buildTrayMenu({ view: { ...two, paused: true }, now });
    expect(byId(paused, 'resume')?.action).toEqual({ kind: 'resume' });
    expect(byId(paused, 'pause')).toBeUndefined();
    expect(byId(paused, 'sync-now')?.enabled).toBe(false);
    expect(paused[0]?.label).toBe('Syncing…'); // syncing outranks paused
  });

  it('shows "Show errors" only when an account is in error or needs sign-in, or the engine failed', () => {
    expect(byId(buildTrayMenu({ view: two, now }), 'show-errors')).toBeUndefined();
    for (const state of ['error', 'auth-required'] as const) {
      const s: StatusView = { host: 'ready', accounts: [{ account: 'work', state, error: 'Login refused: check the password', folders: [] }] };
      const menu = buildTrayMenu({ view: s, now });
      expect(byId(menu, 'show-errors')?.action).toEqual({ kind: 'show-errors' });
      const order = labels(menu);
      expect(order.indexOf('Show errors')).toBe(order.indexOf('Add account…') + 1);
    }
    const offline: StatusView = { host: 'ready', accounts: [{ account: 'work', state: 'offline', folders: [] }] };
    expect(byId(buildTrayMenu({ view: offline, now }), 'show-errors')).toBeUndefined();
  });

  it('has an Accounts submenu with state, Sync, Open mail folder and Edit… per account', () => {
    const menu = buildTrayMenu({ view: two, now });
    const accounts = byId(menu, 'accounts')!;
    expect(accounts.type).toBe('submenu');
    expect(accounts.submenu?.map((a) => a.label)).toEqual(['work — In sync', 'home — Syncing…']);
    const work = accounts.submenu![0]!;
    expect(labels(work.submenu!)).toEqual(['In sync, last sync 2 min ago', 'Sync', 'Open mail folder', 'Edit…']);
    expect(byId(menu, 'account:work:status')?.enabled).toBe(false);
    expect(byId(menu, 'account:work:sync')).toMatchObject({ enabled: true, action: { kind: 'sync-now', account: 'work' } });
    expect(byId(menu, 'account:work:open')?.action).toEqual({ kind: 'open-folder', account: 'work' });
    expect(byId(menu, 'account:work:edit')?.action).toEqual({ kind: 'edit-account', account: 'work' });
    // An account already syncing cannot be asked to sync again.
    expect(byId(menu, 'account:home:sync')?.enabled).toBe(false);
  });

  it("shows an account's error line in its submenu", () => {
    const s: StatusView = { host: 'ready', accounts: [{ account: 'work', state: 'auth-required', error: 'Password refused: update it in Edit…', folders: [] }] };
    const menu = buildTrayMenu({ view: s, now });
    expect(byId(menu, 'account:work:error')).toMatchObject({ label: 'Password refused: update it in Edit…', enabled: false });
    expect(menu[0]?.label).toBe('Sign-in needed');
    expect(byId(menu, 'account:work:edit')?.label).toBe('Sign in again…');
  });

  it('without accounts: no Accounts submenu, Sync now disabled, the status line says so', () => {
    const menu = buildTrayMenu({ view: { host: 'ready', accounts: [] }, now });
    expect(byId(menu, 'accounts')).toBeUndefined();
    expect(byId(menu, 'sync-now')?.enabled).toBe(false);
    expect(menu[0]?.label).toBe('In sync — no accounts yet');
  });

  it('a failed engine host: the status line gives the reason, "Try again" appears, sync and pause are off', () => {
    const s: StatusView = { host: 'failed', hostError: 'crashed 5 times in 2 minutes', accounts: [{ account: 'work', state: 'idle', folders: [] }] };
    const menu = buildTrayMenu({ view: s, now });
    expect(menu[0]?.label).toBe('Engine stopped: crashed 5 times in 2 minutes');
    expect(menu[1]).toMatchObject({ id: 'retry', action: { kind: 'retry' } });
    expect(byId(menu, 'sync-now')?.enabled).toBe(false);
    expect(byId(menu, 'pause')?.enabled).toBe(false);
    expect(byId(menu, 'show-errors')).toBeDefined();
  });

  it('is plain data: a JSON round trip changes nothing (no closures, no Electron objects)', () => {
    const menu = buildTrayMenu({ view: two, now });
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
    const ids = flattenMenu(menu).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
