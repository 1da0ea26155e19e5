// The engine host: implements EnginePort (core/app/engine-port.ts) by running the engine in a
// supervised child process. It composes one process lifetime at a time (engine-process.ts),
// requests with timeouts (engine-rpc.ts) and the crash budget (supervisor.ts); it re-emits the
// engine's events as they come, adds 'host' on each of its own transitions, answers secret
// requests on demand and keeps the app's pauses across restarts. It folds no status (the app
// service does), never opens the status database, and never logs or sends a secret unasked.

import type { ImapRepositoryConfig, SatchelConfig } from '../config/model.js';
import { validateConfig } from '../config/model.js';
import type { HostState } from '../contract/bridge-contract.js';
import { SyncError } from '../errors.js';
import type { EnginePort, PortEventName, PortEvents, ToolName } from '../app/engine-port.js';
import type { SpawnEngine } from './engine-child.js';
import { PROTOCOL_VERSION, redactConfig, type EngineOp, type FromEngine } from './engine-protocol.js';
import { startEngineProcess, type EngineProcess, type ProcessEnd } from './engine-process.js';
import { createEngineRpc, formatDuration, type RequestExtra, type RpcTimeouts } from './engine-rpc.js';
import { createSupervisor, type SupervisorOptions } from './supervisor.js';

export interface EngineHostOptions {
  spawn: SpawnEngine;
  /** Resolves an IMAP repository's password (keyring, prompt, inline...) when the engine asks. */
  getSecret: (repo: ImapRepositoryConfig, o?: { renew?: boolean }) => Promise<string>;
  /** Run the engine's schedule (first sync, autorefresh, IDLE) after each ready; default true. Tests drive syncs themselves. */
  autostart?: boolean;
  /** How long a new process has to say ready (default 20 s); then it is killed and counted as a crash. */
  readyTimeoutMs?: number;
  /** How long the engine waits for a secret before the account is auth-required (default 60 s). */
  secretTimeoutMs?: number;
  timeouts?: RpcTimeouts;
  supervisor?: SupervisorOptions;
  now?: () => number;
}

export interface EngineHost extends EnginePort {
  /** The engine process's id while one runs (diagnostics, tests). */
  pid(): number | undefined;
  /** The host's own state, as last emitted in a 'host' event. */
  state(): { state: HostState; error?: string };
}

type Listener = (e: never) => void;

