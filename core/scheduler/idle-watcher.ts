// Watches one IMAP folder with IDLE on a dedicated connection (same TLS/login path as the
// sync's pool) and calls onChange when the server reports EXISTS, EXPUNGE or FETCH, so new
// mail is synced within seconds. It re-IDLEs every ~25 minutes, lets imapflow probe a quiet
// socket with NOOP (keepalive) so a dead connection is noticed, and reconnects with capped
// exponential backoff and jitter. It never syncs by itself and never logs the password.

import type { ImapRepositoryConfig } from '../config/model.js';
import { toSyncError } from '../errors.js';
import { ConnectionPool, type PooledConnection } from '../imap/connection-pool.js';

export interface IdleWatcherOptions {
  account: string;
  folder: string;
  repo: ImapRepositoryConfig;
  getSecret: (repo: ImapRepositoryConfig, o?: { renew?: boolean }) => Promise<string>;
  onChange: (folder: string) => void;
  log?: (level: 'info' | 'error', message: string) => void;
  /** Quiet socket time before a NOOP probe; default 4 minutes. */
  keepaliveMs?: number;
  /** IDLE is restarted after this long (RFC 2177 asks for < 29 min); default 25 minutes. */
  reidleMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export type IdleState = 'connecting' | 'idling' | 'waiting' | 'stopped';

export class IdleWatcher {
  state: IdleState = 'connecting';
  lastError?: string;
  private stopped = false;
  private pool?: ConnectionPool;
  private conn?: PooledConnection;
  private wakeWait?: () => void;
  private loop?: Promise<void>;
  private reconnecting = false;

  constructor(private readonly o: IdleWatcherOptions) {}

  get account(): string { return this.o.account; }
  get folder(): string { return this.o.folder; }

  start(): void {
    this.loop ??= this.run();
  }

  /** Drops the connection and reconnects at once (after a suspend or a network change). */
  reconnect(): void {
    this.reconnecting = true;
    this.conn?.client.close();
    this.wakeWait?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    this.wakeWait?.();
    await this.pool?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const began = Date.now();
      try {
        await this.session();
      } catch (e) {
        if (this.stopped) break;
        if (this.reconnecting) { this.reconnecting = false; failures = 0; continue; }
        const err = toSyncError(e, 'folder', { account: this.o.account, folder: this.o.folder });
        this.lastError = err.message;
        if (Date.now() - began > 60_000) failures = 0; // it had been working: start the backoff afresh
        failures++;
        const cap = err.retry === 'needs-user' ? 15 * 60_000 : (this.o.backoffCapMs ?? 5 * 60_000);
        const base = Math.min(cap, (this.o.backoffBaseMs ?? 1000) * 2 ** (failures - 1));
        const delay = Math.round(base * (0.75 + Math.random() * 0.5));
        this.o.log?.('error', `${this.o.account}: IDLE on ${this.o.folder}: ${err.message}; reconnecting in ${Math.ceil(delay / 1000)} s`);
        this.state = 'waiting';
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay);
          this.wakeWait = () => { clearTimeout(t); resolve(); };
        });
        this.wakeWait = undefined;
      }
    }
    this.state = 'stopped';
  }

  /** One connection's life: log in, EXAMINE the folder, IDLE until the connection ends. */
  private async session(): Promise<void> {
    const r = this.o.repo;
    this.state = 'connecting';
    const pool = new ConnectionPool({
      host: r.host, port: r.port, ssl: r.ssl, starttls: r.starttls, caFile: r.caFile, certFingerprints: r.certFingerprints,
      user: r.user, password: (o) => this.o.getSecret(r, o), maxConnections: 1,
      ...(r.oauth2 ? { oauth: true } : {}), ...(r.authMechanisms ? { authMechanisms: r.authMechanisms } : {}),
      connectTimeoutMs: 30_000, socketTimeoutMs: this.o.keepaliveMs ?? 4 * 60_000, ...(r.proxy ? { proxy: r.proxy } : {}),
    });
    this.pool = pool;
    try {
      const conn = this.conn = await pool.acquire();
      const client = conn.client;
      const changed = () => { if (!this.stopped) this.o.onChange(this.o.folder); };
      client.on('exists', changed);
      client.on('expunge', changed);
      client.on('flags', changed);
      await client.mailboxOpen(this.o.folder, { readOnly: true });
      if (this.stopped) return;
      this.reconnecting = false;
      this.state = 'idling';
      this.lastError = undefined;
      this.o.log?.('info', `${this.o.account}: IDLE on ${this.o.folder}`);
      // Mail may have arrived between the last sync and this IDLE: one catch-up sync.
      changed();
      const reidle = this.o.reidleMs ?? 25 * 60_000;
      while (!this.stopped && conn.alive) {
        // Any command ends the IDLE; the NOOP also proves the connection is alive.
        const t = setTimeout(() => { void client.noop().catch(() => undefined); }, reidle);
        try {
          await client.idle();
        } finally {
          clearTimeout(t);
        }
        if (!client.mailbox) break;
      }
      if (!this.stopped) throw new Error(this.lastError ?? 'the connection was closed');
    } finally {
      this.conn = undefined;
      await pool.close().catch(() => undefined);
    }
  }
}
