// Shared constants of the on-disk Maildir layout used by MaildirStore: the three
// subdirectories, OfflineIMAP's fixed UIDVALIDITY, and the size limits of delivery batches
// and streamed reads. Constants only: this module must never touch the file system.

import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../files/private-files.js';

/** The Maildir subdirectories; messages live in cur/ and new/, tmp/ holds deliveries in progress. */
export const SUBDIRS = ['cur', 'new', 'tmp'] as const;
export type MessageDir = 'cur' | 'new';

/** OfflineIMAP reports this UIDVALIDITY for every Maildir folder ("a magic token"). */
export const MAILDIR_UIDVALIDITY = 42;

/** Bodies larger than this are fetched as a stream and written with asynchronous writes. */
export const LARGE_BODY = 1024 * 1024;

/** append() flushes on its own once this many files or bytes wait for flush(). */
export const BATCH_FILES = 256;
export const BATCH_BYTES = 32 * 1024 * 1024;

/** Files fsynced at once (each fsync is one libuv threadpool job). */
export const FSYNC_CHUNK = 64;

/** messageIds() reads at most this much of a file looking for the end of the header. */
export const HEADER_LIMIT = 64 * 1024;

/** File mode of delivered messages and of created folders: private, like all Satchel creates. */
export const FILE_MODE = PRIVATE_FILE_MODE;
export const DIR_MODE = PRIVATE_DIR_MODE;
