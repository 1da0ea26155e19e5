// Synchronizes one folder pair: opens both sides, re-approves a changed UIDVALIDITY,
// lists (the CONDSTORE fast path when possible), resolves interrupted copies, pairs messages
// without status (far UID in the file name, then Message-ID), plans, and applies. It holds
// no state of its own between runs: everything it remembers is in the status database.

import type { MailStore, MessageInfo, OpenFolder } from '../store/mail-store.js';
import type { MessageRow, PairRow, StatusDb } from '../status/status-db.js';
import { SyncError } from '../errors.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { plan, summarize, type MessageView, type Plan, type PlanOptions } from './plan.js';
import { hiddenIds, isFilterActive, type MessageFilter } from './message-filter.js';
import { initialDownload } from './initial-download.js';
import { settledFarModseq } from './far-settle.js';
import { narrowListing } from './narrow-listing.js';

export interface FolderSyncOptions extends PlanOptions {
  dryRun: boolean;
  /** maxage / startdate / maxsize: listed messages outside it are invisible to the sync. */
  filter?: MessageFilter;
}

export interface FolderSyncContext {
  db: StatusDb;
  far: MailStore;
  near: MailStore;
  farName: string;
  nearName: string;
  options: FolderSyncOptions;
  afterEffect?: () => void;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'listing' | 'applying'; messages: number; bytes: number; totalMessages?: number; totalBytes?: number }) => void;
  onMessageError?: (e: SyncError) => void;
  /**
   * Takes work that may finish after the folder is released (recording the near side's settled
   * change token); the caller awaits it before closing the database. Without it, it runs inline.
   */
  defer?: (work: Promise<void>) => void;
}

export interface FolderSyncResult {
  plan: Plan;
  applied: ApplyResult;
  /** True when a listing fast path was taken (CONDSTORE changes instead of a full scan). */
  incremental: boolean;
  /** True when only the messages the far side named were listed and planned (narrow-listing.ts). */
  narrow?: boolean;
  /** Messages left alone because of the filter (both sides counted). */
  hidden?: { tooOld: number; tooLarge: number };
}

export async function syncFolderPair(ctx: FolderSyncContext): Promise<FolderSyncResult> {
  const far = await ctx.far.openFolder(ctx.farName);
  let near: OpenFolder | undefined;
  try {
    near = await ctx.near.openFolder(ctx.nearName);
    return await syncOpen(ctx, far, near);
  } finally {
    await near?.release().catch(() => {});
    await far.release().catch(() => {});
  }
}

