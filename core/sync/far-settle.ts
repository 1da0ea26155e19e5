// After a sync wrote to the far folder (its own STOREs, APPENDs, EXPUNGEs raise the server's
// HIGHESTMODSEQ), finds out whether the modseq to record may move past those writes, so that
// the next sync skips the folder instead of listing it again. It moves only when every change
// the server reports since the modseq seen at SELECT is already in the status database: a
// change by another client, even during this sync, is never skipped. It never writes anything.

import type { OpenFolder } from '../store/mail-store.js';
import type { StatusDb } from '../status/status-db.js';

/**
 * The far modseq the caller may record: the server's HIGHESTMODSEQ (read before the check) when
 * every message changed or added since `seen` has a status row with exactly its current flags and
 * no expunged UID still has a row; else `seen`. Call it while the folder is still open.
 */
export async function settledFarModseq(db: StatusDb, pairId: number, far: OpenFolder, seen: string): Promise<string> {
  if (!far.changesSince || !/^[0-9]{1,19}$/.test(seen)) return seen;
  // Only an optimisation: whatever goes wrong here leaves the modseq seen at SELECT.
  const changes = await far.changesSince(seen, db.maxFarUid(pairId)).catch(() => undefined);
  if (!changes || !/^[0-9]{1,19}$/.test(changes.highestModseq) || BigInt(changes.highestModseq) <= BigInt(seen)) return seen;
  const rows = new Map(db.messagesByFar(pairId, [...changes.changed.map((m) => m.id), ...changes.vanished])
    .map((r) => [r.farId!, r]));
  for (const m of changes.changed) if (rows.get(m.id)?.flags !== m.flags) return seen;
  for (const id of changes.vanished) if (rows.has(id)) return seen;
  return changes.highestModseq;
}
