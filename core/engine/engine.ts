// createEngine(deps): the one engine API shared by the command line, the desktop shell's
// utility process and browser mode. It owns the running syncs (one per account at a time),
// pause/resume, stop with a deadline, and turns SyncErrors into events. It never imports
// Electron, never prints, and receives everything from outside (paths, secrets, clock) in deps.

import fs from 'node:fs';
import path from 'node:path';
import type { AccountConfig, SatchelConfig } from '../config/model.js';
import type { MailStore } from '../store/mail-store.js';
import { StatusDb } from '../status/status-db.js';
import { SyncError, toSyncError } from '../errors.js';
import { syncAccount, type AccountSyncResult } from '../sync/account-sync.js';
import { sideRulesOf } from '../sync/folder-plan.js';
import { MaildirStore } from '../maildir/maildir-store.js';
import { EventHub, type AccountState, type EngineEventName, type EngineEvents } from './engine-events.js';
import { createStore, type SecretGetter } from './store-factory.js';

export interface EngineDeps {
  config: SatchelConfig;
  getSecret: SecretGetter;
  /** Folder of the status databases; default: config.general.metadata. */
  stateDir?: string;
  clock?: () => number;
  /** Tests only: called after every applied effect (throw to simulate a kill). */
  afterEffect?: () => void;
  /** Builds stores; tests may substitute (e.g. memory stores). Default: from the config. */
  storeFactory?: (account: AccountConfig, side: 'far' | 'near') => MailStore;
}

export interface SyncRequest {
  account?: string;
  folders?: string[];
  dryRun?: boolean;
  allowMassDelete?: boolean;
}

export interface AccountReport {
  account: string;
  result?: AccountSyncResult;
  errors: SyncError[];
}

export interface Engine {
  /**
   * Syncs every account now and then again every `autorefresh` minutes (per account) until
   * stop(); accounts without autorefresh are synced once.
   */
  start(): Promise<void>;
  syncNow(req?: SyncRequest): Promise<AccountReport[]>;
  pause(): void;
  resume(): void;
  /** Asks running syncs to stop at the next safe point; resolves when they did or the deadline passed. */
  stop(deadlineMs?: number): Promise<boolean>;
  reconfigure(config: SatchelConfig): void;
  on<K extends EngineEventName>(name: K, fn: (e: EngineEvents[K]) => void): () => void;
  accountStates(): Record<string, AccountState>;
}

