// Lists one Maildir folder: reads cur/ and new/ (never tmp/), parses the names, gives every
// file a unique id (disambiguating copies that share a unique part) and works out which FMD5
// values make a `U=` a far UID hint. It only reads (one readdir per subdirectory, plus one
// stat per file only when sizes are asked for); it must never rename or delete anything.

import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../errors.js';
import type { MessageInfo } from '../store/mail-store.js';
import { infoStart, listedName, type ListedName } from './filename.js';
import { errnoOf, fsError } from './maildir-errors.js';
import type { MessageDir } from './maildir-layout.js';
import { NameDigest } from './name-digest.js';

/** Where the file of one message id is now. */
export interface Entry {
  dir: MessageDir | 'tmp';
  name: string;
  /** True when another file shares its unique part (its id was disambiguated). */
  dup?: boolean;
}

export interface FolderScan {
  entries: Map<string, Entry>;
  infos: MessageInfo[];
  /** FMD5 values whose U= counts as a far UID hint: ours, plus one inferred from the files. */
  accepted: Set<string>;
  /** The FMD5 to write into new names: the inferred one when there is one, else ours. */
  writeMd5: string;
}

type Listed = { entry: Entry; l: ListedName };

/**
 * The change token of a folder: inode, mtime and ctime of cur/ and new/ (ctime cannot be set
 * back, so a folder restored from a backup with its old mtimes still looks changed), and the
 * newest of those times in milliseconds. Throws the fs error (ENOENT when a directory is missing).
 */
export async function folderToken(dir: string): Promise<{ token: string; newestMs: number }> {
  const stats = await Promise.all(['cur', 'new'].map((d) => fs.promises.stat(path.join(dir, d), { bigint: true })));
  let newest = 0n;
  for (const s of stats) for (const t of [s.mtimeNs, s.ctimeNs]) if (t > newest) newest = t;
  return { token: stats.map((s) => `${s.ino}:${s.mtimeNs}:${s.ctimeNs}`).join('/'), newestMs: Number(newest / 1_000_000n) };
}

/** How long after the newest directory time settledToken() may read the token (ms, >= a clock tick). */
const SETTLE_MS = 10;

/**
 * The folder's change token when cur/ and new/ hold exactly the names of `expected`
 * (`cur/<name>`, `new/<name>`), else undefined (also on any error).
 */
export async function settledToken(dir: string, expected: NameDigest): Promise<string | undefined> {
  try {
    // Directory times come from a coarse clock: a change in the same tick as the last write
    // would leave them as they are. Read the token only once that tick is surely over.
    let t: { token: string; newestMs: number };
    for (let tries = 0; ; tries++) {
      const before = Date.now();
      t = await folderToken(dir);
      const age = before - t.newestMs;
      if (age > SETTLE_MS) break;
      if (tries >= 3) return undefined;
      // (+2: a timer may fire a millisecond early)
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 2 - Math.max(0, age)));
    }
    // Listed after the token: a change before it shows here, a change after it changes the token.
    const lists = await Promise.all((['cur', 'new'] as const).map((d) => fs.promises.readdir(path.join(dir, d))));
    if (lists[0]!.length + lists[1]!.length !== expected.n) return undefined;
    const seen = new NameDigest();
    for (const [i, d] of (['cur', 'new'] as const).entries()) for (const n of lists[i]!) seen.add(`${d}/${n}`);
    return seen.equals(expected) ? t.token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Two files with the same unique part (a copy) are ordered cur/ before new/, then by name: the
 * first keeps the unique part as id, the next get their name without the `:2,` part (then
 * `<dir>/<that>`, then `<dir>/<full name>`), so ids stay unique and survive flag renames.
 */
