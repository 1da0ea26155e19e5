// Runs sync scenarios over two in-memory stores and a real SQLite status file, isync style:
// each scenario is run once, re-run for idempotence, and killed after every effect then
// resumed, and every end state is compared with the uninterrupted one.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStore, CrashError } from '../../../core/store/memory-store.js';
import { StatusDb } from '../../../core/status/status-db.js';
import { syncAccount, type AccountSyncResult } from '../../../core/sync/account-sync.js';
import type { FolderSyncOptions } from '../../../core/sync/folder-sync.js';

export interface World {
  far: MemoryStore;
  near: MemoryStore;
  dbFile: string;
  dir: string;
}

export const defaultOptions: FolderSyncOptions = {
  dryRun: false, deleteOnFar: true, deleteOnNear: true, farReadonly: false, nearReadonly: false, massDeleteThreshold: 10,
};

export function newWorld(): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-scn-'));
  return { far: new MemoryStore('/'), near: new MemoryStore('.'), dbFile: path.join(dir, 'status.db'), dir };
}

export async function runSync(w: World, opts: Partial<FolderSyncOptions> = {}, afterEffect?: () => void): Promise<AccountSyncResult> {
  const db = new StatusDb(w.dbFile);
  try {
    return await syncAccount({
      account: 'test', far: w.far, near: w.near, db, options: { ...defaultOptions, ...opts },
      createFolders: { far: true, near: true }, parallel: 2, afterEffect,
      events: { folderState() {}, progress() {}, error() {}, log() {} },
    });
  } finally {
    db.close();
  }
}

/** Per folder: sorted "flags|body" lines, the X-TUID line removed. Equal snapshots = same mail. */
export function snapshot(s: MemoryStore): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, f] of s.folders) {
    out[name.split(s.delimiter).join('/')] = [...f.messages.values()]
      .map((m) => `${m.flags}|${m.body.toString().replace(/^X-TUID: \S+\r\n/, '')}`).sort();
  }
  return out;
}

export function clone(w: World): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-scn-'));
  const dbFile = path.join(dir, 'status.db');
  for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(w.dbFile + suffix)) fs.copyFileSync(w.dbFile + suffix, dbFile + suffix);
  return { far: cloneStore(w.far), near: cloneStore(w.near), dbFile, dir };
}

function cloneStore(s: MemoryStore): MemoryStore {
  const c = new MemoryStore(s.delimiter, { condstore: s.capabilities.condstore });
  for (const [name, f] of s.folders) {
    c.folders.set(name, {
      uidValidity: f.uidValidity, uidNext: f.uidNext, modseq: f.modseq, expunged: new Map(f.expunged),
      messages: new Map([...f.messages].map(([k, m]) => [k, { ...m }])),
    });
  }
  return c;
}

/**
 * Kills the sync after effect number k (k = 1, 2, ...) until a run completes without being
 * killed, resumes each killed run with a fresh sync, and returns the end snapshots.
 */
export async function killEverywhere(prepared: World, opts: Partial<FolderSyncOptions> = {}):
  Promise<Array<{ k: number; far: Record<string, string[]>; near: Record<string, string[]> }>> {
  const out = [];
  for (let k = 1; k < 10_000; k++) {
    const w = clone(prepared);
    let n = 0, killed = false;
    try {
      await runSync(w, opts, () => { if (++n === k) { killed = true; throw new CrashError(); } });
    } catch (e) {
      if (!(e instanceof CrashError)) throw e;
    }
    if (!killed) break;
    await runSync(w, opts);
    out.push({ k, far: snapshot(w.far), near: snapshot(w.near) });
  }
  return out;
}
