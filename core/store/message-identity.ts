// A message's identity for move detection (MessageIdentity): its Message-ID and its size in
// wire form, i.e. with CRLF line ends and without the `X-TUID:` line Satchel puts on top of its
// uploads, so that a Maildir file (LF) and the server's copy (CRLF, maybe with X-TUID) compare
// equal. Pure functions over bytes; they never read past what they are given.

import type { MessageIdentity } from './mail-store.js';
import { extractMessageId } from './raw-message.js';

const TUID = Buffer.from('X-TUID: ', 'latin1');

/** The identity of a whole raw message (either line-end form). */
export function identityOf(raw: Buffer): MessageIdentity {
  let size = raw.length;
  for (let i = raw.indexOf(10); i >= 0; i = raw.indexOf(10, i + 1)) if (i === 0 || raw[i - 1] !== 13) size++;
  size -= tuidLineSize(raw);
  const messageId = extractMessageId(raw);
  return messageId ? { messageId, size } : { size };
}

/** Wire length of a leading `X-TUID: <token>` line (0 when there is none). */
export function tuidLineSize(raw: Buffer): number {
  if (raw.length < TUID.length || !raw.subarray(0, TUID.length).equals(TUID)) return 0;
  const nl = raw.indexOf(10);
  if (nl < 0) return 0;
  const cr = nl > 0 && raw[nl - 1] === 13;
  return (cr ? nl - 1 : nl) + 2;
}

/** Wire length of the X-TUID header line with this value, as the IMAP store writes it. */
export function tuidHeaderSize(token: string): number {
  return TUID.length + Buffer.byteLength(token, 'latin1') + 2;
}
