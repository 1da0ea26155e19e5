// How the status view words things, without React: each account and folder state in plain
// words ("In sync", "Sign-in needed"), times as "2 minutes ago", byte counts, the progress of
// a sync as text and a fraction for the progress bar (the app's one state and the state labels
// come from core/contract/account-states.ts, shared with the tray). Pure: no DOM, no clock of its own (callers pass `now`).

import type { AccountState, AccountView, FolderView, Progress, StatusView } from '../../../core/contract/bridge-contract.js';
import { STATE_LABEL } from '../../../core/contract/account-states.js';

/** "In sync" only once a sync has finished; before that an idle account is waiting for its first one. */
export function accountLabel(a: Pick<AccountView, 'state' | 'lastSync'>): string {
  if (a.state === 'idle' && !a.lastSync) return 'Waiting for the first sync';
  return STATE_LABEL[a.state];
}

const FOLDER_LABELS: Record<FolderView['state'], string> = {
  syncing: 'Syncing…', synced: 'In sync', skipped: 'Not synced (filtered)', error: 'Error', idle: 'Waiting',
};
export const folderLabel = (f: Pick<FolderView, 'state'>) => FOLDER_LABELS[f.state];


export function hostLabel(s: Pick<StatusView, 'host' | 'hostError'>): string | undefined {
  switch (s.host) {
    case 'ready': return undefined;
    case 'starting': return 'The sync engine is starting…';
    case 'restarting': return 'The sync engine stopped unexpectedly and is restarting…';
    case 'failed': return `The sync engine keeps failing${s.hostError ? `: ${s.hostError}` : ''}.`;
    case 'stopped': return 'The sync engine is stopped.';
  }
}

export function relativeTime(then: number | undefined, now: number): string {
  if (!then) return 'never';
  const s = Math.round((now - then) / 1000);
  if (s < 0) return 'just now';
  if (s < 10) return 'just now';
  if (s < 60) return `${s} seconds ago`;
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  const d = Math.round(h / 24);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** "12 of 40 messages, 1.2 MB of 3.4 MB" (totals left out when unknown). */
export function progressText(p: Progress): string {
  const msgs = p.messagesTotal > 0 ? `${p.messagesDone} of ${p.messagesTotal} messages` : `${p.messagesDone} messages`;
  const bytes = p.bytesTotal > 0 ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : formatBytes(p.bytesDone);
  return `${msgs}, ${bytes}`;
}

/** 0..1 for the progress bar, by bytes when known, else by messages; undefined when nothing is known. */
export function progressFraction(p: Progress): number | undefined {
  if (p.bytesTotal > 0) return Math.min(1, p.bytesDone / p.bytesTotal);
  if (p.messagesTotal > 0) return Math.min(1, p.messagesDone / p.messagesTotal);
  return undefined;
}