export function createEngineHost(opts: EngineHostOptions): EngineHost {
  const now = opts.now ?? Date.now;
  const supervisor = createSupervisor(opts.supervisor);
  const listeners = new Map<PortEventName, Set<Listener>>();
  let config: SatchelConfig | undefined;
  /** The configuration the running engine has (init or the last reconfigure). */
  let sentConfig: SatchelConfig | undefined;
  let host: HostState = 'stopped';
  let hostError: string | undefined;
  let proc: EngineProcess | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  /** What the app paused, handed to every new engine so that a restart does not resume syncing. */
  let pausedAll = false;
  const pausedAccounts = new Set<string>();
  const rpc = createEngineRpc((m) => { if (!proc) throw new Error('The engine is not running.'); proc.send(m); }, opts.timeouts, now);

  function emit<K extends PortEventName>(name: K, e: PortEvents[K]): void {
    for (const fn of listeners.get(name) ?? []) {
      try { (fn as (e: PortEvents[K]) => void)(e); } catch { /* a listener's failure is not the engine's */ }
    }
  }
  const log = (level: 'error' | 'info', message: string) => emit('log', { level, message });
  const setHost = (state: HostState, error?: string) => {
    if (state === host && error === hostError) return;
    host = state;
    hostError = error;
    emit('host', error ? { state, error } : { state });
  };
  const settleWaiters = (err?: Error) => {
    const ws = waiters;
    waiters = [];
    for (const w of ws) err ? w.reject(err) : w.resolve();
  };
  const whenReady = () => new Promise<void>((resolve, reject) => {
    if (proc?.ready) return resolve();
    if (host === 'failed' || host === 'stopped') return reject(new Error(hostError ?? `The engine is ${host}.`));
    waiters.push({ resolve, reject });
  });
  const checked = (c: SatchelConfig) => {
    const problems = validateConfig(c);
    if (problems.length) throw new Error(`Invalid configuration: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    return c;
  };

  function launch(): void {
    const cfg = config!;
    const p: EngineProcess = startEngineProcess({
      spawn: opts.spawn,
      readyTimeoutMs: opts.readyTimeoutMs ?? 20_000,
      init: () => {
        sentConfig = config ?? cfg;
        return { t: 'init', v: PROTOCOL_VERSION, config: redactConfig(sentConfig), autostart: opts.autostart ?? true,
          secretTimeoutMs: opts.secretTimeoutMs ?? 60_000, paused: { all: pausedAll, accounts: [...pausedAccounts] } };
      },
      onReady: () => { setHost('ready'); settleWaiters(); },
      onMessage: (m) => receive(m),
      onLog: log,
      onRefused: (message) => {
        supervisor.reset();
        setHost('failed', message);
        settleWaiters(new Error(message));
      },
      onExit: (end) => exited(p, end),
    });
    proc = p;
  }

  function exited(p: EngineProcess, end: ProcessEnd): void {
    if (proc !== p) return;
    proc = undefined;
    rpc.rejectAll(end.expected ? 'it was stopped' : end.reason);
    if (end.expected) {
      if (host !== 'failed') setHost('stopped');
      settleWaiters(new Error(hostError ?? 'The engine was stopped.'));
      return;
    }
    const why = `the engine stopped unexpectedly: ${end.reason}`;
    const d = supervisor.crashed(now());
    if (d.action === 'fail') {
      const msg = `The engine crashed ${d.crashes} times in a few minutes: ${why}. Press "Try again" to restart it.`;
      setHost('failed', msg);
      settleWaiters(new Error(msg));
      return;
    }
    setHost('restarting', `${why}; restarting in ${formatDuration(d.delayMs)}`);
    restartTimer = setTimeout(() => { restartTimer = undefined; launch(); }, d.delayMs);
  }

  function receive(m: FromEngine): void {
    rpc.heard();
    switch (m.t) {
      case 'reply': return rpc.settle(m);
      case 'secret-req': return void answerSecret(m.id, m.repository, m.renew);
      case 'event': return emit(m.event.name, m.event.data as never);
      default: return;
    }
  }

  async function answerSecret(id: number, repository: string, renew?: boolean): Promise<void> {
    const p = proc;
    const repo = (config?.accounts ?? []).flatMap((a) => [a.remote, a.local])
      .find((r): r is ImapRepositoryConfig => r.type === 'imap' && r.name === repository);
    if (!repo) return p?.send({ t: 'secret-reply', id, ok: false, error: `No IMAP repository named "${repository}" in the configuration.` });
    try {
      const secret = await opts.getSecret(repo, renew ? { renew } : {});
      p?.send({ t: 'secret-reply', id, ok: true, secret });
    } catch (e) {
      p?.send({ t: 'secret-reply', id, ok: false, error: e instanceof Error ? e.message : String(e),
        ...(e instanceof SyncError ? { code: e.code, retry: e.retry } : {}) });
    }
  }

  async function request(op: EngineOp, extra: RequestExtra = {}): Promise<void> {
    await whenReady();
    await rpc.request(op, extra);
  }

  async function stopEngine(deadlineMs: number): Promise<void> {
    if (restartTimer) { clearTimeout(restartTimer); restartTimer = undefined; }
    const p = proc;
    if (!p) {
      if (host !== 'failed') setHost('stopped');
      settleWaiters(new Error(hostError ?? 'The engine was stopped.'));
      return;
    }
    p.expectExit();
    if (!p.ready) {
      log('info', 'the engine is not initialised yet (nothing runs, nothing to finish): killing it');
      p.kill();
      await p.exited(5_000);
      return;
    }
    const start = now();
    // The engine gets most of the deadline to reach a safe point; the rest is for exiting.
    rpc.request('stop', { deadlineMs: Math.max(0, Math.floor(deadlineMs * 0.8)) }).catch(() => { /* it exits */ });
    if (await p.exited(Math.max(0, deadlineMs - (now() - start)))) return;
    log('error', `the engine did not stop within ${deadlineMs} ms; killing it`);
    p.kill();
    await p.exited(5_000);
  }

  let stopInProgress: Promise<void> | undefined;

  const port: EngineHost = {
    async start(next) {
      config = checked(next);
      if (host === 'failed') return port.retry();
      if (proc || restartTimer) {
        await whenReady();
        return port.reconfigure(next);
      }
      setHost('starting');
      launch();
      return whenReady();
    },
    pid: () => proc?.pid,
    state: () => (hostError ? { state: host, error: hostError } : { state: host }),
    syncNow: (account) => request('syncNow', account ? { account } : {}),
    async pause(account) {
      await request('pause', account ? { account } : {});
      if (account) pausedAccounts.add(account); else pausedAll = true;
    },
    async resume(account) {
      await request('resume', account ? { account } : {});
      if (account) pausedAccounts.delete(account); else pausedAll = false;
    },
    wake: (reason) => request('wake', { reason }),
    async reconfigure(next) {
      config = checked(next);
      if (!proc && !restartTimer) return; // not running: the next start's init carries it
      await whenReady();
      if (sentConfig === config) return;
      const c = config;
      await request('reconfigure', { config: redactConfig(c) });
      sentConfig = c;
    },
    async retry() {
      if (host !== 'failed') return whenReady();
      if (!config) throw new Error('The engine was never started.');
      supervisor.reset();
      setHost('starting');
      launch();
      return whenReady();
    },
    stop(deadlineMs) {
      // Quit may ask twice: the second caller waits for the first stop, it does not kill early.
      stopInProgress ??= stopEngine(deadlineMs).finally(() => { stopInProgress = undefined; });
      return stopInProgress;
    },
    tool: (async (name: ToolName, ...args: unknown[]) => { await whenReady(); return rpc.tool(name, args); }) as EngineHost['tool'],
    on(name, fn) {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(fn as Listener);
      listeners.set(name, set);
      return () => { set.delete(fn as Listener); };
    },
  };
  return port;
}
