// Line endings between a message's two forms: IMAP's wire form (CRLF, RFC 3501) and the Maildir
// form (LF, as OfflineIMAP, mbsync, Dovecot, mutt and notmuch write it). Converts one Buffer in
// a single pass (crlf-simd.ts takes most bodies), or a stream chunk by chunk (a CR at the end of
// a chunk waits for the next one to show whether an LF follows), never by building strings. Only
// line ends change: a lone CR stays, an existing CRLF is never doubled, a body without anything
// to convert is returned as is.

import { crlfToLfSimd } from './crlf-simd.js';

type Body = Buffer | AsyncIterable<Buffer>;

const CR = 0x0d;
const LF = 0x0a;
const CR_ONLY = Buffer.from('\r', 'latin1');

// Hot (every message of a sync): indexOf() of a single byte is memchr, and set() of a subarray
// is a memcpy; both beat a byte loop and a two-byte pattern search (measured).

/** CRLF -> LF in one buffer (the same buffer when it holds no CRLF). */
export function crlfToLf(buf: Buffer): Buffer {
  const fast = crlfToLfSimd(buf);
  if (fast) return fast.length === buf.length ? buf : fast;
  return crlfToLfScalar(buf);
}

/** The same in JavaScript, for bodies the SIMD path does not take. */
export function crlfToLfScalar(buf: Buffer): Buffer {
  let at = buf.indexOf(LF);
  while (at === 0 || (at > 0 && buf[at - 1] !== CR)) at = buf.indexOf(LF, at + 1);
  if (at < 0) return buf;
  const out = Buffer.allocUnsafe(buf.length - 1);
  let from = 0, len = 0;
  for (; at >= 0; at = buf.indexOf(LF, at + 1)) {
    if (at === 0 || buf[at - 1] !== CR) continue;
    out.set(buf.subarray(from, at - 1), len); // up to the CR, which is dropped
    len += at - 1 - from;
    from = at; // the LF is copied with the next segment
  }
  out.set(buf.subarray(from), len);
  return out.subarray(0, len + buf.length - from);
}

/**
 * LF -> CRLF for every LF without a CR before it. `afterCr`: the byte before `buf` (the end of
 * the previous chunk) was a CR. Returns the same buffer when there is nothing to add.
 */
export function lfToCrlf(buf: Buffer, afterCr = false): Buffer {
  let bare = 0;
  for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) {
    if (i > 0 ? buf[i - 1] !== CR : !afterCr) bare++;
  }
  if (!bare) return buf;
  const out = Buffer.allocUnsafe(buf.length + bare);
  let from = 0, len = 0;
  for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) {
    if (i > 0 ? buf[i - 1] === CR : afterCr) continue;
    out.set(buf.subarray(from, i), len);
    len += i - from;
    out[len++] = CR;
    from = i; // the LF is copied with the next segment
  }
  out.set(buf.subarray(from), len);
  return out;
}

/** A body in Maildir form (LF): a Buffer stays a Buffer, a stream stays a stream. */
export function toLf(body: Body): Body {
  return Buffer.isBuffer(body) ? crlfToLf(body) : streamToLf(body);
}

/** A body in wire form (CRLF): a Buffer stays a Buffer, a stream stays a stream. */
export function toCrlf(body: Body): Body {
  return Buffer.isBuffer(body) ? lfToCrlf(body) : streamToCrlf(body);
}

async function* streamToLf(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let heldCr = false;
  for await (const chunk of chunks) {
    if (!chunk.length) continue;
    // A CR held from the previous chunk is dropped when this one starts with its LF.
    if (heldCr && chunk[0] !== LF) yield CR_ONLY;
    heldCr = chunk[chunk.length - 1] === CR;
    const part = heldCr ? chunk.subarray(0, chunk.length - 1) : chunk;
    if (part.length) yield crlfToLf(part);
  }
  if (heldCr) yield CR_ONLY;
}

async function* streamToCrlf(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let afterCr = false;
  for await (const chunk of chunks) {
    if (!chunk.length) continue;
    yield lfToCrlf(chunk, afterCr);
    afterCr = chunk[chunk.length - 1] === CR;
  }
}
