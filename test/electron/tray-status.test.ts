// Tray status precedence and tooltip: the pure functions of electron/main/tray-status.ts.
import { describe, expect, it } from 'vitest';
import type { AccountStatus, EngineSnapshot } from '../../electron/shared/engine-port.js';
import { appStatus, formatLastSync, STATUS_PRECEDENCE, trayTooltip, worstStatus } from '../../electron/main/tray-status.js';

const snap = (states: AccountStatus[], host: EngineSnapshot['host'] = 'ready'): EngineSnapshot => ({
  host,
  accounts: states.map((state, i) => ({ account: `a${i}`, state })),
});

describe('status precedence', () => {
  it('is auth-required > error > syncing > offline > paused > idle', () => {
    expect(STATUS_PRECEDENCE).toEqual(['auth-required', 'error', 'syncing', 'offline', 'paused', 'idle']);
  });

  it('every pair resolves to the more urgent one, whatever the order', () => {
    for (const [i, a] of STATUS_PRECEDENCE.entries()) {
      for (const [j, b] of STATUS_PRECEDENCE.entries()) {
        const want = STATUS_PRECEDENCE[Math.min(i, j)];
        expect(worstStatus([a, b])).toBe(want);
        expect(worstStatus([b, a])).toBe(want);
      }
    }
  });

  it('no accounts is idle; one account is its own state', () => {
    expect(worstStatus([])).toBe('idle');
    expect(appStatus(snap([]))).toBe('idle');
    expect(appStatus(snap(['offline']))).toBe('offline');
  });

  it('the app takes the worst account', () => {
    expect(appStatus(snap(['idle', 'syncing', 'offline']))).toBe('syncing');
    expect(appStatus(snap(['idle', 'error', 'auth-required', 'syncing']))).toBe('auth-required');
  });

  it('a failed engine host is an error; a (re)starting one counts as syncing', () => {
    expect(appStatus(snap(['idle'], 'failed'))).toBe('error');
    expect(appStatus(snap(['auth-required'], 'failed'))).toBe('auth-required');
    expect(appStatus(snap(['idle'], 'restarting'))).toBe('syncing');
    expect(appStatus(snap(['offline'], 'starting'))).toBe('syncing');
  });

  it('the user pausing shows paused unless something more urgent is going on', () => {
    expect(appStatus(snap(['idle']), true)).toBe('paused');
    expect(appStatus(snap(['error']), true)).toBe('error');
  });
});

describe('tooltip', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  it('says the state and the newest last sync', () => {
    const s: EngineSnapshot = {
      host: 'ready',
      accounts: [
        { account: 'work', state: 'idle', lastSync: now - 30 * 60_000 },
        { account: 'home', state: 'syncing', lastSync: now - 5 * 60_000 },
      ],
    };
    expect(trayTooltip(s, now)).toBe('Satchel — Syncing, last sync 5 min ago');
  });

  it('never synced, just now, hours, and an absolute date after a day', () => {
    expect(trayTooltip(snap(['idle']), now)).toBe('Satchel — Up to date, never synced');
    expect(formatLastSync(now - 10_000, now)).toBe('last sync just now');
    expect(formatLastSync(now - 3 * 3600_000, now)).toBe('last sync 3 h ago');
    expect(formatLastSync(now - 3 * 86400_000, now)).toBe('last sync 2026-01-07 12:00 UTC');
  });
});
