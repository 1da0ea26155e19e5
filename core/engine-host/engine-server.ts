// The engine side of the engine protocol: binds one createEngine() to a message transport (the
// host at the other end), forwarding the engine's events as they are, running requests and the
// account-setup tools, and asking the host for each secret on demand with a timeout. It starts
// the engine's schedule (which owns IDLE) only when init says so; it never reads a secret from
// argv or the environment, never logs one, and never picks a transport or exits by itself.

import { createAccountTools } from '../accounts/account-tools.js';
import type { ImapRepositoryConfig, SatchelConfig } from '../config/model.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { SyncError } from '../errors.js';
import {
  PROTOCOL_VERSION, WIRE_EVENTS, decodeToEngine, ProtocolError, type EngineEvent, type FromEngine, type ToEngine,
} from './engine-protocol.js';

export interface Transport {
  send(m: FromEngine): void;
  onMessage(fn: (m: unknown) => void): void;
  /** The host went away (plain Node only; Electron ends a utility process with its parent). */
  onClose?(fn: () => void): void;
}

export interface ServeOptions {
  /** Ends the process once the engine has stopped (after a stop request, or when orphaned). */
  exit(code: number): void;
}

export function serveEngine(io: Transport, opts: ServeOptions): void {
  let engine: Engine | undefined;
  let stopping = false;
  let secretTimeoutMs = 60_000;
  let nextSecretId = 1;
  const secrets = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  const getSecret = (repo: ImapRepositoryConfig, o: { renew?: boolean } = {}) => new Promise<string>((resolve, reject) => {
    const id = nextSecretId++;
    const timer = setTimeout(() => {
      secrets.delete(id);
      reject(new SyncError('auth-failed', `No password for repository "${repo.name}": the app did not answer within ` +
        `${Math.round(secretTimeoutMs / 1000)} s. Enter the password in the account's settings and sync again.`,
      { scope: 'account', retry: 'needs-user' }));
    }, secretTimeoutMs);
    secrets.set(id, { resolve, reject, timer });
    io.send({ t: 'secret-req', id, repository: repo.name, ...(o.renew ? { renew: true } : {}) });
  });

  let config: SatchelConfig | null = null;
  const tools = createAccountTools({ config: () => config, getSecret });

  const reply = (id: number, p: Promise<unknown>, tool = false) => p.then(
    (v) => io.send(tool ? { t: 'reply', id, ok: true, value: v } : typeof v === 'boolean' ? { t: 'reply', id, ok: true, stopped: v } : { t: 'reply', id, ok: true }),
    (e: unknown) => io.send({ t: 'reply', id, ok: false, error: {
      code: e instanceof SyncError ? e.code : 'engine-error', message: e instanceof Error ? e.message : String(e),
    } }));

  const handle = (m: ToEngine) => {
    if (m.t === 'init') {
      if (m.v !== PROTOCOL_VERSION) throw new ProtocolError(`engine protocol: host speaks version ${m.v}, engine ${PROTOCOL_VERSION}`);
      if (engine) throw new ProtocolError('engine protocol: init received twice');
      secretTimeoutMs = m.secretTimeoutMs;
      config = m.config;
      const e = createEngine({ config: m.config, getSecret });
      for (const name of WIRE_EVENTS) e.on(name, (data) => io.send({ t: 'event', event: { name, data } as EngineEvent }));
      engine = e;
      // A restarted engine stays paused where the app had paused it (an account since removed is skipped).
      if (m.paused?.all) e.pause();
      for (const a of m.paused?.accounts ?? []) { try { e.pause(a); } catch { /* no longer configured */ } }
      io.send({ t: 'ready', v: PROTOCOL_VERSION });
      // The schedule: a first sync of every account, autorefresh, and IDLE (the engine owns its watchers).
      if (m.autostart) void e.start().catch(() => { /* reported through error events */ });
      return;
    }
    if (m.t === 'secret-reply') {
      const s = secrets.get(m.id);
      if (!s) return;
      secrets.delete(m.id);
      clearTimeout(s.timer);
      if (m.ok) s.resolve(m.secret);
      else s.reject(new SyncError(m.code ?? 'auth-failed', m.error, { scope: 'account', retry: m.retry ?? 'needs-user' }));
      return;
    }
    if (m.t === 'tool') {
      // The tools run beside the engine; they need no init (checkLocalFolder sees no accounts then).
      const fn = tools[m.name] as (...a: unknown[]) => Promise<unknown>;
      return reply(m.id, Promise.resolve().then(() => fn(...m.args)), true);
    }
    const e = engine;
    if (!e) throw new ProtocolError(`engine protocol: request "${m.op}" before init`);
    if (stopping) return reply(m.id, Promise.reject(new Error('The engine is stopping.')));
    switch (m.op) {
      case 'syncNow': return reply(m.id, e.syncNow({ account: m.account }).then(() => undefined));
      case 'wake': e.wake(m.reason ?? 'the app asked'); return reply(m.id, Promise.resolve());
      case 'pause': return reply(m.id, Promise.resolve().then(() => e.pause(m.account)));
      case 'resume': return reply(m.id, Promise.resolve().then(() => e.resume(m.account)));
      case 'reconfigure': {
        config = m.config!;
        e.reconfigure(m.config!);
        return reply(m.id, Promise.resolve());
      }
      case 'stop':
        stopping = true;
        return reply(m.id, e.stop(m.deadlineMs)).then(() => opts.exit(0));
    }
  };

  io.onMessage((raw) => {
    try {
      handle(decodeToEngine(raw));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      io.send({ t: 'event', event: { name: 'log', data: { level: 'error', message } } });
      const id = (raw as { id?: unknown } | null)?.id;
      const t = (raw as { t?: unknown } | null)?.t;
      if ((t === 'req' || t === 'tool') && Number.isSafeInteger(id)) {
        io.send({ t: 'reply', id: id as number, ok: false, error: { code: 'protocol', message } });
      }
    }
  });
  io.onClose?.(() => {
    // Orphaned: finish at a safe point (the engine is crash-safe either way), then leave.
    void (engine?.stop(5_000) ?? Promise.resolve()).finally(() => opts.exit(0));
  });
  io.send({ t: 'hello', v: PROTOCOL_VERSION });
}
