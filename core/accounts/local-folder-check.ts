// The wizard's check of an account's local Maildir folder: an absolute (or ~) path that can be
// created and written, that is not inside and does not contain another account's folder, and
// that is either new, empty or already a Maildir. It only looks: it never creates a folder or a
// file (the folder is made on save or at the first sync), never follows a symlink at or below
// the typed path, and never names what a folder holds (only how many entries).

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
    st = fs.lstatSync(dir);
  } catch (e) {
    if (!['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return bad(`${dir} cannot be read (${(e as NodeJS.ErrnoException).code}).`);
  }
  if (st?.isSymbolicLink()) return bad(`${dir} is a symbolic link. Type the folder it points to instead.`);
  if (st && !st.isDirectory()) return bad(`${dir} is a file, not a folder. Choose another path.`);
  if (st) {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch (e) {
      return bad(`${dir} cannot be read (${(e as NodeJS.ErrnoException).code}). Choose a folder you own.`);
    }
    // How many, never which: the check must not list a folder's content.
    if (entries.length && !looksLikeMaildir(dir, entries)) {
      return bad(`${dir} already holds ${entries.length === 1 ? 'an entry' : `${entries.length} entries`} that ${entries.length === 1 ? 'is' : 'are'} not mail. Choose an empty or new folder.`);
    }
    const why = writable(dir);
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

/** A real directory, not a symlink to one (nothing outside the typed folder is looked at). */
function isDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
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

/** Whether this process may create entries in `dir`; returns why not, or undefined. Writes nothing. */
function writable(dir: string): string | undefined {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

/** Whether the missing folders of `dir` could be made: its nearest existing ancestor is a writable folder. Creates nothing. */
function creatable(dir: string): string | undefined {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && d !== path.dirname(d)) continue;
      return code ?? String(e);
    }
    return st.isDirectory() ? writable(d) : 'ENOTDIR';
  }
}
