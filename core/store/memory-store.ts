// An in-memory MailStore for scenario tests of the sync algorithm: folders of messages with
// UIDs, flags, UIDVALIDITY and a HIGHESTMODSEQ that moves like CONDSTORE's. It can simulate
// a crash (every call throws once a budget of mutations is spent). It never touches disk.

import { SyncError } from '../errors.js';
import {
  normalizeFlags,
  type ChangesSince, type FetchedMessage, type FlagChange, type FolderEntry, type FolderState,
  type MailStore, type MessageIdentity, type MessageInfo, type MoveResult, type NewMessage, type OpenFolder, type RemoveResult,
} from './mail-store.js';
import { identityOf } from './message-identity.js';
import { extractMessageId, readBody } from './raw-message.js';

export interface MemoryMessage {
  uid: number;
  body: Buffer;
  flags: string;
  date: Date;
  modseq: number;
}

export interface MemoryFolder {
  uidValidity: number;
  uidNext: number;
  modseq: number;
  messages: Map<number, MemoryMessage>;
  /** uid -> modseq at which it was expunged (for VANISHED). */
  expunged: Map<number, number>;
}

export class CrashError extends Error {
  constructor() { super('simulated crash'); this.name = 'CrashError'; }
}

export class MemoryStore implements MailStore {
  readonly kind = 'memory' as const;
  readonly capabilities: MailStore['capabilities'];
  readonly folders = new Map<string, MemoryFolder>();
  /** Mutations left before every call throws CrashError; Infinity = never. */
  crashBudget = Infinity;
  mutations = 0;

  constructor(readonly delimiter = '/', opts: { condstore?: boolean } = {}) {
    const condstore = opts.condstore ?? true;
    this.capabilities = { condstore, qresync: condstore, uidplus: true };
  }

  /** Test helper: put a message into a folder (created when missing) as another client would. */
  put(folder: string, body: string | Buffer, flags = '', date = new Date(0)): number {
    const f = this.folders.get(folder) ?? this.addFolder(folder);
    const uid = f.uidNext++;
    f.messages.set(uid, { uid, body: Buffer.from(body), flags: normalizeFlags(flags), date, modseq: ++f.modseq });
    return uid;
  }

  /** Test helper: change flags or expunge as another client would. */
  touch(folder: string, uid: number, flags: string | null): void {
    const f = this.folders.get(folder)!;
    if (flags === null) {
      f.messages.delete(uid);
      f.expunged.set(uid, ++f.modseq);
    } else {
      const m = f.messages.get(uid)!;
      m.flags = normalizeFlags(flags);
      m.modseq = ++f.modseq;
    }
  }

  private addFolder(name: string): MemoryFolder {
    const f: MemoryFolder = { uidValidity: 1000 + this.folders.size, uidNext: 1, modseq: 1, messages: new Map(), expunged: new Map() };
    this.folders.set(name, f);
    return f;
  }

  private check(): void {
    if (this.mutations >= this.crashBudget) throw new CrashError();
  }

  private mutate(): void {
    this.check();
    this.mutations++;
  }

  async connect(): Promise<void> { this.check(); }

  async listFolders(): Promise<FolderEntry[]> {
    this.check();
    return [...this.folders.keys()].map((name) => ({ name }));
  }

  async createFolder(name: string): Promise<void> {
    this.mutate();
    if (!this.folders.has(name)) this.addFolder(name);
  }

  async openFolder(name: string): Promise<OpenFolder> {
    this.check();
    const f = this.folders.get(name);
    if (!f) throw new SyncError('folder-missing', `Folder ${name} does not exist`, { scope: 'folder', retry: 'later' });
    const state: FolderState = {
      uidValidity: f.uidValidity, uidNext: f.uidNext, messages: f.messages.size,
      ...(this.capabilities.condstore ? { highestModseq: String(f.modseq) } : {}),
    };
    return new MemoryOpenFolder(this, name, f, state);
  }

  /** Internal: the shared crash check for MemoryOpenFolder. */
  guard(mutation: boolean): void {
    if (mutation) this.mutate(); else this.check();
  }

  async close(): Promise<void> {}
}

class MemoryOpenFolder implements OpenFolder {
  constructor(private readonly store: MemoryStore, readonly name: string, private readonly f: MemoryFolder, readonly state: FolderState) {}

  private info(m: MemoryMessage): MessageInfo {
    return { id: String(m.uid), flags: m.flags, size: m.body.length, date: m.date };
  }

  async listAll(opts?: { fromUid?: number }): Promise<MessageInfo[]> {
    this.store.guard(false);
    const from = opts?.fromUid ?? 0;
    return [...this.f.messages.values()].filter((m) => m.uid >= from).map((m) => this.info(m));
  }

