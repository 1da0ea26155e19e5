// MaildirStore: the MailStore of a tree of Maildir folders under one root, laid out and named
// as OfflineIMAP does (so existing OfflineIMAP Maildirs are adopted as they are). It lists,
// creates and opens folders; the per-folder work is in maildir-folder.ts. It must never create
// the root on its own (a missing root is an unmounted disk or a wrong path, not an empty
// mailbox: only MaildirStore.createRoot() does that, on a first sync), and never touch a path
// outside the root.

import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../errors.js';
import type { FolderEntry, FolderState, MailStore, OpenFolder } from '../store/mail-store.js';
import { folderMd5, safeHostname } from './filename.js';
import { checkNoEscape, folderDir, folderDirs, listFolderNames } from './folder-path.js';
import { folderToken } from './folder-scan.js';
import { MaildirFolder } from './maildir-folder.js';
import { errnoOf, fsError } from './maildir-errors.js';
import { DIR_MODE, MAILDIR_UIDVALIDITY, SUBDIRS } from './maildir-layout.js';

export interface MaildirStoreOptions {
  /** The directory holding the folders (OfflineIMAP's localfolders). */
  root: string;
  /** Folder hierarchy separator (OfflineIMAP's sep): '.' (default) flat, '/' nested directories. */
  sep?: string;
  /** fsync delivered files and the directories they are renamed into (default true). */
  fsync?: boolean;
  /** Host name written into new file names (default os.hostname()). */
  hostname?: string;
  /** maildir-windows-compatible: write '!' instead of ':' before the flags ("!2,FS"). */
  windowsCompatible?: boolean;
  /** filename_use_mail_timestamp: new file names start with the message's Date: header time. */
  mailTimestamp?: boolean;
  /** utime_from_header: the file time of a downloaded message is its Date: header, not INTERNALDATE. */
  utimeFromHeader?: boolean;
}

export class MaildirStore implements MailStore {
  readonly kind = 'maildir' as const;
  readonly delimiter: string;
  readonly capabilities = { condstore: false, qresync: false, uidplus: true };
  private readonly root: string;
  private readonly fsync: boolean;
  private readonly host: string;
  private readonly names: { infoSep: ':' | '!'; mailTimestamp: boolean; utimeFromHeader: boolean };
  /** FMD5 of every folder listed or created so far (see MaildirFolder's otherMd5). */
  private readonly folderMd5s = new Set<string>();

  constructor(opts: MaildirStoreOptions) {
    const sep = opts.sep ?? '.';
    if (sep === '' || /[\u0000-\u001f\u007f\\]/.test(sep)) {
      throw new SyncError('maildir-bad-sep', `The Maildir separator ${JSON.stringify(sep)} cannot be used; use '.' or '/'.`,
        { scope: 'account', retry: 'needs-user' });
    }
    this.root = path.resolve(opts.root);
    this.delimiter = sep;
    this.fsync = opts.fsync ?? true;
    this.host = safeHostname(opts.hostname);
    this.names = { infoSep: opts.windowsCompatible ? '!' : ':', mailTimestamp: !!opts.mailTimestamp, utimeFromHeader: !!opts.utimeFromHeader };
  }

  /**
   * Creates the root directory (and its parents) when it is missing. Only the engine calls it,
   * on a first sync; synchronous so that it can run before connect().
   */
  static createRoot(root: string): void {
    fs.mkdirSync(path.resolve(root), { recursive: true, mode: DIR_MODE });
  }

  private rootMissing(why: string, cause?: unknown): SyncError {
    return new SyncError('maildir-root-missing', `The Maildir root ${this.root} ${why}. If it is on a removable or network ` +
      'disk, mount it; if the path is wrong, fix localfolders. Nothing was synced, so nothing was deleted.',
    { scope: 'account', retry: 'needs-user', cause });
  }

  private async checkRoot(): Promise<void> {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(this.root);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') throw this.rootMissing('does not exist', e);
      throw fsError(e, 'opening the Maildir root', this.root);
    }
    if (!st.isDirectory()) throw this.rootMissing('is not a directory');
  }

  async connect(): Promise<void> {
    await this.checkRoot();
  }

  async listFolders(): Promise<FolderEntry[]> {
    await this.checkRoot();
    try {
      const names = await listFolderNames(this.root, this.delimiter);
      for (const n of names) this.folderMd5s.add(folderMd5(n));
      return names.map((name) => ({ name }));
    } catch (e) {
      throw fsError(e, 'listing the folders of', this.root);
    }
  }

  /** Creates the folder's directory with cur/ new/ tmp/; with sep '/' every parent becomes a Maildir too. */
  async createFolder(name: string): Promise<void> {
    const dirs = folderDirs(this.root, name, this.delimiter);
    this.folderMd5s.add(folderMd5(name));
    await this.checkRoot();
    await checkNoEscape(this.root, dirs[dirs.length - 1]!, name);
    for (const dir of dirs) {
      for (const sub of SUBDIRS) {
        const p = path.join(dir, sub);
        try {
          await fs.promises.mkdir(p, { recursive: true, mode: DIR_MODE });
        } catch (e) {
          throw fsError(e, 'creating', p, name);
        }
      }
    }
  }

  async openFolder(name: string): Promise<OpenFolder> {
    const dir = folderDir(this.root, name, this.delimiter);
    let token: string;
    try {
      ({ token } = await folderToken(dir));
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT' && errnoOf(e) !== 'ENOTDIR') throw fsError(e, 'opening', dir, name);
      await this.checkRoot();
      throw new SyncError('folder-missing', `The Maildir folder ${name} does not exist (no ${dir}/cur and new).`,
        { scope: 'folder', retry: 'later', cause: e, folder: name });
    }
    await checkNoEscape(this.root, dir, name);
    const state: FolderState = { uidValidity: MAILDIR_UIDVALIDITY, changeToken: token };
    return new MaildirFolder(dir, name, state, { fsync: this.fsync, host: this.host, ...this.names, openSibling: (n) => this.openFolder(n),
      otherMd5: (md5) => this.folderMd5s.has(md5) });
  }

  async close(): Promise<void> {}
}
