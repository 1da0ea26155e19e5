// The interface's frame: which view is shown (the wizard first when there is no account), the
// navigation, the live status from the bridge, the account list, a clock for "2 minutes ago",
// the connection state in browser mode, and navigation asked for by the desktop tray.

import { useCallback, useEffect, useState } from 'react';
import type { AccountSummary, SatchelBridge, StatusView as Status } from '../../core/contract/bridge-contract.js';
import { errorText } from './bridge/call-error.js';
import type { DesktopExtras, DesktopView } from './bridge/pick-bridge.js';
import { AccountWizard } from './wizard/account-wizard.js';
import { StatusView } from './status/status-view.js';
import { AccountRules } from './rules/account-rules.js';
import { LogView } from './log/log-view.js';
import { PreferencesView } from './prefs/preferences-view.js';
import { ImportView } from './import/import-view.js';

export type View = 'status' | 'wizard' | 'edit' | 'rules' | 'log' | 'preferences' | 'import';

const NAV: Array<[View, string]> = [
  ['status', 'Status'], ['wizard', 'Add account'], ['rules', 'Folder rules'], ['log', 'Log'], ['preferences', 'Preferences'], ['import', 'Import'],
];

const FROM_DESKTOP: Record<DesktopView, View> = {
  accounts: 'status', account: 'status', errors: 'status', edit: 'edit', wizard: 'wizard', preferences: 'preferences', log: 'log',
};

export interface AppProps {
  bridge: SatchelBridge;
  desktop?: DesktopExtras;
  onConnection?: (fn: (connected: boolean) => void) => () => void;
}

export function App({ bridge, desktop, onConnection }: AppProps) {
  const [view, setView] = useState<View>();
  const [account, setAccount] = useState<string>();
  const [accounts, setAccounts] = useState<AccountSummary[]>();
  const [status, setStatus] = useState<Status>();
  const [now, setNow] = useState(Date.now());
  const [connected, setConnected] = useState(true);
  const [failure, setFailure] = useState<string>();

  const refreshAccounts = useCallback(() => bridge.listAccounts().then((list) => {
    setAccounts(list);
    setView((v) => v ?? (list.length ? 'status' : 'wizard'));
  }, (e: unknown) => setFailure(errorText(e))), [bridge]);

  useEffect(() => {
    void refreshAccounts();
    bridge.getStatus().then(setStatus, () => undefined);
    const offStatus = bridge.onStatus(setStatus);
    const offConn = onConnection?.((c) => { setConnected(c); if (c) void refreshAccounts(); });
    const offNav = desktop?.onNavigate((to) => { setView(FROM_DESKTOP[to.view] ?? 'status'); setAccount(to.account); });
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => { offStatus(); offConn?.(); offNav?.(); clearInterval(tick); };
  }, [bridge, desktop, onConnection, refreshAccounts]);

  // Accounts added or removed elsewhere (another window, the settings file) show up here.
  const statusNames = status?.accounts.map((a) => a.account).join('\n');
  useEffect(() => { if (statusNames !== undefined) void refreshAccounts(); }, [statusNames, refreshAccounts]);

  const onAction = (fn: () => Promise<unknown>) => { setFailure(undefined); fn().catch((e: unknown) => setFailure(errorText(e))); };
  const go = (v: View, acc?: string) => { setFailure(undefined); setView(v); setAccount(acc); };

  return (
    <div className="app">
      <header className="app-header">
        <h1>Satchel</h1>
        <nav aria-label="Main">
          {NAV.map(([v, label]) => (
            <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => go(v)}>{label}</button>
          ))}
        </nav>
      </header>
      {!connected && <p className="banner" role="status">The connection to Satchel was lost; reconnecting…</p>}
      {failure && <p className="banner error" role="alert">{failure}</p>}
      <main>
        {view === undefined && <p role="status">Loading…</p>}
        {view === 'wizard' && (
          <AccountWizard key={accounts?.length ?? 0} bridge={bridge} taken={(accounts ?? []).map((a) => a.name)}
            onDone={(name) => { void refreshAccounts(); go('status', name); }} onImport={() => go('import')} />
        )}
        {view === 'edit' && accounts?.some((a) => a.name === account) && (
          <AccountWizard key={`edit-${account}`} bridge={bridge} taken={accounts.map((a) => a.name)} existing={accounts.find((a) => a.name === account)}
            onDone={(name) => { void refreshAccounts(); go('status', name); }} onImport={() => go('import')} />
        )}
        {view === 'status' && (
          <StatusView bridge={bridge} desktop={desktop} status={status} now={now} focus={account}
            onEditRules={(name) => go('rules', name)} onEdit={(name) => go('edit', name)} onAction={onAction} />
        )}
        {view === 'rules' && <AccountRules bridge={bridge} accounts={accounts ?? []} account={account} onAccount={setAccount} />}
        {view === 'log' && <LogView bridge={bridge} />}
        {view === 'preferences' && <PreferencesView bridge={bridge} desktop={desktop} />}
        {view === 'import' && <ImportView bridge={bridge} />}
      </main>
    </div>
  );
}
