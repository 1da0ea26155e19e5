// One IMAP folder SELECTed on one pooled connection (the OpenFolder of ImapStore): listing,
// CONDSTORE/QRESYNC change listing and pipelined body fetches (on the lean reader of
// fetch-stream.ts where the socket can be borrowed, else imapflow), Message-IDs and identities;
// the writing commands are in imap-folder-writes.ts. It never sends CLOSE, never runs a command
// while a fetch is streaming on its connection, and never outlives release().

import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type {
  ChangesSince, FetchedMessage, FlagChange, FolderState, MessageIdentity, MessageInfo, MoveResult, NewMessage, OpenFolder, RemoveResult,
} from '../store/mail-store.js';
import { SyncError } from '../errors.js';
import type { ConnectionPool, PooledConnection } from './connection-pool.js';
import { isConnectionLost, mapCommandError, unreadableResponse } from './imap-errors.js';
import { flagsToLetters } from './imap-flags.js';
import { toUids, uidSetChunks, validUid } from './uid-sets.js';
import { parseMessageId } from '../store/raw-message.js';
import { tuidHeaderSize } from '../store/message-identity.js';
import { appendMessage, appendMessages, moveMessages, removeMessages, storeFlags } from './imap-folder-writes.js';
import { encodePath } from 'imapflow/lib/tools.js';
import { canStreamFetch, quoteMailbox, refusal, runPipelined, streamFetch, type TaggedAnswer } from './fetch-stream.js';
import type { FetchedBody } from './fetch-response.js';

/** One row of a listing or a body download, from imapflow's fetch or from the lean reader. */
type Row = FetchMessageObject | FetchedBody;

export interface FolderCapabilities {
  condstore: boolean;
  qresync: boolean;
  uidplus: boolean;
}

/** UIDs per UID FETCH of bodies: one pipelined command streams this many messages. */
const FETCH_BATCH = 2000;

export class ImapFolder implements OpenFolder {
  private released = false;
  private streaming = false;
  /**
   * What listAll() saw of each UID. INTERNALDATE and RFC822.SIZE never change for a UID, so
   * fetch() asks the server only for the bodies of listed messages (less to parse per message).
   */
  private listed?: Map<number, MessageInfo>;

  constructor(
    readonly name: string,
    readonly state: FolderState,
    readonly conn: PooledConnection,
    private readonly pool: ConnectionPool,
    readonly caps: FolderCapabilities,
  ) {}

  get client(): ImapFlow {
    return this.conn.client;
  }

  /**
   * Runs one operation on the connection, mapping every failure to a SyncError. An answer with
   * a line imapflow could not parse (and skipped) may be incomplete: it fails the operation.
   */
  async op<T>(what: string, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    this.check();
    const unreadable = this.conn.unreadable.count;
    let out: T;
    try {
      out = await fn(this.client);
    } catch (e) {
      throw this.fail(e, what);
    }
    this.checkReadable(unreadable, what);
    return out;
  }

  /** Throws (and retires the connection) when unreadable lines arrived since `before`. */
  private checkReadable(before: number, what: string): void {
    if (this.conn.unreadable.count === before) return;
    this.conn.dead = true;
    throw unreadableResponse(what, this.name, `"${this.conn.unreadable.sample}"`);
  }

  /** A listed UID must be a 32-bit nz-number: imapflow leaves out what it cannot parse. */
  private checkUid(m: Row, what: string): asserts m is Row & { uid: number } {
    if (validUid(m.uid)) return;
    this.conn.dead = true;
    throw unreadableResponse(what, this.name, `a message with an invalid UID${m.uid === undefined ? '' : ` ${m.uid}`}`);
  }

  private check(): void {
    if (this.released) throw new SyncError('folder-released', `"${this.name}" was used after release()`, { scope: 'fatal', retry: 'now' });
    if (this.streaming) {
      throw new SyncError('connection-busy', `A command on "${this.name}" was started while a fetch was still streaming ` +
        'on the same connection (this would deadlock).', { scope: 'fatal', retry: 'now' });
    }
    if (!this.conn.alive) throw this.fail(new Error('Connection closed'), 'using the folder');
  }

