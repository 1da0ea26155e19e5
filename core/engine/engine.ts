// createEngine(deps): the one engine API shared by the command line, the desktop shell's
// utility process and browser mode. It owns the running syncs (one per account at a time),
// pause/resume, stop with a deadline, and turns SyncErrors into events. It never imports
// Electron, never prints, and receives everything from outside (paths, secrets, clock) in deps.
// Pause has two independent levels: pause() holds every account, pause(account) one; an account
// syncs only when neither holds it, so resume(account) under pause() leaves it paused (and
// resume() leaves accounts paused one by one paused). A paused account's state is 'paused'.

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
import { windowStart } from '../sync/message-filter.js';
import { runSyncHook, type HookContext } from './sync-hooks.js';
import { Mbnames } from '../mbnames/mbnames.js';
import { Scheduler, type AccountSchedule, type SyncOutcome } from '../scheduler/scheduler.js';
import { acquireAccountLock, type AccountLock } from './account-lock.js';
import { startIdleWatchers, type IdleWatchers } from './idle-watchers.js';
import type { IdleWatcher } from '../scheduler/idle-watcher.js';

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
  /** Quick sync (-q, or the scheduler between full syncs): flag changes of existing messages wait for a full sync. */
  quick?: boolean;
}

export interface AccountReport {
  account: string;
  result?: AccountSyncResult;
  errors: SyncError[];
}

export interface Engine {
  /**
   * Starts the scheduler (core/scheduler): every account is synced now, then again every
   * `autorefresh` minutes (with `quick` quick syncs between full ones) until stop() or drain();
   * accounts without autorefresh are synced once, then only on request. While the schedule runs,
   * every IMAP account's idlefolders (INBOX by default) are watched with IDLE, each change syncing
   * its folder. Resolves when every account's first sync has finished.
   */
  start(): Promise<void>;
  /** A sync of just these folders of one account (IDLE saw a change); queued if it is syncing. */
  syncFolders(account: string, folders: string[]): void;
  /** Interrupts the scheduler's waits and syncs every account now (resume from suspend, back online). */
  wake(reason: string): void;
  /** The scheduler's view of every account (empty before start()). */
  schedule(): AccountSchedule[];
  /** The IDLE watchers of the running schedule (empty when it does not run). */
  idleWatchers(): readonly IdleWatcher[];
  /** Schedules nothing more and resolves when the syncs under way have finished (no abort). */
  drain(): Promise<void>;
  /** Skips paused accounts (see the header): their reports are missing, nothing is synced for them. */
  syncNow(req?: SyncRequest): Promise<AccountReport[]>;
  /**
   * Holds all accounts, or just this one (an unknown name throws unknown-account): no scheduled,
   * sync-now or IDLE sync starts for it; a sync under way is not interrupted and runs to its end.
   */
  pause(account?: string): void;
  /** Undoes pause() or pause(account); the account is back to 'idle' unless the other level still holds it. */
  resume(account?: string): void;
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
  /** Accounts paused one by one (pause(account)); `paused` holds them all. */
  const pausedAccounts = new Set<string>();
  const isPaused = (account: string) => paused || pausedAccounts.has(account);
  /** The state an account returns to after a sync, or on resume. */
  const restingState = (account: string): AccountState => (isPaused(account) ? 'paused' : running.has(account) ? 'syncing' : 'idle');
  let abort = new AbortController();

  const setState = (account: string, state: AccountState, extra: { lastSync?: number; error?: string } = {}) => {
    states[account] = state;
    hub.emit('account-state', { account, state, ...extra });
  };

  const reportError = (e: SyncError) => hub.emit('error', {
    account: e.account, folder: e.folder, scope: e.scope, retry: e.retry, code: e.code, message: e.message,
  });

  const stateDirOf = () => deps.stateDir ?? config.general.metadata;

