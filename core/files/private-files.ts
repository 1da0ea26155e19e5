// Files and folders only their owner may read: Satchel's state (status databases, locks,
// mbnames lists, settings, the browser launch page) lives in folders created 0700 and files
// created 0600, and every temporary file is opened with O_EXCL under an unpredictable name, so
// a planted file or symlink is never written through. It never loosens the mode of anything
// that exists already, and never deletes anything but its own temporary file.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` and its missing parents with mode 0700 (existing ones are left as they are). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates `file` empty with mode 0600 when it does not exist (an existing file is untouched). */
export function ensurePrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, PRIVATE_FILE_MODE));
}

/** Writes `text` to a new file that must not exist yet (O_EXCL), with `mode` (default 0600); removed again if the write fails. */
export function writeNewFile(file: string, text: string, mode = PRIVATE_FILE_MODE): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}

/** Replaces `file` atomically: an O_EXCL temporary file beside it (mode `mode`, default 0600), fsynced, renamed over it. */
export function writeFileAtomic(file: string, text: string, mode = PRIVATE_FILE_MODE): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  writeNewFile(tmp, text, mode);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
