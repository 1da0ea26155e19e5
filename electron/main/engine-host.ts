// The engine host: implements EnginePort for the shell by running the engine in a child process
// (spawned through an injected SpawnEngine), speaking the validated protocol, waiting for the
// ready handshake, answering secret requests on demand, supervising crashes (backoff, crash
// budget, retry) and stopping cleanly (ask, deadline, kill). It imports only types from core/
// (plus the dependency-free config model) and never opens the status database or logs a secret.

import type { ImapRepositoryConfig, SatchelConfig } from '../../core/config/model.js';
import type { AccountSnapshot, EngineNotice, EnginePort, EngineSnapshot, HostState } from '../shared/engine-port.js';
import {
  PROTOCOL_VERSION, decodeFromEngine, redactConfig, type EngineEvent, type EngineOp, type FromEngine, type ToolName,
} from '../shared/engine-protocol.js';
import type { SatchelBridge } from '../../core/contract/bridge-contract.js';
import { validateConfig } from '../../core/config/model.js';
import type { EngineChild, SpawnEngine } from './engine-child.js';
import { createCoalescer } from './status-coalescer.js';
import { createSupervisor, type SupervisorOptions } from './supervisor.js';

export interface EngineHostOptions {
  spawn: SpawnEngine;
  config: SatchelConfig;
  /** Resolves an IMAP repository's password (keyring, prompt, inline...) when the engine asks. */
  getSecret: (repo: ImapRepositoryConfig) => Promise<string>;
  /** Run the engine's schedule (sync now, then every autorefresh) after each ready; default true. */
  autostart?: boolean;
  readyTimeoutMs?: number;
  secretTimeoutMs?: number;
  supervisor?: SupervisorOptions;
  coalesceMs?: number;
  now?: () => number;
}

export interface EngineLogLine { level: 'error' | 'info' | 'debug'; account?: string; message: string }

export interface EngineHost extends EnginePort {
  /** Starts the engine process; resolves at the first ready handshake. */
  start(): Promise<void>;
  /** The engine process's id while one runs (diagnostics, tests). */
  pid(): number | undefined;
  onLog(fn: (l: EngineLogLine) => void): () => void;
  /** Runs one of the bridge's account-setup tools in the engine process; resolves with its result. */
  tool<N extends ToolName>(name: N, ...args: Parameters<SatchelBridge[N]>): ReturnType<SatchelBridge[N]>;
}

interface Pending { resolve: (stopped?: boolean, value?: unknown) => void; reject: (e: Error) => void }

