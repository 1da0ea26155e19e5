// Synchronizes one account: connects both stores, brings the folder structure into
// agreement (creating what a side lacks), skips unchanged folders from one LIST-STATUS, and
// runs the folder pairs over a bounded number of parallel workers. Folder errors are
// collected and do not stop the other folders; account errors end the account's run.

import type { FolderState, MailStore } from '../store/mail-store.js';
import type { StatusDb } from '../status/status-db.js';
import { SyncError, toSyncError } from '../errors.js';
import type { FolderMapping } from './folder-map.js';
import { planFolders, type SideRules } from './folder-plan.js';
import type { SortRule } from '../rules/rule-types.js';
import { syncFolderPair, type FolderSyncOptions, type FolderSyncResult } from './folder-sync.js';
import { summarize } from './plan.js';
import { runMovePass } from './move-pass.js';

export interface AccountSyncInput {
  account: string;
  far: MailStore;
  near: MailStore;
  db: StatusDb;
  options: FolderSyncOptions;
  createFolders: { far: boolean; near: boolean };
  /** Folder pairs synced at once (the far side's maxconnections). */
  parallel: number;
  /** Sync only these far folder names (exact, untranslated), when set: replaces the remote filter. */
  onlyFolders?: string[];
  /** folderfilter / nametrans / folderincludes of both repositories, and the remote foldersort. */
  rules?: { remote?: SideRules; local?: SideRules; sort?: SortRule };
  afterEffect?: () => void;
  signal?: AbortSignal;
  events: AccountEvents;
}

export interface AccountEvents {
  folderState(e: { account: string; folder: string; state: 'syncing' | 'synced' | 'skipped' | 'error'; result?: FolderSyncResult }): void;
  progress(e: { account: string; folder: string; messages: number; bytes: number; totalMessages?: number; totalBytes?: number }): void;
  error(e: SyncError): void;
  log(level: 'info' | 'debug', message: string): void;
}

export interface AccountSyncResult {
  folders: Array<{ farName: string; nearName: string; result?: FolderSyncResult; skipped?: boolean; error?: SyncError }>;
  errors: SyncError[];
}

