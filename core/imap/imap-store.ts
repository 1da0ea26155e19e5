// The IMAP side of a sync (MailStore over imapflow): connects and learns capabilities and
// the hierarchy delimiter, lists and creates folders (imapflow does the modified UTF-7),
// reads every folder's state in one LIST-STATUS, and opens folders on pooled connections
// (ImapFolder). It never decides what to sync, never stores the password (it asks the
// getter for each new connection) and never logs protocol traffic unless given a logger.

import type { ImapFlow, ListResponse, Logger, MailboxObject } from 'imapflow';
import type { FolderEntry, FolderState, MailStore, OpenFolder } from '../store/mail-store.js';
import { SyncError } from '../errors.js';
import type { ProxySettings } from '../net/proxy-tunnel.js';
import { ConnectionPool, type PooledConnection } from './connection-pool.js';
import { mapCommandError, unreadableResponse } from './imap-errors.js';
import { ImapFolder } from './imap-folder.js';

export interface ImapStoreOptions {
  /** Connect through this proxy only (never directly). */
  proxy?: ProxySettings;
  host: string;
  port: number;
  user: string;
  /** Asked on demand, once per new connection; the result is not kept. With `oauth`, an access token. */
  password: (o?: { renew?: boolean }) => Promise<string>;
  /** Sign in with OAuth2 (the password getter gives access tokens). */
  oauth?: boolean;
  /** auth_mechanisms in order of preference. */
  authMechanisms?: string[];
  /** Implicit TLS (IMAPS). */
  ssl: boolean;
  /** Require STARTTLS on a plain connection. */
  starttls: boolean;
  /** PEM CA file; replaces the system store. */
  caFile?: string;
  /** Pinned certificate fingerprints (hex, colons optional). */
  certFingerprints?: string[];
  /** Default 1. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /**
   * How long a connection may stay silent while Satchel waits for the server (a command, a
   * message half sent) before it is given up as lost. Default SOCKET_TIMEOUT_MS.
   */
  socketTimeoutMs?: number;
  /** imapflow debug logger; none (silent) by default. */
  logger?: Logger;
}

/** A server silent this long in the middle of a command is taken as gone (mbsync: 20 s, OfflineIMAP advice: 30-120 s). */
export const SOCKET_TIMEOUT_MS = 60_000;

/** How long the states of a listFolders() stand in for a folderStates() call. */
const LISTED_STATES_MS = 5_000;

/** RFC 7162: a mod-sequence is a positive 63-bit number. */
const MAX_MODSEQ = 2n ** 63n - 1n;

const SPECIAL_USE = new Set(['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash']);

export class ImapStore implements MailStore {
  readonly kind = 'imap' as const;
  readonly capabilities = { condstore: false, qresync: false, uidplus: false };
  /** What the server announced at connect() (for --info): every capability and the greeting. */
  serverInfo: { capabilities: string[]; greeting?: string } = { capabilities: [] };
  /** Set by connect() only when the server has LIST-STATUS (one round trip for all folders). */
  folderStates?: () => Promise<Map<string, FolderState>>;
  private _delimiter = '/';
  /** The personal namespace prefix from NAMESPACE ("INBOX." on Courier), '' when none. */
  private personalPrefix = '';
  private readonly pool: ConnectionPool;
  private connected = false;
  /** Folder states from listFolders()'s LIST-STATUS, for a folderStates() call right after it. */
  private listedStates?: { at: number; states: Map<string, FolderState> };

  constructor(private readonly opts: ImapStoreOptions) {
    this.pool = new ConnectionPool({
      host: opts.host, port: opts.port, ssl: opts.ssl, starttls: opts.starttls, caFile: opts.caFile,
      certFingerprints: opts.certFingerprints, user: opts.user, password: opts.password, oauth: opts.oauth, authMechanisms: opts.authMechanisms,
      maxConnections: Math.max(1, opts.maxConnections ?? 1), connectTimeoutMs: opts.connectTimeoutMs, logger: opts.logger,
      socketTimeoutMs: opts.socketTimeoutMs ?? SOCKET_TIMEOUT_MS,
      ...(opts.proxy ? { proxy: opts.proxy } : {}),
    });
  }

  get delimiter(): string {
    return this._delimiter;
  }

