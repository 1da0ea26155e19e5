// Move detection, step 2 (pure): pairs what vanished from one folder with what appeared in
// another by identity (Message-ID and wire size). A pair is made only when its identity occurs
// exactly once among all sources and exactly once among all destinations of the account, in two
// different folders, and agrees with the Message-ID hash the status row recorded; anything
// ambiguous (a Message-ID shared by two messages, a message without one) is left to the
// ordinary copy + delete, which is always safe.

import type { MessageIdentity } from '../store/mail-store.js';
import type { MessageRow } from '../status/status-db.js';
import { hashMessageId } from '../store/raw-message.js';

export interface MoveSource {
  /** Far name of the folder pair it vanished from. */
  folder: string;
  row: MessageRow;
  /** Identity of the copy that is still there. */
  identity: MessageIdentity;
}

export interface MoveTarget {
  folder: string;
  /** Id of the new message (far UID for a server-side move, near id for a local one). */
  id: string;
  identity: MessageIdentity;
}

export function matchMoves(sources: MoveSource[], targets: MoveTarget[]): Array<{ source: MoveSource; target: MoveTarget }> {
  const key = (i: MessageIdentity) => (i.messageId ? `${i.messageId}\u0000${i.size}` : undefined);
  const bySource = new Map<string, MoveSource[]>(), byTarget = new Map<string, MoveTarget[]>();
  for (const s of sources) {
    const k = key(s.identity);
    if (k !== undefined) bySource.set(k, [...(bySource.get(k) ?? []), s]);
  }
  for (const t of targets) {
    const k = key(t.identity);
    if (k !== undefined) byTarget.set(k, [...(byTarget.get(k) ?? []), t]);
  }
  const out: Array<{ source: MoveSource; target: MoveTarget }> = [];
  for (const [k, ss] of bySource) {
    const ts = byTarget.get(k);
    if (ss.length !== 1 || ts?.length !== 1) continue;
    const source = ss[0]!, target = ts[0]!;
    if (source.folder === target.folder) continue;
    if (source.row.msgidHash !== null && source.row.msgidHash !== hashMessageId(source.identity.messageId ?? null)) continue;
    out.push({ source, target });
  }
  return out;
}