  fail(e: unknown, what: string): SyncError {
    if (e instanceof SyncError) return e;
    if (isConnectionLost(e) || !this.conn.alive) this.conn.dead = true;
    if (!this.conn.dead) return mapCommandError(e, what, this.name);
    // Say what closed it (a timeout, an unreadable response) rather than only that it closed.
    return mapCommandError(this.conn.closedBy ?? Object.assign(new Error('Connection closed'), { code: 'NoConnection', cause: e }), what, this.name);
  }

  /** A command that reports failure by returning false (imapflow's STORE/EXPUNGE); op() says what was being done. */
  ensure(ok: boolean | undefined, command: string): void {
    if (ok) return;
    throw new Error(`${command} failed`);
  }

  /** The socket can be borrowed for pipelined commands (fetch-stream.ts). */
  async canPipeline(): Promise<boolean> {
    this.check();
    return canStreamFetch(this.conn);
  }

  /**
   * Sends `commands` in one round trip on the borrowed socket; every one must succeed. A refusal
   * is reported as imapflow's would be (the first one); the others may have taken effect.
   */
  async pipelined(what: string, commands: Array<string | Buffer>): Promise<TaggedAnswer[]> {
    const answers = await this.op(what, () => runPipelined(this.conn, commands));
    const refused = answers.find((a) => a.status !== 'OK');
    if (refused) throw this.fail(refusal(refused), what);
    return answers;
  }

  async listAll(opts?: { fromUid?: number }): Promise<MessageInfo[]> {
    return this.op('listing messages', async (c) => {
      const listed = new Map<number, MessageInfo>();
      this.listed = listed;
      if (c.mailbox && c.mailbox.exists === 0) return [];
      const range = opts?.fromUid !== undefined && opts.fromUid > 1 ? `${Math.floor(opts.fromUid)}:*` : '1:*';
      const rows: AsyncIterable<Row> = await canStreamFetch(this.conn)
        ? streamFetch(this.conn, range, 'UID FLAGS RFC822.SIZE INTERNALDATE')
        : c.fetch(range, { uid: true, flags: true, size: true, internalDate: true }, { uid: true });
      for await (const m of rows) {
        // "N:*" always matches the last message, even when its UID is below N.
        this.checkUid(m, 'listing messages');
        if (opts?.fromUid !== undefined && m.uid < opts.fromUid) continue;
        // A UID the server sends twice is one message (its last row wins).
        listed.set(m.uid, info(m, true));
      }
      return [...listed.values()];
    });
  }

  /** UID SEARCH SINCE: the lowest UID of a message that arrived on or after `day`; null when none did. */
  async firstUidSince(day: Date): Promise<number | null> {
    return this.op('searching by date', async (c) => {
      if (c.mailbox && c.mailbox.exists === 0) return null;
      const uids = await c.search({ since: day }, { uid: true });
      if (!Array.isArray(uids)) throw new Error('UID SEARCH SINCE failed');
      let min: number | null = null;
      for (const u of uids) if (min === null || u < min) min = u;
      return min;
    });
  }

  async listChanges(modseq: string, knownIds: string[]): Promise<ChangesSince> {
    checkModseq(modseq);
    return this.op('listing changes', async (c) => {
      const highestKnown = toUids(knownIds).pop() ?? 0;
      const { changed } = await this.fetchChanged(c, BigInt(modseq), highestKnown, this.state.uidNext);
      let vanished: string[];
      if (this.caps.qresync) {
        // VANISHED (EARLIER) answers of the FETCH and unsolicited VANISHED since SELECT both
        // arrive as imapflow 'expunge' events with a uid; the connection collects them.
        vanished = knownIds.filter((id) => this.conn.expunged.has(Number(id)));
      } else {
        const present = await c.search({ all: true }, { uid: true });
        if (!Array.isArray(present)) throw new Error('UID SEARCH ALL failed');
        const set = new Set(present);
        vanished = knownIds.filter((id) => !set.has(Number(id)));
      }
      const gone = new Set(vanished);
      const mailbox = c.mailbox || undefined;
      const highest = mailbox?.highestModseq ?? BigInt(this.state.highestModseq ?? modseq);
      return { changed: changed.filter((m) => !gone.has(m.id)), vanished, highestModseq: String(highest) };
    });
  }

