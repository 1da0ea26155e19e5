// The account lock on real files with real processes: a second taker is refused while the
// holder's pid lives, a lock left by a finished (dead) process is recovered, release removes
// only our own lock, and an fcntl lock held by another program (OfflineIMAP's way) is seen.

import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireAccountLock, offlineImapLockHolder } from '../../../core/engine/account-lock.js';
import { SyncError } from '../../../core/errors.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-lock-'));

function caught(fn: () => unknown): SyncError {
  try { fn(); } catch (e) { return e as SyncError; }
  throw new Error('expected a throw');
}

describe('account lock', () => {
  it('writes pid, host and start time; a second taker is refused naming the pid; release frees it', () => {
    const dir = tmp();
    const lock = acquireAccountLock(dir, 'main', { now: () => 1_700_000_000_000 });
    expect(fs.readFileSync(path.join(dir, 'main.lock'), 'utf8')).toBe(`${process.pid} ${os.hostname()} 1700000000000\n`);
    const e = caught(() => acquireAccountLock(dir, 'main'));
    expect(e).toBeInstanceOf(SyncError);
    expect(e).toMatchObject({ code: 'account-locked', scope: 'account', retry: 'later' });
    expect(e.message).toContain(`pid ${process.pid}`);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'main.lock'))).toBe(false);
    acquireAccountLock(dir, 'main').release();
  });

  it('a live process on this host keeps its lock', () => {
    const dir = tmp();
    const child = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, 'a.lock'), `${child.pid} ${os.hostname()} 1700000000000\n`);
      expect(caught(() => acquireAccountLock(dir, 'a')).message).toContain(`pid ${child.pid} has been syncing it since 2023-11-14`);
      expect(fs.existsSync(path.join(dir, 'a.lock'))).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('a lock of a process that is gone is recovered with a log line', () => {
    const dir = tmp();
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(r.stdout);
    expect(deadPid).toBeGreaterThan(0);
    fs.writeFileSync(path.join(dir, 'a.lock'), `${deadPid} ${os.hostname()} 1700000000000\n`);
    const logs: string[] = [];
    const lock = acquireAccountLock(dir, 'a', { log: (m) => logs.push(m) });
    expect(logs.join()).toMatch(new RegExp(`stale lock of account a: pid ${deadPid}`));
    expect(fs.readFileSync(lock.file, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    lock.release();
  });

  it('a lock from another host is not taken over', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a.lock'), `1 other-host.example 1700000000000\n`);
    expect(caught(() => acquireAccountLock(dir, 'a')).message).toMatch(/other-host\.example.*delete the lock file/);
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const dir = tmp();
    const lock = acquireAccountLock(dir, 'a');
    fs.writeFileSync(lock.file, `1 ${os.hostname()} 1\n`);
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(true);
  });

  it('an OfflineIMAP-style fcntl lock is seen; an empty unlocked one is recovered', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a.lock');
    fs.writeFileSync(file, '');
    // What OfflineIMAP does: open(path, 'w') and fcntl.lockf(LOCK_EX | LOCK_NB).
    const holder = spawn('python3', ['-c', `import fcntl,sys,time\nf=open(${JSON.stringify(file)},'w')\nfcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nprint('locked',flush=True)\ntime.sleep(30)`]);
    try {
      await new Promise<void>((res) => holder.stdout.once('data', () => res()));
      expect(offlineImapLockHolder(file)).toBe(holder.pid);
      expect(caught(() => acquireAccountLock(dir, 'a')).message).toContain(`OfflineIMAP (pid ${holder.pid}) is syncing it`);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once('exit', r));
    const logs: string[] = [];
    acquireAccountLock(dir, 'a', { log: (m) => logs.push(m) }).release();
    expect(logs.join()).toMatch(/stale OfflineIMAP lock/);
  });
});
