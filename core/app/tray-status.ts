// The tray's words for the app's state: its tooltip ("Satchel — Syncing…, last sync 5 min ago")
// and the relative time of the last sync, read from the same StatusView as the window and
// ranked by the one precedence of core/contract/account-states.ts. Pure: no Electron, no clock
// of its own (callers pass `now`). It never decides the menu (tray-menu.ts) or notifications.

import type { StatusView } from '../contract/bridge-contract.js';
import { appState, STATE_LABEL } from '../contract/account-states.js';

/** The newest lastSync among accounts, or undefined. */
export function lastSyncOf(view: Pick<StatusView, 'accounts'>): number | undefined {
  let last: number | undefined;
  for (const a of view.accounts) if (a.lastSync !== undefined && (last === undefined || a.lastSync > last)) last = a.lastSync;
  return last;
}

/** "last sync 5 min ago", "last sync just now", "never synced"; `now` injected for tests. */
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

/** The tooltip: the app's state and its last sync time. */
export function trayTooltip(view: StatusView, now: number): string {
  return `Satchel — ${STATE_LABEL[appState(view)]}, ${formatLastSync(lastSyncOf(view), now)}`;
}