export function createEngineHost(opts: EngineHostOptions): EngineHost {
  const now = opts.now ?? Date.now;
  const supervisor = createSupervisor(opts.supervisor);
  let config = opts.config;
  let host: HostState = 'stopped';
  let hostError: string | undefined;
  const accounts = new Map<string, AccountSnapshot>();
  let child: EngineChild | undefined;
  let generation = 0;
  let isReady = false;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let readyTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** What the app paused, handed to every new engine so that a restart does not resume syncing. */
  let pausedAll = false;
  const pausedAccounts = new Set<string>();
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let exitWaiters: Array<() => void> = [];
  const snapshotFns = new Set<(s: EngineSnapshot) => void>();
  const noticeFns = new Set<(n: EngineNotice) => void>();
  const logFns = new Set<(l: EngineLogLine) => void>();

  const call = <T>(fns: Set<(v: T) => void>, v: T) => {
    for (const fn of fns) { try { fn(v); } catch { /* a listener's failure is not the engine's */ } }
  };
  const snapshot = (): EngineSnapshot => ({
    host, ...(hostError ? { hostError } : {}),
    accounts: [...accounts.values()].map((a) => ({ ...a, ...(a.progress ? { progress: { ...a.progress } } : {}) })),
  });
  const coalescer = createCoalescer<EngineSnapshot>({
    intervalMs: opts.coalesceMs, now,
    setTimer: (fn, ms) => setTimeout(fn, ms), clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
    deliver: (s) => call(snapshotFns, s),
  });
  const changed = (transition: boolean) => coalescer.push(snapshot(), transition);
  const log = (level: EngineLogLine['level'], message: string) => call(logFns, { level, message });

  const syncAccountList = () => {
    const names = new Set(config.accounts.map((a) => a.name));
    for (const n of [...accounts.keys()]) if (!names.has(n)) accounts.delete(n);
    for (const n of names) if (!accounts.has(n)) accounts.set(n, { account: n, state: 'idle' });
  };
  syncAccountList();

  const setHost = (state: HostState, error?: string) => {
    host = state;
    hostError = error;
    changed(true);
  };
  const settleWaiters = (err?: Error) => {
    const ws = waiters;
    waiters = [];
    for (const w of ws) err ? w.reject(err) : w.resolve();
  };
  const whenReady = () => new Promise<void>((resolve, reject) => {
    if (isReady) return resolve();
    if (host === 'failed' || host === 'stopped') return reject(new Error(hostError ?? `The engine is ${host}.`));
    waiters.push({ resolve, reject });
  });

  function launch(state: 'starting' | 'restarting', why?: string): void {
    const gen = ++generation;
    isReady = false;
    setHost(state, why);
    let c: EngineChild;
    try {
      c = opts.spawn();
    } catch (e) {
      return crashed(gen, `the engine could not be started: ${e instanceof Error ? e.message : String(e)}`);
    }
    child = c;
    readyTimer = setTimeout(() => {
      if (gen !== generation) return;
      log('error', 'the engine did not report ready in time; killing it');
      c.kill();
    }, opts.readyTimeoutMs ?? 20_000);
    c.onMessage((raw) => {
      if (gen !== generation) return;
      let m: FromEngine;
      try {
        m = decodeFromEngine(raw);
      } catch (e) {
        log('error', e instanceof Error ? e.message : String(e));
        return;
      }
      receive(m, c);
    });
    c.onExit((code, signal) => {
      if (gen !== generation) return;
      clearTimeout(readyTimer);
      child = undefined;
      isReady = false;
      for (const p of pending.values()) p.reject(new Error('The engine process exited before it replied.'));
      pending.clear();
      for (const a of accounts.values()) if (a.state === 'syncing') { a.state = 'idle'; delete a.progress; }
      const ws = exitWaiters;
      exitWaiters = [];
      if (stopping) {
        if (host !== 'failed') setHost('stopped');
        settleWaiters(new Error('The engine was stopped.'));
      } else {
        crashed(gen, `the engine stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`);
      }
      for (const w of ws) w();
    });
  }

  function crashed(gen: number, why: string): void {
    if (gen !== generation) return;
    log('error', why);
    const d = supervisor.crashed(now());
    if (d.action === 'fail') {
      const msg = `The engine crashed ${d.crashes} times in a few minutes: ${why}. Press "Try again" to restart it.`;
      setHost('failed', msg);
      settleWaiters(new Error(msg));
      return;
    }
    setHost('restarting', `${why}; restarting in ${(d.delayMs / 1000).toFixed(1)} s`);
    restartTimer = setTimeout(() => { restartTimer = undefined; launch('restarting', why); }, d.delayMs);
  }

  function receive(m: FromEngine, c: EngineChild): void {
    switch (m.t) {
      case 'hello':
        if (m.v !== PROTOCOL_VERSION) {
          stopping = true; // a version mismatch will not heal by restarting
          c.kill();
          supervisor.reset();
          const msg = `The engine speaks protocol version ${m.v}, the app ${PROTOCOL_VERSION}: reinstall Satchel.`;
          setHost('failed', msg);
          settleWaiters(new Error(msg));
          return;
        }
        c.send({ t: 'init', v: PROTOCOL_VERSION, config: redactConfig(config), autostart: opts.autostart ?? true,
          secretTimeoutMs: opts.secretTimeoutMs ?? 60_000, paused: { all: pausedAll, accounts: [...pausedAccounts] } });
        return;
      case 'ready':
        clearTimeout(readyTimer);
        isReady = true;
        setHost('ready');
        settleWaiters();
        return;
      case 'reply': {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.stopped, m.value);
        else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
        return;
      }
      case 'secret-req':
        void answerSecret(m.id, m.repository, c);
        return;
      case 'event':
        return onEvent(m.event);
    }
  }

  async function answerSecret(id: number, repository: string, c: EngineChild): Promise<void> {
    const repo = config.accounts.flatMap((a) => [a.remote, a.local])
      .find((r): r is ImapRepositoryConfig => r.type === 'imap' && r.name === repository);
    if (!repo) return c.send({ t: 'secret-reply', id, ok: false, error: `No IMAP repository named "${repository}" in the configuration.` });
    try {
      c.send({ t: 'secret-reply', id, ok: true, secret: await opts.getSecret(repo) });
    } catch (e) {
      c.send({ t: 'secret-reply', id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  function onEvent(ev: EngineEvent): void {
    switch (ev.name) {
      case 'account-state': {
        const d = ev.data;
        const prev = accounts.get(d.account);
        const next: AccountSnapshot = { account: d.account, state: d.state,
          ...(d.lastSync !== undefined ? { lastSync: d.lastSync } : prev?.lastSync !== undefined ? { lastSync: prev.lastSync } : {}),
          ...(d.error && ['error', 'auth-required', 'offline'].includes(d.state) ? { error: d.error } : {}) };
        accounts.set(d.account, next);
        if (d.state === 'auth-required' && prev?.state !== 'auth-required') {
          call(noticeFns, { kind: 'auth-required', account: d.account, message: d.error ?? 'The server refused the password.' });
        }
        return changed(prev?.state !== d.state);
      }
      case 'progress': {
        const d = ev.data;
        const a = accounts.get(d.account);
        if (!a || a.state !== 'syncing') return;
        a.progress = { folder: d.folder, messagesDone: d.messagesDone, messagesTotal: d.messagesTotal ?? d.messagesDone,
          bytesDone: d.bytesDone, bytesTotal: d.bytesTotal ?? d.bytesDone };
        return changed(false);
      }
      case 'folder-state': {
        const n = ev.data.state === 'synced' ? ev.data.summary?.['copy-to-near'] ?? 0 : 0;
        if (n > 0) call(noticeFns, { kind: 'new-mail', account: ev.data.account, folder: ev.data.folder, count: n,
          message: `${n} new message${n === 1 ? '' : 's'} in ${ev.data.folder}` });
        return;
      }
      case 'error':
        if (ev.data.scope !== 'message' && ev.data.code !== 'auth-failed') {
          call(noticeFns, { kind: 'error', account: ev.data.account ?? '', ...(ev.data.folder ? { folder: ev.data.folder } : {}), message: ev.data.message });
        }
        return call(logFns, { level: 'error', ...(ev.data.account ? { account: ev.data.account } : {}), message: ev.data.message });
      case 'log':
        return call(logFns, ev.data);
    }
  }

  async function request(op: EngineOp, extra: { account?: string; config?: SatchelConfig; deadlineMs?: number } = {}): Promise<boolean | undefined> {
    await whenReady();
    const c = child;
    if (!c) throw new Error('The engine is not running.');
    const id = nextId++;
    return new Promise<boolean | undefined>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      c.send({ t: 'req', id, op, ...extra });
    });
  }

  async function toolRequest(name: ToolName, args: unknown[]): Promise<unknown> {
    await whenReady();
    const c = child;
    if (!c) throw new Error('The engine is not running.');
    const id = nextId++;
    return new Promise<unknown>((resolve, reject) => {
      pending.set(id, { resolve: (_s, value) => resolve(value), reject });
      c.send({ t: 'tool', id, name, args });
    });
  }

  const exited = (ms: number) => new Promise<boolean>((resolve) => {
    if (!child) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    exitWaiters.push(() => { clearTimeout(t); resolve(true); });
  });

  async function stopEngine(deadlineMs: number): Promise<void> {
    stopping = true;
    if (restartTimer) { clearTimeout(restartTimer); restartTimer = undefined; }
    const c = child;
    if (!c) {
      if (host !== 'failed') setHost('stopped');
      settleWaiters(new Error('The engine was stopped.'));
      return;
    }
    const start = now();
    if (!isReady) {
      log('info', 'the engine is not initialised yet (nothing runs, nothing to finish): killing it');
      c.kill();
      await exited(5_000);
      return;
    }
    isReady = false; // later requests wait, then fail when the engine is gone
    // The engine gets most of the deadline to reach a safe point; the rest is for exiting.
    const id = nextId++;
    pending.set(id, { resolve: () => undefined, reject: () => undefined });
    c.send({ t: 'req', id, op: 'stop', deadlineMs: Math.max(0, Math.floor(deadlineMs * 0.8)) });
    if (await exited(Math.max(0, deadlineMs - (now() - start)))) return;
    log('error', `the engine did not stop within ${deadlineMs} ms; killing it`);
    c.kill();
    await exited(5_000);
  }

  let stopInProgress: Promise<void> | undefined;

  const port: EngineHost = {
    async start() {
      if (host === 'failed') return port.retry();
      if (child || host === 'restarting') return whenReady();
      stopping = false;
      launch('starting');
      return whenReady();
    },
    pid: () => child?.pid,
    async syncNow(account) { await request('syncNow', account ? { account } : {}); },
    async pause(account) {
      await request('pause', account ? { account } : {});
      if (account) pausedAccounts.add(account); else pausedAll = true;
    },
    async resume(account) {
      await request('resume', account ? { account } : {});
      if (account) pausedAccounts.delete(account); else pausedAll = false;
    },
    async wake() { await request('wake'); },
    async reconfigure(next) {
      const problems = validateConfig(next);
      if (problems.length) throw new Error(`Invalid configuration: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      config = next;
      syncAccountList();
      changed(true);
      if (isReady) await request('reconfigure', { config: redactConfig(next) });
    },
    async retry() {
      if (host !== 'failed') return whenReady();
      supervisor.reset();
      stopping = false;
      launch('starting');
      return whenReady();
    },
    stop(deadlineMs) {
      // Quit may ask twice: the second caller waits for the first stop, it does not kill early.
      stopInProgress ??= stopEngine(deadlineMs).finally(() => { stopInProgress = undefined; });
      return stopInProgress;
    },
    tool: ((name: ToolName, ...args: unknown[]) => toolRequest(name, args)) as EngineHost['tool'],
    snapshot,
    onSnapshot(fn) { snapshotFns.add(fn); return () => { snapshotFns.delete(fn); }; },
    onNotice(fn) { noticeFns.add(fn); return () => { noticeFns.delete(fn); }; },
    onLog(fn) { logFns.add(fn); return () => { logFns.delete(fn); }; },
  };
  return port;
}