async function syncOpen(ctx: FolderSyncContext, far: OpenFolder, near: OpenFolder): Promise<FolderSyncResult> {
  const { db, options } = ctx;
  const pair: PairRow = options.dryRun
    ? db.pair(ctx.farName) ?? emptyPair(ctx.farName, ctx.nearName)
    : db.ensurePair(ctx.farName, ctx.nearName);
  const rowCount = db.messageCount(pair.id);

  if (pair.nearUidValidity !== null && pair.nearUidValidity !== near.state.uidValidity && rowCount) {
    throw new SyncError('uidvalidity-changed', `The UIDVALIDITY of ${ctx.nearName} on the near side changed ` +
      `(${pair.nearUidValidity} -> ${near.state.uidValidity}); its messages can no longer be matched safely. ` +
      'Nothing was deleted. Move the folder away on that side and sync again to download it afresh.',
    { scope: 'folder', retry: 'needs-user', folder: ctx.farName });
  }
  let farChanged = pair.farUidValidity !== null && pair.farUidValidity !== far.state.uidValidity;
  if (farChanged && rowCount) {
    await reapproveFarUidValidity(ctx, pair, far, near, db.messages(pair.id));
    farChanged = true;
  }

  ctx.onProgress?.({ phase: 'listing', messages: 0, bytes: 0 });
  // A folder's first download streams straight in, without a listing (initial-download.ts).
  const initial = farChanged || rowCount ? undefined : await initialDownload(ctx, pair, far, near);
  if (initial && 'plan' in initial) return finish(ctx, pair, far, near, initial.plan, initial.applied, { incremental: false, narrow: false });
  const filter = isFilterActive(options.filter) ? options.filter : undefined;
  // Only the messages the far side names as changed, when both sides allow it (narrow-listing.ts).
  const narrow = farChanged || filter || !rowCount ? undefined : await narrowListing(db, pair, far, near, options);
  const rows = narrow ? narrow.status : db.messages(pair.id);
  // A filter needs every message's date and size, so it always takes the full listing.
  // A window on a store that can search by date lists only from the first UID of the day before
  // it (OfflineIMAP's algorithm); the date filter then trims the rest exactly.
  let fromUid: number | undefined;
  if (filter?.since && far.firstUidSince) {
    fromUid = (await far.firstUidSince(new Date(filter.since.getTime() - 86_400_000))) ?? far.state.uidNext;
  }
  const { view: farView, incremental } = narrow ? { view: narrow.far, incremental: true }
    : await listFar(far, pair, rows, farChanged || !!filter, fromUid);
  const nearView = narrow ? narrow.near : toView(initial?.nearListing ?? await near.listAll(filter ? { withSize: true } : undefined));
  const hiddenFar = filter ? hiddenIds(farView, filter) : undefined;
  const hiddenNear = filter ? hiddenIds(nearView, filter) : undefined;
  if (hiddenFar && fromUid !== undefined) {
    // Messages below the listing's first UID are outside the window: their rows and the near
    // files that name them must not look deleted or new.
    const below = (id: string | null | undefined) => id != null && /^\d+$/.test(id) && Number(id) < fromUid!;
    for (const r of rows) if (below(r.farId)) hiddenFar.ids.add(r.farId!);
    for (const v of nearView.values()) if (v.farUidHint !== undefined && v.farUidHint < fromUid) hiddenFar.ids.add(String(v.farUidHint));
  }
  const hidden = hiddenFar && hiddenNear
    ? { tooOld: hiddenFar.tooOld + hiddenNear.tooOld, tooLarge: hiddenFar.tooLarge + hiddenNear.tooLarge } : undefined;

  // Copies interrupted by a crash: find them by their token, else forget the intent.
  const intents = db.intents(pair.id);
  const resolvedTokens = intents.map((i) => i.token);
  const matches: Array<{ farId: string; nearId: string }> = [];
  const toFar = intents.filter((i) => i.direction === 'to-far');
  const toNear = intents.filter((i) => i.direction === 'to-near');
  if (toFar.length) {
    const found = await far.findByToken(toFar.map((i) => i.token));
    for (const i of toFar) { const id = found.get(i.token); if (id) { matches.push({ farId: id, nearId: i.sourceId }); ensureListed(farView, id); } }
  }
  if (toNear.length) {
    const found = await near.findByToken(toNear.map((i) => i.token));
    for (const i of toNear) { const id = found.get(i.token); if (id) matches.push({ farId: i.sourceId, nearId: id }); }
  }

  // No status at all but mail on both sides (lost database, adopted Maildir): pair by Message-ID.
  if (!narrow && rows.length === 0 && farView.size && nearView.size) {
    matches.push(...await matchByMessageId(far, near, farView, nearView));
  }

  const thePlan = plan({ far: farView, near: nearView, status: rows, matches, options, ...(narrow ? { counts: narrow.counts } : {}),
    ...(hiddenFar && hiddenNear ? { hidden: { far: hiddenFar.ids, near: hiddenNear.ids } } : {}) });
  if (thePlan.guard) {
    throw new SyncError('mass-delete-guard', `Stopped ${ctx.farName}: ${thePlan.guard}. This looks like an unmounted disk, ` +
      'a wrong path or an emptied server folder, so nothing was deleted. If the deletion is intended, run again with ' +
      '--allow-mass-delete (or raise massdeletethreshold).', { scope: 'folder', retry: 'needs-user', folder: ctx.farName });
  }
  if (options.dryRun) return { plan: thePlan, applied: { applied: 0, messageErrors: 0 }, incremental, narrow: !!narrow, ...(hidden ? { hidden } : {}) };

  const totals = summarize(thePlan);
  const totalMessages = totals['copy-to-near'] + totals['copy-to-far'];
  let totalBytes = 0;
  for (const op of thePlan.ops) {
    if (op.kind === 'copy-to-near') totalBytes += farView.get(op.farId)?.size ?? 0;
    else if (op.kind === 'copy-to-far') totalBytes += nearView.get(op.nearId)?.size ?? 0;
  }
  let done = 0, bytesDone = 0;
  const applied = await applyPlan({
    db, pair, far, near, resolvedTokens, afterEffect: ctx.afterEffect, signal: ctx.signal,
    onMessageError: ctx.onMessageError,
    onProgress: (p) => {
      done += p.messages;
      bytesDone += p.bytes;
      ctx.onProgress?.({ phase: 'applying', messages: done, bytes: bytesDone, totalMessages, totalBytes });
    },
  }, thePlan);

  return finish(ctx, pair, far, near, thePlan, applied, { incremental, narrow: !!narrow, ...(hidden ? { hidden } : {}) });
}

