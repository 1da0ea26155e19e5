// The one status view of the app (window and tray alike): folds the engine port's events
// (account-state, folder-state, progress, error, and the host's own life) into the bridge's
// StatusView (accounts with per-folder rows and progress) and pushes it coalesced: state
// transitions at once, progress at most every intervalMs, always ending with the latest view.
// It never drives the engine and holds no secret.

import type { AccountView, FolderView, HostState, StatusView } from '../contract/bridge-contract.js';
import type { EnginePort } from './engine-port.js';

export interface AggregatorOptions {
  intervalMs?: number;
  clock?: () => number;
}

export class StatusAggregator {
  private readonly accounts = new Map<string, AccountView>();
  private order: string[] = [];
  private host: HostState = 'starting';
  private hostError: string | undefined;
  private pausedAll = false;
  private readonly listeners = new Set<(s: StatusView) => void>();
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(engine: Pick<EnginePort, 'on'>, opts: AggregatorOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.clock = opts.clock ?? Date.now;
    this.unsubscribe.push(
      engine.on('account-state', (e) => {
        const a = this.account(e.account);
        a.state = e.state;
        if (e.lastSync !== undefined) a.lastSync = e.lastSync;
        if (e.error !== undefined) a.error = e.error;
        else if (e.state === 'idle' || e.state === 'syncing') delete a.error;
        if (e.state === 'syncing') for (const f of a.folders) { delete f.progress; delete f.error; }
        if (e.state !== 'syncing') { delete a.progress; for (const f of a.folders) delete f.progress; }
        this.changed(true);
      }),
      engine.on('folder-state', (e) => {
        const f = this.folder(e.account, e.folder);
        // The engine's 'skipped' = unchanged since the last sync (not opened): up to date.
        f.state = e.state === 'skipped' ? 'synced' : e.state;
        if (f.state === 'synced') { f.lastSync = this.clock(); delete f.error; }
        if (e.state !== 'syncing') delete f.progress;
        this.changed(true);
      }),
      engine.on('progress', (e) => {
        const p = { messagesDone: e.messagesDone, messagesTotal: e.messagesTotal ?? 0, bytesDone: e.bytesDone, bytesTotal: e.bytesTotal ?? 0 };
        this.account(e.account).progress = { ...p, folder: e.folder };
        this.folder(e.account, e.folder).progress = p;
        this.changed(false);
      }),
      engine.on('error', (e) => {
        if (!e.account) return;
        if (e.folder) {
          const f = this.folder(e.account, e.folder);
          f.state = 'error';
          f.error = e.message;
        } else this.account(e.account).error = e.message;
        this.changed(true);
      }),
      engine.on('host', (e) => this.setHost(e.state, e.error)),
    );
  }

  /** The accounts shown, in this order (from the configuration); others are dropped. */
  setAccounts(names: string[], localfolders: Record<string, string | undefined> = {}): void {
    this.order = [...names];
    for (const k of [...this.accounts.keys()]) if (!names.includes(k)) this.accounts.delete(k);
    for (const n of names) {
      const a = this.account(n);
      const lf = localfolders[n];
      if (lf) a.localfolders = lf; else delete a.localfolders;
    }
    this.changed(true);
  }

  setHost(state: HostState, error?: string): void {
    this.host = state;
    this.hostError = error;
    // An engine that is gone syncs nothing: what it was doing ends with it.
    if (state !== 'ready') {
      for (const a of this.accounts.values()) {
        if (a.state === 'syncing') a.state = 'idle';
        delete a.progress;
        for (const f of a.folders) { if (f.state === 'syncing') f.state = 'idle'; delete f.progress; }
      }
    }
    this.changed(true);
  }

  /** Pause of all (the tray's Pause / Resume). */
  setPaused(all: boolean): void {
    this.pausedAll = all;
    this.changed(true);
  }

  /** A fresh copy of the current view. */
  view(): StatusView {
    const accounts = this.order.filter((n) => this.accounts.has(n)).map((n) => structuredClone(this.accounts.get(n)!));
    return { host: this.host, ...(this.hostError ? { hostError: this.hostError } : {}), paused: this.pausedAll, accounts };
  }

  onStatus(fn: (s: StatusView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private account(name: string): AccountView {
    let a = this.accounts.get(name);
    if (!a) {
      a = { account: name, state: 'idle', folders: [] };
      this.accounts.set(name, a);
      if (!this.order.includes(name)) this.order.push(name);
    }
    return a;
  }

  private folder(account: string, name: string): FolderView {
    const a = this.account(account);
    let f = a.folders.find((x) => x.name === name);
    if (!f) {
      f = { name, state: 'idle' };
      a.folders.push(f);
    }
    return f;
  }

  private changed(transition: boolean): void {
    if (transition || this.clock() - this.last >= this.intervalMs) return this.flush();
    if (!this.timer) {
      this.timer = setTimeout(() => { this.timer = undefined; this.flush(); }, Math.max(0, this.last + this.intervalMs - this.clock()));
      this.timer.unref();
    }
  }

  private flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.last = this.clock();
    if (!this.listeners.size) return;
    const v = this.view();
    for (const fn of this.listeners) fn(v);
  }
}
