// Reads the Message-ID of a message file from its header block only: at most 64 KB from the
// start, stopping at the first blank line, with folded header lines unfolded and the field
// name matched case-insensitively. It must never read a message body, nor throw for a file
// that has no Message-ID (it returns null). identityMessageIdOf() is the one exception: it
// gives the identity's Message-ID (message-identity.ts) and may read into the first 64 KB of a
// body when the header has none, as that parse does.

import fs from 'node:fs';
import { HEADER_LIMIT } from './maildir-layout.js';
import { extractMessageId, parseMessageId } from '../store/raw-message.js';

const FIRST_READ = 16 * 1024;
// One buffer for every read: readHeader() is synchronous, so it is never used twice at once.
const buf = Buffer.allocUnsafe(HEADER_LIMIT);

function headerEnd(length: number): number {
  const view = buf.subarray(0, length);
  if (view.length >= 2 && (view[0] === 0x0a || (view[0] === 0x0d && view[1] === 0x0a))) return 0;
  const lf = view.indexOf('\n\n');
  const crlf = view.indexOf('\r\n\r\n');
  if (lf < 0) return crlf;
  return crlf < 0 ? lf : Math.min(lf, crlf);
}

/** The header block of a file (latin1), read synchronously; throws the fs error (ENOENT …). */
export function readHeader(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    let length = 0;
    let want = FIRST_READ;
    for (;;) {
      const n = fs.readSync(fd, buf, length, want - length, length);
      length += n;
      const end = headerEnd(length);
      if (end >= 0) return buf.toString('latin1', 0, end);
      if (n === 0 || length >= HEADER_LIMIT) return buf.toString('latin1', 0, length);
      want = Math.min(HEADER_LIMIT, want * 2);
    }
  } finally {
    fs.closeSync(fd);
  }
}

// extractMessageId() looks at 64 KB (plus a blank line that starts within them): enough bytes to
// give the same answer on a prefix of the file as on the whole of it.
const IDENTITY_WINDOW = 65536 + 4;
const identityBuf = Buffer.allocUnsafe(IDENTITY_WINDOW);

/**
 * The Message-ID exactly as extractMessageId() finds it in the whole file (the identity of
 * message-identity.ts), read from the start only: the first 16 KB when the header ends in them
 * (with a CRLF blank line, or an LF one after a Message-ID), else at most 64 KB. Throws the fs
 * error (ENOENT …).
 */
export function identityMessageIdOf(file: string): string | null {
  const fd = fs.openSync(file, 'r');
  try {
    let n = fs.readSync(fd, identityBuf, 0, FIRST_READ, 0);
    if (n === FIRST_READ && identityBuf.subarray(0, n).indexOf('\r\n\r\n') < 0) {
      // The first blank line is an LF one: a Message-ID before it is the first one the whole
      // file shows too (a match cannot run across a blank line). Otherwise look further.
      const lf = identityBuf.subarray(0, n).indexOf('\n\n');
      const id = lf >= 0 ? parseMessageId(identityBuf.toString('latin1', 0, lf)) : null;
      if (id) return id;
      for (let r = 1; r > 0 && n < IDENTITY_WINDOW; n += r) r = fs.readSync(fd, identityBuf, n, IDENTITY_WINDOW - n, n);
    }
    return extractMessageId(identityBuf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** The Message-ID (`<…>`, trimmed) in a header block, or null. */
export function messageIdOf(header: string): string | null {
  const unfolded = header.replace(/\r?\n(?=[ \t])/g, '');
  const m = /^message-id[ \t]*:(.*)$/im.exec(unfolded);
  if (!m) return null;
  const value = m[1]!.trim();
  const angle = /<[^<>]*>/.exec(value);
  if (angle) return angle[0];
  return value === '' ? null : value;
}

/**
 * The time of a message for its file name (filename_use_mail_timestamp): its Date: header,
 * else Delivery-date:, like OfflineIMAP; undefined when neither parses to a time after 1970.
 */
export function mailTimestampOf(raw: Buffer): Date | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  for (const field of ['date', 'delivery-date']) {
    const m = new RegExp(`^${field}[ \\t]*:(.*)$`, 'im').exec(unfolded);
    const t = m ? Date.parse(m[1]!.trim().replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
    if (Number.isFinite(t) && t > 0) return new Date(t);
  }
  return undefined;
}