export async function scanFolder(dir: string, folder: string, ownMd5: string, withSize: boolean,
  /** FMD5 values of the store's other folders: files moved in from there are not a nametrans hint. */
  otherMd5?: (md5: string) => boolean): Promise<FolderScan> {
  let lists: string[][];
  try {
    lists = await Promise.all((['cur', 'new'] as const).map((d) => fs.promises.readdir(path.join(dir, d))));
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') {
      throw new SyncError('folder-missing', `The Maildir folder ${folder} (${dir}) disappeared while it was open.`,
        { scope: 'folder', retry: 'later', cause: e, folder });
    }
    throw fsError(e, 'listing', dir, folder);
  }
  const infos: MessageInfo[] = [];
  const listed: Listed[] = [];
  const entries = new Map<string, Entry>();
  const md5Count = new Map<string, number>();
  let dupUniques: Set<string> | undefined;
  (['cur', 'new'] as const).forEach((sub, i) => {
    for (const name of lists[i]!) {
      const l = listedName(name);
      if (!l) continue;
      const entry: Entry = { dir: sub, name };
      if (entries.has(l.unique)) (dupUniques ??= new Set()).add(l.unique);
      else entries.set(l.unique, entry);
      if (l.fmd5 !== undefined && l.uid !== undefined) md5Count.set(l.fmd5, (md5Count.get(l.fmd5) ?? 0) + 1);
      listed.push({ entry, l });
      infos.push({ id: l.unique, flags: l.flags });
    }
  });
  if (dupUniques) disambiguate(dupUniques, listed, infos, entries);
  if (otherMd5) for (const md5 of md5Count.keys()) if (md5 !== ownMd5 && otherMd5(md5)) md5Count.delete(md5);
  const { accepted, writeMd5 } = inferFmd5(md5Count, ownMd5);
  for (let i = 0; i < infos.length; i++) {
    const { uid, fmd5 } = listed[i]!.l;
    if (uid !== undefined && fmd5 !== undefined && accepted.has(fmd5)) infos[i]!.farUidHint = uid;
  }
  if (!withSize) return { entries, infos, accepted, writeMd5 };
  const sized = infos.filter((info, i) => {
    const { entry } = listed[i]!;
    const st = fs.statSync(path.join(dir, entry.dir, entry.name), { throwIfNoEntry: false });
    if (!st) return false;
    info.size = st.size;
    info.date = st.mtime;
    return true;
  });
  return { entries, infos: sized, accepted, writeMd5 };
}

function disambiguate(uniques: Set<string>, listed: Listed[], infos: MessageInfo[], entries: Map<string, Entry>): void {
  const group: number[] = [];
  listed.forEach((x, i) => { if (uniques.has(x.l.unique)) group.push(i); });
  for (const u of uniques) entries.delete(u);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  group.sort((a, b) => {
    const x = listed[a]!, y = listed[b]!;
    return cmp(x.l.unique, y.l.unique) || (x.entry.dir === y.entry.dir ? 0 : x.entry.dir === 'cur' ? -1 : 1)
      || cmp(x.entry.name, y.entry.name);
  });
  for (const i of group) {
    const { entry, l } = listed[i]!;
    const colon = infoStart(entry.name);
    const base = colon < 0 ? entry.name : entry.name.slice(0, colon);
    const id = [l.unique, base, `${entry.dir}/${base}`, `${entry.dir}/${entry.name}`].find((c) => !entries.has(c))!;
    entry.dup = true;
    entries.set(id, entry);
    infos[i]!.id = id;
  }
}

/**
 * OfflineIMAP's FMD5 is the md5 of the folder's *visible* name after the user's nametrans,
 * which we cannot compute. So when the most common FMD5 among the files with U= is a single
 * value other than ours (no tie), the folder was very likely renamed by nametrans: that FMD5
 * is accepted too, and written into new names so that OfflineIMAP keeps recognising them.
 */
export function inferFmd5(counts: Map<string, number>, ownMd5: string): { accepted: Set<string>; writeMd5: string } {
  let top: string | undefined, topCount = 0, tie = false;
  for (const [md5, n] of counts) {
    if (n > topCount) { top = md5; topCount = n; tie = false; } else if (n === topCount) tie = true;
  }
  if (top !== undefined && top !== ownMd5 && !tie && /^[0-9a-f]{32}$/.test(top)) {
    return { accepted: new Set([ownMd5, top]), writeMd5: top };
  }
  return { accepted: new Set([ownMd5]), writeMd5: ownMd5 };
}
