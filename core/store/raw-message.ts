// Small helpers on raw RFC 5322 messages shared by the stores and the sync: gathering a
// streamed body, reading the Message-ID out of the header block (never past it) and hashing
// it for the status database (mbsync's rule for re-approving a changed UIDVALIDITY).

import crypto from 'node:crypto';

/** The Message-ID of a raw message (`<...>`), or null. Looks at the header block only. */
export function extractMessageId(raw: Buffer): string | null {
  const limit = Math.min(raw.length, 65536);
  let end = raw.indexOf('\r\n\r\n', 0, 'latin1');
  if (end < 0 || end > limit) end = raw.indexOf('\n\n', 0, 'latin1');
  return parseMessageId(raw.subarray(0, end < 0 || end > limit ? limit : end).toString('latin1'));
}

/** The Message-ID (`<...>`) in a header block given as text, or null. */
export function parseMessageId(header: string): string | null {
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\r\n]*>)/im.exec(header);
  return m ? m[1]! : null;
}

/** The whole body as one Buffer (for the few writers that need it whole, like IMAP APPEND). */
export async function readBody(body: Buffer | AsyncIterable<Buffer>): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const b of body) parts.push(b);
  return Buffer.concat(parts);
}

export function hashMessageId(id: string | null): string | null {
  return id ? crypto.createHash('sha1').update(id).digest('hex').slice(0, 16) : null;
}
