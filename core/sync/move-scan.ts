// Move detection, step 1: lists one synced folder pair (the CONDSTORE fast path on the far side
// when it can) and compares it with the status rows, as the planner would, to find what a move
// leaves behind: rows whose copy vanished on one side while the other copy is still there (a
// move's source) and messages without a row (a move's destination). It only reads: nothing is
// opened for writing, nothing recorded. A folder it cannot judge safely is left out (undefined).
// It serves server-side moves only, in folders move-gate.ts could not rule out; local moves
// need no far listing (move-local.ts).

import type { MailStore, MessageIdentity, MessageInfo } from '../store/mail-store.js';
import type { MessageRow, PairRow, StatusDb } from '../status/status-db.js';
import type { FolderMapping } from './folder-map.js';

export interface PairScan {
  farName: string;
  nearName: string;
  pair: PairRow;
  /** The far folder's UIDNEXT when listed: a lower bound for the UIDs of messages moved into it later. */
  farUidNext?: number;
  /** Rows whose far copy vanished while the near copy is still there (a server-side move's source). */
  farGone: MessageRow[];
  /** Rows whose near copy vanished while the far copy is still there (a local move's source). */
  nearGone: MessageRow[];
  /** Far messages without a row, not marked \Deleted, not named by a near file (new on the server). */
  farNew: string[];
  /** Near messages without a row, other than files naming a listed far UID (new locally). */
  nearNew: string[];
  /** Identities of farNew, read on the same open folder when asked for. */
  farNewIdentities?: Map<string, MessageIdentity>;
}

export async function scanPair(db: StatusDb, far: MailStore, near: MailStore, m: FolderMapping,
  massDeleteThreshold: number, opts: { farNewIdentities?: boolean } = {}): Promise<PairScan | undefined> {
  const pair = db.pair(m.farName);
  if (!pair || pair.farUidValidity === null || pair.nearUidValidity === null) return undefined;
  // A copy left half done is the folder sync's to resolve first.
  if (db.intents(pair.id).length) return undefined;
  const rows = db.messages(pair.id);
  if (!rows.length) return undefined;
  const farF = await far.openFolder(m.farName);
  try {
    if (farF.state.uidValidity !== pair.farUidValidity) return undefined;
    const nearF = await near.openFolder(m.nearName);
    try {
      if (nearF.state.uidValidity !== pair.nearUidValidity) return undefined;
      let farView: Map<string, { flags: string }>;
      if (pair.farModseq !== null && farF.state.highestModseq !== undefined && !modseqWentBack(pair.farModseq, farF.state.highestModseq)) {
        const known = rows.filter((r) => r.farId !== null).map((r) => r.farId!);
        const changes = await farF.listChanges(pair.farModseq, known);
        farView = new Map(rows.filter((r) => r.farId !== null).map((r) => [r.farId!, { flags: r.flags }]));
        for (const id of changes.vanished) farView.delete(id);
        for (const c of changes.changed) farView.set(c.id, c);
      } else {
        farView = toView(await farF.listAll());
      }
      const nearList = await nearF.listAll();
      const nearView = new Map(nearList.map((n) => [n.id, n]));
      const rowFar = new Set<string>(), rowNear = new Set<string>();
      for (const r of rows) { if (r.farId !== null) rowFar.add(r.farId); if (r.nearId !== null) rowNear.add(r.nearId); }
      const farGone: MessageRow[] = [], nearGone: MessageRow[] = [];
      for (const r of rows) {
        if (r.farId === null || r.nearId === null) continue;
        const f = farView.has(r.farId), n = nearView.has(r.nearId);
        if (!f && n) farGone.push(r);
        else if (f && !n) nearGone.push(r);
      }
      // The empty-side guard of the planner: a side that suddenly lists nothing is no move source.
      const visibleFar = farView.size, visibleNear = nearView.size;
      const named = new Set<string>();
      const nearNew: string[] = [];
      for (const n of nearList) {
        if (rowNear.has(n.id)) continue;
        const hint = n.farUidHint === undefined ? undefined : String(n.farUidHint);
        if (hint !== undefined && farView.has(hint)) { named.add(hint); continue; }
        nearNew.push(n.id);
      }
      const farNew: string[] = [];
      for (const [id, v] of farView) if (!rowFar.has(id) && !named.has(id) && !v.flags.includes('T')) farNew.push(id);
      const farNewIdentities = opts.farNewIdentities && farNew.length && farF.identities ? await farF.identities(farNew) : undefined;
      return {
        farName: m.farName, nearName: m.nearName, pair,
        ...(farF.state.uidNext !== undefined ? { farUidNext: farF.state.uidNext } : {}),
        farGone: visibleFar === 0 && farGone.length >= massDeleteThreshold ? [] : farGone,
        nearGone: visibleNear === 0 && nearGone.length >= massDeleteThreshold ? [] : nearGone,
        farNew, nearNew, ...(farNewIdentities ? { farNewIdentities } : {}),
      };
    } finally {
      await nearF.release().catch(() => {});
    }
  } finally {
    await farF.release().catch(() => {});
  }
}

function toView(list: MessageInfo[]): Map<string, { flags: string }> {
  return new Map(list.map((m) => [m.id, m]));
}

/** As in folder-sync.ts: a recorded modseq above the server's (or not a number) means a full listing. */
function modseqWentBack(recorded: string, now: string): boolean {
  if (!/^[0-9]{1,19}$/.test(recorded) || !/^[0-9]{1,19}$/.test(now)) return true;
  return BigInt(recorded) > BigInt(now);
}
