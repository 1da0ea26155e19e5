// The one tray status: per account and for the whole app, by the precedence of DESIGN.md
// (auth-required > error > syncing > offline > paused > idle), plus the tooltip text.
// Pure: no Electron, no clock (the caller passes `now`). It never decides what to show in
// the menu (tray-menu.ts) or whether to notify (notification-policy.ts).

import type { AccountStatus, EngineSnapshot } from '../shared/engine-port.js';

/** Most urgent first. */
export const STATUS_PRECEDENCE: readonly AccountStatus[] = ['auth-required', 'error', 'syncing', 'offline', 'paused', 'idle'];

export const STATUS_LABEL: Record<AccountStatus, string> = {
  'auth-required': 'Sign-in required',
  error: 'Error',
  syncing: 'Syncing',
  offline: 'Offline',
  paused: 'Paused',
  idle: 'Up to date',
};

/** The most urgent of `states`; idle when there are none. */
export function worstStatus(states: Iterable<AccountStatus>): AccountStatus {
  let best = STATUS_PRECEDENCE.length - 1;
  for (const s of states) best = Math.min(best, STATUS_PRECEDENCE.indexOf(s));
  return STATUS_PRECEDENCE[best]!;
}

/**
 * The app's status: the accounts' worst, except that an engine host which has spent its crash
 * budget is an error, and one that is (re)starting counts as syncing (work is under way).
 */
export function appStatus(snapshot: EngineSnapshot, paused = false): AccountStatus {
  const states: AccountStatus[] = snapshot.accounts.map((a) => a.state);
  if (snapshot.host === 'failed') states.push('error');
  if (snapshot.host === 'starting' || snapshot.host === 'restarting') states.push('syncing');
  if (paused) states.push('paused');
  return worstStatus(states);
}

/** The newest lastSync among accounts, or undefined. */
export function lastSyncOf(snapshot: EngineSnapshot): number | undefined {
  let last: number | undefined;
  for (const a of snapshot.accounts) if (a.lastSync !== undefined && (last === undefined || a.lastSync > last)) last = a.lastSync;
  return last;
}

/** "5 min ago", "just now", "yesterday 14:05"-style relative text; `now` injected for tests. */
export function formatLastSync(lastSync: number | undefined, now: number): string {
  if (lastSync === undefined) return 'never synced';
  const s = Math.max(0, Math.round((now - lastSync) / 1000));
  if (s < 45) return 'last sync just now';
  const m = Math.round(s / 60);
  if (m < 60) return `last sync ${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `last sync ${h} h ago`;
  return `last sync ${new Date(lastSync).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The tooltip: the app's state and its last sync time, e.g. "Satchel — Syncing, last sync 5 min ago". */
export function trayTooltip(snapshot: EngineSnapshot, now: number, paused = false): string {
  return `Satchel — ${STATUS_LABEL[appStatus(snapshot, paused)]}, ${formatLastSync(lastSyncOf(snapshot), now)}`;
}
