// Maps folder names between the two sides of an account: the far (remote) hierarchy
// separator becomes the near (local) one, segment by segment, and back. Reports names that
// would collide (two far folders to one near name) instead of merging them. Pure.

import { encodeMutf7 } from './mutf7.js';

export interface FolderMapping {
  farName: string;
  nearName: string;
}

export function farToNear(name: string, farSep: string, nearSep: string): string {
  return farSep === nearSep ? name : name.split(farSep).join(nearSep);
}

export function nearToFar(name: string, nearSep: string, farSep: string): string {
  return farSep === nearSep ? name : name.split(nearSep).join(farSep);
}

export interface FolderPairing {
  pairs: FolderMapping[];
  /** Near folders with no far counterpart: to be created on the far side. */
  nearOnly: FolderMapping[];
  /** Far folders whose near name is already taken by another far folder. */
  collisions: Array<{ farNames: string[]; nearName: string }>;
}

/**
 * Pairs the far folders with near names (forward mapping first, so a near name is only ever
 * read back for folders that exist only on the near side).
 */
export function pairFolders(farNames: string[], nearNames: string[], farSep: string, nearSep: string): FolderPairing {
  const byNear = new Map<string, string[]>();
  const existing = new Set(nearNames);
  for (const f of farNames) {
    const utf8 = farToNear(f, farSep, nearSep);
    // Adopt a local folder kept in the IMAP wire form (modified UTF-7) by an earlier tool
    // rather than creating its UTF-8 twin and uploading the wire-form one as a new folder.
    const wire = encodeMutf7(utf8);
    const n = !existing.has(utf8) && wire !== utf8 && existing.has(wire) ? wire : utf8;
    byNear.set(n, [...(byNear.get(n) ?? []), f]);
  }
  const pairs: FolderMapping[] = [];
  const collisions: FolderPairing['collisions'] = [];
  for (const [nearName, fars] of byNear) {
    if (fars.length > 1) collisions.push({ farNames: fars, nearName });
    else pairs.push({ farName: fars[0]!, nearName });
  }
  const farSet = new Set(farNames);
  const nearOnly = nearNames
    .filter((n) => !byNear.has(n))
    .map((n) => ({ nearName: n, farName: nearToFar(n, nearSep, farSep) }))
    .filter((m) => !farSet.has(m.farName));
  return { pairs, nearOnly, collisions };
}