  /**
   * QRESYNC only (else undefined): every UID reported expunged since SELECT or since `modseq`
   * (a superset is allowed), and the flags of messages changed or added since `modseq`. The
   * HIGHESTMODSEQ returned is read by STATUS *before* the listing, so every change up to it is
   * in the answer. Works after this handle's own writes (new UIDs above UIDNEXT included).
   */
  async changesSince(modseq: string, highestKnown: number): Promise<ChangesSince | undefined> {
    if (!this.caps.qresync) return undefined;
    checkModseq(modseq);
    return this.op('listing changes', async (c) => {
      // STATUS first, in the same round trip as the listing when the socket can be borrowed.
      const mailbox = quoteMailbox(encodePath(c, this.name));
      const lean = mailbox && await this.canListLean(c)
        ? await this.fetchChanged(c, BigInt(modseq), Math.max(0, Math.floor(highestKnown)), undefined, `STATUS ${mailbox} (HIGHESTMODSEQ)`)
        : undefined;
      let highest: bigint | undefined;
      let changed: MessageInfo[];
      if (lean?.status) {
        highest = lean.status.answer.status === 'OK' ? lean.status.highestModseq : undefined;
        changed = lean.changed;
      } else {
        const st = await c.status(this.name, { highestModseq: true });
        highest = st && typeof st.highestModseq === 'bigint' ? st.highestModseq : undefined;
        changed = highest === undefined ? [] : (await this.fetchChanged(c, BigInt(modseq), Math.max(0, Math.floor(highestKnown)))).changed;
      }
      // No HIGHESTMODSEQ (a server that took CONDSTORE back, a refused STATUS): not available.
      if (highest === undefined) return undefined;
      const vanished = [...this.conn.expunged].map(String);
      const gone = new Set(vanished);
      return { changed: changed.filter((m) => !gone.has(m.id)), vanished, highestModseq: String(highest) };
    });
  }

  /** The change listing can go through the lean reader (QRESYNC enabled, the socket borrowable). */
  private async canListLean(c: ImapFlow): Promise<boolean> {
    return this.caps.qresync && c.enabled.has('QRESYNC') && await canStreamFetch(this.conn);
  }

  /**
   * UID FETCH (FLAGS) (CHANGEDSINCE): the known UIDs by their own range, never "1:*" (Cyrus reads
   * * as the highest UID still present and would leave out the VANISHED of the newest message);
   * new messages from a second range above it, unless `uidNext` shows there are none.
   */
  private async fetchChanged(c: ImapFlow, since: bigint, highestKnown: number, uidNext?: number, status?: string):
    Promise<{ changed: MessageInfo[]; status?: { answer: TaggedAnswer; highestModseq?: bigint } }> {
    const changed: MessageInfo[] = [];
    const askNew = uidNext === undefined || uidNext > highestKnown + 1;
    if (!highestKnown && !askNew && !status) return { changed };
    if (await this.canListLean(c)) {
      // Every range (and a STATUS asked for) in one round trip; VANISHED (EARLIER) goes on to
      // imapflow (conn.expunged).
      const commands: string[] = status ? [status] : [];
      if (highestKnown) commands.push(`UID FETCH 1:${highestKnown} (UID FLAGS) (CHANGEDSINCE ${since} VANISHED)`);
      if (askNew) commands.push(`UID FETCH ${highestKnown + 1}:* (UID FLAGS) (CHANGEDSINCE ${since})`);
      const rows: FetchedBody[] = [];
      let highestModseq: bigint | undefined;
      const answers = await runPipelined(this.conn, commands, (r) => rows.push(r), (line) => {
        const m = status ? /^\* STATUS .*[( ]HIGHESTMODSEQ ([0-9]{1,19})[) ]/i.exec(line) : null;
        if (m) highestModseq = BigInt(m[1]!);
      });
      const refused = answers.slice(status ? 1 : 0).find((a) => a.status !== 'OK');
      if (refused) throw refusal(refused);
      // "N:*" always matches the last message, which then also comes from the first range.
      const seen = new Set<number>();
      for (const m of rows) {
        this.checkUid(m, 'listing changes');
        if (m.flags && !seen.has(m.uid)) { seen.add(m.uid); changed.push(info(m, false)); }
      }
      return { changed, ...(status ? { status: { answer: answers[0]!, ...(highestModseq !== undefined ? { highestModseq } : {}) } } : {}) };
    }
    if (highestKnown) {
      for await (const m of c.fetch(`1:${highestKnown}`, { uid: true, flags: true }, { uid: true, changedSince: since })) {
        this.checkUid(m, 'listing changes');
        if (m.flags && m.uid <= highestKnown) changed.push(info(m, false));
      }
    }
    if (askNew) {
      for await (const m of c.fetch(`${highestKnown + 1}:*`, { uid: true, flags: true }, { uid: true, changedSince: since })) {
        // "N:*" always matches the last message, even when its UID is below N.
        this.checkUid(m, 'listing changes');
        if (m.flags && m.uid > highestKnown) changed.push(info(m, false));
      }
    }
    return { changed };
  }

