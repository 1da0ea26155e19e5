// Move detection for local moves (a file left near X and appeared in near Y), without listing
// the server: near folders changed since the last sync are listed (local), and the Message-ID of each new file is read from
// its start only and hashed against the Message-ID hashes the status rows recorded for the
// vanished files. Only on a hash match (or a row without a hash) is the far copy's identity
// asked for (one SELECT + FETCH per source folder), and only new files whose Message-ID that
// identity carries are read whole for their wire size. The final pairing is matchMoves's, over
// candidates chosen so that no identity it could see as ambiguous is left out. It only reads.

import type { FolderState, MailStore, MessageIdentity } from '../store/mail-store.js';
import type { MessageRow, PairRow, StatusDb } from '../status/status-db.js';
import { hashMessageId } from '../store/raw-message.js';
import type { FolderMapping } from './folder-map.js';
import type { MovePair } from './move-apply.js';
import { matchMoves, type MoveSource, type MoveTarget } from './move-match.js';

export interface LocalMoveBase {
  m: FolderMapping;
  pair: PairRow;
  /** The far folder's LIST-STATUS entry, when the server gave one. */
  farState?: FolderState;
}

export interface LocalMoveGroup {
  src: MovePair;
  dst: MovePair;
  items: Array<{ row: MessageRow; nearId: string }>;
}

interface NearScan {
  base: LocalMoveBase;
  /** Rows whose near file vanished (their far copy is assumed there until its identity says so). */
  gone: MessageRow[];
  /** New near files without a row and without a far UID of this folder in their name. */
  fresh: string[];
  /** Message-IDs of `fresh` (files without one absent); undefined when the store cannot tell cheaply. */
  mids?: Map<string, string>;
}

export async function findLocalMoves(db: StatusDb, far: MailStore, near: MailStore, bases: LocalMoveBase[],
  massDeleteThreshold: number, parallel: number, rowsOf: (pair: PairRow) => MessageRow[]): Promise<LocalMoveGroup[]> {
  const scans: NearScan[] = [];
  for (const b of bases) {
    const s = await scanNear(db, near, b, massDeleteThreshold, rowsOf);
    if (s) scans.push(s);
  }
  const from = scans.filter((s) => s.gone.length), to = scans.filter((s) => s.fresh.length);
  if (!from.length || !to.some((t) => from.some((f) => f !== t))) return [];

  // Sources worth a server look: a row whose hash a new file's Message-ID has (or any row, when
  // a store could not say, or when the row has no hash).
  const unknown = to.some((t) => !t.mids);
  const hashes = new Set<string>();
  for (const t of to) for (const mid of t.mids?.values() ?? []) hashes.add(hashMessageId(mid)!);
  const anyMid = unknown || hashes.size > 0;
  const sourceRows = new Map<NearScan, MessageRow[]>();
  for (const s of from) {
    const rows = s.gone.filter((r) => unknown || (r.msgidHash === null ? anyMid : hashes.has(r.msgidHash)));
    if (rows.length) sourceRows.set(s, rows);
  }
  if (!sourceRows.size) return [];

  const sources: MoveSource[] = [];
  await inParallel([...sourceRows], parallel, async ([s, rows]) => {
    const ident = await readIdentities(far, s.base.m.farName, rows.map((r) => r.farId!), s.base.pair.farUidValidity);
    for (const row of rows) {
      const identity = ident.get(row.farId!);
      if (identity) sources.push({ folder: s.base.m.farName, row, identity });
    }
  });
  const mids = new Set(sources.map((s) => s.identity.messageId).filter((x): x is string => !!x));
  if (!mids.size) return [];

  const targets: MoveTarget[] = [];
  for (const t of to) {
    const ids = t.mids ? t.fresh.filter((id) => mids.has(t.mids!.get(id) ?? '')) : t.fresh;
    if (!ids.length) continue;
    const ident = await readIdentities(near, t.base.m.nearName, ids, t.base.pair.nearUidValidity);
    for (const id of ids) {
      const identity = ident.get(id);
      if (identity) targets.push({ folder: t.base.m.farName, id, identity });
    }
  }

  const byName = new Map(scans.map((s) => [s.base.m.farName, s.base]));
  const groups = new Map<string, LocalMoveGroup>();
  const dsts = new Map<string, MovePair | undefined>();
  for (const { source, target } of matchMoves(sources, targets)) {
    if (!dsts.has(target.folder)) dsts.set(target.folder, await movePair(far, byName.get(target.folder)!));
    const dst = dsts.get(target.folder);
    if (!dst) continue;
    const k = JSON.stringify([source.folder, target.folder]);
    const g = groups.get(k) ?? { src: movePairOf(byName.get(source.folder)!), dst, items: [] };
    g.items.push({ row: source.row, nearId: target.id });
    groups.set(k, g);
  }
  return [...groups.values()];
}