  async function runAccount(account: AccountConfig, req: SyncRequest, mbnames?: Mbnames): Promise<AccountReport> {
    const errors: SyncError[] = [];
    const factory = deps.storeFactory ?? ((a: AccountConfig, side: 'far' | 'near') =>
      createStore(side === 'far' ? a.remote : a.local, deps.getSecret, { fsync: config.general.fsync }));
    const far = factory(account, 'far');
    const near = factory(account, 'near');
    const dbFile = path.join(stateDirOf(), `${safeFileName(account.name)}.sqlite`);
    const firstRun = !fs.existsSync(dbFile);
    let db: StatusDb | undefined;
    let lock: AccountLock | undefined;
    setState(account.name, 'syncing');
    const hookCtx: HookContext = { account: account.name, dryRun: !!req.dryRun, signal: abort.signal, error: reportError,
      log: (level, message) => hub.emit('log', { level, account: account.name, message }) };
    try {
      if (!req.dryRun) {
        lock = acquireAccountLock(stateDirOf(), safeFileName(account.name),
          { log: (message) => hub.emit('log', { level: 'info', account: account.name, message }) });
      }
      await runSyncHook('presynchook', account.presynchook, hookCtx);
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
        setState(account.name, isPaused(account.name) ? 'paused' : 'idle');
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
          // Like OfflineIMAP, a message window (maxage, startdate) turns quick syncs into full ones.
          quick: !!req.quick && windowStart(account, clock()) === undefined,
          filter: { since: windowStart(account, clock()), maxSize: account.maxsize },
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
      if (mbnames && !req.folders) mbnames.afterAccount(account.name, local.type === 'maildir' ? local.localfolders : '', result.folders.map((f) => f.nearName), !!req.dryRun);
      await runSyncHook('postsynchook', account.postsynchook, hookCtx);
      setState(account.name, errors.length ? 'error' : isPaused(account.name) ? 'paused' : 'idle', { lastSync: clock(), ...(errors[0] ? { error: errors[0].message } : {}) });
      return { account: account.name, result, errors };
    } catch (e) {
      if (e instanceof Error && e.name === 'CrashError') throw e;
      const err = toSyncError(e, 'account', { account: account.name });
      errors.push(err);
      reportError(err);
      setState(account.name, NEEDS_SIGN_IN.includes(err.code) ? 'auth-required' : isOffline(err) ? 'offline' : 'error', { error: err.message });
      return { account: account.name, errors };
    } finally {
      await Promise.allSettled([far.close(), near.close()]);
      db?.close();
      lock?.release();
    }
  }

  let scheduler: Scheduler | undefined;
  const scheduledSync = async (account: string, o: { quick: boolean; folders?: string[] }): Promise<SyncOutcome> => {
    const [r] = await engine.syncNow({ account, quick: o.quick, folders: o.folders });
    if (!r) return { ok: false, offline: false, retry: 'later', error: 'paused' };
    const e = r.errors.find((x) => x.scope === 'account' || x.scope === 'fatal') ?? r.errors[0];
    if (!e) return { ok: true };
    // A lock held by another run (a one-shot timer, OfflineIMAP) is usually short: retry with backoff.
    return { ok: false, offline: isOffline(e), retry: e.code === 'account-locked' ? 'now' : e.retry, error: e.message };
  };

  let scheduling = false;
  let idle: IdleWatchers | undefined;
  /** IDLE follows the schedule: (re)started with it on the current accounts, stopped with it. */
  let idleChain: Promise<void> = Promise.resolve();
  const restartIdle = (on: boolean) => {
    idleChain = idleChain.then(async () => {
      const old = idle;
      idle = undefined;
      await old?.stop();
      if (on && scheduling) {
        idle = startIdleWatchers(config, deps.getSecret, (account, folder) => engine.syncFolders(account, [folder]),
          (level, message) => hub.emit('log', { level, message }));
      }
    });
    return idleChain;
  };
  hub.on('wake', (e) => idle?.reconnect(e.reason));
  const knownAccount = (name: string) => {
    if (config.accounts.some((a) => a.name === name)) return;
    throw new SyncError('unknown-account', `No account named "${name}" in the configuration. ` +
      `Known accounts: ${config.accounts.map((a) => a.name).join(', ') || 'none'}.`, { scope: 'fatal', retry: 'needs-user' });
  };

