// The pool of up to maxConnections logged-in imapflow clients of one ImapStore: creates them
// lazily (asking for the password only then, and wiping it from the client after login),
// hands a free one to each caller or queues the caller, and forgets clients whose connection
// broke so a dead one is never handed out again. It never selects folders or runs mail
// commands itself, and never keeps the password in a field. With OAuth2 the "password" is an
// access token; a rejected one is renewed once (password({ renew: true })) before giving up.

import { ImapFlow, type Logger } from 'imapflow';
import { SyncError } from '../errors.js';
import { mapConnectError } from './imap-errors.js';
import { buildConnectionOptions, type ConnectionOptions, type TlsSettings } from './tls-options.js';
import { UnreadableLines } from './unreadable-lines.js';
import { openProxyTunnel, tunnelledTransport, type ProxySettings } from '../net/proxy-tunnel.js';
import { authOptions, steerOAuthMechanism } from './sasl-order.js';

/** How long close() waits for the answer to LOGOUT before it drops the connection. */
export const LOGOUT_GRACE_MS = 3_000;

export interface PoolOptions extends TlsSettings {
  user: string;
  /** The password, or with `oauth` an access token; `renew` after the server rejected the last one. */
  password: (o?: { renew?: boolean }) => Promise<string>;
  /** Sign in with OAuth2 (XOAUTH2 / OAUTHBEARER) instead of a password. */
  oauth?: boolean;
  /** auth_mechanisms in order of preference. */
  authMechanisms?: string[];
  maxConnections: number;
  connectTimeoutMs?: number;
  /** Socket inactivity before imapflow probes with NOOP (IDLE watchers: keepalive). */
  socketTimeoutMs?: number;
  logger?: Logger;
  /** Every connection goes through this proxy, or fails (proxy-tunnel.ts). */
  proxy?: ProxySettings;
}

/** One pooled connection. `dead` is set as soon as imapflow reports the socket closed. */
export class PooledConnection {
  busy = false;
  dead = false;
  /** UIDs reported expunged (QRESYNC VANISHED / EXPUNGE with UID) since the last reset. */
  readonly expunged = new Set<number>();
  /** What closed the connection when imapflow reported it (a timeout, an unreadable response). */
  closedBy?: unknown;

  constructor(readonly client: ImapFlow, readonly unreadable = new UnreadableLines(), readonly timeoutMs?: number) {
    client.on('close', () => { this.dead = true; });
    // imapflow emits 'error' at most once and closes the connection; without a listener
    // the EventEmitter would throw. The command that was running rejects on its own.
    client.on('error', (e: unknown) => {
      this.dead = true;
      const code = (e as { code?: unknown } | null)?.code;
      this.closedBy ??= code === 'ETIMEOUT' && timeoutMs ? Object.assign(e as object, { timeoutMs }) : e;
    });
    client.on('expunge', (ev) => { if (ev.uid) this.expunged.add(ev.uid); });
  }

  get alive(): boolean {
    return !this.dead && this.client.usable && !this.client.isClosed;
  }
}

interface Waiter {
  resolve: (c: PooledConnection) => void;
  reject: (e: unknown) => void;
}

export class ConnectionPool {
  private readonly conns: PooledConnection[] = [];
  private readonly waiters: Waiter[] = [];
  private creating = 0;
  private closed = false;
  private connOptions?: ConnectionOptions;

  constructor(private readonly opts: PoolOptions) {}

  /** Number of live connections (for tests and diagnostics). */
  get size(): number {
    return this.conns.filter((c) => c.alive).length;
  }

