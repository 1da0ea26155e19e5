// The account's move pass, run before the folder syncs: resolves interrupted moves, then finds
// messages moved between folders since the last sync (on the server: they vanished from far X
// and appeared in far Y; locally: the file left X's Maildir and appeared in Y's) and carries the
// move over to the other side instead of copying and deleting (move-scan, move-match,
// move-apply). Afterwards the folder syncs see moved messages as already paired. It must cost
// (almost) nothing when no move is plausible: server folders are listed only where the
// account's LIST-STATUS cannot rule a move out (move-gate), and local moves touch the server
// only for a new file whose Message-ID hash a vanished file's row carries (move-local).
// Everything uncertain is left to the folder syncs, whose copy + delete is always safe; only a
// pair with an unresolved move intent is held back from this run (it could be doubled).

import type { FolderState, MailStore, MessageIdentity } from '../store/mail-store.js';
import type { MessageRow, PairRow, StatusDb } from '../status/status-db.js';
import { SyncError } from '../errors.js';
import type { FolderMapping } from './folder-map.js';
import type { FolderSyncOptions } from './folder-sync.js';
import { isFilterActive } from './message-filter.js';
import { applyLocalMoves, applyServerMoves, isMoveToken, type MoveContext } from './move-apply.js';
import { farGate } from './move-gate.js';
import { findLocalMoves, inParallel, type LocalMoveBase } from './move-local.js';
import { matchMoves, type MoveSource, type MoveTarget } from './move-match.js';
import { resolveMoveIntents } from './move-recovery.js';
import { scanPair, type PairScan } from './move-scan.js';

export interface MovePassInput {
  db: StatusDb;
  far: MailStore;
  near: MailStore;
  options: FolderSyncOptions;
  /** The folder pairs this run syncs. */
  work: FolderMapping[];
  /** True when a pair is known to be unchanged on both sides (it cannot hold a move). */
  isUnchanged(m: FolderMapping): Promise<boolean>;
  /** The far folders' LIST-STATUS entries (by far name), when the server gave them. */
  farStates?: Map<string, FolderState>;
  parallel: number;
  afterEffect?: () => void;
  signal?: AbortSignal;
  log(message: string): void;
}

export interface MovePassResult {
  /** Moves carried to the near side (server-side moves) and to the far side (local moves). */
  serverMoves: number;
  localMoves: number;
  /** Far names of pairs with an unresolved move: not synced in this run. */
  held: Set<string>;
}