  /** Like IMAP's UID SEARCH SINCE (by day, UTC). */
  async firstUidSince(day: Date): Promise<number | null> {
    this.store.guard(false);
    const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    let min: number | null = null;
    for (const m of this.f.messages.values()) if (m.date.getTime() >= start && (min === null || m.uid < min)) min = m.uid;
    return min;
  }

  async listChanges(modseq: string, knownIds: string[]): Promise<ChangesSince> {
    this.store.guard(false);
    const since = Number(modseq);
    const changed = [...this.f.messages.values()].filter((m) => m.modseq > since).map((m) => this.info(m));
    const vanished = knownIds.filter((id) => !this.f.messages.has(Number(id)));
    return { changed, vanished, highestModseq: String(this.f.modseq) };
  }

  async changesSince(modseq: string): Promise<ChangesSince | undefined> {
    if (!this.store.capabilities.qresync) return undefined;
    this.store.guard(false);
    const since = Number(modseq);
    const changed = [...this.f.messages.values()].filter((m) => m.modseq > since).map((m) => this.info(m));
    const vanished = [...this.f.expunged].filter(([, at]) => at > since).map(([uid]) => String(uid));
    return { changed, vanished, highestModseq: String(this.f.modseq) };
  }

  async messageIds(ids: string[]): Promise<Map<string, string>> {
    this.store.guard(false);
    const out = new Map<string, string>();
    for (const id of ids) {
      const m = this.f.messages.get(Number(id));
      const mid = m && extractMessageId(m.body);
      if (mid) out.set(id, mid);
    }
    return out;
  }

  async *fetch(ids: string[]): AsyncIterable<FetchedMessage> {
    for (const id of ids) {
      this.store.guard(false);
      const m = this.f.messages.get(Number(id));
      if (m) yield { id, flags: m.flags, date: m.date, size: m.body.length, body: m.body };
    }
  }

  async append(msg: NewMessage): Promise<string | null> {
    this.store.guard(true);
    let body = await readBody(msg.body);
    if (msg.token) body = Buffer.concat([Buffer.from(`X-TUID: ${msg.token}\r\n`), body]);
    const uid = this.f.uidNext++;
    this.f.messages.set(uid, { uid, body, flags: normalizeFlags(msg.flags), date: msg.date ?? new Date(0), modseq: ++this.f.modseq });
    return String(uid);
  }

  async flush(): Promise<void> { this.store.guard(false); }

  async findByToken(tokens: string[]): Promise<Map<string, string>> {
    this.store.guard(false);
    const out = new Map<string, string>();
    for (const m of this.f.messages.values()) {
      const hit = /^X-TUID: (\S+)\r\n/.exec(m.body.subarray(0, 100).toString('latin1'));
      if (hit && tokens.includes(hit[1]!)) out.set(hit[1]!, String(m.uid));
    }
    return out;
  }

  async setFlags(changes: FlagChange[]): Promise<void> {
    for (const c of changes) {
      this.store.guard(true);
      const m = this.f.messages.get(Number(c.id));
      if (!m) continue;
      m.flags = normalizeFlags([...m.flags].filter((x) => !c.remove.includes(x)).join('') + c.add);
      m.modseq = ++this.f.modseq;
    }
  }

  async remove(ids: string[]): Promise<RemoveResult> {
    for (const id of ids) {
      this.store.guard(true);
      if (this.f.messages.delete(Number(id))) this.f.expunged.set(Number(id), ++this.f.modseq);
    }
    return { kept: [] };
  }

  async identities(ids: string[]): Promise<Map<string, MessageIdentity>> {
    this.store.guard(false);
    const out = new Map<string, MessageIdentity>();
    for (const id of ids) { const m = this.f.messages.get(Number(id)); if (m) out.set(id, identityOf(m.body)); }
    return out;
  }

  /** The same as messageIds() here: a memory message is read whole anyway. */
  async identityMessageIds(ids: string[]): Promise<Map<string, string>> {
    return this.messageIds(ids);
  }

  /** Like UID MOVE with UIDPLUS: one message at a time (each one a mutation), new UIDs reported. */
  async moveTo(moves: Array<{ id: string }>, destName: string): Promise<MoveResult> {
    const dest = this.store.folders.get(destName);
    if (!dest) throw new SyncError('folder-missing', `Folder ${destName} does not exist`, { scope: 'folder', retry: 'later' });
    const out: MoveResult = { moved: [], ids: new Map(), uidValidity: dest.uidValidity };
    for (const { id } of moves) {
      this.store.guard(true);
      const m = this.f.messages.get(Number(id));
      if (!m) continue;
      const uid = dest.uidNext++;
      dest.messages.set(uid, { ...m, uid, modseq: ++dest.modseq });
      this.f.messages.delete(m.uid);
      this.f.expunged.set(m.uid, ++this.f.modseq);
      out.moved.push(id);
      out.ids.set(id, String(uid));
    }
    return out;
  }

  async linkFarUid(): Promise<void> { this.store.guard(false); }
  async release(): Promise<void> {}
}