  async messageIds(ids: string[]): Promise<Map<string, string>> {
    return this.op('reading Message-IDs', async (c) => {
      const out = new Map<string, string>();
      for (const chunk of uidSetChunks(toUids(ids), 5000)) {
        for await (const m of c.fetch(chunk.set, { uid: true, headers: ['message-id'] }, { uid: true })) {
          const mid = m.headers && parseMessageId(m.headers.toString('latin1'));
          if (mid && m.uid) out.set(String(m.uid), mid);
        }
      }
      return out;
    });
  }

  /** RFC822.SIZE and the Message-ID / X-TUID header lines: the identity without the body. */
  async identities(ids: string[]): Promise<Map<string, MessageIdentity>> {
    return this.op('reading message identities', async (c) => {
      const out = new Map<string, MessageIdentity>();
      for (const chunk of uidSetChunks(toUids(ids), 5000)) {
        for await (const m of c.fetch(chunk.set, { uid: true, size: true, headers: ['message-id', 'x-tuid'] }, { uid: true })) {
          if (!validUid(m.uid) || typeof m.size !== 'number') continue;
          const header = m.headers ? m.headers.toString('latin1') : '';
          const mid = parseMessageId(header);
          const tuid = /^x-tuid:[ \t]*(\S+)/im.exec(header);
          const size = m.size - (tuid ? tuidHeaderSize(tuid[1]!) : 0);
          out.set(String(m.uid), mid ? { messageId: mid, size } : { size });
        }
      }
      return out;
    });
  }

  async moveTo(moves: Array<{ id: string }>, destName: string): Promise<MoveResult> {
    return moveMessages(this, moves, destName);
  }

  /** Flags, date and size come from the listing for messages listAll() saw (flags as they were then). */
  async *fetch(ids: string[]): AsyncIterable<FetchedMessage> {
    for (const chunk of uidSetChunks(toUids(ids), FETCH_BATCH)) {
      const listed = this.listed;
      const known = !!listed && chunk.uids.every((u) => { const l = listed.get(u); return !!l && !!l.date && l.size !== undefined; });
      yield* this.fetchSet(chunk.set, new Set(chunk.uids), known ? listed : undefined);
    }
  }

  /**
   * Every message of the folder with its flags, date and size, in one `UID FETCH 1:*` without
   * a listing first (the first download of a folder: one round trip and no listing in memory).
   */
  async *fetchAll(): AsyncIterable<FetchedMessage> {
    this.check();
    if (this.client.mailbox && this.client.mailbox.exists === 0) return;
    yield* this.fetchSet('1:*');
  }

