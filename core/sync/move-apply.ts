// Move detection, step 3: carries out matched moves between two folder pairs of one account.
// A server-side move (far X -> far Y) renames the near file from X's folder into Y's, naming
// its new far UID; a local move (near X -> near Y) sends UID MOVE (or COPY + remove) on the far
// side and names the new UID in the near file. Crash safety, in order:
//   1. an intent (status table `intent`, token `mv.<lowest new UID>.<random>`) is recorded in
//      the destination pair *before* the move: "this message may arrive here";
//   2. the store moves the message (atomic per message on both stores);
//   3. the near file is renamed to name its far UID;
//   4. one transaction drops the source row, adds the destination row and drops the intent.
// Killed anywhere, the next run first resolves leftover intents (move-recovery.ts): the moved
// copy is found by identity and linked, or, if the move did not happen, the intent is dropped
// and the message is handled as before. Nothing is deleted by a move, so nothing can be lost.

import crypto from 'node:crypto';
import type { MailStore } from '../store/mail-store.js';
import type { MessageRow, StatusDb } from '../status/status-db.js';
import type { PairScan } from './move-scan.js';

/** What a move needs to know of a folder pair (a PairScan, or the pair alone for local moves). */
export type MovePair = Pick<PairScan, 'farName' | 'nearName' | 'pair' | 'farUidNext'>;

export interface MoveContext {
  db: StatusDb;
  far: MailStore;
  near: MailStore;
  afterEffect?: () => void;
}

const PREFIX = 'mv.';

/** The intent token of a move: the lowest UID the moved message can get in the destination, and a nonce. */
export function moveToken(lowestUid: number): string {
  return `${PREFIX}${Math.max(0, Math.floor(lowestUid))}.${crypto.randomBytes(9).toString('base64url')}`;
}

export function isMoveToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

/** The lowest UID recorded in a move token (0 when none). */
export function moveTokenLowest(token: string): number {
  const n = Number(token.slice(PREFIX.length).split('.')[0]);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

const numericUid = (id: string) => (/^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : undefined);

/** Server-side moves from src to dst: the near files follow. Returns how many were moved and recorded. */
export async function applyServerMoves(ctx: MoveContext, src: MovePair, dst: MovePair,
  items: Array<{ row: MessageRow; farId: string }>): Promise<number> {
  const { db } = ctx;
  const nearX = await ctx.near.openFolder(src.nearName);
  try {
    if (!nearX.moveTo) return 0;
    const tokens = new Map(items.map((i) => [i.row.nearId!, moveToken(0)]));
    db.transaction(() => { for (const i of items) db.addIntent(dst.pair.id, { token: tokens.get(i.row.nearId!)!, direction: 'to-near', sourceId: i.farId }); });
    ctx.afterEffect?.();
    const res = await nearX.moveTo(items.map((i) => {
      const uid = numericUid(i.farId);
      return uid === undefined ? { id: i.row.nearId! } : { id: i.row.nearId!, farUid: uid };
    }), dst.nearName);
    ctx.afterEffect?.();
    const idsValid = res.uidValidity === undefined || res.uidValidity === dst.pair.nearUidValidity;
    const moved = new Set(res.moved);
    let done = 0;
    db.transaction(() => {
      for (const i of items) {
        const nearId = i.row.nearId!;
        const newId = idsValid ? res.ids.get(nearId) : undefined;
        if (moved.has(nearId) && newId !== undefined) {
          db.forgetFar(src.pair.id, i.row.farId!, false);
          db.insertMessage(dst.pair.id, { farId: i.farId, nearId: newId, flags: i.row.flags, msgidHash: i.row.msgidHash });
          db.dropIntent(tokens.get(nearId)!);
          done++;
        } else if (!moved.has(nearId)) {
          db.dropIntent(tokens.get(nearId)!);        // did not move: handled as before
        }                                            // moved, new id unknown: left to recovery
      }
    });
    ctx.afterEffect?.();
    return done;
  } finally {
    await nearX.release().catch(() => {});
  }
}

/** Local moves from src to dst: UID MOVE on the far side, then the near file names its new UID. */
export async function applyLocalMoves(ctx: MoveContext, src: MovePair, dst: MovePair,
  items: Array<{ row: MessageRow; nearId: string }>): Promise<number> {
  const { db } = ctx;
  const tokens = new Map(items.map((i) => [i.row.farId!, moveToken(dst.farUidNext ?? 0)]));
  const farX = await ctx.far.openFolder(src.farName);
  let res;
  try {
    if (!farX.moveTo) return 0;
    db.transaction(() => { for (const i of items) db.addIntent(dst.pair.id, { token: tokens.get(i.row.farId!)!, direction: 'to-far', sourceId: i.nearId }); });
    ctx.afterEffect?.();
    res = await farX.moveTo(items.map((i) => ({ id: i.row.farId! })), dst.farName);
  } finally {
    await farX.release().catch(() => {});
  }
  ctx.afterEffect?.();
  const idsValid = res.uidValidity === undefined || res.uidValidity === dst.pair.farUidValidity;
  const moved = new Set(res.moved);
  const linked: Array<{ item: (typeof items)[number]; farId: string }> = [];
  const nearY = await ctx.near.openFolder(dst.nearName);
  try {
    for (const i of items) {
      const farId = idsValid ? res.ids.get(i.row.farId!) : undefined;
      if (farId === undefined) continue;
      const uid = numericUid(farId);
      if (uid !== undefined) { await nearY.linkFarUid(i.nearId, uid); ctx.afterEffect?.(); }
      linked.push({ item: i, farId });
    }
  } finally {
    await nearY.release().catch(() => {});
  }
  const known = new Set(linked.map((l) => l.item.row.farId!));
  db.transaction(() => {
    for (const { item, farId } of linked) {
      // A copy the far side could not remove from X (COPY without MOVE) keeps X's row: X's sync deletes it.
      if (moved.has(item.row.farId!)) db.forgetFar(src.pair.id, item.row.farId!, false);
      db.insertMessage(dst.pair.id, { farId, nearId: item.nearId, flags: item.row.flags, msgidHash: item.row.msgidHash });
      db.dropIntent(tokens.get(item.row.farId!)!);
    }
    for (const i of items) if (!known.has(i.row.farId!) && !moved.has(i.row.farId!)) db.dropIntent(tokens.get(i.row.farId!)!);
  });
  ctx.afterEffect?.();
  return linked.filter((l) => moved.has(l.item.row.farId!)).length;
}
