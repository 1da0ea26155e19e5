// The per-account lock: `<stateDir>/<account>.lock`, created with O_EXCL and holding
// "pid host start-time", so two runs (daemon, one-shot, desktop) never sync one account at
// once. A lock whose pid is gone on this host is stale (a crashed or killed run) and is
// recovered with a log line; an empty lock file is OfflineIMAP's, checked in /proc/locks.
// It never deletes a lock it cannot prove dead, and never touches the status database.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyncError } from '../errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js';

export interface LockOwner {
  pid: number;
  host: string;
  /** Start time, ms since the epoch. */
  started: number;
}

export interface AccountLock {
  readonly file: string;
  release(): void;
}

/** Takes the lock of `account` (a safe file name) in stateDir, or throws SyncError 'account-locked'. */
export function acquireAccountLock(stateDir: string, account: string, opts: { log?: (message: string) => void; now?: () => number } = {}): AccountLock {
  makePrivateDir(stateDir);
  const file = path.join(stateDir, `${account}.lock`);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: (opts.now ?? Date.now)() };
  const content = `${me.pid} ${me.host} ${me.started}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
      try { fs.writeSync(fd, content); } finally { fs.closeSync(fd); }
      return { file, release: () => releaseIfOurs(file, content) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = readOrUndefined(file);
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    if (!owner) {
      const oiPid = offlineImapLockHolder(file);
      if (oiPid !== undefined) throw locked(account, file, `OfflineIMAP (pid ${oiPid}) is syncing it`);
      if (!fs.existsSync('/proc/locks')) {
        throw locked(account, file, 'the lock file is not Satchel\'s (OfflineIMAP\'s?); if no OfflineIMAP is running, delete it');
      }
      opts.log?.(`recovered a stale OfflineIMAP lock of account ${account} (${file}): no process holds it`);
    } else if (owner.host !== os.hostname()) {
      throw locked(account, file, `pid ${owner.pid} on host ${owner.host} has held it since ${iso(owner.started)}; ` +
        'if that run is gone, delete the lock file');
    } else if (pidAlive(owner.pid)) {
      throw locked(account, file, `pid ${owner.pid} has been syncing it since ${iso(owner.started)}`);
    } else {
      opts.log?.(`recovered a stale lock of account ${account}: pid ${owner.pid} (started ${iso(owner.started)}) is no longer running`);
    }
    // Re-read just before removing, so a lock another run took meanwhile is left alone.
    if (readOrUndefined(file) === seen) fs.rmSync(file, { force: true });
  }
  throw locked(account, file, 'another run keeps taking it');
}

export function parseOwner(text: string): LockOwner | undefined {
  const m = /^(\d+) (\S+) (\d+)\s*$/.exec(text);
  if (!m) return undefined;
  return { pid: Number(m[1]), host: m[2]!, started: Number(m[3]) };
}

/** True when a process with this pid exists (EPERM: it exists but is someone else's). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * OfflineIMAP holds `<metadata>/<account>.lock` with fcntl(F_SETLK) while it syncs. Node cannot
 * take such a lock, but on Linux /proc/locks lists it by device and inode: returns the holder's pid.
 */
export function offlineImapLockHolder(file: string): number | undefined {
  let locks: string;
  let st: fs.Stats;
  try {
    locks = fs.readFileSync('/proc/locks', 'utf8');
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  const major = Math.floor(st.dev / 256) & 0xfff, minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
    const m = /^\d+:\s+(?:POSIX|FLOCK|OFDLCK)\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!m) continue;
    if (Number(m[4]) === st.ino && parseInt(m[2]!, 16) === major && parseInt(m[3]!, 16) === minor) return Number(m[1]);
  }
  return undefined;
}

function releaseIfOurs(file: string, content: string): void {
  if (readOrUndefined(file) === content) fs.rmSync(file, { force: true });
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function locked(account: string, file: string, why: string): SyncError {
  return new SyncError('account-locked', `Account "${account}" is locked (${file}): ${why}. ` +
    'Satchel will try again later; two runs must never sync one account at once.', { scope: 'account', retry: 'later', account });
}

const iso = (ms: number) => new Date(ms).toISOString();
