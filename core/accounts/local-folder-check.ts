// The wizard's check of an account's local Maildir folder: an absolute (or ~) path that can be
// created and written, that is not inside and does not contain another account's folder, and
// that is either new, empty or already a Maildir. It may create the missing directories of the
// path to prove they can be made, and removes them again; it never touches existing content.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalFolderCheck } from '../contract/bridge-contract.js';

export interface OtherAccount { name: string; localfolders?: string }

export interface LocalFolderOptions {
  /** The accounts that exist (the one being edited is skipped by name). */
  accounts?: OtherAccount[];
  home?: string;
}

export function expandHome(p: string, home = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

export function checkLocalFolder(input: string, account: string, opts: LocalFolderOptions = {}): LocalFolderCheck {
  const home = opts.home ?? os.homedir();
  const raw = input.trim();
  const expanded = expandHome(raw, home);
  if (!path.isAbsolute(expanded)) {
    return { ok: false, path: raw, message: `"${raw}" is a relative path. Give the full path, e.g. ~/Mail/${account}.` };
  }
  const dir = path.resolve(expanded);
  const bad = (message: string): LocalFolderCheck => ({ ok: false, path: dir, message });

  for (const other of opts.accounts ?? []) {
    if (other.name === account || !other.localfolders) continue;
    const theirs = path.resolve(expandHome(other.localfolders, home));
    if (theirs === dir) return bad(`The account "${other.name}" already keeps its mail in ${dir}. Choose a folder of its own, e.g. ${path.join(path.dirname(dir), account)}.`);
    if (inside(dir, theirs)) return bad(`${dir} is inside ${theirs}, the mail folder of the account "${other.name}"; its folders would mix. Choose a folder outside it.`);
    if (inside(theirs, dir)) return bad(`${dir} contains ${theirs}, the mail folder of the account "${other.name}"; its folders would mix. Choose a folder next to it instead.`);
  }

  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if (!['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return bad(`${dir} cannot be read (${(e as NodeJS.ErrnoException).code}).`);
  }
  if (st && !st.isDirectory()) return bad(`${dir} is a file, not a folder. Choose another path.`);
  if (st) {
    const entries = fs.readdirSync(dir);
    if (entries.length && !looksLikeMaildir(dir, entries)) {
      return bad(`${dir} already holds files that are not mail (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}). Choose an empty or new folder.`);
    }
    const why = writeProbe(dir);
    if (why) return bad(`${dir} is not writable (${why}). Choose a folder you own.`);
    return { ok: true, path: dir, message: entries.length ? `${dir} already holds a Maildir; Satchel will sync into it.` : `${dir} is empty and writable.` };
  }
  const why = creatable(dir);
  if (why) return bad(`${dir} cannot be created (${why}). Choose a folder in your home directory.`);
  return { ok: true, path: dir, message: `${dir} will be created.` };
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const isMaildir = (d: string) => ['cur', 'new', 'tmp'].every((s) => isDir(path.join(d, s)));

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The folder itself is a Maildir, or one of its subfolders is (INBOX, .Sent, Archive/...). */
function looksLikeMaildir(dir: string, entries: string[]): boolean {
  if (isMaildir(dir)) return true;
  return entries.some((e) => isDir(path.join(dir, e)) && (isMaildir(path.join(dir, e)) ||
    safeList(path.join(dir, e)).some((s) => isMaildir(path.join(dir, e, s)))));
}

function safeList(d: string): string[] {
  try {
    return fs.readdirSync(d).slice(0, 200);
  } catch {
    return [];
  }
}

/** Writes and removes a probe file; returns why not, or undefined. */
function writeProbe(dir: string): string | undefined {
  const probe = path.join(dir, `.satchel-probe-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(probe, '', { flag: 'wx' });
    fs.unlinkSync(probe);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

/** Makes the missing directories, writes a probe in the deepest, and removes what it made. */
function creatable(dir: string): string | undefined {
  let first: string | undefined;
  try {
    first = fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
  const why = writeProbe(dir);
  if (first) {
    let d = dir;
    for (;;) {
      try { fs.rmdirSync(d); } catch { break; }
      if (d === first) break;
      d = path.dirname(d);
    }
  }
  return why;
}
