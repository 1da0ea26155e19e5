// The listing of a folder pair whose change costs what changed, not what the folder holds: when
// the near side is exactly as the last complete sync left it (same change token, with the memo
// its check gave) and the far side reports its own changes and expunges (CONDSTORE + QRESYNC),
// only the messages the far side names are listed, their status rows are read by index, and the
// near files of just those are looked up. Any condition unmet gives undefined: the caller then
// lists both sides in full. It never writes anything.

import type { OpenFolder } from '../store/mail-store.js';
import type { MessageRow, PairRow, StatusDb } from '../status/status-db.js';
import type { MessageView, PlanOptions } from './plan.js';

export interface NarrowListing {
  far: Map<string, MessageView>;
  near: Map<string, MessageView>;
  /** The status rows of the messages named by the far side (the others are untouched). */
  status: MessageRow[];
  /** How many messages each side holds (for the empty-side guard). */
  counts: { far: number; near: number };
}

export async function narrowListing(db: StatusDb, pair: PairRow, far: OpenFolder, near: OpenFolder,
  options: PlanOptions): Promise<NarrowListing | undefined> {
  // A read-only near side may hold flags its rows do not: only a listing shows them.
  if (options.nearReadonly || !far.changesSince || !near.useKnown) return undefined;
  const seen = pair.farModseq, now = far.state.highestModseq, memo = pair.nearMemo;
  if (seen === null || now === undefined || !memo || far.state.messages === undefined) return undefined;
  if (!/^[0-9]{1,19}$/.test(seen) || !/^[0-9]{1,19}$/.test(now) || BigInt(seen) > BigInt(now)) return undefined;
  if (pair.farUidValidity !== far.state.uidValidity || pair.nearUidValidity !== near.state.uidValidity) return undefined;
  if (pair.nearToken === null || near.state.changeToken !== pair.nearToken) return undefined;
  if (db.intents(pair.id).length) return undefined;
  const changes = await far.changesSince(seen, db.maxFarUid(pair.id));
  if (!changes) return undefined;
  const status = db.messagesByFar(pair.id, [...changes.changed.map((m) => m.id), ...changes.vanished]);
  const known = status.filter((r) => r.nearId !== null).map((r) => ({ id: r.nearId!, flags: r.flags, farUid: Number(r.farId) }));
  const nearView = await near.useKnown(memo, known);
  if (!nearView) return undefined;
  return {
    far: new Map(changes.changed.map((m) => [m.id, m])), near: nearView, status,
    counts: { far: far.state.messages, near: db.messageCount(pair.id) },
  };
}
