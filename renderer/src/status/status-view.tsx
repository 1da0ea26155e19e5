// The status view: the app's overall state, then per account its state, last sync, the
// progress of the sync under way (messages and bytes, with a bar), the last error and what to
// do, Sync now / Pause / Resume / Remove (the mail is kept), and its folders with their own
// state. Wording in status-format.ts.

import { useState } from 'react';
import type { AccountView, SatchelBridge, StatusView as Status } from '../../../core/contract/bridge-contract.js';
import type { DesktopExtras } from '../bridge/pick-bridge.js';
import {
  accountLabel, folderLabel, hostLabel, progressFraction, progressText, relativeTime,
} from './status-format.js';
import { appState } from '../../../core/contract/account-states.js';

export interface StatusViewProps {
  bridge: SatchelBridge;
  desktop?: DesktopExtras;
  status?: Status;
  now: number;
  focus?: string;
  onEditRules(account: string): void;
  onEdit(account: string): void;
  onAction(fn: () => Promise<unknown>): void;
}

function ProgressBar({ value, label }: { value?: number; label: string }) {
  return value === undefined ? <progress aria-label={label} /> : <progress aria-label={label} max={1} value={value} />;
}

function AccountCard({ a, now, props }: { a: AccountView; now: number; props: StatusViewProps }) {
  const { bridge, desktop, onAction } = props;
  const [removing, setRemoving] = useState(false);
  const titleId = `account-${a.account}`;
  return (
    <article className={`account state-${a.state}`} aria-labelledby={titleId} data-account={a.account} data-state={a.state}>
      <header>
        <h3 id={titleId}>{a.account}</h3>
        <span className={`badge badge-${a.state}`} data-testid="account-state">{accountLabel(a)}</span>
        <span className="when">Last sync: {relativeTime(a.lastSync, now)}</span>
      </header>
      {a.progress && (
        <div className="progress">
          <ProgressBar value={progressFraction(a.progress)} label={`Progress of ${a.account}`} />
          <span>{a.progress.folder ? `${a.progress.folder}: ` : ''}{progressText(a.progress)}</span>
        </div>
      )}
      {a.error && <p className="error" role="alert">{a.error}</p>}
      {a.state === 'auth-required' && <p className="help">If the password changed (or an app password was revoked), press <strong>Sign in again…</strong> and type the new one.</p>}
      <div className="actions">
        <button type="button" onClick={() => onAction(() => bridge.syncNow(a.account))} disabled={a.state === 'syncing'}>Sync now</button>
        {a.state === 'paused'
          ? <button type="button" onClick={() => onAction(() => bridge.resume(a.account))}>Resume</button>
          : <button type="button" onClick={() => onAction(() => bridge.pause(a.account))}>Pause</button>}
        <button type="button" className={a.state === 'auth-required' ? 'primary' : ''} onClick={() => props.onEdit(a.account)}>
          {a.state === 'auth-required' ? 'Sign in again…' : 'Edit account…'}
        </button>
        <button type="button" onClick={() => props.onEditRules(a.account)}>Folder rules…</button>
        {desktop && a.localfolders && <button type="button" onClick={() => onAction(() => desktop.openFolder(a.account))}>Open mail folder</button>}
        <button type="button" onClick={() => setRemoving(true)} aria-expanded={removing}>Remove account…</button>
      </div>
      {removing && (
        <div className="confirm" role="group" aria-label={`Remove ${a.account}`}>
          <p>Stop syncing {a.account} and forget its password? Its mail stays on the server{a.localfolders ? <> and in <code>{a.localfolders}</code></> : null}.</p>
          <button type="button" className="danger" onClick={() => onAction(() => bridge.removeAccount(a.account))}>Remove {a.account}</button>
          <button type="button" onClick={() => setRemoving(false)}>Cancel</button>
        </div>
      )}
      {a.localfolders && <p className="help">Mail folder: <code>{a.localfolders}</code></p>}
      {a.folders.length > 0 && (
        <table className="folders">
          <caption className="visually-hidden">Folders of {a.account}</caption>
          <thead><tr><th scope="col">Folder</th><th scope="col">State</th><th scope="col">Last sync</th></tr></thead>
          <tbody>
            {a.folders.map((f) => (
              <tr key={f.name} className={`folder-${f.state}`}>
                <td>{f.name}</td>
                <td>
                  {folderLabel(f)}
                  {f.progress && <> <ProgressBar value={progressFraction(f.progress)} label={`Progress of ${f.name}`} /> {progressText(f.progress)}</>}
                  {f.error && <span className="error"> {f.error}</span>}
                </td>
                <td>{relativeTime(f.lastSync, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

export function StatusView(props: StatusViewProps) {
  const { status, bridge, desktop, now, onAction } = props;
  if (!status) return <p role="status">Loading…</p>;
  const host = hostLabel(status);
  // The same state, by the same precedence, as the tray's icon and status line.
  const overall = appState(status);
  const allPaused = !!status.paused || (status.accounts.length > 0 && status.accounts.every((a) => a.state === 'paused'));
  const accounts = props.focus ? [...status.accounts].sort((a, b) => Number(b.account === props.focus) - Number(a.account === props.focus)) : status.accounts;
  return (
    <section className="status" aria-labelledby="status-title">
      <div className="status-head">
        <h2 id="status-title">Status</h2>
        <span className={`badge badge-${overall}`}>{status.accounts.length ? accountLabel({ state: overall, lastSync: status.accounts.every((a) => a.lastSync) ? 1 : undefined }) : 'No accounts'}</span>
        <div className="actions">
          <button type="button" onClick={() => onAction(() => bridge.syncNow())} disabled={!status.accounts.length}>Sync all now</button>
          {allPaused
            ? <button type="button" onClick={() => onAction(() => bridge.resume())}>Resume all</button>
            : <button type="button" onClick={() => onAction(() => bridge.pause())} disabled={!status.accounts.length}>Pause all</button>}
        </div>
      </div>
      {host && (
        <div className="error" role="alert">
          {host}
          {status.host === 'failed' && desktop && <button type="button" onClick={() => onAction(() => desktop.retry())}>Try again</button>}
        </div>
      )}
      {accounts.map((a) => <AccountCard key={a.account} a={a} now={now} props={props} />)}
    </section>
  );
}
