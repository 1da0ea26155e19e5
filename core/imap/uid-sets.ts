// IMAP UID sets: parses message ids (decimal UIDs) and packs them into compact, bounded
// sequence sets ("1:5,7,10:12") so one command covers many messages without exceeding
// what servers accept on a command line. Pure functions; it never talks to a server.

/** Decimal UID strings -> sorted unique positive integers; anything else is dropped. */
export function toUids(ids: Iterable<string>): number[] {
  const out = new Set<number>();
  for (const id of ids) {
    if (!/^[1-9][0-9]{0,9}$/.test(id)) continue;
    const n = Number(id);
    if (n <= 0xffffffff) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/** Sorted unique UIDs -> "1:5,7,10:12". */
export function packUids(uids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length;) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(i === j ? String(uids[i]) : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Splits sorted unique UIDs into packed sets of at most `maxUids` messages and about
 * `maxChars` characters each (Dovecot accepts 64 KiB command lines; 8000 is safe anywhere).
 */
export function uidSetChunks(uids: number[], maxUids = 2000, maxChars = 8000): Array<{ set: string; uids: number[] }> {
  const chunks: Array<{ set: string; uids: number[] }> = [];
  let start = 0;
  while (start < uids.length) {
    let end = start, chars = 0;
    while (end < uids.length && end - start < maxUids) {
      let run = end;
      while (run + 1 < uids.length && uids[run + 1] === uids[run]! + 1 && run + 1 - start < maxUids) run++;
      const piece = (run === end ? String(uids[end]) : `${uids[end]}:${uids[run]}`).length + 1;
      if (chars + piece > maxChars && end > start) break;
      chars += piece;
      end = run + 1;
    }
    const part = uids.slice(start, end);
    chunks.push({ set: packUids(part), uids: part });
    start = end;
  }
  return chunks;
}

/** A UID as RFC 3501 allows it: a 32-bit nz-number. */
export function validUid(uid: unknown): uid is number {
  return typeof uid === 'number' && Number.isInteger(uid) && uid >= 1 && uid <= 0xffffffff;
}