export async function syncAccount(input: AccountSyncInput): Promise<AccountSyncResult> {
  const { account, far, near, db, events } = input;
  const errors: SyncError[] = [];
  const fail = (e: SyncError) => { e.account ??= account; errors.push(e); events.error(e); };

  const [farFolders, nearFolders] = await Promise.all([far.listFolders(), near.listFolders()]);
  const farNames = farFolders.filter((f) => !f.noSelect).map((f) => f.name);
  const nearNames = nearFolders.filter((f) => !f.noSelect).map((f) => f.name);
  // Every name, filter and rule is decided before anything is created.
  const rows = planFolders({
    farNames, farAllNames: farFolders.map((f) => f.name), nearNames, farSep: far.delimiter, nearSep: near.delimiter,
    remote: input.rules?.remote, local: input.rules?.local, onlyFolders: input.onlyFolders, createOnFar: input.createFolders.far,
  });
  const reported = new Set<string>();
  for (const row of rows) {
    if (row.warning && !reported.has(row.warning)) { reported.add(row.warning); events.log('info', `warning: ${row.warning}`); }
    if (!row.problem || reported.has(row.problem.message)) continue;
    reported.add(row.problem.message);
    fail(new SyncError(row.problem.code, row.problem.message, { scope: 'folder', retry: 'needs-user', folder: row.farName || row.nearName }));
  }

  const known = new Map(db.pairs().map((p) => [p.farName, p]));
  const work: FolderMapping[] = [];

  for (const row of rows) {
    if (!row.synced) continue;
    const m: FolderMapping = { farName: row.farName, nearName: row.nearName };
    const record = known.get(m.farName);
    const onFar = row.onFar, onNear = row.onNear;
    if (record && (!onFar || !onNear) && db.messageCount(record.id) > 0) {
      fail(new SyncError('folder-vanished', `Folder "${m.farName}" was synced before but is now missing on the ` +
        `${onFar ? 'local' : 'server'} side. Nothing was deleted or re-created. If you removed it on purpose, remove it ` +
        'on the other side too; otherwise restore it (an unmounted disk or a changed path looks like this).',
      { scope: 'folder', retry: 'needs-user', folder: m.farName }));
      continue;
    }
    try {
      if (!onFar) {
        if (!input.createFolders.far) continue;
        if (!input.options.dryRun) await far.createFolder(m.farName);
        events.log('info', `created folder ${m.farName} on the server`);
      }
      if (!onNear) {
        if (!input.createFolders.near) continue;
        if (!input.options.dryRun) await near.createFolder(m.nearName);
        events.log('info', `created local folder ${m.nearName}`);
      }
    } catch (e) {
      fail(toSyncError(e, 'folder', { folder: m.farName }));
      continue;
    }
    if (input.options.dryRun && (!onFar || !onNear)) {
      events.log('info', `${m.farName}: would create the folder and copy every message`);
      continue;
    }
    work.push(m);
  }

  const farStates = (await far.folderStates?.()) ?? new Map<string, FolderState>();
  // Largest folders first, so that no worker starts a big folder when the others are done.
  const size = (m: FolderMapping) => farStates.get(m.farName)?.messages ?? 0;
  const order = input.rules?.sort;
  if (order) work.sort((a, b) => compareNames(a.farName, b.farName, order));
  else work.sort((a, b) => size(b) - size(a));
  // Messages moved between folders are moved on the other side too, before any folder copies them.
  const moves = await runMovePass({
    db, far, near, options: input.options, work, parallel: input.parallel, afterEffect: input.afterEffect, signal: input.signal, farStates,
    isUnchanged: (m) => unchanged(input, m, farStates.get(m.farName)), log: (msg) => events.log('info', msg),
  });
  if (moves.serverMoves || moves.localMoves) {
    events.log('info', `moved between folders: ${moves.serverMoves} moved on the server (renamed locally), ${moves.localMoves} moved locally (moved on the server)`);
  }
  const results: AccountSyncResult['folders'] = [];
  const deferred: Array<Promise<void>> = [];
  let next = 0;
  const worker = async () => {
    while (next < work.length && !input.signal?.aborted) {
      const m = work[next++]!;
      if (moves.held.has(m.farName)) {
        const err = new SyncError('move-unresolved', `${m.farName}: a move between folders could not be completed or confirmed; ` +
          'the folder is left alone in this run so that nothing is copied twice. The next sync resolves it.',
        { scope: 'folder', retry: 'later', folder: m.farName });
        fail(err);
        results.push({ ...m, error: err });
        events.folderState({ account, folder: m.farName, state: 'error' });
        continue;
      }
      try {
        if (await unchanged(input, m, farStates.get(m.farName))) {
          results.push({ ...m, skipped: true });
          events.folderState({ account, folder: m.farName, state: 'skipped' });
          continue;
        }
        events.folderState({ account, folder: m.farName, state: 'syncing' });
        const result = await syncFolderPair({
          db, far, near, farName: m.farName, nearName: m.nearName, options: input.options,
          afterEffect: input.afterEffect, signal: input.signal,
          onProgress: (p) => events.progress({ account, folder: m.farName, messages: p.messages, bytes: p.bytes, totalMessages: p.totalMessages, totalBytes: p.totalBytes }),
          onMessageError: (e) => fail(Object.assign(e, { folder: m.farName })),
          defer: (p) => { deferred.push(p); },
        });
        results.push({ ...m, result });
        const s = summarize(result.plan);
        events.log('debug', `${m.farName}: ${JSON.stringify(s)}`);
        if (result.hidden?.tooLarge) events.log('info', `${m.farName}: ${result.hidden.tooLarge} message(s) larger than maxsize left alone (not copied, not deleted)`);
        for (const n of result.applied.notDeleted ?? []) {
          events.log('info', `${m.farName}: ${n.ids.length} message(s) not deleted on the ${n.side === 'far' ? 'server' : 'local side'}: ${n.reason}`);
        }
        events.folderState({ account, folder: m.farName, state: 'synced', result });
      } catch (e) {
        const err = toSyncError(e, 'folder', { account, folder: m.farName });
        if (err.scope === 'account' || err.scope === 'fatal' || !(e instanceof SyncError) && isCrash(e)) throw e;
        fail(err);
        results.push({ ...m, error: err });
        events.folderState({ account, folder: m.farName, state: 'error' });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallel, work.length)) }, worker));
  } finally {
    await Promise.all(deferred);
  }
  return { folders: results, errors };
}

/** foldersort: the `first` names, then by name (optionally ignoring case, reversed), on the server names. */
function compareNames(a: string, b: string, sort: SortRule): number {
  // `first` (a foldersort function that puts INBOX or a short list first): those, in that order.
  const rank = (n: string) => { const i = sort.first?.indexOf(n) ?? -1; return i < 0 ? Infinity : i; };
  if (rank(a) !== rank(b)) return rank(a) < rank(b) ? -1 : 1;
  const [x, y] = sort.ignoreCase ? [a.toLowerCase(), b.toLowerCase()] : [a, b];
  const c = x < y ? -1 : x > y ? 1 : 0;
  return sort.descending ? -c : c;
}

function isCrash(e: unknown): boolean {
  return e instanceof Error && e.name === 'CrashError';
}

/**
 * A folder is skipped without being opened when the server's HIGHESTMODSEQ and UIDVALIDITY
 * (from LIST-STATUS) and the near side's change token all equal what the last complete sync
 * saw, and no copy was left half done.
 */
async function unchanged(input: AccountSyncInput, m: FolderMapping, farState: FolderState | undefined): Promise<boolean> {
  const record = input.db.pair(m.farName);
  if (!record || !farState?.highestModseq || record.farModseq !== farState.highestModseq) return false;
  if (record.farUidValidity !== farState.uidValidity || record.nearToken === null) return false;
  if (input.db.intents(record.id).length) return false;
  const near = await input.near.openFolder(m.nearName);
  try {
    return near.state.changeToken === record.nearToken && near.state.uidValidity === record.nearUidValidity;
  } finally {
    await near.release();
  }
}
