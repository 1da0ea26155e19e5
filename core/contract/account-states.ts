// The one ranking and wording of account states, shared by the window (renderer/) and the tray
// (core/app/tray-status.ts): DESIGN.md's precedence auth-required > error > syncing > offline >
// paused > idle, each state's label, and the app's one state from a StatusView (a failed engine
// host is an error, a starting one counts as syncing). Pure; imports only the contract's types.

import type { AccountState, StatusView } from './bridge-contract.js';

/** Most urgent first. */
export const STATE_PRECEDENCE: readonly AccountState[] = ['auth-required', 'error', 'syncing', 'offline', 'paused', 'idle'];

export const STATE_LABEL: Record<AccountState, string> = {
  'auth-required': 'Sign-in needed',
  error: 'Error',
  syncing: 'Syncing…',
  offline: 'Offline',
  paused: 'Paused',
  idle: 'In sync',
};

/** The most urgent of `states`; idle when there are none. */
export function worstState(states: Iterable<AccountState>): AccountState {
  let best = STATE_PRECEDENCE.length - 1;
  for (const s of states) best = Math.min(best, STATE_PRECEDENCE.indexOf(s));
  return STATE_PRECEDENCE[best]!;
}

/** The app's one state: its accounts' worst, with the engine host's own trouble and the pause of all counted in. */
export function appState(view: Pick<StatusView, 'host' | 'accounts' | 'paused'>): AccountState {
  const states: AccountState[] = view.accounts.map((a) => a.state);
  if (view.host === 'failed') states.push('error');
  if (view.host === 'starting' || view.host === 'restarting') states.push('syncing');
  if (view.paused) states.push('paused');
  return worstState(states);
}
