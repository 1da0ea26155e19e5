// Reads ~/.netrc (and /etc/netrc) the way Python's netrc module does for OfflineIMAP:
// "machine HOST login USER password PASS" entries, a "default" entry, macdef blocks skipped,
// double-quoted tokens. Lookup by host with the login matching the configured user, if any.
// netrcPermissionWarning() says when a file that gave a password is open to other users (Python's
// netrc refuses such a ~/.netrc) and names the fix. It never logs or returns anything but the
// matched entry, never puts a password in a message, and never writes or chmods the file.

import fs from 'node:fs';
import path from 'node:path';

export interface NetrcEntry {
  /** undefined for the "default" entry. */
  machine?: string;
  login?: string;
  account?: string;
  password?: string;
}

export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  const lines = text.split(/\r?\n/);
  let cur: NetrcEntry | undefined;
  let pending: keyof NetrcEntry | 'macdef' | undefined;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (/^\s*#/.test(line)) continue;
    for (const tok of tokens(line)) {
      if (pending === 'macdef') {
        // A macro runs until the next empty line.
        while (li + 1 < lines.length && lines[li + 1]!.trim() !== '') li++;
        pending = undefined;
        break;
      }
      if (pending) {
        if (cur) cur[pending] = tok;
        pending = undefined;
        continue;
      }
      switch (tok) {
        case 'machine': cur = {}; entries.push(cur); pending = 'machine'; break;
        case 'default': cur = {}; entries.push(cur); break;
        case 'login': case 'user': pending = 'login'; break;
        case 'account': pending = 'account'; break;
        case 'password': case 'passwd': pending = 'password'; break;
        case 'macdef': pending = 'macdef'; break;
        default: break; // unknown token: ignored, like Python's netrc
      }
    }
    if (pending === 'macdef') {
      while (li + 1 < lines.length && lines[li + 1]!.trim() !== '') li++;
      pending = undefined;
    }
  }
  return entries;
}

function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

/**
 * The entry for `host` (else the default entry). With `user`, only an entry whose login is
 * `user` (or has no login) counts, as in OfflineIMAP; without it, the last entry for the host.
 */
export function findNetrcEntry(entries: NetrcEntry[], host: string, user?: string): NetrcEntry | undefined {
  const h = host.toLowerCase();
  const forHost = entries.filter((e) => e.machine !== undefined && e.machine.toLowerCase() === h);
  const matches = (e: NetrcEntry) => !user || e.login === undefined || e.login === user;
  const hit = user ? forHost.find(matches) : forHost[forHost.length - 1];
  if (hit) return hit;
  if (forHost.length) return undefined;
  const def = entries.find((e) => e.machine === undefined);
  return def && matches(def) ? def : undefined;
}

/** ~/.netrc, then /etc/netrc: the files OfflineIMAP reads. */
export function defaultNetrcFiles(home: string): string[] {
  return [path.join(home, '.netrc'), '/etc/netrc'];
}

/** An entry found by lookupNetrc, with the file it came from. */
export interface NetrcMatch extends NetrcEntry { file: string }

/** The first matching entry with a password in `files`; unreadable or missing files are skipped. */
export function lookupNetrc(files: string[], host: string, user?: string): NetrcMatch | undefined {
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    const e = findNetrcEntry(parseNetrc(text), host, user);
    if (e && e.password !== undefined) return { ...e, file: f };
  }
  return undefined;
}

/** A warning when `file` (which holds a password) can be read or written by group or others; undefined when it is private. */
export function netrcPermissionWarning(file: string): string | undefined {
  let mode: number;
  try { mode = fs.statSync(file).mode & 0o777; } catch { return undefined; }
  if ((mode & 0o077) === 0) return undefined;
  const quoted = /^[\w@%+=:,./~-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return `${file} holds a password and other users can read it (mode ${mode.toString(8).padStart(3, '0')}). Make it private: chmod 600 ${quoted}`;
}
