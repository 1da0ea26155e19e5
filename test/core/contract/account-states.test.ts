// The one ranking and wording of states (core/contract/account-states.ts) that the window and
// the tray both use, and the tray's tooltip built on it (core/app/tray-status.ts).
import { describe, expect, it } from 'vitest';
import type { AccountState, StatusView } from '../../../core/contract/bridge-contract.js';
import { appState, STATE_LABEL, STATE_PRECEDENCE, worstState } from '../../../core/contract/account-states.js';
import { formatLastSync, trayTooltip } from '../../../core/app/tray-status.js';
import { accountLabel } from '../../../renderer/src/status/status-format.js';
import { buildTrayMenu } from '../../../core/app/tray-menu.js';

const view = (states: AccountState[], host: StatusView['host'] = 'ready', paused = false): StatusView => ({
  host, paused, accounts: states.map((state, i) => ({ account: `a${i}`, state, folders: [], lastSync: 1 })),
});

describe('state precedence', () => {
  it('is auth-required > error > syncing > offline > paused > idle', () => {
    expect(STATE_PRECEDENCE).toEqual(['auth-required', 'error', 'syncing', 'offline', 'paused', 'idle']);
  });

  it('every pair resolves to the more urgent one, whatever the order', () => {
    for (const [i, a] of STATE_PRECEDENCE.entries()) {
      for (const [j, b] of STATE_PRECEDENCE.entries()) {
        const want = STATE_PRECEDENCE[Math.min(i, j)];
        expect(worstState([a, b])).toBe(want);
        expect(worstState([b, a])).toBe(want);
      }
    }
  });

  it('no accounts is idle; the app takes the worst account', () => {
    expect(worstState([])).toBe('idle');
    expect(appState(view([]))).toBe('idle');
    expect(appState(view(['idle', 'syncing', 'offline']))).toBe('syncing');
    expect(appState(view(['idle', 'error', 'auth-required', 'syncing']))).toBe('auth-required');
  });

  it('a failed engine host is an error; a (re)starting one counts as syncing; the pause of all shows unless worse', () => {
    expect(appState(view(['idle'], 'failed'))).toBe('error');
    expect(appState(view(['auth-required'], 'failed'))).toBe('auth-required');
    expect(appState(view(['idle'], 'restarting'))).toBe('syncing');
    expect(appState(view(['offline'], 'starting'))).toBe('syncing');
    expect(appState(view(['idle'], 'ready', true))).toBe('paused');
    expect(appState(view(['error'], 'ready', true))).toBe('error');
  });

  it('the window and the tray name every state alike', () => {
    const now = 10_000_000;
    for (const s of STATE_PRECEDENCE) {
      expect(accountLabel({ state: s, lastSync: 1 })).toBe(STATE_LABEL[s]);
      const v = view([s]);
      expect(trayTooltip(v, now).startsWith(`Satchel — ${STATE_LABEL[appState(v)]},`)).toBe(true);
      expect(buildTrayMenu({ view: v, now })[0]!.label).toBe(STATE_LABEL[s]);
    }
  });
});

describe('tray tooltip', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);
  it('says the state and the newest last sync', () => {
    const s: StatusView = {
      host: 'ready',
      accounts: [
        { account: 'work', state: 'idle', lastSync: now - 30 * 60_000, folders: [] },
        { account: 'home', state: 'syncing', lastSync: now - 5 * 60_000, folders: [] },
      ],
    };
    expect(trayTooltip(s, now)).toBe('Satchel — Syncing…, last sync 5 min ago');
  });

  it('never synced, just now, hours, and an absolute date after a day', () => {
    expect(trayTooltip({ host: 'ready', accounts: [{ account: 'a', state: 'idle', folders: [] }] }, now)).toBe('Satchel — In sync, never synced');
    expect(formatLastSync(now - 10_000, now)).toBe('last sync just now');
    expect(formatLastSync(now - 3 * 3600_000, now)).toBe('last sync 3 h ago');
    expect(formatLastSync(now - 3 * 86400_000, now)).toBe('last sync 2026-01-07 12:00 UTC');
  });
});
