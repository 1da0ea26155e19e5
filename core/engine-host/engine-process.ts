// One engine process's lifetime, as VS Code wraps its utility process: spawn, the hello/init/
// ready handshake with a ready timeout, every message validated, stderr lines passed on for the
// log, and the end told apart: a normal exit the host asked for (stop) versus a crash with its
// reason ("killed by signal SIGKILL", "exit code 3", "did not report ready within 20 s"). It
// never restarts (supervisor.ts and the host decide), never answers requests, never sees a secret.

import type { EngineChild, SpawnEngine } from './engine-child.js';
import { PROTOCOL_VERSION, decodeFromEngine, type FromEngine, type ToEngine } from './engine-protocol.js';
import { formatDuration } from './engine-rpc.js';

export interface ProcessEnd {
  /** True when the host had asked for it (stop, or an engine it refused): not a crash. */
  expected: boolean;
  /** What happened, for people: "killed by signal SIGKILL", "exit code 3", "did not report ready within 20 s". */
  reason: string;
  code: number | null;
  signal: string | null;
}

export interface EngineProcessOptions {
  spawn: SpawnEngine;
  readyTimeoutMs: number;
  /** The init message answering the engine's hello (built when it is sent: config and pauses of that moment). */
  init(): ToEngine;
  onReady(): void;
  /** Every valid message but hello and ready: replies, events, secret requests. */
  onMessage(m: FromEngine): void;
  /** The host's own observations and the engine's stderr lines ("engine: ..."). */
  onLog(level: 'error' | 'info', message: string): void;
  /** The engine can never work with this host (protocol version): no restart will help. */
  onRefused(message: string): void;
  /** Called once, when the process is gone (or could not be started). */
  onExit(end: ProcessEnd): void;
}

export interface EngineProcess {
  readonly pid: number | undefined;
  readonly ready: boolean;
  readonly alive: boolean;
  send(m: ToEngine): void;
  /** From now on the process's end is a normal one (the host is stopping it). */
  expectExit(): void;
  /** Resolves true once the process has exited, or false after ms. */
  exited(ms: number): Promise<boolean>;
  /** Kills the process now; `reason` becomes the end's reason (else the signal or code says it). */
  kill(reason?: string): void;
}

export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

export function startEngineProcess(opts: EngineProcessOptions): EngineProcess {
  let child: EngineChild | undefined;
  let alive = true;
  let ready = false;
  let expected = false;
  let killReason: string | undefined;
  let exitWaiters: Array<() => void> = [];
  let readyTimer: NodeJS.Timeout | undefined;

  const ended = (end: ProcessEnd) => {
    if (!alive) return;
    alive = false;
    ready = false;
    clearTimeout(readyTimer);
    const ws = exitWaiters;
    exitWaiters = [];
    opts.onExit(end);
    for (const w of ws) w();
  };

  const proc: EngineProcess = {
    get pid() { return alive ? child?.pid : undefined; },
    get ready() { return ready; },
    get alive() { return alive; },
    send(m) { if (alive) child?.send(m); },
    expectExit() { expected = true; },
    exited: (ms) => new Promise<boolean>((resolve) => {
      if (!alive) return resolve(true);
      const t = setTimeout(() => resolve(false), ms);
      exitWaiters.push(() => { clearTimeout(t); resolve(true); });
    }),
    kill(reason) {
      if (!alive) return;
      killReason ??= reason;
      child?.kill();
    },
  };

  try {
    child = opts.spawn();
  } catch (e) {
    const reason = `could not be started: ${e instanceof Error ? e.message : String(e)}`;
    queueMicrotask(() => ended({ expected: false, reason, code: null, signal: null }));
    return proc;
  }
  const c = child;
  c.onStderr?.((line) => opts.onLog('error', `engine: ${line}`));
  readyTimer = setTimeout(() => {
    proc.kill(`did not report ready within ${formatDuration(opts.readyTimeoutMs)}`);
  }, opts.readyTimeoutMs);

  c.onMessage((raw) => {
    if (!alive) return;
    let m: FromEngine;
    try {
      m = decodeFromEngine(raw);
    } catch (e) {
      opts.onLog('error', e instanceof Error ? e.message : String(e));
      return;
    }
    if (m.t === 'hello') {
      if (m.v !== PROTOCOL_VERSION) {
        proc.expectExit();
        proc.kill('refused: another protocol version');
        opts.onRefused(`The engine speaks protocol version ${m.v}, the app ${PROTOCOL_VERSION}: reinstall Satchel.`);
        return;
      }
      c.send(opts.init());
      return;
    }
    if (m.t === 'ready') {
      if (ready) return;
      clearTimeout(readyTimer);
      ready = true;
      opts.onReady();
      return;
    }
    opts.onMessage(m);
  });
  c.onExit((code, signal) => ended({ expected, reason: killReason ?? describeExit(code, signal), code, signal }));
  return proc;
}
