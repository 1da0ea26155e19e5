// Maps folder names to directories under the Maildir root and back. sep '/' gives nested
// directories (`<root>/Archive/2024`), any other sep a flat one (`<root>/Archive.2024`), as
// in OfflineIMAP. Folder names come from the server and are untrusted: this module must never
// return a path outside the root, nor one that collides with cur/ new/ tmp/, and the listing
// must never follow a symbolic link out of the root.

import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../errors.js';
import { SUBDIRS } from './maildir-layout.js';

const MAX_COMPONENT_BYTES = 255;
const MAX_PATH_BYTES = 4000;
// C0 and C1 control characters, DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function unsafe(name: string, why: string): SyncError {
  const shown = JSON.stringify(name.length > 80 ? name.slice(0, 80) + '…' : name);
  return new SyncError('unsafe-folder-name', `The folder name ${shown} cannot be stored in the Maildir: ${why}. ` +
    'Rename it on the server or exclude it with folderfilter.', { scope: 'folder', retry: 'needs-user', folder: name });
}

/** The path components of a folder name relative to the root (one for a flat layout). */
function components(name: string, sep: string): string[] {
  return sep === '/' ? name.split('/') : [name];
}

/** Throws SyncError 'unsafe-folder-name' unless `name` is safe to store under a root with this sep. */
export function checkFolderName(name: string, sep: string): void {
  if (name === '') throw unsafe(name, 'the name is empty');
  if (CONTROL.test(name)) throw unsafe(name, 'it contains a NUL or another control character');
  if (sep !== '/' && name.includes('/')) throw unsafe(name, `it contains '/', which is not the folder separator '${sep}'`);
  if (name.includes('\\')) throw unsafe(name, "it contains '\\'");
  for (const seg of name.split(sep)) {
    if (seg === '') throw unsafe(name, `it has an empty part (a leading, trailing or doubled '${sep}')`);
    if (seg === '.' || seg === '..') throw unsafe(name, `it has a '${seg}' part`);
    if (Buffer.byteLength(seg, 'utf8') > MAX_COMPONENT_BYTES) throw unsafe(name, `a part is longer than ${MAX_COMPONENT_BYTES} bytes`);
  }
  for (const c of components(name, sep)) {
    if (c === '.' || c === '..') throw unsafe(name, `it would be the directory '${c}'`);
    if ((SUBDIRS as readonly string[]).includes(c)) {
      throw unsafe(name, `'${c}' is reserved for the Maildir's own ${SUBDIRS.join('/, ')}/ directories`);
    }
    if (Buffer.byteLength(c, 'utf8') > MAX_COMPONENT_BYTES) throw unsafe(name, `it is longer than ${MAX_COMPONENT_BYTES} bytes`);
  }
}

/** The directory of a folder under `root`; throws SyncError 'unsafe-folder-name' for unsafe names. */
export function folderDir(root: string, name: string, sep: string): string {
  checkFolderName(name, sep);
  const absRoot = path.resolve(root);
  const dir = path.resolve(absRoot, ...components(name, sep));
  if (!dir.startsWith(absRoot + path.sep) || dir === absRoot) throw unsafe(name, 'it would point outside the Maildir root');
  if (Buffer.byteLength(dir, 'utf8') > MAX_PATH_BYTES) throw unsafe(name, `the path would be longer than ${MAX_PATH_BYTES} bytes`);
  return dir;
}

/** The directories between the root (exclusive) and a folder's own directory (inclusive). */
export function folderDirs(root: string, name: string, sep: string): string[] {
  const dir = folderDir(root, name, sep);
  if (sep !== '/') return [dir];
  const parts = name.split('/');
  return parts.map((_, i) => path.resolve(root, ...parts.slice(0, i + 1)));
}

function inside(realRoot: string, p: string): boolean {
  return p === realRoot || p.startsWith(realRoot + path.sep);
}

/**
 * Throws 'unsafe-folder-name' when `dir` (or, when it does not exist yet, its nearest existing
 * ancestor) resolves through a symbolic link to a place outside the root.
 */
export async function checkNoEscape(root: string, dir: string, name: string): Promise<void> {
  const realRoot = await fs.promises.realpath(root);
  let p = dir;
  for (;;) {
    try {
      const real = await fs.promises.realpath(p);
      if (!inside(realRoot, real)) throw unsafe(name, 'its directory is a symbolic link that leads outside the Maildir root');
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const parent = path.dirname(p);
      if (parent === p) return;
      p = parent;
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(raw: Buffer): string | null {
  try { return utf8.decode(raw); } catch { return null; }
}

async function isDir(p: string): Promise<boolean> {
  try { return (await fs.promises.stat(p)).isDirectory(); } catch { return false; }
}

async function isMaildir(dir: string): Promise<boolean> {
  const found = await Promise.all(SUBDIRS.map((s) => isDir(path.join(dir, s))));
  return found.every(Boolean);
}

/**
 * Names of the Maildir folders under `root` (directories holding cur/, new/ and tmp/), like
 * OfflineIMAP's scan: with sep '/' it descends into every directory and joins the parts with
 * '/'; with any other sep only the root's own subdirectories are folders (a nested directory
 * would get a name that maps to another, flat directory). Directory names that are not UTF-8
 * or not safe folder names are left out. A symbolic link is followed only when it leads to a
 * directory inside the root that the scan has not seen (real directories are walked first),
 * so no folder is listed twice and no loop is walked.
 */
export async function listFolderNames(root: string, sep: string): Promise<string[]> {
  const realRoot = await fs.promises.realpath(root);
  const seen = new Set<string>([realRoot]);
  const out: string[] = [];
  const visit = async (full: string, real: string, parts: string[]): Promise<void> => {
    const folder = parts.join(sep);
    try { checkFolderName(folder, sep); } catch { return; }
    if (await isMaildir(full)) out.push(folder);
    if (sep === '/') await walk(full, real, parts);
  };
  const walk = async (dir: string, realDir: string, prefix: string[]): Promise<void> => {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      if (prefix.length === 0) throw e;
      return;
    }
    const links: string[] = [];
    for (const ent of entries) {
      const name = decodeName(ent.name);
      if (name === null || (SUBDIRS as readonly string[]).includes(name)) continue;
      if (ent.isSymbolicLink()) { links.push(name); continue; }
      if (!ent.isDirectory()) continue;
      const real = path.join(realDir, name);
      seen.add(real);
      await visit(path.join(dir, name), real, [...prefix, name]);
    }
    for (const name of links) {
      const full = path.join(dir, name);
      let real: string;
      try { real = await fs.promises.realpath(full); } catch { continue; }
      if (!inside(realRoot, real) || seen.has(real) || !(await isDir(real))) continue;
      seen.add(real);
      await visit(full, real, [...prefix, name]);
    }
  };
  await walk(root, realRoot, []);
  return out.sort();
}
