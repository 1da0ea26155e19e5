// Reads the Message-ID out of a raw message's header block and hashes it for the status
// database (mbsync's rule for re-approving a changed UIDVALIDITY). Never reads past the header.

import crypto from 'node:crypto';

/** The Message-ID of a raw message (`<...>`), or null. Looks at the header block only. */
export function extractMessageId(raw: Buffer): string | null {
  const limit = Math.min(raw.length, 65536);
  let end = raw.indexOf('\r\n\r\n', 0, 'latin1');
  if (end < 0 || end > limit) end = raw.indexOf('\n\n', 0, 'latin1');
  const header = raw.subarray(0, end < 0 || end > limit ? limit : end).toString('latin1');
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\r\n]*>)/im.exec(header);
  return m ? m[1]! : null;
}

export function hashMessageId(id: string | null): string | null {
  return id ? crypto.createHash('sha1').update(id).digest('hex').slice(0, 16) : null;
}