  /** A connection for the caller's exclusive use until release(). */
  acquire(): Promise<PooledConnection> {
    if (this.closed) return Promise.reject(new SyncError('store-closed', 'The IMAP store is closed.', { scope: 'account', retry: 'now' }));
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  /** Gives a connection back; a dead one is dropped and its slot becomes free. */
  release(conn: PooledConnection): void {
    conn.busy = false;
    if (!conn.alive) this.forget(conn);
    this.pump();
  }

  /** Forgets a connection (closing its socket if still open). */
  drop(conn: PooledConnection): void {
    this.forget(conn);
    this.pump();
  }

  private forget(conn: PooledConnection): void {
    const i = this.conns.indexOf(conn);
    if (i >= 0) this.conns.splice(i, 1);
    conn.dead = true;
    if (!conn.client.isClosed) conn.client.close();
  }

  /** LOGOUT every connection; queued callers are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) {
      w.reject(new SyncError('store-closed', 'The IMAP store was closed.', { scope: 'account', retry: 'now' }));
    }
    const all = this.conns.splice(0);
    await Promise.all(all.map(async (c) => {
      c.dead = true;
      if (c.client.isClosed) return;
      // A server that never answers LOGOUT must not hold the account's sync open: close after a grace period.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), LOGOUT_GRACE_MS); timer.unref(); });
      try {
        if ((await Promise.race([c.client.logout().then(() => 'done' as const), gaveUp])) === 'timeout') c.client.close();
      } catch {
        c.client.close();
      } finally {
        clearTimeout(timer);
      }
    }));
  }

  private pump(): void {
    for (const c of this.conns.filter((x) => !x.busy && !x.alive)) this.forget(c);
    while (this.waiters.length) {
      const free = this.conns.find((c) => !c.busy && c.alive);
      if (free) {
        free.busy = true;
        this.waiters.shift()!.resolve(free);
        continue;
      }
      if (this.conns.length + this.creating >= this.opts.maxConnections) return;
      const waiter = this.waiters.shift()!;
      this.creating++;
      this.create().then((conn) => {
        this.creating--;
        if (this.closed) {
          conn.client.close();
          waiter.reject(new SyncError('store-closed', 'The IMAP store was closed.', { scope: 'account', retry: 'now' }));
          return;
        }
        conn.busy = true;
        this.conns.push(conn);
        waiter.resolve(conn);
      }, (e) => {
        this.creating--;
        waiter.reject(e);
        this.pump();
      });
    }
  }

  private async create(): Promise<PooledConnection> {
    try {
      return await this.login(false);
    } catch (e) {
      // imapflow never refreshes: a rejected access token (expired early, revoked) gets one renewal.
      if (!this.opts.oauth || !(e instanceof SyncError) || e.code !== 'auth-failed' || this.closed) throw e;
      return this.login(true);
    }
  }

  private async login(renew: boolean): Promise<PooledConnection> {
    const o = this.opts;
    this.connOptions ??= buildConnectionOptions(o);
    const ctx = { host: o.host, port: o.port, user: o.user, ssl: o.ssl, starttls: o.starttls, oauth: !!o.oauth };
    // Through the proxy first: an unreachable proxy is reported before any password is asked for.
    const tunnel = o.proxy ? await openProxyTunnel(o.proxy, o.host, o.port, o.connectTimeoutMs) : undefined;
    let pass: string | undefined = await o.password(renew ? { renew } : undefined).catch((e: unknown) => { tunnel?.destroy(); throw e; });
    const unreadable = new UnreadableLines();
    const client = new ImapFlow({
      ...this.connOptions,
      ...(tunnel ? { transport: tunnelledTransport(this.connOptions.transport!, tunnel) } : {}),
      auth: authOptions(o.user, pass, { oauth: !!o.oauth, mechanisms: o.authMechanisms }),
      logger: unreadable.logger(o.logger),
      disableAutoIdle: true,
      qresync: true,
      clientInfo: { name: 'satchel' },
      ...(o.socketTimeoutMs ? { socketTimeout: o.socketTimeoutMs } : {}),
      ...(o.connectTimeoutMs ? { connectionTimeout: o.connectTimeoutMs, greetingTimeout: o.connectTimeoutMs } : {}),
    });
    pass = undefined;
    if (o.oauth) steerOAuthMechanism(client, o.authMechanisms);
    const conn = new PooledConnection(client, unreadable, o.socketTimeoutMs);
    try {
      await client.connect();
    } catch (e) {
      conn.dead = true;
      if (!client.isClosed) client.close();
      throw mapConnectError(e, ctx);
    } finally {
      // imapflow keeps its options for the life of the client; the password is not needed
      // after LOGIN (a new connection asks the getter again).
      if (client.options.auth) { client.options.auth.pass = undefined; client.options.auth.accessToken = undefined; }
    }
    return conn;
  }
}
