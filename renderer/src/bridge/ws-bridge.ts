// The renderer's bridge in browser mode: SatchelBridge over the WebSocket of `satchel ui`
// (path /bridge). Request ids, replies matched to calls, `status`/`log` events to subscribers,
// reconnection with backoff (calls made while disconnected wait for the socket; calls in flight
// when it drops fail, as they may or may not have run). Plain TypeScript and the DOM WebSocket:
// no React, no Node. The session token is given by the caller (see session-token.ts).

import { BRIDGE_METHODS, type BridgeMethod, type LogLine, type SatchelBridge, type StatusView } from '../../../core/contract/bridge-contract.js';

/** The part of the DOM WebSocket this client uses (so tests can pass the `ws` package's). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WsBridgeOptions {
  /** ws://HOST/bridge?token=...; default: built from `location` and `token`. */
  url?: string;
  /** The session token (see session-token.ts), when `url` is not given. */
  token?: string;
  socket?: SocketFactory;
  /** First reconnection delay; doubles up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** A call without a reply by then fails (default 10 min: a sync may take long). */
  callTimeoutMs?: number;
}

export interface WsBridge extends SatchelBridge {
  /** Connection changes (true = connected); the interface can show "reconnecting...". */
  onConnection(fn: (connected: boolean) => void): () => void;
  close(): void;
}

export class BridgeCallError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

const OPEN = 1;

/** The bridge URL for the page at `loc`: same host, /bridge, with the session token (a WebSocket address is never in the history). */
export function bridgeUrl(loc: { protocol: string; host: string }, token: string | undefined): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/bridge${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function createWsBridge(opts: WsBridgeOptions = {}): WsBridge {
  const url = opts.url ?? bridgeUrl(globalThis.location, opts.token);
  const factory: SocketFactory = opts.socket ?? ((u) => new WebSocket(u) as unknown as SocketLike);
  const baseDelay = opts.reconnectMs ?? 500;
  const maxDelay = opts.maxReconnectMs ?? 10_000;
  const callTimeout = opts.callTimeoutMs ?? 600_000;
  let nextId = 1;
  let delay = baseDelay;
  let socket: SocketLike | undefined;
  let closed = false;
  let wasConnected = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  const queue: Array<{ id: number; text: string }> = [];
  const statusFns = new Set<(s: StatusView) => void>();
  const logFns = new Set<(l: LogLine) => void>();
  const connFns = new Set<(c: boolean) => void>();

  const emit = <T>(fns: Set<(v: T) => void>, v: T) => { for (const fn of [...fns]) { try { fn(v); } catch { /* a listener's bug is its own */ } } };

  const connect = () => {
    if (closed) return;
    const s = factory(url);
    socket = s;
    s.onopen = () => {
      delay = baseDelay;
      wasConnected = true;
      emit(connFns, true);
      for (const q of queue.splice(0)) if (pending.has(q.id)) s.send(q.text);
      // After a reconnection the view may be stale: fetch it for the subscribers.
      if (statusFns.size) void call('getStatus', []).then((v) => emit(statusFns, v as StatusView), () => undefined);
    };
    s.onmessage = (ev) => onMessage(typeof ev.data === 'string' ? ev.data : String(ev.data));
    s.onerror = () => undefined;
    s.onclose = () => {
      if (socket !== s) return;
      socket = undefined;
      const queued = new Set(queue.map((q) => q.id));
      for (const [id, p] of pending) {
        if (queued.has(id)) continue;
        clearTimeout(p.timer);
        pending.delete(id);
        p.reject(new BridgeCallError('The connection to Satchel was lost; try again.', 'disconnected'));
      }
      if (wasConnected) emit(connFns, false);
      wasConnected = false;
      if (closed) return;
      timer = setTimeout(connect, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  };

  const onMessage = (text: string) => {
    let m: { id?: unknown; ok?: boolean; result?: unknown; error?: { message?: string; code?: string }; event?: string; payload?: unknown };
    try { m = JSON.parse(text) as typeof m; } catch { return; }
    if (m.event === 'status') return emit(statusFns, m.payload as StatusView);
    if (m.event === 'log') return emit(logFns, m.payload as LogLine);
    if (typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result ?? undefined);
    else p.reject(new BridgeCallError(m.error?.message ?? 'The call failed.', m.error?.code));
  };

  const call = (method: BridgeMethod, args: unknown[]): Promise<unknown> => {
    if (closed) return Promise.reject(new BridgeCallError('The bridge is closed.', 'closed'));
    // Trailing undefined arguments are left out: JSON would turn them into null.
    const list = [...args];
    while (list.length && list[list.length - 1] === undefined) list.pop();
    const id = nextId++;
    const text = JSON.stringify({ id, method, args: list });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { pending.delete(id); reject(new BridgeCallError(`${method}: no answer from Satchel.`, 'timeout')); }, callTimeout);
      pending.set(id, { resolve, reject, timer: t });
      if (socket && socket.readyState === OPEN) socket.send(text);
      else queue.push({ id, text });
    });
  };

  const methods = Object.fromEntries((Object.keys(BRIDGE_METHODS) as BridgeMethod[]).map((name) =>
    [name, (...args: unknown[]) => call(name, args)])) as unknown as Omit<SatchelBridge, 'onStatus' | 'onLog'>;

  connect();
  return {
    ...methods,
    onStatus(fn) { statusFns.add(fn); return () => { statusFns.delete(fn); }; },
    onLog(fn) { logFns.add(fn); return () => { logFns.delete(fn); }; },
    onConnection(fn) { connFns.add(fn); return () => { connFns.delete(fn); }; },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'closed');
      for (const [, p] of pending) { clearTimeout(p.timer); p.reject(new BridgeCallError('The bridge is closed.', 'closed')); }
      pending.clear();
      queue.length = 0;
    },
  };
}
