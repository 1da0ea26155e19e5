// Request/response over the engine protocol: numbered requests, one pending entry per request,
// per-request timeouts, and every pending request failed when the process goes away. It owns the
// bookkeeping only: it never spawns, never decides to restart, and never sees a secret (secret
// replies are the host's). A timed-out request is forgotten; a late reply to it is dropped.

import type { SatchelConfig } from '../config/model.js';
import type { EngineOp, FromEngine, ToEngine, ToolName } from './engine-protocol.js';

export interface RpcTimeouts {
  /** pause, resume, reconfigure, wake: answered at once by a live engine (default 15 s). */
  controlMs?: number;
  /**
   * syncNow answers when the sync has finished, which may take hours on a first download, so it
   * times out only after this long without any message from the engine (default 10 min; 0 = never).
   */
  syncNowQuietMs?: number;
  /** Account-setup tools: discovery, connection test, folder list (default 60 s). */
  toolMs?: number;
}

export interface RequestExtra { account?: string; config?: SatchelConfig; deadlineMs?: number; reason?: string }
type Reply = Extract<FromEngine, { t: 'reply' }>;

export interface EngineRpc {
  /** Sends a request; resolves with the reply's `stopped` flag (for stop), rejects with the engine's error. */
  request(op: EngineOp, extra?: RequestExtra, opts?: { timeoutMs?: number }): Promise<boolean | undefined>;
  tool(name: ToolName, args: unknown[]): Promise<unknown>;
  /** A reply arrived from the engine. */
  settle(m: Reply): void;
  /** The engine sent something (an event, a reply...): it is alive. */
  heard(): void;
  /** The process is gone: every pending request fails, saying why. */
  rejectAll(why: string): void;
  pending(): number;
}

interface Pending {
  label: string;
  resolve: (r: Reply & { ok: true }) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_TIMEOUTS: Required<RpcTimeouts> = { controlMs: 15_000, syncNowQuietMs: 10 * 60_000, toolMs: 60_000 };

export function formatDuration(ms: number): string {
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 1_000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

const timeoutError = (message: string) => Object.assign(new Error(message), { code: 'engine-timeout' });

export function createEngineRpc(send: (m: ToEngine) => void, timeouts: RpcTimeouts = {}, now: () => number = Date.now): EngineRpc {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let lastHeard = now();

  function fixed(id: number, p: Pending, ms: number): void {
    p.timer = setTimeout(() => {
      if (!pending.delete(id)) return;
      p.reject(timeoutError(`The engine did not answer ${p.label} within ${formatDuration(ms)}.`));
    }, ms);
  }
  function quiet(id: number, p: Pending, ms: number): void {
    // Re-armed for the rest of the quiet period whenever the engine was heard from meanwhile.
    const arm = (wait: number) => {
      p.timer = setTimeout(() => {
        if (!pending.has(id)) return;
        const silent = now() - lastHeard;
        if (silent < ms) return arm(ms - silent);
        pending.delete(id);
        p.reject(timeoutError(`The engine did not answer ${p.label}: nothing heard from it for ${formatDuration(ms)}.`));
      }, wait);
    };
    arm(ms);
  }

  function send1(label: string, m: (id: number) => ToEngine, timer: (id: number, p: Pending) => void): Promise<Reply & { ok: true }> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const p: Pending = { label, resolve, reject };
      pending.set(id, p);
      timer(id, p);
      try {
        send(m(id));
      } catch (e) {
        pending.delete(id);
        clearTimeout(p.timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  return {
    async request(op, extra = {}, opts = {}) {
      const ms = opts.timeoutMs ?? (op === 'syncNow' ? undefined : op === 'stop' ? 0 : t.controlMs);
      const timer = ms === undefined
        ? (id: number, p: Pending) => { if (t.syncNowQuietMs > 0) quiet(id, p, t.syncNowQuietMs); }
        : (id: number, p: Pending) => { if (ms > 0) fixed(id, p, ms); };
      const r = await send1(op, (id) => ({ t: 'req', id, op, ...extra }), timer);
      return r.stopped;
    },
    async tool(name, args) {
      const r = await send1(name, (id) => ({ t: 'tool', id, name, args }), (id, p) => { if (t.toolMs > 0) fixed(id, p, t.toolMs); });
      return r.value;
    },
    settle(m) {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m);
      else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    },
    heard() { lastHeard = now(); },
    rejectAll(why) {
      const all = [...pending.values()];
      pending.clear();
      for (const p of all) {
        clearTimeout(p.timer);
        p.reject(Object.assign(new Error(`The engine exited before it answered ${p.label} (${why}).`), { code: 'engine-exited' }));
      }
    },
    pending: () => pending.size,
  };
}
