// Maildir delivery in two steps: writeToTmp() writes one message to tmp/<name> (O_EXCL; CRLF
// line ends turned into LF on the way, from the converter's memory) and sets its mtime; commitBatch() fdatasyncs a whole batch in parallel (libuv threadpool), renames
// it into new/ or cur/ and fsyncs those directories. A file must never leave tmp/ before its
// data is synced (when fsync is on). Small writes, renames and closes are synchronous on
// purpose: on page-cached files they take microseconds, while each fs/promises call costs a
// threadpool round trip (5-9x slower for 10,000 messages, measured); bodies > 1 MB go async.

import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SyncError } from '../errors.js';
import { errnoOf, fsError } from './maildir-errors.js';
import { FILE_MODE, FSYNC_CHUNK, LARGE_BODY, type MessageDir } from './maildir-layout.js';
import { crlfToLf, toLf } from '../store/line-endings.js';
import { withLfSimd } from '../store/crlf-simd.js';

function writeAsync(fd: number, buf: Buffer, off: number, len: number): Promise<number> {
  return new Promise((resolve, reject) => fs.write(fd, buf, off, len, null, (e, n) => (e ? reject(e) : resolve(n))));
}
const fsync = promisify(fs.fsync);

/** A message written to tmp/ and waiting for commitBatch(). */
export interface PendingFile {
  id: string;
  name: string;
  target: MessageDir;
  /** Open descriptor kept for the fdatasync, or null (closed already when fsync is off). */
  fd: number | null;
  size: number;
  /** Set by commitBatch(): true once the file is in its target directory. */
  moved?: boolean;
}

