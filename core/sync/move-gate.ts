// Move detection, step 0 (pure): decides from the account's LIST-STATUS data alone, before any
// folder is opened, which folders can hold a server-side move. A move X -> Y leaves far
// messages gone from X and new ones (UID above every UID the status rows know) in Y. With R
// rows naming a far UID, H the highest of them, M messages and UIDNEXT N in X now:
//   gone <= R - M + (N - 1 - H)
// because every message still there is either one of the R, or new (a UID in H+1..N-1), or
// (the blind spot) an older message without a row: one never copied (marked \Deleted, or its
// copy failed). When the bound is <= 0 nothing of X is gone, up to such messages; a move they
// hide is then left to the folder sync's copy + delete, which is always safe.

import type { FolderState } from '../store/mail-store.js';
import type { MessageRow, PairRow } from '../status/status-db.js';

export interface FarGate {
  /** Some far message of the rows may be gone (the folder can be a move's source). */
  canLose: boolean;
  /** The folder may hold far messages newer than every row (it can be a move's destination). */
  canGain: boolean;
}

/** Unknown state (no LIST-STATUS, no counts): anything is possible. */
const OPEN: FarGate = { canLose: true, canGain: true };

export function farGate(pair: PairRow, rows: MessageRow[], state: FolderState | undefined): FarGate {
  if (!state || state.messages === undefined || state.uidNext === undefined || state.uidValidity !== pair.farUidValidity) return OPEN;
  let known = 0, highest = 0;
  for (const r of rows) {
    if (r.farId === null) continue;
    if (!/^[1-9][0-9]{0,9}$/.test(r.farId)) return OPEN;
    known++;
    highest = Math.max(highest, Number(r.farId));
  }
  const fresh = Math.max(0, state.uidNext - 1 - highest);
  return { canLose: known - state.messages + fresh > 0, canGain: fresh > 0 };
}
