// Which listed messages a sync may see: OfflineIMAP's maxage / startdate window (by INTERNALDATE
// on IMAP, by file time on Maildir) and maxsize. Hidden messages are neither copied, nor
// re-flagged, nor deleted on either side, and their status rows are kept as they are.
// Pure: it reads listings and returns ids; it never touches a store or the database.

import type { MessageView } from './plan.js';

export interface MessageFilter {
  /** Messages dated before this instant are hidden (maxage, startdate). */
  since?: Date;
  /** Messages larger than this many bytes are hidden (maxsize). */
  maxSize?: number;
}

export interface Hidden {
  ids: Set<string>;
  tooOld: number;
  tooLarge: number;
}

export function isFilterActive(f: MessageFilter | undefined): f is MessageFilter {
  return !!f && (f.since !== undefined || f.maxSize !== undefined);
}

/** The ids of a listing that the filter hides. A message without date or size is kept visible. */
export function hiddenIds(view: Map<string, MessageView>, f: MessageFilter): Hidden {
  const out: Hidden = { ids: new Set(), tooOld: 0, tooLarge: 0 };
  const since = f.since?.getTime();
  for (const [id, m] of view) {
    if (since !== undefined && m.date && m.date.getTime() < since) { out.ids.add(id); out.tooOld++; }
    else if (f.maxSize !== undefined && m.size !== undefined && m.size > f.maxSize) { out.ids.add(id); out.tooLarge++; }
  }
  return out;
}

/**
 * The window start of an account: maxage days before `now`, a maxage date, or a startdate
 * (both at local midnight of that day, like OfflineIMAP's time.strptime). Undefined = no window.
 */
export function windowStart(a: { maxage?: number; maxageDate?: string; startdate?: string }, now: number): Date | undefined {
  if (a.maxage !== undefined) return new Date(now - a.maxage * 86_400_000);
  const day = a.maxageDate ?? a.startdate;
  if (day === undefined) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}
