// The account's move pass, run before the folder syncs: resolves interrupted moves, then finds
// messages moved between folders since the last sync (on the server: they vanished from far X
// and appeared in far Y; locally: the file left X's Maildir and appeared in Y's) and carries the
// move over to the other side instead of copying and deleting (move-scan, move-match,
// move-apply). Afterwards the folder syncs see moved messages as already paired.
// Everything uncertain is left to the folder syncs, whose copy + delete is always safe; only a
// pair with an unresolved move intent is held back from this run (it could be doubled).

import type { MailStore, MessageIdentity } from '../store/mail-store.js';
import type { MessageRow, StatusDb } from '../status/status-db.js';
import { SyncError } from '../errors.js';
import type { FolderMapping } from './folder-map.js';
import type { FolderSyncOptions } from './folder-sync.js';
import { isFilterActive } from './message-filter.js';
import { applyLocalMoves, applyServerMoves, isMoveToken, type MoveContext } from './move-apply.js';
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
  const scans = (await inParallel(changed, input.parallel, (m) =>
    scanPair(input.db, input.far, input.near, m, o.massDeleteThreshold))).filter((s): s is PairScan => !!s);

  const sources = (pick: (s: PairScan) => unknown[]) => scans.filter((s) => pick(s).length);
  const wanted = (from: PairScan[], to: PairScan[]) => from.length > 0 && to.some((t) => from.some((f) => f !== t));
  const serverWanted = serverOk && wanted(sources((s) => s.farGone), sources((s) => s.farNew));
  const localWanted = localOk && wanted(sources((s) => s.nearGone), sources((s) => s.nearNew));
  if (!serverWanted && !localWanted) return;

  // Identities, one open per folder and side: server moves compare the near copy left in X with
  // the new far message in Y; local moves the far copy left in X with the new near file in Y.
  const farIds = new Map<PairScan, string[]>(), nearIds = new Map<PairScan, string[]>();
  for (const s of scans) {
    const f = [...(serverWanted ? s.farNew : []), ...(localWanted ? s.nearGone.map((r) => r.farId!) : [])];
    const n = [...(serverWanted ? s.farGone.map((r) => r.nearId!) : []), ...(localWanted ? s.nearNew : [])];
    if (f.length) farIds.set(s, f);
    if (n.length) nearIds.set(s, n);
  }
  const farIdent = new Map<PairScan, Map<string, MessageIdentity>>(), nearIdent = new Map<PairScan, Map<string, MessageIdentity>>();
  await inParallel([...farIds], input.parallel, async ([s, ids]) => { farIdent.set(s, await identities(input.far, s.farName, ids)); });
  await inParallel([...nearIds], 2, async ([s, ids]) => { nearIdent.set(s, await identities(input.near, s.nearName, ids)); });

  const byName = new Map(scans.map((s) => [s.farName, s]));
  const collect = (kind: 'server' | 'local') => {
    const src: MoveSource[] = [], dst: MoveTarget[] = [];
    for (const s of scans) {
      const [gone, fresh, goneIdent, freshIdent] = kind === 'server'
        ? [s.farGone, s.farNew, nearIdent.get(s), farIdent.get(s)]
        : [s.nearGone, s.nearNew, farIdent.get(s), nearIdent.get(s)];
      for (const row of gone) {
        const identity = goneIdent?.get(kind === 'server' ? row.nearId! : row.farId!);
        if (identity) src.push({ folder: s.farName, row, identity });
      }
      for (const id of fresh) {
        const identity = freshIdent?.get(id);
        if (identity) dst.push({ folder: s.farName, id, identity });
      }
    }
    return groups(matchMoves(src, dst), byName);
  };

  if (serverWanted) {
    for (const g of collect('server')) {
      if (input.signal?.aborted) return;
      out.serverMoves += await applyServerMoves(ctx, g.src, g.dst, g.items.map((i) => ({ row: i.row, farId: i.id })));
    }
  }
  if (localWanted) {
    for (const g of collect('local')) {
      if (input.signal?.aborted) return;
      out.localMoves += await applyLocalMoves(ctx, g.src, g.dst, g.items.map((i) => ({ row: i.row, nearId: i.id })));
    }
  }
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

async function inParallel<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  return out;
}