  async connect(): Promise<void> {
    const conn = await this.pool.acquire();
    try {
      const c = conn.client;
      const rev2 = c.enabled.has('IMAP4rev2') || c.enabled.has('IMAP4REV2');
      this.capabilities.condstore = c.enabled.has('CONDSTORE');
      this.capabilities.qresync = c.enabled.has('QRESYNC');
      this.capabilities.uidplus = c.capabilities.has('UIDPLUS');
      const greeting = (c as { greeting?: unknown }).greeting;
      this.serverInfo = { capabilities: [...c.capabilities.keys()], ...(typeof greeting === 'string' ? { greeting } : {}) };
      const listStatus = c.capabilities.has('LIST-STATUS') || rev2;
      this.folderStates = listStatus ? () => this.listStatuses() : undefined;
      let delimiter = c.namespace?.delimiter;
      if (typeof delimiter !== 'string' || !delimiter) {
        const entries = await c.list({ listOnly: true }).catch(() => []);
        delimiter = entries.find((e) => e.delimiter)?.delimiter;
      }
      this._delimiter = delimiter || '/';
      this.personalPrefix = typeof c.namespace?.prefix === 'string' ? c.namespace.prefix : '';
      this.connected = true;
    } catch (e) {
      throw mapCommandError(e, 'reading the server capabilities');
    } finally {
      this.pool.release(conn);
    }
  }

  /** Runs fn on a pooled connection (waiting for a free one), returning it afterwards. */
  private async withConnection<T>(what: string, fn: (conn: PooledConnection) => Promise<T>, folder?: string): Promise<T> {
    this.requireConnected();
    const conn = await this.pool.acquire();
    try {
      return await fn(conn);
    } catch (e) {
      // What closed the connection (a timeout, an unreadable response) says more than the rejection.
      const err = mapCommandError(conn.closedBy ?? e, what, folder);
      if (err.code === 'connection-lost') conn.dead = true;
      throw err;
    } finally {
      this.pool.release(conn);
    }
  }

  private requireConnected(): void {
    if (!this.connected) throw new SyncError('not-connected', 'ImapStore used before connect()', { scope: 'fatal', retry: 'now' });
  }

  async listFolders(): Promise<FolderEntry[]> {
    return this.withConnection('listing folders', async ({ client }) => {
      // With LIST-STATUS one command lists the folders and their states; the states are kept for
      // the folderStates() call that follows (what changes after this is seen by each SELECT).
      const withStatus = !!this.folderStates;
      const entries = withStatus ? await client.list({ statusQuery: this.statusQuery() }) : await client.list({ listOnly: true });
      if (withStatus) this.listedStates = { at: Date.now(), states: statesOf(entries, this.capabilities.condstore) };
      const out = entries.map((e) => {
        const out: FolderEntry = { name: e.path };
        if (hasFlag(e.flags, '\\Noselect') || hasFlag(e.flags, '\\NonExistent')) out.noSelect = true;
        const special = [...e.flags].find((f) => SPECIAL_USE.has(f));
        if (special) out.specialUse = special;
        return out;
      });
      // INBOX always exists (RFC 3501), but imapflow lists under the personal namespace prefix
      // ("INBOX." on Courier), which leaves it out: ask for it by name.
      if (!out.some((e) => e.name.toUpperCase() === 'INBOX') && await this.exists(client, 'INBOX')) out.unshift({ name: 'INBOX' });
      return out;
    });
  }

  private statusQuery() {
    return { uidValidity: true, uidNext: true, messages: true, highestModseq: this.capabilities.condstore };
  }

  /**
   * The states listFolders() saw, once and only within LISTED_STATES_MS of it (a sync asks for
   * them right after listing the folders); otherwise the server is asked.
   */
  private async listStatuses(): Promise<Map<string, FolderState>> {
    const listed = this.listedStates;
    this.listedStates = undefined;
    if (listed && Date.now() - listed.at < LISTED_STATES_MS) return listed.states;
    return this.withConnection('listing folder states', async ({ client }) =>
      statesOf(await client.list({ statusQuery: this.statusQuery() }), this.capabilities.condstore));
  }

  async createFolder(name: string): Promise<void> {
    this.checkName(name);
    await this.withConnection('creating the folder', async ({ client }) => {
      try {
        await client.mailboxCreate(name); // [ALREADYEXISTS] is not an error (imapflow)
      } catch (e) {
        // Servers without RFC 5530 codes ("NO INBOX already exists!"): a folder that exists is success.
        if (!await this.exists(client, name).catch(() => false)) throw e;
      }
    }, name);
  }