async function scanNear(db: StatusDb, near: MailStore, b: LocalMoveBase, massDeleteThreshold: number,
  rowsOf: (pair: PairRow) => MessageRow[]): Promise<NearScan | undefined> {
  if (db.intents(b.pair.id).length) return undefined;
  const f = await near.openFolder(b.m.nearName);
  try {
    if (f.state.uidValidity !== b.pair.nearUidValidity) return undefined;
    // Unchanged since the last complete sync (changed on the server only): no file left, none came.
    if (b.pair.nearToken !== null && f.state.changeToken === b.pair.nearToken) return undefined;
    const rows = rowsOf(b.pair);
    if (!rows.length) return undefined;
    const list = await f.listAll();
    const listed = new Set(list.map((n) => n.id));
    const rowNear = new Set<string>();
    const gone: MessageRow[] = [];
    for (const r of rows) {
      if (r.nearId === null) continue;
      rowNear.add(r.nearId);
      if (r.farId !== null && !listed.has(r.nearId)) gone.push(r);
    }
    // A file naming a far UID of this folder is a download, not a file moved in from elsewhere.
    const fresh = list.filter((n) => !rowNear.has(n.id) && n.farUidHint === undefined).map((n) => n.id);
    const mids = fresh.length && f.identityMessageIds ? await f.identityMessageIds(fresh) : undefined;
    return {
      base: b,
      // The empty-side guard of the planner: a folder that suddenly lists nothing is no move source.
      gone: list.length === 0 && gone.length >= massDeleteThreshold ? [] : gone,
      fresh,
      ...(fresh.length && f.identityMessageIds ? { mids: mids ?? new Map() } : {}),
    };
  } finally {
    await f.release().catch(() => {});
  }
}

/** Identities of one folder's messages; none when the folder's UIDVALIDITY is not the recorded one. */
async function readIdentities(store: MailStore, name: string, ids: string[], uidValidity: number | null): Promise<Map<string, MessageIdentity>> {
  const f = await store.openFolder(name);
  try {
    if (f.state.uidValidity !== uidValidity || !f.identities) return new Map();
    return await f.identities(ids);
  } finally {
    await f.release().catch(() => {});
  }
}

function movePairOf(b: LocalMoveBase): MovePair {
  return { farName: b.m.farName, nearName: b.m.nearName, pair: b.pair, ...(b.farState?.uidNext !== undefined ? { farUidNext: b.farState.uidNext } : {}) };
}

/** A destination the server gave no state for is opened once, to check its UIDVALIDITY. */
async function movePair(far: MailStore, b: LocalMoveBase): Promise<MovePair | undefined> {
  if (b.farState) return movePairOf(b);
  const f = await far.openFolder(b.m.farName);
  try {
    if (f.state.uidValidity !== b.pair.farUidValidity) return undefined;
    return { ...movePairOf(b), ...(f.state.uidNext !== undefined ? { farUidNext: f.state.uidNext } : {}) };
  } finally {
    await f.release().catch(() => {});
  }
}

export async function inParallel<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  return out;
}