  /**
   * One UID FETCH of bodies: only the `wanted` UIDs (each once) when given, else every valid
   * UID once; with `listed`, only the bodies are asked for and the rest comes from the listing.
   */
  private async *fetchSet(set: string, wanted?: Set<number>, listed?: Map<number, MessageInfo>): AsyncIterable<FetchedMessage> {
    this.check();
    const seen = new Set<number>();
    // Until this generator ends, any other command on this folder would queue behind the
    // FETCH, which waits for this consumer: check() refuses it instead of deadlocking.
    this.streaming = true;
    const unreadable = this.conn.unreadable.count;
    // The lean reader when the socket can be borrowed (fetch-stream.ts), else imapflow's fetch.
    const it: AsyncIterator<Row> = await canStreamFetch(this.conn)
      ? streamFetch(this.conn, set, listed ? 'UID BODY.PEEK[]' : 'UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]')
      : this.client.fetch(set, listed ? { uid: true, source: true }
        : { uid: true, flags: true, internalDate: true, size: true, source: true }, { uid: true })[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Row, unknown>;
        try {
          next = await it.next();
        } catch (e) {
          throw this.fail(e, 'downloading messages');
        }
        if (next.done) break;
        const m = next.value;
        // Unsolicited FETCH responses (flag changes by others) carry no body: skip them.
        // A server that sends a message twice must not make it delivered twice.
        const body = (m as FetchMessageObject).source ?? (m as FetchedBody).body;
        if (!body) continue;
        if (wanted) {
          if (m.uid === undefined || !wanted.delete(m.uid)) continue;
        } else {
          this.checkUid(m, 'downloading messages');
          if (seen.has(m.uid)) continue;
          seen.add(m.uid);
        }
        const uid = m.uid as number;
        const l = listed?.get(uid);
        if (l) {
          yield { id: String(uid), flags: l.flags, date: l.date, size: l.size, body };
          continue;
        }
        const date = m.internalDate instanceof Date ? m.internalDate : undefined;
        const size = typeof m.size === 'number' && Number.isSafeInteger(m.size) ? m.size : body.length;
        yield { id: String(uid), flags: flagsToLetters(m.flags), date, size, body };
      }
    } finally {
      this.streaming = false;
      await it.return?.(undefined);
    }
    // What was delivered is good; a skipped line may have been a message that is now missing.
    this.checkReadable(unreadable, 'downloading messages');
  }

  async append(msg: NewMessage): Promise<string | null> {
    return appendMessage(this, msg);
  }

  async appendBatch(msgs: NewMessage[]): Promise<Array<string | null | SyncError>> {
    return appendMessages(this, msgs);
  }

  async flush(): Promise<void> {}

  async findByToken(tokens: string[]): Promise<Map<string, string>> {
    return this.op('searching upload tokens', async (c) => {
      const out = new Map<string, string>();
      for (const token of tokens) {
        if (!/^[\x21-\x7e]{1,200}$/.test(token)) continue;
        const uids = await c.search({ header: { 'X-TUID': token } }, { uid: true });
        if (!Array.isArray(uids)) throw new Error('UID SEARCH HEADER failed');
        if (uids.length) out.set(token, String(Math.min(...uids)));
      }
      return out;
    });
  }

  async setFlags(changes: FlagChange[]): Promise<void> {
    return storeFlags(this, changes);
  }

  async remove(ids: string[]): Promise<RemoveResult> {
    return removeMessages(this, ids);
  }

  async linkFarUid(): Promise<void> {}

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.listed = undefined;
    // A FETCH still streaming to an abandoned consumer would block the next user of this
    // connection forever: close it instead of handing it back.
    if (this.streaming) this.conn.dead = true;
    this.pool.release(this.conn);
  }
}

function checkModseq(modseq: string): void {
  if (!/^[0-9]+$/.test(modseq)) throw new SyncError('invalid-modseq', `Invalid modseq "${modseq}"`, { scope: 'folder', retry: 'now' });
}

function info(m: Row, withMeta: boolean): MessageInfo {
  const out: MessageInfo = { id: String(m.uid), flags: flagsToLetters(m.flags) };
  if (withMeta) {
    if (typeof m.size === 'number') out.size = m.size;
    if (m.internalDate instanceof Date) out.date = m.internalDate;
  }
  return out;
}