export async function runMovePass(input: MovePassInput): Promise<MovePassResult> {
  const out: MovePassResult = { serverMoves: 0, localMoves: 0, held: new Set() };
  const { db, options: o } = input;
  if (o.dryRun) return out;
  const ctx: MoveContext = { db, far: input.far, near: input.near, afterEffect: input.afterEffect };
  try {
    out.serverMoves += await resolveMoveIntents(ctx);
    await detect(input, ctx, out);
  } catch (e) {
    // A kill (tests) or an account-wide failure ends the run; anything else only ends the pass.
    if (e instanceof Error && e.name === 'CrashError') throw e;
    if (e instanceof SyncError && (e.scope === 'account' || e.scope === 'fatal')) throw e;
    input.log(`moves between folders not detected: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const p of db.pairs()) if (db.intents(p.id).some((i) => isMoveToken(i.token))) out.held.add(p.farName);
  return out;
}

async function detect(input: MovePassInput, ctx: MoveContext, out: MovePassResult): Promise<void> {
  const o = input.options;
  const serverOk = o.deleteOnNear && !o.nearReadonly;
  const localOk = o.deleteOnFar && !o.farReadonly;
  if ((!serverOk && !localOk) || isFilterActive(o.filter)) return;
  const changed: FolderMapping[] = [];
  for (const m of input.work) if (!(await input.isUnchanged(m))) changed.push(m);
  if (changed.length < 2) return;
  // Pairs a move can touch: synced before on both sides, nothing half done, the same far UIDVALIDITY.
  const bases: LocalMoveBase[] = [];
  for (const m of changed) {
    const pair = input.db.pair(m.farName);
    const farState = input.farStates?.get(m.farName);
    if (!pair || pair.farUidValidity === null || pair.nearUidValidity === null || input.db.intents(pair.id).length) continue;
    if (farState && farState.uidValidity !== pair.farUidValidity) continue;
    bases.push({ m, pair, ...(farState ? { farState } : {}) });
  }
  if (bases.length < 2) return;

  // Status rows, read once per pair (until server moves change them).
  const rows = new Map<number, MessageRow[]>();
  const rowsOf = (p: PairRow) => { let r = rows.get(p.id); if (!r) { r = input.db.messages(p.id); rows.set(p.id, r); } return r; };
  if (serverOk) {
    const moved = await serverMoves(input, ctx, bases, rowsOf);
    if (moved) rows.clear();
    out.serverMoves += moved;
  }
  if (localOk && !input.signal?.aborted) {
    for (const g of await findLocalMoves(input.db, input.far, input.near, bases, o.massDeleteThreshold, input.parallel, rowsOf)) {
      if (input.signal?.aborted) return;
      out.localMoves += await applyLocalMoves(ctx, g.src, g.dst, g.items);
    }
  }
}

/**
 * Server-side moves, only among folders move-gate.ts cannot rule out: they are listed, the new
 * far messages of possible destinations read for their identity on the same open folder, and
 * the near copies of what vanished from the far side read for theirs.
 */
async function serverMoves(input: MovePassInput, ctx: MoveContext, bases: LocalMoveBase[],
  rowsOf: (p: PairRow) => MessageRow[]): Promise<number> {
  const gates = bases.map((b) => ({ b, g: farGate(b.pair, rowsOf(b.pair), b.farState) }));
  if (!wanted(gates.filter((x) => x.g.canLose), gates.filter((x) => x.g.canGain))) return 0;
  const o = input.options;
  const scans = (await inParallel(gates.filter((x) => x.g.canLose || x.g.canGain), input.parallel, (x) =>
    scanPair(input.db, input.far, input.near, x.b.m, o.massDeleteThreshold, { farNewIdentities: x.g.canGain })))
    .filter((s): s is PairScan => !!s);
  if (!wanted(scans.filter((s) => s.farGone.length), scans.filter((s) => s.farNew.length))) return 0;

  // The near copy left in X against the new far message in Y.
  const farIdent = new Map<PairScan, Map<string, MessageIdentity>>(), nearIdent = new Map<PairScan, Map<string, MessageIdentity>>();
  await inParallel(scans.filter((s) => s.farNew.length), input.parallel, async (s) => {
    farIdent.set(s, s.farNewIdentities ?? await identities(input.far, s.farName, s.farNew));
  });
  await inParallel(scans.filter((s) => s.farGone.length), 2, async (s) => {
    nearIdent.set(s, await identities(input.near, s.nearName, s.farGone.map((r) => r.nearId!)));
  });
  const src: MoveSource[] = [], dst: MoveTarget[] = [];
  for (const s of scans) {
    for (const row of s.farGone) {
      const identity = nearIdent.get(s)?.get(row.nearId!);
      if (identity) src.push({ folder: s.farName, row, identity });
    }
    for (const id of s.farNew) {
      const identity = farIdent.get(s)?.get(id);
      if (identity) dst.push({ folder: s.farName, id, identity });
    }
  }
  let moved = 0;
  for (const g of groups(matchMoves(src, dst), new Map(scans.map((s) => [s.farName, s])))) {
    if (input.signal?.aborted) break;
    moved += await applyServerMoves(ctx, g.src, g.dst, g.items.map((i) => ({ row: i.row, farId: i.id })));
  }
  return moved;
}

/** Some folder can be a source and some other folder a destination. */
function wanted<T>(from: T[], to: T[]): boolean {
  return from.length > 0 && to.some((t) => from.some((f) => f !== t));
}

/** Matches grouped by (source pair, destination pair): one store call per group. */
function groups(matches: ReturnType<typeof matchMoves>, byName: Map<string, PairScan>):
  Array<{ src: PairScan; dst: PairScan; items: Array<{ row: MessageRow; id: string }> }> {
  const out = new Map<string, { src: PairScan; dst: PairScan; items: Array<{ row: MessageRow; id: string }> }>();
  for (const { source, target } of matches) {
    const k = JSON.stringify([source.folder, target.folder]);
    const g = out.get(k) ?? { src: byName.get(source.folder)!, dst: byName.get(target.folder)!, items: [] };
    g.items.push({ row: source.row, id: target.id });
    out.set(k, g);
  }
  return [...out.values()];
}

async function identities(store: MailStore, name: string, ids: string[]): Promise<Map<string, MessageIdentity>> {
  const f = await store.openFolder(name);
  try {
    return f.identities ? await f.identities(ids) : new Map();
  } finally {
    await f.release().catch(() => {});
  }
}
