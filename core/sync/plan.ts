// The planner: a pure function of (far listing, near listing, status rows, options) to the
// list of operations that brings both sides and the status into agreement. It never touches
// a socket, a file or the database (isync's sync.c is the model). Mail is deleted only when
// the status proves both sides once agreed on it, and never when a side suddenly looks empty.

import type { MessageRow } from '../status/status-db.js';
import { flagDelta, intersect, mergeFlags, union } from './flags.js';
import { normalizeFlags } from '../store/mail-store.js';

export interface MessageView {
  flags: string;
  date?: Date;
  size?: number;
  farUidHint?: number;
}

export interface PlanOptions {
  /** A message deleted on the far side is deleted on the near side (sync_deletes). */
  deleteOnNear: boolean;
  /** A message deleted on the near side is deleted on the far side. */
  deleteOnFar: boolean;
  farReadonly: boolean;
  nearReadonly: boolean;
  /**
   * Empty-side guard: when one side lists no message at all while this many (or more)
   * deletions would follow on the other side, the folder stops instead.
   */
  massDeleteThreshold: number;
  /**
   * Quick sync (OfflineIMAP's quick / -q): flag changes of messages both sides already hold are
   * left for the next full sync (their status rows stay as they were, so nothing is lost).
   */
  quick?: boolean;
}

export type Op =
  /** Record a pair found without status (file name hint, Message-ID or recovered upload). */
  | { kind: 'link'; farId: string; nearId: string; flags: string }
  | { kind: 'copy-to-near'; farId: string; flags: string }
  | { kind: 'copy-to-far'; nearId: string; flags: string; date?: Date }
  | { kind: 'flags'; farId: string; nearId: string; flags: string;
      far: { add: string; remove: string } | null; near: { add: string; remove: string } | null }
  | { kind: 'delete-near'; farId: string; nearId: string }
  | { kind: 'delete-far'; farId: string; nearId: string }
  /** Status only: forget a pair whose copies are gone, or keep one side that must not be copied back. */
  | { kind: 'forget'; farId: string | null; nearId: string | null; keep: 'far' | 'near' | null }
  /** A near message that must not be uploaded (it names a far UID that no longer exists). */
  | { kind: 'adopt-near-only'; nearId: string; flags: string };

export interface Plan {
  ops: Op[];
  /** Set when the empty-side guard stopped the folder: nothing is applied. */
  guard?: string;
}

export interface PlanInput {
  far: Map<string, MessageView>;
  near: Map<string, MessageView>;
  status: MessageRow[];
  /** Pairs found by Message-ID for messages that have no status row (lost status, first adoption). */
  matches?: Array<{ farId: string; nearId: string }>;
  options: PlanOptions;
  /**
   * Messages outside maxage / startdate / maxsize (message-filter.ts), listed or left out of a
   * listing that starts at a UID: never copied, re-flagged or deleted; their status rows stay.
   */
  hidden?: { far: Set<string>; near: Set<string> };
  /** When the listings hold only what changed (narrow-listing.ts): how many messages each side holds. */
  counts?: { far: number; near: number };
}

