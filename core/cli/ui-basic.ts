// The `basic` and `quiet` output modes. basic: one line when an account starts and ends and
// one per folder that had something to do ("main: INBOX: 3 downloaded, 1 flag changes"),
// info log lines, errors on stderr. quiet: errors only, on stderr (for cron and timers).
// Plain lines only, never cursor movement; never reads the terminal size.

import { describe, where, type Ui, type UiStreams } from './ui-common.js';
import { printable } from '../log/printable.js';

export function createBasicUi(io: UiStreams, opts: { quiet: boolean; dryRun: boolean; debug: boolean }): Ui {
  // Folder names, error texts and log lines may come from a server: controls are made visible.
  const line = (s: string) => { if (!opts.quiet) io.out.write(printable(s) + '\n'); };
  return {
    event(name, ev) {
      if (name === 'error') {
        const e = ev as { account?: string; folder?: string; message: string };
        io.err.write(printable(`satchel: ${where(e)}: ${e.message}`, { multiline: true }) + '\n');
      } else if (name === 'account-state') {
        const e = ev as { account: string; state: string };
        if (e.state === 'syncing') line(`${e.account}: syncing${opts.dryRun ? ' (dry run)' : ''}`);
      } else if (name === 'folder-state') {
        const e = ev as { account: string; folder: string; state: string; summary?: Record<string, number> };
        const text = e.summary ? describe(e.summary) : '';
        if (e.state === 'synced' && !opts.dryRun && text) line(`${e.account}: ${e.folder}: ${text}`);
      } else if (name === 'log') {
        const e = ev as { level: string; account?: string; message: string };
        if (e.level !== 'debug' || opts.debug) line(`${e.account ?? 'satchel'}: ${e.message}`);
      }
    },
    warning(text) { if (!opts.quiet) io.err.write(printable(`satchel: warning: ${text}`, { multiline: true }) + '\n'); },
    plan(account, farName, nearName, ops) { line(`${account}: ${farName} -> ${nearName}: ${describe(ops) || 'nothing to do'}`); },
    accountDone(d) {
      line(`${d.account}: ${d.dryRun ? 'dry run, nothing changed' : `${d.folders} folders in sync`}${d.errors ? `, ${d.errors} error(s)` : ''}`);
    },
    exit() { /* nothing to tidy */ },
  };
}
