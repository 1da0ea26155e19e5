// The lean path for the two big commands of a sync, the listing (`UID FETCH 1:* (UID FLAGS
// RFC822.SIZE INTERNALDATE)`) and the bulk download (`UID FETCH <set> (UID BODY.PEEK[])`): the
// command is written and its answer read straight on a pooled connection's socket, borrowed
// from imapflow while it has nothing in flight and handed back right after the tagged answer. Responses are framed by lines and literals only
// (a literal that arrives whole is used in place, never copied), and fetch-response.ts reads the
// attributes. Every untagged response that is not a FETCH (EXISTS, EXPUNGE, VANISHED, BYE, …) is
// passed on to imapflow as it came, so its mailbox state and events stay what they would be.
// A line that cannot be read is counted as unreadable (the caller then fails the folder); a
// framing error, a literal above the limit or the consumer walking away retires the connection.
// imapflow's socket inactivity timeout stays armed and ends a stalled download.

import type { ImapFlow } from 'imapflow';
import type { Readable, Writable } from 'node:stream';
import { SyncError } from '../errors.js';
import type { PooledConnection } from './connection-pool.js';
import { announcedLiteral, isFetchLine, parseFetchResponse, type FetchedBody } from './fetch-response.js';

/** imapflow's own limit for one literal (1 GiB): nothing larger is read. */
const MAX_LITERAL = 1024 * 1024 * 1024;
/** A response line (outside literals) longer than this is not IMAP from a sane server. */
const MAX_LINE = 1024 * 1024;
/** Parsed rows (bodies, plus ROW_COST each) waiting for the consumer before the socket is paused. */
const HIGH_WATER = 512 * 1024;
const LOW_WATER = 128 * 1024;
const ROW_COST = 256;

/** What imapflow keeps that the lean path needs; not in its typings (pinned version 2.10.x). */
interface FlowInternals {
  socket?: Readable & { destroyed?: boolean };
  writeSocket?: Writable;
  streamer?: Writable & {
    state?: unknown; lineBytes?: number; inputQueue?: unknown[]; activeInput?: unknown; processingInput?: boolean;
    pendingPush?: unknown; readableLength?: number; destroyed?: boolean;
  };
  _inflate?: unknown;
  /** imapflow's logger (the -d imap trace reads its debug entries) and connection id. */
  log?: { debug?: (entry: object) => void };
  id?: string;
  currentRequest?: unknown;
  requestQueue?: unknown[];
  idling?: boolean;
  _processingResponse?: boolean;
}

let tagCounter = 0;
const CRLF = Buffer.from('\r\n', 'latin1');

function internals(client: ImapFlow): FlowInternals {
  return client as unknown as FlowInternals;
}

/** Turns of the event loop to wait for imapflow to finish reading what it was given. */
const SETTLE_TURNS = 50;

/** imapflow's response reader has read everything it was given. */
function settled(f: FlowInternals): boolean {
  const s = f.streamer!;
  return s.lineBytes === 0 && !s.inputQueue?.length && !s.activeInput && !s.processingInput && !s.pendingPush && !s.readableLength;
}