  /** Whether a selectable folder of that name exists (one STATUS; false on NO). */
  private async exists(client: ImapFlow, name: string): Promise<boolean> {
    try {
      const s = await client.status(name, { uidValidity: true });
      return s !== false && s.uidValidity !== undefined;
    } catch (e) {
      if (mapCommandError(e, 'checking the folder', name).code === 'connection-lost') throw e;
      return false;
    }
  }

  private checkName(name: string): void {
    const d = this._delimiter;
    const bad = !name || /[\x00-\x1f\x7f*%]/.test(name) || name.startsWith(d) || name.endsWith(d) || name.includes(d + d);
    if (bad) {
      throw new SyncError('invalid-folder-name', `"${name}" is not a valid IMAP folder name (empty parts, control ` +
        `characters, * or % are not allowed).`, { scope: 'folder', retry: 'needs-user', folder: name });
    }
    // imapflow would put the prefix in front by itself, so the server would list the folder under
    // another name than the one asked for, and the next sync would take it for a second folder.
    const p = this.personalPrefix;
    if (p && !name.startsWith(p) && name.toUpperCase() !== 'INBOX') {
      throw new SyncError('folder-outside-namespace', `Cannot create "${name}" on the server: its folders live under ` +
        `"${p}". Add a nametrans rule that puts "${p}" in front of new local folder names (and one that takes it off the ` +
        'server names), as with OfflineIMAP.', { scope: 'folder', retry: 'needs-user', folder: name });
    }
  }

  async openFolder(name: string): Promise<OpenFolder> {
    this.requireConnected();
    const conn = await this.pool.acquire();
    let mailbox: MailboxObject;
    try {
      mailbox = await conn.client.mailboxOpen(name);
      conn.expunged.clear();
    } catch (e) {
      const err = mapCommandError(conn.closedBy ?? e, 'opening the folder', name);
      if (err.code === 'connection-lost') conn.dead = true;
      this.pool.release(conn);
      throw err;
    }
    // Numbers from the server are checked before they reach the status database: a UIDVALIDITY
    // must be a 32-bit nz-number, a HIGHESTMODSEQ a 63-bit one (RFC 7162), else it is not used.
    const uidValidity = Number(mailbox.uidValidity);
    if (!Number.isInteger(uidValidity) || uidValidity < 1 || uidValidity > 0xffffffff) {
      conn.dead = true;
      this.pool.release(conn);
      throw unreadableResponse('opening the folder', name, `no valid UIDVALIDITY${mailbox.uidValidity === undefined ? '' : `: ${mailbox.uidValidity}`}`);
    }
    const state: FolderState = { uidValidity, uidNext: mailbox.uidNext, messages: mailbox.exists };
    const modseq = mailbox.highestModseq;
    const modseqOk = typeof modseq === 'bigint' && modseq > 0n && modseq <= MAX_MODSEQ;
    if (this.capabilities.condstore && !mailbox.noModseq && modseqOk) state.highestModseq = String(modseq);
    return new ImapFolder(name, Object.freeze(state), conn, this.pool, {
      condstore: this.capabilities.condstore && !mailbox.noModseq && modseqOk,
      qresync: this.capabilities.qresync && !mailbox.noModseq && modseqOk,
      uidplus: this.capabilities.uidplus,
    });
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.pool.close();
  }
}

function hasFlag(flags: Set<string>, flag: string): boolean {
  const f = flag.toLowerCase();
  for (const x of flags) if (x.toLowerCase() === f) return true;
  return false;
}

/** LIST-STATUS entries -> folder states (entries without a usable STATUS are left out). */
function statesOf(entries: ListResponse[], condstore: boolean): Map<string, FolderState> {
  const out = new Map<string, FolderState>();
  for (const e of entries) {
    const s = e.status;
    if (!s || s.uidValidity === undefined || (s as { error?: unknown }).error) continue;
    const state: FolderState = { uidValidity: Number(s.uidValidity) };
    if (s.uidNext !== undefined) state.uidNext = s.uidNext;
    if (s.messages !== undefined) state.messages = s.messages;
    if (condstore && s.highestModseq !== undefined) state.highestModseq = String(s.highestModseq);
    out.set(e.path, state);
  }
  return out;
}