  const engine: Engine = {
    async start() {
      scheduling = true;
      if (scheduler) return;
      scheduler = new Scheduler({
        accounts: config.accounts.map((a) => ({ name: a.name, autorefresh: a.autorefresh, quick: a.quick })),
        sync: scheduledSync, now: clock,
        log: (message) => hub.emit('log', { level: 'info', message }),
        onClockJump: (reason) => hub.emit('wake', { reason }),
      });
      if (paused) scheduler.pause();
      for (const a of pausedAccounts) scheduler.pause(a);
      void restartIdle(true);
      await scheduler.start();
    },
    syncFolders(account, folders) {
      if (scheduler) scheduler.syncFolders(account, folders);
      else void engine.syncNow({ account, folders });
    },
    wake(reason) {
      // Every wait ends: the schedule syncs at once (or, without one, a sync now), IDLE reconnects.
      if (scheduler) scheduler.wake(reason);
      else void engine.syncNow().catch(() => { /* reported through error events */ });
      hub.emit('wake', { reason });
    },
    schedule: () => scheduler?.status() ?? [],
    idleWatchers: () => idle?.watchers ?? [],
    async drain() {
      // Forget the schedule first: a reconfigure meanwhile must neither restart it nor leave a new one untracked.
      scheduling = false;
      const s = scheduler;
      scheduler = undefined;
      await restartIdle(false);
      await s?.drain();
      await Promise.allSettled([...running.values()]);
    },
    async syncNow(req = {}) {
      if (paused) return [];
      if (req.account) knownAccount(req.account);
      const accounts = config.accounts.filter((a) => !req.account || a.name === req.account);
      const limit = Math.max(1, config.general.maxSyncAccounts);
      const reports: AccountReport[] = [];
      const mbnames = config.mbnames && new Mbnames(config.mbnames, stateDirOf(), { error: reportError,
        log: (level, message) => hub.emit('log', { level, message }) });
      let next = 0;
      const worker = async () => {
        while (next < accounts.length) {
          const a = accounts[next++]!;
          if (isPaused(a.name)) continue; // paused while the accounts before it synced
          const already = running.get(a.name);
          if (already) { reports.push(await already); continue; }
          const p = runAccount(a, req, mbnames).finally(() => running.delete(a.name));
          running.set(a.name, p);
          reports.push(await p);
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, accounts.length) }, worker));
      if (!req.folders) mbnames?.afterRun(!!req.dryRun);
      return reports;
    },
    pause(account) {
      if (account !== undefined) {
        knownAccount(account);
        pausedAccounts.add(account);
        scheduler?.pause(account);
        setState(account, 'paused');
        return;
      }
      paused = true;
      scheduler?.pause();
      for (const a of config.accounts) setState(a.name, 'paused');
    },
    resume(account) {
      if (account !== undefined) {
        // A name paused before a reconfigure removed it may still be resumed.
        if (!pausedAccounts.delete(account)) return knownAccount(account);
        scheduler?.resume(account);
        if (!paused) setState(account, restingState(account));
        return;
      }
      paused = false;
      scheduler?.resume();
      for (const a of config.accounts) if (!pausedAccounts.has(a.name)) setState(a.name, restingState(a.name));
    },
    async stop(deadlineMs = 10_000) {
      scheduling = false;
      const drained = scheduler?.drain();
      scheduler = undefined;
      const idleStopped = restartIdle(false);
      abort.abort();
      const all = Promise.allSettled([...running.values(), drained, idleStopped]).then(() => true);
      const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), deadlineMs).unref());
      const done = await Promise.race([all, timeout]);
      abort = new AbortController();
      return done;
    },
    reconfigure(next) {
      config = next;
      // A running schedule follows the new account list: the old one finishes its syncs first.
      const old = scheduler;
      if (!old) return;
      scheduler = undefined;
      void restartIdle(false);
      void old.drain().then(() => { if (scheduling && !scheduler) void engine.start(); });
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

export function isOffline(e: SyncError): boolean {
  return ['host-not-found', 'connection-refused', 'timeout', 'connection-lost', 'token-server-unreachable', 'server-unavailable'].includes(e.code);
}

/** Errors that only the person can fix by signing in (a wrong password, an OAuth2 session that ended). */
export const NEEDS_SIGN_IN = ['auth-failed', 'sign-in-ended'];

/** Account names become file names: keep them inside the state folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\./, '%2e');
}
