// One open Maildir folder (OpenFolder): lists cur/ and new/, keeps the map id -> current file,
// renames files for flag changes and far-UID links, unlinks, reads files as they are, and
// batches deliveries in LF (append() writes to tmp/, flush() makes them durable and visible;
// the engine calls flush() before it records their status rows). It must never change a
// message's id (the unique part of its name), never drop flag letters it does not know, and
// never show a delivered file in cur/ or new/ before its data is synced.

import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../errors.js';
import {
  normalizeFlags,
  type ChangesSince, type FetchedMessage, type FlagChange, type FolderState, type MessageIdentity, type MessageInfo,
  type MoveResult, type NewMessage, type OpenFolder, type RemoveResult,
} from '../store/mail-store.js';
import { commitBatch, syncDirs, writeToTmp, type PendingFile } from './delivery.js';
import { buildName, folderMd5, newUnique, onlyEngineFlags, parseName, withFarUid, withFlags, type InfoSeparator } from './filename.js';
import { mailTimestampOf } from './message-header.js';
import { scanFolder, settledToken, type Entry } from './folder-scan.js';
import { NameDigest } from './name-digest.js';
import { errnoOf, fsError } from './maildir-errors.js';
import { BATCH_BYTES, BATCH_FILES, LARGE_BODY, type MessageDir } from './maildir-layout.js';
import { identityMessageIdOf, messageIdOf, readHeader } from './message-header.js';
import { identityOf } from '../store/message-identity.js';

/** Per call: whether the folder was rescanned already after a file went missing. */
interface Retry { rescanned: boolean }

export class MaildirFolder implements OpenFolder {
  readonly namesFarUid = true;
  private entries = new Map<string, Entry>();
  private scanned = false;
  /** Listings so far; a second one may have seen changes the plan did not act on. */
  private scans = 0;
  private readonly ownMd5: string;
  /** FMD5 values whose U= counts as a far UID hint (see folder-scan.ts). */
  private accepted: Set<string>;
  /** The FMD5 written into new names: the inferred one when there is one, else ours. */
  private writeMd5: string;
  /**
   * Set by useKnown(): the folder was not listed; `entries` holds only the messages asked for,
   * and this digest follows the folder's file names through this handle's own changes.
   */
  private known?: { digest: NameDigest; changed: boolean };
  private pending: PendingFile[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string, readonly name: string, readonly state: FolderState,
    private readonly opts: { fsync: boolean; host: string; infoSep?: InfoSeparator; mailTimestamp?: boolean; utimeFromHeader?: boolean;
      /** Opens another folder of the same store (the destination of moveTo()). */
      openSibling?: (name: string) => Promise<OpenFolder>;
      /** True for the FMD5 of another folder of the store (a file moved in from there). */
      otherMd5?: (md5: string) => boolean }) {
    this.ownMd5 = folderMd5(name);
    this.accepted = new Set([this.ownMd5]);
    this.writeMd5 = this.ownMd5;
  }

  /** Lists cur/ and new/ and rebuilds the id map (pending deliveries stay in it). */
  private async scan(withSize: boolean): Promise<MessageInfo[]> {
    const r = await scanFolder(this.dir, this.name, this.ownMd5, withSize, this.opts.otherMd5);
    for (const f of this.pending) r.entries.set(f.id, { dir: 'tmp', name: f.name });
    this.entries = r.entries;
    this.accepted = r.accepted;
    this.writeMd5 = r.writeMd5;
    this.scanned = true;
    this.scans++;
    return r.infos;
  }

  private path(e: Entry): string {
    return path.join(this.dir, e.dir, e.name);
  }