export function plan(input: PlanInput): Plan {
  const { far, near, status, options: o } = input;
  const ops: Op[] = [];
  const pairedFar = new Set<string>();
  const pairedNear = new Set<string>();
  let deletesNear = 0, deletesFar = 0;
  const hiddenFar = input.hidden?.far ?? new Set<string>();
  const hiddenNear = input.hidden?.near ?? new Set<string>();

  for (const row of status) {
    if (row.farId !== null) pairedFar.add(row.farId);
    if (row.nearId !== null) pairedNear.add(row.nearId);
    const f = row.farId !== null ? far.get(row.farId) : undefined;
    const n = row.nearId !== null ? near.get(row.nearId) : undefined;
    const farHidden = row.farId !== null && hiddenFar.has(row.farId);
    const nearHidden = row.nearId !== null && hiddenNear.has(row.nearId);
    if (farHidden || nearHidden) {
      // Outside the window (or too large): like OfflineIMAP, a copy gone on one side only drops
      // the status row and deletes nothing, even if the window is widened later.
      if (row.farId !== null && row.nearId !== null && ((!farHidden && !far.has(row.farId)) || (!nearHidden && !near.has(row.nearId)))) {
        ops.push({ kind: 'forget', farId: row.farId, nearId: row.nearId, keep: null });
      }
      continue;
    }
    if (row.farId === null || row.nearId === null) {
      // Kept on one side on purpose; forget it once that copy is gone too.
      if (!f && !n) ops.push({ kind: 'forget', farId: row.farId, nearId: row.nearId, keep: null });
      continue;
    }
    if (f && n) {
      if (o.quick) continue;
      // Nothing changed on either side (most rows): the merge would give the row's flags back.
      if (f.flags === row.flags && n.flags === row.flags && normalizeFlags(row.flags) === row.flags) continue;
      const flags = mergeFlags(row.flags, f.flags, n.flags);
      const farDelta = o.farReadonly ? null : flagDelta(f.flags, flags);
      const nearDelta = o.nearReadonly ? null : flagDelta(n.flags, flags);
      if (farDelta || nearDelta || flags !== row.flags) {
        ops.push({ kind: 'flags', farId: row.farId, nearId: row.nearId, flags, far: farDelta, near: nearDelta });
      }
    } else if (!f && n) {
      if (o.deleteOnNear && !o.nearReadonly) {
        ops.push({ kind: 'delete-near', farId: row.farId, nearId: row.nearId });
        deletesNear++;
      } else {
        ops.push({ kind: 'forget', farId: row.farId, nearId: row.nearId, keep: 'near' });
      }
    } else if (f && !n) {
      if (o.deleteOnFar && !o.farReadonly) {
        ops.push({ kind: 'delete-far', farId: row.farId, nearId: row.nearId });
        deletesFar++;
      } else {
        ops.push({ kind: 'forget', farId: row.farId, nearId: row.nearId, keep: 'far' });
      }
    } else {
      ops.push({ kind: 'forget', farId: row.farId, nearId: row.nearId, keep: null });
    }
  }

  const visible = (side: Map<string, MessageView>, hidden: Set<string>) => {
    if (!hidden.size) return side.size;
    let n = 0;
    for (const id of side.keys()) if (!hidden.has(id)) n++;
    return n;
  };
  if (deletesNear >= o.massDeleteThreshold && (input.counts?.far ?? visible(far, hiddenFar)) === 0) {
    return { ops: [], guard: `the far side lists no message but ${deletesNear} would be deleted on the near side` };
  }
  if (deletesFar >= o.massDeleteThreshold && (input.counts?.near ?? visible(near, hiddenNear)) === 0) {
    return { ops: [], guard: `the near side lists no message but ${deletesFar} would be deleted on the far side` };
  }

  // Messages without status: pair them by the far UID in the near file name, then by the
  // Message-ID matches found by the caller; the rest are new and get copied.
  const link = (farId: string, nearId: string) => {
    const fv = far.get(farId)!, nv = near.get(nearId)!;
    pairedFar.add(farId);
    pairedNear.add(nearId);
    // The row starts from what both agree on; the flags op then brings both to the union, so
    // a crash between the two converges to the same union on the next run.
    const base = intersect(fv.flags, nv.flags);
    ops.push({ kind: 'link', farId, nearId, flags: base });
    const flags = union(fv.flags, nv.flags);
    if (flags !== base && !hiddenFar.has(farId) && !hiddenNear.has(nearId)) {
      ops.push({ kind: 'flags', farId, nearId, flags,
        far: o.farReadonly ? null : flagDelta(fv.flags, flags), near: o.nearReadonly ? null : flagDelta(nv.flags, flags) });
    }
  };
  const orphans: string[] = [];
  for (const [nearId, nv] of near) {
    if (pairedNear.has(nearId) || nv.farUidHint === undefined) continue;
    const farId = String(nv.farUidHint);
    if (far.has(farId) && !pairedFar.has(farId)) link(farId, nearId);
    else if (!far.has(farId) && !hiddenFar.has(farId)) orphans.push(nearId);
  }
  for (const m of input.matches ?? []) {
    if (!pairedFar.has(m.farId) && !pairedNear.has(m.nearId) && far.has(m.farId) && near.has(m.nearId)) link(m.farId, m.nearId);
  }
  // A near file that names a far UID which is gone was synced once and then deleted on the far
  // side while the status was lost: keep it, but never upload it again as if it were new.
  for (const nearId of orphans) {
    if (pairedNear.has(nearId)) continue;
    pairedNear.add(nearId);
    ops.push({ kind: 'adopt-near-only', nearId, flags: near.get(nearId)!.flags });
  }

  if (!o.nearReadonly) {
    // A far message marked \Deleted (T) that was never synced is on its way out (another client
    // deleted it, or a server without UIDPLUS could not expunge it yet): it is not new mail.
    for (const [farId, fv] of far) {
      if (!pairedFar.has(farId) && !hiddenFar.has(farId) && !fv.flags.includes('T')) ops.push({ kind: 'copy-to-near', farId, flags: fv.flags });
    }
  }
  if (!o.farReadonly) {
    for (const [nearId, nv] of near) {
      // A file naming a far UID the listing left out (below the window) is that message: not new.
      const hint = nv.farUidHint === undefined ? undefined : String(nv.farUidHint);
      if (!pairedNear.has(nearId) && !hiddenNear.has(nearId) && !(hint !== undefined && hiddenFar.has(hint))) ops.push({ kind: 'copy-to-far', nearId, flags: nv.flags, date: nv.date });
    }
  }
  return { ops };
}

/** Counts of a plan's operations by kind, for --dry-run output and progress totals. */
export function summarize(p: Plan): Record<Op['kind'], number> {
  const counts = { link: 0, 'copy-to-near': 0, 'copy-to-far': 0, flags: 0, 'delete-near': 0, 'delete-far': 0, forget: 0, 'adopt-near-only': 0 };
  for (const op of p.ops) counts[op.kind]++;
  return counts;
}
