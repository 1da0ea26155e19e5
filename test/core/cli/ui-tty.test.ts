// The ttyui live display: the renderer fits its lines to the terminal width with a progress
// bar, counts and sizes; the UI draws the block on a (fake) terminal stream, prints permanent
// lines above it, redraws in place (cursor up + clear) and leaves no block behind at exit.

import { describe, it, expect } from 'vitest';
import { PassThrough } from 'node:stream';
import { bar, formatBytes, renderStatus } from '../../../core/cli/tty-render.js';
import { createUi } from '../../../core/cli/cli-report.js';

describe('renderStatus', () => {
  it('draws an account line and a bar per active folder, never wider than the terminal', () => {
    const accounts = [{ account: 'work', state: 'syncing', foldersDone: 2,
      active: [{ folder: 'INBOX', messagesDone: 5, messagesTotal: 10, bytesDone: 512 * 1024, bytesTotal: 1024 * 1024 },
        { folder: 'Archive/2024/a-very-long-folder-name-indeed', messagesDone: 3, bytesDone: 100 }] }];
    for (const width of [40, 60, 80, 120]) {
      const lines = renderStatus(accounts, width);
      expect(lines).toHaveLength(3);
      for (const l of lines) expect(l.length).toBeLessThan(width);
      expect(lines[0]).toBe('work: syncing, 2 folders done');
      expect(lines[1]).toMatch(/^ {2}INBOX +\[#+\.+\] 5\/10 msgs 512 KB\/1\.0 MB$/);
      expect(lines[2]).toMatch(/\[ *\? *\] 3 msgs 100 B$/);
    }
    expect(bar(5, 10, 12)).toBe('[#####.....]');
    expect(bar(10, 10, 12)).toBe('[##########]');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('on a terminal: permanent lines above a block redrawn in place, cleared at exit', async () => {
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const err = new PassThrough();
    let written = '';
    out.on('data', (d: Buffer) => { written += d.toString(); });
    const ui = createUi({ ui: 'ttyui', dryRun: false, debug: false }, { out, err });
    ui.event('account-state', { account: 'main', state: 'syncing' });
    ui.event('folder-state', { account: 'main', folder: 'INBOX', state: 'syncing' });
    ui.event('progress', { account: 'main', folder: 'INBOX', messagesDone: 1, messagesTotal: 4, bytesDone: 100, bytesTotal: 400 });
    await new Promise((r) => setTimeout(r, 150));
    expect(written).toBe('main: syncing\nmain: syncing\n  INBOX        [#####...............] 1/4 msgs 100 B/400 B\n');
    written = '';
    ui.event('folder-state', { account: 'main', folder: 'INBOX', state: 'synced', summary: { 'copy-to-near': 4 } });
    expect(written).toBe('\x1b[2A\r\x1b[Jmain: INBOX: 4 downloaded\n');
    await new Promise((r) => setTimeout(r, 150));
    expect(written).toMatch(/main: INBOX: 4 downloaded\nmain: syncing, 1 folders done\n$/);
    written = '';
    ui.exit(0);
    expect(written).toBe('\x1b[1A\r\x1b[J');
  });

  it('off a terminal ttyui is basic: plain lines only', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (d: Buffer) => { written += d.toString(); });
    const ui = createUi({ ui: 'ttyui', dryRun: false, debug: false }, { out, err: new PassThrough() });
    ui.event('account-state', { account: 'main', state: 'syncing' });
    ui.event('progress', { account: 'main', folder: 'INBOX', messagesDone: 1, bytesDone: 100 });
    ui.event('folder-state', { account: 'main', folder: 'INBOX', state: 'synced', summary: { flags: 1, 'delete-near': 0 } });
    ui.exit(0);
    expect(written).toBe('main: syncing\nmain: INBOX: 1 flag changes\n');
  });
});
