// The `ttyui` output mode on a terminal: the lines of `basic` scroll above a live status
// block (tty-render.ts) that is redrawn in place, at most ten times a second. When stdout is
// not a terminal the command line uses `basic` instead (see cli-report.ts). It only moves the
// cursor within the block it drew itself, and clears it before exiting.

import type { EngineEvents } from '../engine/engine-events.js';
import { createBasicUi } from './ui-basic.js';
import type { Ui, UiStreams } from './ui-common.js';
import { renderStatus, type AccountView } from './tty-render.js';

export function createTtyUi(io: UiStreams, opts: { dryRun: boolean; debug: boolean }): Ui {
  const accounts = new Map<string, AccountView>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => {
    if (drawn) io.out.write(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    timer = undefined;
    clear();
    const lines = renderStatus([...accounts.values()].filter((a) => a.state === 'syncing' || a.active.length), io.out.columns || 80);
    if (lines.length) io.out.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  const schedule = () => { timer ??= setTimeout(draw, 100); timer.unref?.(); };
  // every permanent line goes above the block: clear it, print, draw again
  const above = (fn: () => void) => { clear(); fn(); schedule(); };
  const basic = createBasicUi(io, { quiet: false, dryRun: opts.dryRun, debug: opts.debug });
  const view = (account: string) => {
    let v = accounts.get(account);
    if (!v) accounts.set(account, v = { account, state: 'starting', foldersDone: 0, active: [] });
    return v;
  };
  return {
    event(name, ev) {
      if (name === 'progress') {
        const e = ev as EngineEvents['progress'];
        const v = view(e.account);
        const f = v.active.find((x) => x.folder === e.folder);
        const p = { folder: e.folder, messagesDone: e.messagesDone, messagesTotal: e.messagesTotal, bytesDone: e.bytesDone, bytesTotal: e.bytesTotal };
        if (f) Object.assign(f, p); else v.active.push(p);
        schedule();
        return;
      }
      if (name === 'account-state') {
        const e = ev as EngineEvents['account-state'];
        view(e.account).state = e.state;
        if (e.state !== 'syncing') view(e.account).active = [];
      } else if (name === 'folder-state') {
        const e = ev as EngineEvents['folder-state'];
        const v = view(e.account);
        if (e.state === 'syncing') {
          if (!v.active.some((x) => x.folder === e.folder)) v.active.push({ folder: e.folder, messagesDone: 0, bytesDone: 0 });
        } else {
          v.active = v.active.filter((x) => x.folder !== e.folder);
          if (e.state !== 'error') v.foldersDone++;
        }
      }
      above(() => basic.event(name, ev));
    },
    warning: (text) => above(() => basic.warning(text)),
    plan: (...a) => above(() => basic.plan(...a)),
    accountDone: (d) => above(() => basic.accountDone(d)),
    exit() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      clear();
    },
  };
}