/** Waits a few turns of the event loop for settled(); false when it did not come. */
async function settle(f: FlowInternals): Promise<boolean> {
  for (let turn = 0; !settled(f); turn++) {
    if (turn >= SETTLE_TURNS || !f.streamer || f.streamer.destroyed) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/**
 * True when the connection's socket can be borrowed: no compression, the socket piped straight
 * into imapflow's response reader, nothing in flight and nothing half read. Right after a
 * command's promise settles imapflow is still finishing the chunk that held its tagged answer,
 * so this waits a few turns of the event loop for that.
 */
export async function canStreamFetch(conn: PooledConnection): Promise<boolean> {
  const f = internals(conn.client);
  const s = f.streamer, sock = f.socket;
  if (!s || !sock || s.destroyed || sock.destroyed || f._inflate || !f.writeSocket || f.writeSocket !== (sock as unknown)) return false;
  const pipes = (sock as unknown as { _readableState?: { pipes?: unknown[] } })._readableState?.pipes;
  if (!Array.isArray(pipes) || pipes.length !== 1 || pipes[0] !== s) return false;
  if (f.currentRequest || f.requestQueue?.length || f.idling) return false;
  return settle(f);
}

function cost(r: FetchedBody): number {
  return ROW_COST + (r.body?.length ?? 0);
}

class ProtocolError extends Error {
  readonly code = 'ParserError';
}

/** The tagged answer to one command. */
export interface TaggedAnswer {
  status: 'OK' | 'NO' | 'BAD';
  /** The response code's name, e.g. TRYCREATE, or APPENDUID with its arguments in `codeArgs`. */
  code?: string;
  codeArgs?: string;
  text: string;
}

/**
 * Runs `UID FETCH <set> (<items>)` on the borrowed socket and yields every FETCH response, in
 * the order they arrive (rows of other clients' flag changes included: the caller picks).
 * Rejects with imapflow-shaped errors (responseStatus/responseText for NO/BAD, the
 * connection's closing error) that mapCommandError() understands. The caller must have checked
 * canStreamFetch().
 */
export async function* streamFetch(conn: PooledConnection, uidSet: string, items: string): AsyncGenerator<FetchedBody> {
  const answers = yield* streamCommands(conn, [`UID FETCH ${uidSet} (${items})`]);
  if (answers[0]!.status !== 'OK') throw refusal(answers[0]!);
}

/**
 * Writes `commands` (each without its tag and final CRLF; a Buffer may hold a LITERAL+ literal)
 * at once, then reads until every one is answered. Returns their tagged answers in order;
 * FETCH rows read meanwhile (STORE's MODSEQ rows included) go to `onRow`, the first line of
 * every other untagged response to `onUntagged` (it still reaches imapflow). Connection failures
 * reject as streamFetch() does. The caller must have checked canStreamFetch().
 */
export async function runPipelined(conn: PooledConnection, commands: Array<string | Buffer>,
  onRow?: (row: FetchedBody) => void, onUntagged?: (line: string) => void): Promise<TaggedAnswer[]> {
  const it = streamCommands(conn, commands, onUntagged);
  for (;;) {
    const next = await it.next();
    if (next.done) return next.value;
    onRow?.(next.value);
  }
}

async function* streamCommands(conn: PooledConnection, commands: Array<string | Buffer>,
  onUntagged?: (line: string) => void): AsyncGenerator<FetchedBody, TaggedAnswer[]> {
  if (!commands.length) return [];
  const f = internals(conn.client);
  const sock = f.socket!, streamer = f.streamer!;
  const tags = new Map<string, number>();
  const answers: TaggedAnswer[] = [];
  const wire: Buffer[] = [];
  for (const [i, command] of commands.entries()) {
    const tag = `S${(++tagCounter).toString(36)}`;
    tags.set(tag, i);
    wire.push(Buffer.from(`${tag} `, 'latin1'), Buffer.isBuffer(command) ? command : Buffer.from(command, 'latin1'), CRLF);
  }
  let unanswered = commands.length;
  // The protocol trace (-d imap) sees these commands and answers as it sees imapflow's own.
  const debug = typeof f.log?.debug === 'function' ? f.log.debug.bind(f.log) : undefined;
  if (debug) {
    for (const [i, command] of commands.entries()) {
      const text = Buffer.isBuffer(command) ? command.toString('latin1', 0, Math.max(0, command.indexOf(0x0d))) : command;
      debug({ src: 'c', msg: `${[...tags.keys()][i]} ${text}`, cid: f.id });
      if (Buffer.isBuffer(command)) debug({ src: 'c', msg: `(* ${command.length - text.length - 2}B literal *)`, cid: f.id });
    }
  }

  const queue: FetchedBody[] = [];
  let queuedBytes = 0;
  let finished = false;
  let forwarded = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const signal = () => { const w = wake; wake = undefined; w?.(); };

  // Framing state: the response being read (its line pieces and literals), the partial line,
  // and the literal being filled.
  let pieces: string[] = [];
  let literals: Buffer[] = [];
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let lit: { total: number; filled: number; buf?: Buffer } | undefined;

  /** The command cannot end normally: the socket stays away from imapflow (the caller retires it). */
  const fail = (e: unknown) => {
    if (finished || failure !== undefined) return;
    failure = e;
    detach();
    signal();
  };
  const lost = () => fail(conn.closedBy ?? Object.assign(new Error('Connection closed'), { code: 'NoConnection' }));

  /** The tagged answer was read: the socket goes back to imapflow, with whatever followed it. */
  const handBack = (rest: Buffer | undefined) => {
    finished = true;
    detach();
    if (rest?.length) streamer.write(rest);
    sock.pipe(streamer);
  };

  const forward = () => {
    // An untagged response imapflow should see, rebuilt byte for byte from its pieces.
    const parts: Buffer[] = [];
    for (let i = 0; i < pieces.length; i++) {
      parts.push(Buffer.from(`${pieces[i]}\r\n`, 'latin1'));
      if (i < literals.length) parts.push(literals[i]!);
    }
    streamer.write(Buffer.concat(parts));
    forwarded = true;
  };

  /** A whole response (no literal pending) was read. Returns true when it answered the last command. */
  const response = (): boolean => {
    const first = pieces[0]!;
    debug?.({ src: 's', msg: pieces.map((p) => p.replace(/~?\{([0-9]+)\}$/, '"(* $1B literal *)"')).join(''), cid: f.id });
    const space = first.indexOf(' ');
    const index = first[0] === '*' || space < 0 ? undefined : tags.get(first.slice(0, space));
    if (index !== undefined) {
      if (answers[index]) { fail(new ProtocolError(`a command answered twice ("${first.slice(0, 60)}")`)); return false; }
      const m = /^\S+ (OK|NO|BAD)\b ?(?:\[([^\]]*)\] ?)?(.*)$/i.exec(first);
      if (!m) { fail(new ProtocolError(`unreadable tagged answer "${first.slice(0, 60)}"`)); return false; }
      const code = m[2]?.split(' ')[0]?.toUpperCase();
      answers[index] = { status: m[1]!.toUpperCase() as TaggedAnswer['status'], text: m[3] ?? '',
        ...(code ? { code } : {}), ...(m[2]?.includes(' ') ? { codeArgs: m[2].slice(m[2].indexOf(' ') + 1) } : {}) };
      return --unanswered === 0;
    }
    if (isFetchLine(first)) {
      const r = parseFetchResponse(pieces, literals);
      if (!r) conn.unreadable.note(first);
      else { queue.push(r); queuedBytes += cost(r); }
    } else if (first.startsWith('* ')) {
      onUntagged?.(first);
      forward();
    } else {
      conn.unreadable.note(first);
    }
    return false;
  };

  const onData = (chunk: Buffer) => {
    try {
      let pos = 0;
      while (pos < chunk.length && !finished && failure === undefined) {
        if (lit) {
          const n = Math.min(lit.total - lit.filled, chunk.length - pos);
          if (lit.filled === 0 && n === lit.total) {
            literals.push(chunk.subarray(pos, pos + n)); // whole in this chunk: used in place
          } else {
            lit.buf ??= Buffer.allocUnsafe(lit.total);
            chunk.copy(lit.buf, lit.filled, pos, pos + n);
            if (lit.filled + n === lit.total) literals.push(lit.buf);
          }
          lit.filled += n;
          pos += n;
          if (lit.filled === lit.total) lit = undefined;
          continue;
        }
        const lf = chunk.indexOf(0x0a, pos);
        if (lf < 0) {
          partial.push(chunk.subarray(pos));
          partialBytes += chunk.length - pos;
          if (partialBytes > MAX_LINE) throw new ProtocolError(`a response line longer than ${MAX_LINE} bytes`);
          break;
        }
        let line: string;
        if (partial.length) {
          partial.push(chunk.subarray(pos, lf + 1));
          const whole = Buffer.concat(partial);
          partial = [];
          partialBytes = 0;
          line = whole.toString('latin1', 0, whole.length - 1);
        } else {
          line = chunk.toString('latin1', pos, lf);
        }
        pos = lf + 1;
        if (line.endsWith('\r')) line = line.slice(0, -1);
        pieces.push(line);
        const size = announcedLiteral(line);
        if (size > MAX_LITERAL) throw new ProtocolError(`a literal of ${size} bytes announced (the limit is ${MAX_LITERAL})`);
        if (size > 0) { lit = { total: size, filled: 0 }; continue; }
        if (size === 0) { literals.push(Buffer.alloc(0)); continue; }
        const ended = response();
        pieces = [];
        literals = [];
        if (ended) handBack(pos < chunk.length ? chunk.subarray(pos) : undefined);
      }
      if (queuedBytes > HIGH_WATER && !finished && failure === undefined) {
        sock.pause();
        // The quiet is this side's: imapflow's inactivity timer re-arms instead of failing.
        f._processingResponse = true;
      }
    } catch (e) {
      conn.dead = true;
      fail(e);
      conn.client.close();
    }
    signal();
  };

  const onError = (e: unknown) => fail(conn.closedBy ?? e);
  function detach() {
    sock.removeListener('data', onData);
    sock.removeListener('close', lost);
    sock.removeListener('end', lost);
    conn.client.removeListener('close', lost);
    conn.client.removeListener('error', onError);
    f._processingResponse = false;
  }

  sock.unpipe(streamer);
  sock.on('data', onData);
  sock.once('close', lost);
  sock.once('end', lost);
  conn.client.once('close', lost);
  conn.client.once('error', onError);
  try {
    f.writeSocket!.write(Buffer.concat(wire));
    sock.resume();
    for (;;) {
      while (queue.length) {
        const m = queue.shift()!;
        queuedBytes -= cost(m);
        if (sock.isPaused() && queuedBytes < LOW_WATER && !finished && failure === undefined) {
          f._processingResponse = false;
          sock.resume();
        }
        yield m;
      }
      if (failure !== undefined) throw failure;
      if (finished) {
        // What was passed on (an EXPUNGE, a VANISHED) is in imapflow's state before the caller goes on.
        if (forwarded) await settle(f);
        return answers;
      }
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    if (!finished) {
      // The consumer left (or it failed) mid-response: the rest of the answer would reach
      // imapflow as garbage, so the connection is not handed back.
      detach();
      conn.dead = true;
      if (!conn.client.isClosed) conn.client.close();
      if (failure === undefined) failure = new SyncError('fetch-abandoned', 'The download was abandoned.', { scope: 'folder', retry: 'now' });
    }
  }
}

/** A tagged NO/BAD in the shape of imapflow's command errors (for mapCommandError). */
export function refusal(a: TaggedAnswer): Error {
  return Object.assign(new Error(`Command failed: ${a.text}`), { responseStatus: a.status, responseText: a.text, serverResponseCode: a.code });
}

/**
 * A mailbox name in wire form as an IMAP quoted string for a command written here, or undefined
 * when it is not printable ASCII (a UTF-8 name, a control character): imapflow sends those.
 */
export function quoteMailbox(name: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(name)) return undefined;
  return `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}
