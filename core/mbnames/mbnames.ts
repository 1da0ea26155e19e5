// OfflineIMAP's mbnames: after each account sync, its folder list goes to an intermediate file
// (<state>/mbnames/<account>.json, OfflineIMAP's format); the mailbox list file for mutt is then
// rebuilt from every intermediate file (after each account when incremental, else once per run):
// header + peritem for each folder (sorted by account, folder) joined by sep + footer.
// Files are written atomically (temp file + rename) and only when their content changed.

import fs from 'node:fs';
import path from 'node:path';
import type { MbnamesConfig } from '../config/model.js';
import { SyncError } from '../errors.js';
import { makePrivateDir, writeFileAtomic } from '../files/private-files.js';

export interface MbnamesItem { accountname: string; foldername: string; localfolders: string }

export interface MbnamesEvents {
  log(level: 'error' | 'info' | 'debug', message: string): void;
  error(e: SyncError): void;
}

/** peritem with OfflineIMAP's %(name)s fields and %% filled in. */
export function formatItem(template: string, item: MbnamesItem): string {
  return template.replace(/%(%|\((accountname|foldername|localfolders)\)s)/g, (_m, all: string, key?: keyof MbnamesItem) =>
    all === '%' ? '%' : item[key!]);
}

export function renderMbnames(cfg: MbnamesConfig, items: MbnamesItem[]): string {
  const sorted = [...items].sort((a, b) => cmp(a.accountname, b.accountname) || cmp(a.foldername, b.foldername));
  return cfg.header + sorted.map((i) => formatItem(cfg.peritem, i)).join(cfg.sep) + cfg.footer;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Writes `text` to `file` through a temp file and rename, unless the file already holds it. Returns true when written. */
export function writeIfChanged(file: string, text: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch { /* missing or unreadable: write it */ }
  makePrivateDir(path.dirname(file));
  writeFileAtomic(file, text);
  return true;
}

export class Mbnames {
  readonly dir: string;
  /** Dry run: the lists the accounts would have written, used instead of their files. */
  private readonly pending = new Map<string, MbnamesItem[]>();

  constructor(private readonly cfg: MbnamesConfig, stateDir: string, private readonly events: MbnamesEvents) {
    this.dir = path.join(stateDir, 'mbnames');
  }

  /** After an account synced: its intermediate file, then the final file when incremental. */
  afterAccount(account: string, localfolders: string, folders: string[], dryRun: boolean): void {
    const items: MbnamesItem[] = [...new Set(folders)].map((foldername) => ({ accountname: account, foldername, localfolders }));
    const file = path.join(this.dir, `${fileNameOf(account)}.json`);
    if (dryRun) this.pending.set(account, items);
    this.write(file, JSON.stringify(items), dryRun, 'the intermediate mbnames file');
    if (this.cfg.incremental) this.writeFinal(dryRun);
  }

  /** After every account of a run: the final file (when not incremental). */
  afterRun(dryRun: boolean): void {
    if (!this.cfg.incremental) this.writeFinal(dryRun);
  }

  private writeFinal(dryRun: boolean): void {
    const items: MbnamesItem[] = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
    } catch { /* no intermediate file yet */ }
    for (const n of names) {
      const file = path.join(this.dir, n);
      try {
        const list = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
        if (!Array.isArray(list)) throw new Error('not a JSON list');
        for (const i of list) {
          if (typeof i?.accountname === 'string' && typeof i?.foldername === 'string') {
            if (this.pending.has(i.accountname)) continue;
            items.push({ accountname: i.accountname, foldername: i.foldername, localfolders: typeof i.localfolders === 'string' ? i.localfolders : '' });
          }
        }
      } catch (e) {
        this.fail(`The intermediate mbnames file ${file} cannot be read (${(e as Error).message}); its folders are left out. Delete it; the next sync of its account writes it again.`, e);
      }
    }
    for (const list of this.pending.values()) items.push(...list);
    this.write(this.cfg.filename, renderMbnames(this.cfg, items), dryRun, 'the mbnames file');
  }

  private write(file: string, text: string, dryRun: boolean, what: string): void {
    if (dryRun) {
      let same = false;
      try { same = fs.readFileSync(file, 'utf8') === text; } catch { /* would be created */ }
      if (!same) this.events.log('info', `mbnames: would write ${file} (dry run: not written)`);
      return;
    }
    try {
      if (writeIfChanged(file, text)) this.events.log('info', `mbnames: wrote ${file}`);
    } catch (e) {
      this.fail(`Cannot write ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix the folder or the [mbnames] filename; mail sync is not affected.`, e);
    }
  }

  private fail(message: string, cause: unknown): void {
    this.events.error(new SyncError('mbnames-failed', message, { scope: 'account', retry: 'needs-user', cause }));
  }
}

/** Account names become file names (same escaping as the status databases). */
function fileNameOf(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\./, '%2e');
}
