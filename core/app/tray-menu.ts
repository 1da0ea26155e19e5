// The tray menu as plain data: buildTrayMenu(viewModel) returns a template of labels and
// actions (no Electron types, no closures), so every item can be tested directly. The tray
// adapter (electron/main/tray.ts) turns it into a Menu and re-attaches it on every change. It
// reads the service's StatusView, as the window does. Items never perform anything here; an
// action is a value the adapter dispatches to the app service.

import type { AccountView, StatusView } from '../contract/bridge-contract.js';
import { appState, STATE_LABEL } from '../contract/account-states.js';
import { formatLastSync } from './tray-status.js';

export type TrayAction =
  | { kind: 'sync-now'; account?: string }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'retry' }
  | { kind: 'open-folder'; account: string }
  | { kind: 'edit-account'; account: string }
  | { kind: 'add-account' }
  | { kind: 'show-errors' }
  | { kind: 'preferences' }
  | { kind: 'show-log' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  /** Stable id (for tests and for Electron's Menu.getMenuItemById). */
  id: string;
  type: 'normal' | 'separator' | 'submenu';
  label?: string;
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

export interface TrayViewModel {
  /** The app service's status (its `paused` = everything paused: the menu offers Resume). */
  view: StatusView;
  now: number;
}

const sep = (id: string): TrayMenuItem => ({ id, type: 'separator' });
const item = (id: string, label: string, action: TrayAction, enabled = true): TrayMenuItem => ({ id, type: 'normal', label, action, enabled });

function accountItem(a: AccountView, now: number): TrayMenuItem {
  const state = a.state;
  const status = `${STATE_LABEL[state]}, ${formatLastSync(a.lastSync, now)}`;
  return {
    id: `account:${a.account}`,
    type: 'submenu',
    label: `${a.account} — ${STATE_LABEL[state]}`,
    submenu: [
      { id: `account:${a.account}:status`, type: 'normal', label: status, enabled: false },
      ...(a.error ? [{ id: `account:${a.account}:error`, type: 'normal' as const, label: a.error, enabled: false }] : []),
      sep(`account:${a.account}:sep`),
      item(`account:${a.account}:sync`, 'Sync', { kind: 'sync-now', account: a.account }, state !== 'syncing'),
      item(`account:${a.account}:open`, 'Open mail folder', { kind: 'open-folder', account: a.account }),
      item(`account:${a.account}:edit`, state === 'auth-required' ? 'Sign in again…' : 'Edit…', { kind: 'edit-account', account: a.account }),
    ],
  };
}

export function buildTrayMenu(vm: TrayViewModel): TrayMenuItem[] {
  const { view: snapshot, now } = vm;
  const paused = !!snapshot.paused;
  const status = appState(snapshot);
  const failed = snapshot.host === 'failed';
  const hasErrors = failed || snapshot.accounts.some((a) => a.state === 'error' || a.state === 'auth-required');
  const statusLine = failed
    ? `Engine stopped: ${snapshot.hostError ?? 'it crashed too often'}`
    : `${STATE_LABEL[status]}${snapshot.accounts.length ? '' : ' — no accounts yet'}`;
  const menu: TrayMenuItem[] = [{ id: 'status', type: 'normal', label: statusLine, enabled: false }];
  if (failed) menu.push(item('retry', 'Try again', { kind: 'retry' }));
  menu.push(
    sep('sep-1'),
    item('sync-now', 'Sync now', { kind: 'sync-now' }, !paused && !failed && snapshot.accounts.length > 0),
    paused ? item('resume', 'Resume', { kind: 'resume' }) : item('pause', 'Pause', { kind: 'pause' }, !failed),
    sep('sep-2'),
  );
  if (snapshot.accounts.length > 0) {
    menu.push({ id: 'accounts', type: 'submenu', label: 'Accounts', submenu: snapshot.accounts.map((a) => accountItem(a, now)) });
  }
  menu.push(item('add-account', 'Add account…', { kind: 'add-account' }));
  if (hasErrors) menu.push(item('show-errors', 'Show errors', { kind: 'show-errors' }));
  menu.push(
    sep('sep-3'),
    item('preferences', 'Preferences…', { kind: 'preferences' }),
    item('show-log', 'Show log', { kind: 'show-log' }),
    sep('sep-4'),
    item('quit', 'Quit', { kind: 'quit' }),
  );
  return menu;
}

/** Every item of a template, depth first (for lookups and tests). */
export function flattenMenu(items: TrayMenuItem[]): TrayMenuItem[] {
  return items.flatMap((i) => [i, ...(i.submenu ? flattenMenu(i.submenu) : [])]);
}