function writeAllSync(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Writes `buf` with CRLF turned into LF; returns the bytes written. */
function writeLfSync(fd: number, buf: Buffer): number {
  // In place from the converter's scratch memory when it can take the body (no copy out).
  const n = withLfSimd(buf, (lf) => { writeAllSync(fd, lf); return lf.length; });
  if (n !== undefined) return n;
  const lf = crlfToLf(buf);
  writeAllSync(fd, lf);
  return lf.length;
}

async function writeAll(fd: number, buf: Buffer): Promise<void> {
  if (buf.length <= LARGE_BODY) return writeAllSync(fd, buf);
  let off = 0;
  while (off < buf.length) off += await writeAsync(fd, buf, off, buf.length - off);
}

function openExclusive(tmpDir: string, nextName: () => string): { fd: number; name: string } {
  // A clash means another process picked the same name this second: take the next name.
  for (let tries = 0; ; tries++) {
    const name = nextName();
    try {
      return { fd: fs.openSync(`${tmpDir}/${name}`, 'wx', FILE_MODE), name };
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST' || tries >= 6) throw e;
    }
  }
}

/**
 * Writes a message to `<dir>/tmp/<name>` in Maildir form (LF line ends; a fresh name from
 * `nextName` on every clash) and sets its mtime and atime to `date`. Keeps the descriptor open
 * when `keepOpen`. On failure the partial file is removed and the error (the body's own, or a
 * SyncError) is thrown.
 */
export async function writeToTmp(dir: string, nextName: () => string, body: Buffer | AsyncIterable<Buffer>,
  date: Date | undefined, keepOpen: boolean, folder: string): Promise<{ name: string; fd: number | null; size: number }> {
  const tmpDir = path.join(dir, 'tmp');
  let opened: { fd: number; name: string };
  try {
    opened = openExclusive(tmpDir, nextName);
  } catch (e) {
    throw fsError(e, 'creating a file in', tmpDir, folder);
  }
  const { fd, name } = opened;
  const file = `${tmpDir}/${name}`;
  // fs failures become SyncErrors here; a failure of the body's source passes through as it is.
  // Small bodies take no await at all (one message costs no promise round trips).
  const ioSync = (what: string, op: () => void): void => {
    try { op(); } catch (e) { throw fsError(e, what, file, folder); }
  };
  const io = async (what: string, op: () => unknown): Promise<void> => {
    try { await op(); } catch (e) { throw fsError(e, what, file, folder); }
  };
  let size = 0;
  try {
    if (Buffer.isBuffer(body) && body.length <= LARGE_BODY) {
      ioSync('writing', () => { size = writeLfSync(fd, body); });
    } else if (Buffer.isBuffer(body)) {
      const data = crlfToLf(body);
      await io('writing', () => writeAll(fd, data));
      size = data.length;
    } else {
      for await (const chunk of toLf(body) as AsyncIterable<Buffer>) {
        await io('writing', () => writeAll(fd, chunk));
        size += chunk.length;
      }
    }
    if (date && !Number.isNaN(date.getTime())) ioSync('setting the time of', () => fs.futimesSync(fd, date, date));
    if (!keepOpen) ioSync('closing', () => fs.closeSync(fd));
    return { name, fd: keepOpen ? fd : null, size };
  } catch (e) {
    try { fs.closeSync(fd); } catch { /* already closed */ }
    try { fs.unlinkSync(file); } catch { /* nothing to clean */ }
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  let fd: number;
  try { fd = fs.openSync(dir, 'r'); } catch { return; }
  try {
    await fsync(fd);
  } catch (e) {
    // Some file systems cannot fsync a directory; that is not a failure of the delivery.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP', 'EBADF'].includes(errnoOf(e) ?? '')) throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncs the given subdirectories of a folder (after renames or unlinks in them). */
export async function syncDirs(dir: string, subdirs: Iterable<MessageDir>, folder: string): Promise<void> {
  for (const d of new Set(subdirs)) {
    const p = path.join(dir, d);
    try { await syncDir(p); } catch (e) { throw fsError(e, 'syncing the directory', p, folder); }
  }
}

/**
 * fdatasyncs every open file of a batch, FSYNC_CHUNK at a time (a new one as soon as one ends).
 * After a failure no new one starts, and the first error is thrown once none is running.
 */
function syncAll(batch: PendingFile[]): Promise<void> {
  const fds = batch.flatMap((f) => (f.fd === null ? [] : [f.fd]));
  return new Promise((resolve, reject) => {
    let next = 0, running = 0, error: unknown;
    const pump = (): void => {
      while (error === undefined && running < FSYNC_CHUNK && next < fds.length) {
        running++;
        fs.fdatasync(fds[next++]!, (e) => {
          running--;
          if (e && error === undefined) error = e;
          pump();
        });
      }
      if (running === 0) {
        if (error !== undefined) reject(error);
        else resolve();
      }
    };
    pump();
  });
}

/**
 * Makes a batch durable and visible: fdatasync every file (when `durable`), close it, rename
 * it from tmp/ into its target, then fsync the target directories. Marks each renamed file
 * `moved`. On failure, the files not yet renamed are closed and removed from tmp/, and a
 * SyncError is thrown.
 */
export async function commitBatch(dir: string, batch: PendingFile[], durable: boolean, folder: string): Promise<void> {
  // (Names never hold a '/': joined by hand, path.join() is slow for 10,000 files.)
  const tmpDir = path.join(dir, 'tmp');
  const targets = { cur: path.join(dir, 'cur'), new: path.join(dir, 'new') };
  let current = tmpDir;
  try {
    if (durable) await syncAll(batch);
    for (const f of batch) {
      current = `${tmpDir}/${f.name}`;
      if (f.fd !== null) { fs.closeSync(f.fd); f.fd = null; }
      fs.renameSync(current, `${targets[f.target]}/${f.name}`);
      f.moved = true;
    }
    if (durable) await syncDirs(dir, batch.map((f) => f.target), folder);
  } catch (e) {
    for (const f of batch) {
      if (f.fd !== null) { try { fs.closeSync(f.fd); } catch { /* ignore */ } f.fd = null; }
      if (!f.moved) { try { fs.unlinkSync(path.join(tmpDir, f.name)); } catch { /* ignore */ } }
    }
    throw e instanceof SyncError ? e : fsError(e, 'delivering', current, folder);
  }
}

/** Closes and removes files that will never be committed. */
export function discardBatch(dir: string, batch: PendingFile[]): void {
  for (const f of batch) {
    if (f.fd !== null) { try { fs.closeSync(f.fd); } catch { /* ignore */ } f.fd = null; }
    try { fs.unlinkSync(path.join(dir, 'tmp', f.name)); } catch { /* ignore */ }
  }
}