/**
 * Records what the run leaves (UIDVALIDITY, the far modseq, the near change token) unless it
 * was incomplete, and returns the folder's result.
 */
async function finish(ctx: FolderSyncContext, pair: PairRow, far: OpenFolder, near: OpenFolder, thePlan: Plan,
  applied: ApplyResult, how: Pick<FolderSyncResult, 'incremental' | 'narrow' | 'hidden'>): Promise<FolderSyncResult> {
  const { db, options } = ctx;
  const filter = isFilterActive(options.filter) ? options.filter : undefined;

  // Remember the state seen *before* listing: anything that changed since is listed again next
  // time, which is cheap and never misses a change. Our own far writes raised the modseq too:
  // it moves past them only when the server shows nothing else changed (far-settle.ts).
  // A quick sync skipped flag changes: the next sync must list them again, so nothing is recorded.
  if (!applied.messageErrors && !ctx.signal?.aborted && !options.quick) {
    let farModseq = far.state.highestModseq ?? null;
    if (farModseq !== null && !filter && applied.applied && wroteFar(thePlan)) {
      farModseq = await settledFarModseq(db, pair.id, far, farModseq);
    }
    // With a filter, what is hidden changes with the clock and the options, not with the folder:
    // record no modseq or token, so the next sync lists in full and never skips the folder.
    const done: PairRow = filter ? { ...pair, farUidValidity: far.state.uidValidity, nearUidValidity: near.state.uidValidity,
      farModseq: null, nearModseq: null, farToken: null, nearToken: null, nearMemo: null } : {
      ...pair,
      farUidValidity: far.state.uidValidity, nearUidValidity: near.state.uidValidity,
      farModseq, nearModseq: near.state.highestModseq ?? null,
      farToken: far.state.changeToken ?? null, nearToken: near.state.changeToken ?? null, nearMemo: null,
    };
    db.updatePair(done);
    // ...unless the near side can vouch that it holds exactly what this run left there.
    const check = filter ? undefined : near.changeTokenCheck?.();
    if (check) {
      const settle = check().then((r) => {
        if (r !== undefined) db.updatePair({ ...done, nearToken: r.token, nearMemo: r.memo });
      }).catch(() => {});
      if (ctx.defer) ctx.defer(settle);
      else await settle;
    }
  } else if (pair.farUidValidity === null) {
    db.updatePair({ ...pair, farUidValidity: far.state.uidValidity, nearUidValidity: near.state.uidValidity });
  }
  ctx.afterEffect?.();
  // The plan is what the run reports: a deletion a store did not carry out is left out of it.
  return { plan: applied.notDeleted ? withoutKept(thePlan, applied.notDeleted) : thePlan, applied, ...how };
}

/** Whether the plan changes the far side (uploads, far flag changes, far deletions). */
function wroteFar(p: Plan): boolean {
  return p.ops.some((op) => op.kind === 'copy-to-far' || op.kind === 'delete-far' || (op.kind === 'flags' && op.far !== null));
}

function withoutKept(p: Plan, notDeleted: NonNullable<ApplyResult['notDeleted']>): Plan {
  const kept = { near: new Set<string>(), far: new Set<string>() };
  for (const n of notDeleted) for (const id of n.ids) kept[n.side].add(id);
  return { ...p, ops: p.ops.filter((op) => !(op.kind === 'delete-far' && kept.far.has(op.farId))
    && !(op.kind === 'delete-near' && kept.near.has(op.nearId))) };
}

async function listFar(far: OpenFolder, pair: PairRow, rows: MessageRow[], fullListing: boolean, fromUid?: number):
  Promise<{ view: Map<string, MessageView>; incremental: boolean }> {
  if (!fullListing && pair.farModseq !== null && far.state.highestModseq !== undefined && rows.length
    && !modseqWentBack(pair.farModseq, far.state.highestModseq)) {
    const known = rows.filter((r) => r.farId !== null);
    const changes = await far.listChanges(pair.farModseq, known.map((r) => r.farId!));
    // Unchanged messages still carry the flags both sides agreed on.
    const view = new Map<string, MessageView>(known.map((r) => [r.farId!, { flags: r.flags }]));
    for (const id of changes.vanished) view.delete(id);
    for (const m of changes.changed) view.set(m.id, m);
    return { view, incremental: true };
  }
  return { view: toView(await far.listAll(fromUid !== undefined ? { fromUid } : undefined)), incremental: false };
}