export function createEngine(deps: EngineDeps): Engine {
  let config = deps.config;
  const hub = new EventHub();
  const clock = deps.clock ?? Date.now;
  const running = new Map<string, Promise<AccountReport>>();
  const states: Record<string, AccountState> = {};
  let paused = false;
  let abort = new AbortController();

  const setState = (account: string, state: AccountState, extra: { lastSync?: number; error?: string } = {}) => {
    states[account] = state;
    hub.emit('account-state', { account, state, ...extra });
  };

  const reportError = (e: SyncError) => hub.emit('error', {
    account: e.account, folder: e.folder, scope: e.scope, retry: e.retry, code: e.code, message: e.message,
  });

  const stateDirOf = () => deps.stateDir ?? config.general.metadata;

  async function runAccount(account: AccountConfig, req: SyncRequest): Promise<AccountReport> {
    const errors: SyncError[] = [];
    const factory = deps.storeFactory ?? ((a: AccountConfig, side: 'far' | 'near') =>
      createStore(side === 'far' ? a.remote : a.local, deps.getSecret, { fsync: config.general.fsync }));
    const far = factory(account, 'far');
    const near = factory(account, 'near');
    const dbFile = path.join(stateDirOf(), `${safeFileName(account.name)}.sqlite`);
    const firstRun = !fs.existsSync(dbFile);
    let db: StatusDb | undefined;
    setState(account.name, 'syncing');
    try {
      db = new StatusDb(dbFile, { readonly: !!req.dryRun });
      if (near instanceof MaildirStore && account.local.type === 'maildir' && !req.dryRun && (firstRun || db.pairs().length === 0)) {
        // Only a first sync may create the Maildir root: later, a missing root means an
        // unmounted disk or a wrong path, and must not look like an empty mailbox.
        MaildirStore.createRoot(account.local.localfolders);
      }
      if (req.dryRun && account.local.type === 'maildir' && !fs.existsSync(account.local.localfolders)) {
        await far.connect();
        hub.emit('log', { level: 'info', account: account.name,
          message: `would create ${account.local.localfolders} and download every folder (dry run: nothing written)` });
        setState(account.name, 'idle');
        return { account: account.name, errors };
      }
      await Promise.all([far.connect(), near.connect()]);
      const remote = account.remote, local = account.local;
      const result = await syncAccount({
        account: account.name, far, near, db,
        options: {
          dryRun: !!req.dryRun,
          deleteOnNear: local.syncDeletes && remote.syncDeletes,
          deleteOnFar: remote.syncDeletes && (remote.type !== 'imap' || remote.expunge),
          farReadonly: remote.readonly,
          nearReadonly: local.readonly,
          massDeleteThreshold: req.allowMassDelete ? Infinity : 10,
        },
        createFolders: { far: remote.createFolders, near: local.createFolders },
        parallel: remote.type === 'imap' ? remote.maxConnections : 1,
        onlyFolders: req.folders,
        rules: { remote: sideRulesOf(remote, config.configFile), local: sideRulesOf(local, config.configFile), sort: remote.rules?.foldersort },
        afterEffect: deps.afterEffect,
        signal: abort.signal,
        events: {
          folderState: (e) => hub.emit('folder-state', { account: e.account, folder: e.folder, state: e.state,
            ...(e.result ? { summary: summaryOf(e.result.plan.ops) } : {}) }),
          progress: (e) => hub.emit('progress', { account: e.account, folder: e.folder, messagesDone: e.messages,
            messagesTotal: e.totalMessages, bytesDone: e.bytes, bytesTotal: e.totalBytes }),
          error: (e) => reportError(e),
          log: (level, message) => hub.emit('log', { level, account: account.name, message }),
        },
      });
      errors.push(...result.errors);
      setState(account.name, errors.length ? 'error' : 'idle', { lastSync: clock(), ...(errors[0] ? { error: errors[0].message } : {}) });
      return { account: account.name, result, errors };
    } catch (e) {
      if (e instanceof Error && e.name === 'CrashError') throw e;
      const err = toSyncError(e, 'account', { account: account.name });
      errors.push(err);
      reportError(err);
      setState(account.name, err.code === 'auth-failed' ? 'auth-required' : isOffline(err) ? 'offline' : 'error', { error: err.message });
      return { account: account.name, errors };
    } finally {
      await Promise.allSettled([far.close(), near.close()]);
      db?.close();
    }
  }

  const timers = new Set<NodeJS.Timeout>();
  let refreshing = false;
  const schedule = (account: AccountConfig) => {
    if (!account.autorefresh || !refreshing) return;
    const t = setTimeout(() => {
      timers.delete(t);
      void engine.syncNow({ account: account.name }).finally(() => schedule(account));
    }, account.autorefresh * 60_000);
    timers.add(t);
  };

  const engine: Engine = {
    async start() {
      refreshing = true;
      await engine.syncNow();
      for (const a of config.accounts) schedule(a);
    },
    async syncNow(req = {}) {
      if (paused) return [];
      const accounts = config.accounts.filter((a) => !req.account || a.name === req.account);
      if (req.account && !accounts.length) {
        throw new SyncError('unknown-account', `No account named "${req.account}" in the configuration. ` +
          `Known accounts: ${config.accounts.map((a) => a.name).join(', ') || 'none'}.`, { scope: 'fatal', retry: 'needs-user' });
      }
      const limit = Math.max(1, config.general.maxSyncAccounts);
      const reports: AccountReport[] = [];
      let next = 0;
      const worker = async () => {
        while (next < accounts.length) {
          const a = accounts[next++]!;
          const already = running.get(a.name);
          if (already) { reports.push(await already); continue; }
          const p = runAccount(a, req).finally(() => running.delete(a.name));
          running.set(a.name, p);
          reports.push(await p);
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, accounts.length) }, worker));
      return reports;
    },
    pause() {
      paused = true;
      for (const a of config.accounts) setState(a.name, 'paused');
    },
    resume() {
      paused = false;
      for (const a of config.accounts) setState(a.name, 'idle');
    },
    async stop(deadlineMs = 10_000) {
      refreshing = false;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      abort.abort();
      const all = Promise.allSettled([...running.values()]).then(() => true);
      const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), deadlineMs).unref());
      const done = await Promise.race([all, timeout]);
      abort = new AbortController();
      return done;
    },
    reconfigure(next) {
      config = next;
    },
    on: (name, fn) => hub.on(name, fn),
    accountStates: () => ({ ...states }),
  };
  return engine;
}

function summaryOf(ops: Array<{ kind: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of ops) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return out;
}

function isOffline(e: SyncError): boolean {
  return ['host-not-found', 'connection-refused', 'timeout', 'connection-lost'].includes(e.code);
}

/** Account names become file names: keep them inside the state folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\./, '%2e');
}
