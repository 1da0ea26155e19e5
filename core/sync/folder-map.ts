// Folder names between the two sides of an account: the far (remote) hierarchy separator
// becomes the near (local) one, segment by segment, and back; and a local folder that an
// earlier tool kept in the IMAP wire form (modified UTF-7) is adopted instead of getting a
// UTF-8 twin. Pure. Which folders are synced, and nametrans, live in folder-plan.ts.

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

/** The near name to use for `utf8`: its wire form when only that exists locally. */
export function adoptWireForm(utf8: string, existingNear: ReadonlySet<string>): string {
  const wire = encodeMutf7(utf8);
  return !existingNear.has(utf8) && wire !== utf8 && existingNear.has(wire) ? wire : utf8;
}