/**
 * A HIGHESTMODSEQ never decreases while UIDVALIDITY stays (RFC 7162). When the recorded one is
 * higher than the server's now (a server that once sent a wrong one), or either is not a
 * number, changes since it would miss messages: the folder is listed in full instead.
 */
function modseqWentBack(recorded: string, now: string): boolean {
  if (!/^[0-9]{1,19}$/.test(recorded) || !/^[0-9]{1,19}$/.test(now)) return true;
  return BigInt(recorded) > BigInt(now);
}

function toView(list: MessageInfo[]): Map<string, MessageView> {
  return new Map(list.map((m) => [m.id, m]));
}

function ensureListed(view: Map<string, MessageView>, id: string): void {
  if (!view.has(id)) view.set(id, { flags: '' });
}

async function matchByMessageId(far: OpenFolder, near: OpenFolder, farView: Map<string, MessageView>,
  nearView: Map<string, MessageView>): Promise<Array<{ farId: string; nearId: string }>> {
  const hinted = new Set<string>();
  const nearIds: string[] = [];
  for (const [id, v] of nearView) {
    if (v.farUidHint !== undefined && farView.has(String(v.farUidHint))) hinted.add(String(v.farUidHint));
    else if (v.farUidHint === undefined) nearIds.push(id);
  }
  const farIds = [...farView.keys()].filter((id) => !hinted.has(id));
  if (!farIds.length || !nearIds.length) return [];
  const [farMids, nearMids] = await Promise.all([far.messageIds(farIds), near.messageIds(nearIds)]);
  const byMid = new Map<string, string[]>();
  for (const [id, mid] of farMids) byMid.set(mid, [...(byMid.get(mid) ?? []), id]);
  const out: Array<{ farId: string; nearId: string }> = [];
  for (const [nearId, mid] of nearMids) {
    const candidates = byMid.get(mid);
    const farId = candidates?.shift();
    if (farId) out.push({ farId, nearId });
  }
  return out;
}

/**
 * mbsync's rule: a new far UIDVALIDITY is accepted when every recorded message that has a
 * Message-ID is found again on the far side by it; the rows are then given the new UIDs.
 * Otherwise the folder stops, and nothing on either side is deleted.
 */
async function reapproveFarUidValidity(ctx: FolderSyncContext, pair: PairRow, far: OpenFolder, near: OpenFolder,
  rows: MessageRow[]): Promise<void> {
  const nearIds = rows.filter((r) => r.nearId !== null).map((r) => r.nearId!);
  const farList = await far.listAll();
  const [nearMids, farMids] = await Promise.all([near.messageIds(nearIds), far.messageIds(farList.map((m) => m.id))]);
  const farByMid = new Map<string, string>();
  for (const [id, mid] of farMids) if (!farByMid.has(mid)) farByMid.set(mid, id);
  const mapping = new Map<string, string | null>();
  let unmatched = 0;
  for (const nearId of nearIds) {
    const mid = nearMids.get(nearId);
    const farId = mid ? farByMid.get(mid) : undefined;
    if (mid && !farId) unmatched++;
    mapping.set(nearId, farId ?? null);
  }
  if (unmatched) {
    throw new SyncError('uidvalidity-changed', `The server changed the UIDVALIDITY of ${ctx.farName} ` +
      `(${pair.farUidValidity} -> ${far.state.uidValidity}) and ${unmatched} of ${nearIds.length} messages could not be ` +
      'found again by Message-ID. Nothing was deleted. Check the folder on the server; to start this folder afresh, ' +
      'move the local folder away and sync again.', { scope: 'folder', retry: 'needs-user', folder: ctx.farName });
  }
  if (ctx.options.dryRun) return;
  ctx.db.remapFarIds(pair.id, mapping);
  ctx.db.updatePair({ ...pair, farUidValidity: far.state.uidValidity, farModseq: null });
}

function emptyPair(farName: string, nearName: string): PairRow {
  return { id: -1, farName, nearName, farUidValidity: null, nearUidValidity: null, farModseq: null, nearModseq: null, farToken: null, nearToken: null };
}
