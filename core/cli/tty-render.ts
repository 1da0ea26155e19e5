// Draws the live status block of the `ttyui` mode as plain text lines for a given terminal
// width: one line per account, one per folder being synced with a progress bar, message and
// byte counts. Pure (state in, lines out): no cursor codes, no streams, no timers; names from
// the server are passed through printable() so they cannot move the cursor themselves.

import { printable } from '../log/printable.js';

export interface FolderProgress {
  folder: string;
  messagesDone: number;
  messagesTotal?: number;
  bytesDone: number;
  bytesTotal?: number;
}

export interface AccountView {
  account: string;
  state: string;
  foldersDone: number;
  active: FolderProgress[];
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "[#####.....]" for done/total, or a fixed "[    ??    ]" while the total is unknown. */
export function bar(done: number, total: number | undefined, width: number): string {
  const inner = Math.max(1, width - 2);
  if (!total) return `[${'?'.padStart(Math.ceil(inner / 2)).padEnd(inner)}]`;
  const filled = Math.min(inner, Math.round((done / total) * inner));
  return `[${'#'.repeat(filled)}${'.'.repeat(inner - filled)}]`;
}

function fit(s: string, width: number): string {
  return s.length <= width ? s : s.slice(0, Math.max(0, width - 1)) + '…';
}

export function renderStatus(accounts: AccountView[], width: number): string[] {
  const w = Math.max(20, width - 1); // never write into the last column (it wraps on some terminals)
  const lines: string[] = [];
  for (const a of accounts) {
    lines.push(fit(`${printable(a.account)}: ${a.state}${a.foldersDone ? `, ${a.foldersDone} folders done` : ''}`, w));
    for (const f of a.active) {
      const count = `${f.messagesDone}${f.messagesTotal !== undefined ? `/${f.messagesTotal}` : ''} msgs`;
      const bytes = f.bytesTotal ? `${formatBytes(f.bytesDone)}/${formatBytes(f.bytesTotal)}` : formatBytes(f.bytesDone);
      const tail = ` ${count} ${bytes}`;
      const barWidth = Math.min(22, Math.max(6, w - tail.length - 16));
      const name = fit(printable(f.folder), Math.max(4, w - barWidth - tail.length - 4)).padEnd(Math.min(12, Math.max(4, w - barWidth - tail.length - 4)));
      const total = f.bytesTotal ?? undefined;
      const done = f.bytesTotal ? f.bytesDone : f.messagesDone;
      lines.push(fit(`  ${name} ${bar(done, total ?? f.messagesTotal, barWidth)}${tail}`, w));
    }
  }
  return lines;
}
