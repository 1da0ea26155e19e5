// Turns file system errors of the Maildir store into SyncErrors with the right scope and retry
// class (a full disk stops the account, a missing permission stops the folder). Messages name
// the path, the operation and the fix; they must never hide the original error (it is the cause).

import { SyncError } from '../errors.js';

/** The errno code of a Node fs error, or undefined. */
export function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Maps an fs error met while doing `what` on `file` to a SyncError (SyncErrors pass through). */
export function fsError(e: unknown, what: string, file: string, folder?: string): SyncError {
  if (e instanceof SyncError) return e;
  const code = errnoOf(e);
  const detail = e instanceof Error ? e.message : String(e);
  const at = `${what} ${file}`;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new SyncError('disk-full', `The disk holding the Maildir is full (${at}). Free some space and sync again.`,
        { scope: 'account', retry: 'needs-user', cause: e, folder });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new SyncError('maildir-permission', `No permission for ${at} (${detail}). Check the owner and mode of the ` +
        'Maildir, and that its disk is not mounted read-only.', { scope: 'folder', retry: 'needs-user', cause: e, folder });
    case 'EMFILE':
    case 'ENFILE':
      return new SyncError('too-many-open-files', `Too many open files (${at}); try fewer parallel folders (maxconnections).`,
        { scope: 'folder', retry: 'later', cause: e, folder });
    case 'EIO':
      return new SyncError('disk-io-error', `The disk reported an I/O error (${at}). Check the disk before syncing again.`,
        { scope: 'account', retry: 'needs-user', cause: e, folder });
    default:
      return new SyncError('maildir-io', `Maildir error: ${at}: ${detail}`, { scope: 'folder', retry: 'later', cause: e, folder });
  }
}