  /**
   * Runs `op` on the file of `id`. When the id is unknown or its file is gone (another program
   * renamed it), rescans once per call and tries again. Returns false when the message is gone.
   */
  private async attempt(id: string, retry: Retry, op: (e: Entry) => void): Promise<boolean> {
    if (!this.scanned && !(this.known && this.entries.has(id))) { await this.scan(false); retry.rescanned = true; }
    for (;;) {
      const e = this.entries.get(id);
      if (e) {
        try {
          op(e);
          return true;
        } catch (err) {
          if (errnoOf(err) !== 'ENOENT') throw fsError(err, 'working on', this.path(e), this.name);
        }
      }
      if (retry.rescanned) return false;
      await this.scan(false);
      retry.rescanned = true;
    }
  }

  private missing(ids: string[], what: string): SyncError {
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, … (${ids.length} in all)` : '');
    return new SyncError('message-missing', `Cannot ${what} in ${this.name}: no file for ${shown} any more ` +
      '(another program moved or deleted it). The next sync picks up the change.', { scope: 'message', retry: 'later', folder: this.name });
  }

  async listAll(opts?: { withSize?: boolean }): Promise<MessageInfo[]> {
    return this.scan(opts?.withSize ?? false);
  }

  async listChanges(): Promise<ChangesSince> {
    throw new SyncError('not-supported', 'A Maildir has no CONDSTORE change listing (state.highestModseq is never set).',
      { scope: 'folder', retry: 'needs-user', folder: this.name });
  }

  async messageIds(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const retry: Retry = { rescanned: false };
    for (const id of ids) {
      await this.attempt(id, retry, (e) => {
        const mid = messageIdOf(readHeader(this.path(e)));
        if (mid) out.set(id, mid);
      });
    }
    return out;
  }

  async *fetch(ids: string[]): AsyncIterable<FetchedMessage> {
    const retry: Retry = { rescanned: false };
    for (const id of ids) {
      let msg: FetchedMessage | undefined;
      await this.attempt(id, retry, (e) => { msg = this.read(id, e); });
      if (msg) yield msg;
    }
  }

  /** One open + fstat + read; files over 1 MB come as a stream that owns the descriptor. */
  private read(id: string, e: Entry): FetchedMessage {
    const fd = fs.openSync(this.path(e), 'r');
    let handedOver = false;
    try {
      const st = fs.fstatSync(fd);
      const base = { id, flags: parseName(e.name)?.flags ?? '', date: st.mtime, size: st.size };
      if (st.size > LARGE_BODY) {
        const stream = fs.createReadStream('', { fd, autoClose: true, highWaterMark: 256 * 1024 });
        handedOver = true;
        return { ...base, body: stream as AsyncIterable<Buffer> };
      }
      const buf = Buffer.allocUnsafe(st.size);
      let off = 0;
      while (off < st.size) {
        const n = fs.readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      return { ...base, size: off, body: off === st.size ? buf : buf.subarray(0, off) };
    } finally {
      if (!handedOver) fs.closeSync(fd);
    }
  }

  async append(msg: NewMessage): Promise<string | null> {
    if (!this.scanned && !this.known) await this.scan(false);
    const flags = onlyEngineFlags(msg.flags);
    let far: { uid: number; fmd5: string } | undefined;
    if (msg.farUid !== undefined) {
      if (!Number.isSafeInteger(msg.farUid) || msg.farUid <= 0) {
        throw new SyncError('bad-far-uid', `Cannot store a message with far UID ${msg.farUid} in ${this.name}.`,
          { scope: 'message', retry: 'needs-user', folder: this.name });
      }
      far = { uid: msg.farUid, fmd5: this.writeMd5 };
    }
    let unique = '';
    // filename_use_mail_timestamp: the Date: header (a streamed large body: its arrival time).
    const header = (this.opts.mailTimestamp || this.opts.utimeFromHeader) && Buffer.isBuffer(msg.body) ? mailTimestampOf(msg.body) : undefined;
    const stamp = this.opts.mailTimestamp ? header ?? msg.date : undefined;
    // utime_from_header: the file time is the Date: header instead of the arrival time.
    const mtime = this.opts.utimeFromHeader ? header ?? msg.date : msg.date;
    const nextName = () => {
      unique = newUnique(this.opts.host, stamp && stamp.getTime() > 0 ? stamp.getTime() : Date.now());
      return buildName(unique, flags, far, this.opts.infoSep);
    };
    // Maildir files use LF (OfflineIMAP, mbsync, mutt, notmuch): CRLF from the wire is converted while written.
    const w = await writeToTmp(this.dir, nextName, msg.body, mtime, this.opts.fsync, this.name);
    this.pending.push({ id: unique, name: w.name, target: flags.includes('S') ? 'cur' : 'new', fd: w.fd, size: w.size });
    this.pendingBytes += w.size;
    this.entries.set(unique, { dir: 'tmp', name: w.name });
    if (this.pending.length >= BATCH_FILES || this.pendingBytes >= BATCH_BYTES) await this.flush();
    return unique;
  }

  flush(): Promise<void> {
    const run = this.flushing.then(() => this.commitPending());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async commitPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (!batch.length) return;
    try {
      await commitBatch(this.dir, batch, this.opts.fsync, this.name);
    } finally {
      for (const f of batch) {
        if (f.moved) this.entries.set(f.id, { dir: f.target, name: f.name });
        else this.entries.delete(f.id);
        if (f.moved) this.track(undefined, { dir: f.target, name: f.name });
      }
    }
  }

  async findByToken(): Promise<Map<string, string>> {
    return new Map();
  }

  /**
   * Renames within the folder; the file goes to cur/ when the new flags hold S, else to new/
   * (OfflineIMAP's rule). Every change that can be applied is; then the first message-level
   * failure (a vanished file, a name clash between copies) is thrown.
   */
  async setFlags(changes: FlagChange[]): Promise<void> {
    if (this.pending.length) await this.flush();
    const retry: Retry = { rescanned: false };
    const missing: string[] = [];
    const touched = new Set<MessageDir>();
    let failure: SyncError | undefined;
    for (const c of changes) {
      try {
        const found = await this.attempt(c.id, retry, (e) => {
          const p = parseName(e.name)!;
          const flags = onlyEngineFlags([...normalizeFlags(p.flags + c.add)].filter((f) => !c.remove.includes(f)).join(''));
          if (flags === p.flags) return;
          const dir: MessageDir = flags.includes('S') ? 'cur' : 'new';
          this.rename(c.id, e, dir, withFlags(p, flags, this.opts.infoSep), touched);
        });
        if (!found) missing.push(c.id);
      } catch (e) {
        if (!(e instanceof SyncError) || e.scope !== 'message') throw e;
        failure ??= e;
      }
    }
    if (this.opts.fsync && touched.size) await syncDirs(this.dir, touched, this.name);
    if (missing.length) throw this.missing(missing, 'change flags');
    if (failure) throw failure;
  }

  private rename(id: string, e: Entry, dir: MessageDir, name: string, touched?: Set<MessageDir>): void {
    if (dir === e.dir && name === e.name) return;
    const to = path.join(this.dir, dir, name);
    // Without a listing (useKnown) a copy of the message may exist unseen: check every time.
    if ((e.dup || this.known) && fs.existsSync(to)) {
      throw new SyncError('maildir-name-clash', `Cannot rename ${this.path(e)} to ${to} in ${this.name}: a copy of the ` +
        'message already has that name. Remove one of the copies.', { scope: 'message', retry: 'needs-user', folder: this.name });
    }
    fs.renameSync(this.path(e), to);
    this.track(e, { dir, name });
    if (e.dir !== 'tmp') touched?.add(e.dir);
    touched?.add(dir);
    this.entries.set(id, { ...e, dir, name });
  }

  async remove(ids: string[]): Promise<RemoveResult> {
    if (this.pending.length) await this.flush();
    const retry: Retry = { rescanned: false };
    const touched = new Set<MessageDir>();
    for (const id of ids) {
      await this.attempt(id, retry, (e) => {
        fs.unlinkSync(this.path(e));
        this.track(e, undefined);
        if (e.dir !== 'tmp') touched.add(e.dir);
        this.entries.delete(id);
      });
    }
    if (this.opts.fsync && touched.size) await syncDirs(this.dir, touched, this.name);
    return { kept: [] };
  }

  /** Reads each file whole: the wire size counts a CR for every bare LF. */
  async identities(ids: string[]): Promise<Map<string, MessageIdentity>> {
    if (this.pending.length) await this.flush();
    const out = new Map<string, MessageIdentity>();
    const retry: Retry = { rescanned: false };
    for (const id of ids) await this.attempt(id, retry, (e) => { out.set(id, identityOf(fs.readFileSync(this.path(e)))); });
    return out;
  }

  /** The Message-ID of identities(), from the start of each file only (see identityMessageIdOf). */
  async identityMessageIds(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const retry: Retry = { rescanned: false };
    for (const id of ids) {
      await this.attempt(id, retry, (e) => { const mid = identityMessageIdOf(this.path(e)); if (mid) out.set(id, mid); });
    }
    return out;
  }

  /**
   * Renames files into another folder of this store (same cur/ or new/, same unique part, same
   * flags), naming the far UID and the destination's FMD5 when farUid is given. A file whose
   * unique part the destination already holds stays where it is. Destination directory first,
   * then this one, are fsynced.
   */
  async moveTo(moves: Array<{ id: string; farUid?: number }>, destName: string): Promise<MoveResult> {
    if (!this.opts.openSibling) {
      throw new SyncError('not-supported', 'This Maildir folder cannot move messages.', { scope: 'folder', retry: 'needs-user', folder: this.name });
    }
    if (this.pending.length) await this.flush();
    const dest = await this.opts.openSibling(destName);
    if (!(dest instanceof MaildirFolder)) throw new SyncError('not-supported', `${destName} is not a Maildir folder.`, { scope: 'folder', retry: 'needs-user' });
    const out: MoveResult = { moved: [], ids: new Map() };
    const touched = new Set<MessageDir>(), destTouched = new Set<MessageDir>();
    try {
      await dest.scan(false);
      const retry: Retry = { rescanned: false };
      for (const m of moves) {
        if (m.farUid !== undefined && (!Number.isSafeInteger(m.farUid) || m.farUid <= 0)) continue;
        await this.attempt(m.id, retry, (e) => {
          if (e.dir === 'tmp') return;
          const p = parseName(e.name)!;
          if (dest.entries.has(p.unique)) return;
          const name = m.farUid !== undefined ? withFarUid(p, m.farUid, dest.writeMd5, this.opts.infoSep) : e.name;
          fs.renameSync(this.path(e), path.join(dest.dir, e.dir, name));
          touched.add(e.dir);
          destTouched.add(e.dir);
          this.entries.delete(m.id);
          dest.entries.set(p.unique, { dir: e.dir, name });
          out.moved.push(m.id);
          out.ids.set(m.id, p.unique);
        });
      }
      if (this.opts.fsync && destTouched.size) await syncDirs(dest.dir, destTouched, destName);
      if (this.opts.fsync && touched.size) await syncDirs(this.dir, touched, this.name);
    } finally {
      await dest.release();
    }
    return out;
  }

  /** Inserts `,U=<farUid>,FMD5=<md5>` right after the unique part (OfflineIMAP picks a new unique part; we keep the id). */
  async linkFarUid(id: string, farUid: number): Promise<void> {
    if (!Number.isSafeInteger(farUid) || farUid <= 0) {
      throw new SyncError('bad-far-uid', `Cannot link ${id} in ${this.name} to far UID ${farUid}.`,
        { scope: 'message', retry: 'needs-user', folder: this.name });
    }
    if (this.pending.length) await this.flush();
    const found = await this.attempt(id, { rescanned: false }, (e) => {
      const p = parseName(e.name)!;
      if (p.uid === farUid && p.fmd5 === this.writeMd5) return;
      this.rename(id, e, e.dir as MessageDir, withFarUid(p, farUid, this.writeMd5, this.opts.infoSep));
    });
    if (!found) throw this.missing([id], `record far UID ${farUid}`);
  }

  changeTokenCheck(): (() => Promise<{ token: string; memo: string } | undefined>) | undefined {
    if (!this.scanned && !this.known) return undefined;
    // After a rescan the id map holds changes by others that nobody acted on: no check then.
    if (this.scans !== (this.known ? 0 : 1) || this.pending.length) return undefined;
    let expected: NameDigest;
    if (this.known) {
      expected = this.known.digest.clone();
    } else {
      expected = new NameDigest();
      for (const e of this.entries.values()) {
        if (e.dir === 'tmp') return undefined;
        expected.add(`${e.dir}/${e.name}`);
      }
    }
    const memo = JSON.stringify({ v: 1, md5: this.writeMd5, accepted: [...this.accepted], n: expected.n, a: expected.a, b: expected.b });
    const dir = this.dir, opened = this.state.changeToken;
    // Nothing written without a listing: the folder is as the last sync left it when its token
    // is still the one seen at the open (a change by another program since then changes it).
    if (this.known && !this.known.changed && opened !== undefined) return async () => ({ token: opened, memo });
    return async () => {
      const token = await settledToken(dir, expected);
      return token === undefined ? undefined : { token, memo };
    };
  }

  async useKnown(memo: string, known: Array<{ id: string; flags: string; farUid: number }>): Promise<Map<string, MessageInfo> | undefined> {
    if (this.scanned || this.scans || this.pending.length) return undefined;
    let m: { v?: unknown; md5?: unknown; accepted?: unknown; n?: unknown; a?: unknown; b?: unknown };
    try { m = JSON.parse(memo) as typeof m; } catch { return undefined; }
    const hex = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{32}$/.test(x);
    const u32 = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
    if (m.v !== 1 || !hex(m.md5) || !Array.isArray(m.accepted) || !m.accepted.every(hex) || !m.accepted.includes(m.md5)
      || !Number.isSafeInteger(m.n) || (m.n as number) < 0 || !u32(m.a) || !u32(m.b)) return undefined;
    const entries = new Map<string, Entry>();
    const out = new Map<string, MessageInfo>();
    for (const k of known) {
      // Only plain unique parts: the ids of copies (disambiguated) need the listing.
      if (!/^[^,:!/]+$/.test(k.id) || !Number.isSafeInteger(k.farUid) || k.farUid <= 0) return undefined;
      const flags = onlyEngineFlags(k.flags);
      const dirs: MessageDir[] = flags.includes('S') ? ['cur', 'new'] : ['new', 'cur'];
      let found: Entry | undefined;
      for (const fmd5 of m.accepted as string[]) {
        const name = buildName(k.id, flags, { uid: k.farUid, fmd5 }, this.opts.infoSep);
        const dir = dirs.find((d) => fs.existsSync(path.join(this.dir, d, name)));
        if (dir) { found = { dir, name }; break; }
      }
      if (!found) return undefined;
      entries.set(k.id, found);
      out.set(k.id, { id: k.id, flags });
    }
    this.entries = entries;
    this.accepted = new Set(m.accepted as string[]);
    this.writeMd5 = m.md5;
    this.known = { digest: new NameDigest(m.n as number, m.a, m.b), changed: false };
    return out;
  }

  /** Without a listing: follows a file's move (from, to; either absent) in the digest. */
  private track(from: Entry | undefined, to: Entry | undefined): void {
    if (!this.known) return;
    this.known.changed = true;
    if (from && from.dir !== 'tmp') this.known.digest.remove(`${from.dir}/${from.name}`);
    if (to && to.dir !== 'tmp') this.known.digest.add(`${to.dir}/${to.name}`);
  }

  /** Flushes what append() left pending (those files name their far UID), then drops the id map. */
  async release(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.entries.clear();
      this.scanned = false;
      this.known = undefined;
    }
  }
}
