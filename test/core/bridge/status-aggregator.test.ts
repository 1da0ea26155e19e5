// The status view of browser mode from engine events (through the engine's own EventHub):
// accounts in configuration order with per-folder rows, progress, errors and lastSync, and the
// coalescing: transitions are pushed at once, progress at most once per interval, ending with the latest.

import { describe, it, expect } from 'vitest';
import { EventHub } from '../../../core/engine/engine-events.js';
import { StatusAggregator } from '../../../core/bridge/status-aggregator.js';
import type { StatusView } from '../../../core/bridge/bridge-contract.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('StatusAggregator', () => {
  it('folds account, folder, progress and error events into the view', () => {
    const hub = new EventHub();
    const agg = new StatusAggregator(hub, { clock: () => 1000 });
    agg.setAccounts(['b', 'a'], { a: '/mail/a' });
    expect(agg.view()).toEqual({ host: 'starting', accounts: [{ account: 'b', state: 'idle', folders: [] }, { account: 'a', state: 'idle', folders: [], localfolders: '/mail/a' }] });
    hub.emit('account-state', { account: 'a', state: 'syncing' });
    hub.emit('folder-state', { account: 'a', folder: 'INBOX', state: 'syncing' });
    hub.emit('progress', { account: 'a', folder: 'INBOX', messagesDone: 2, messagesTotal: 5, bytesDone: 10, bytesTotal: undefined });
    let a = agg.view().accounts[1]!;
    expect(a.progress).toEqual({ folder: 'INBOX', messagesDone: 2, messagesTotal: 5, bytesDone: 10, bytesTotal: 0 });
    expect(a.folders[0]).toEqual({ name: 'INBOX', state: 'syncing', progress: { messagesDone: 2, messagesTotal: 5, bytesDone: 10, bytesTotal: 0 } });
    hub.emit('folder-state', { account: 'a', folder: 'INBOX', state: 'skipped' });
    hub.emit('error', { account: 'a', folder: 'Junk', scope: 'folder', retry: 'later', code: 'x', message: 'Junk failed: do this' });
    hub.emit('account-state', { account: 'a', state: 'error', lastSync: 2000, error: 'Junk failed: do this' });
    a = agg.view().accounts[1]!;
    expect(a).toMatchObject({ state: 'error', lastSync: 2000, error: 'Junk failed: do this' });
    expect(a.progress).toBeUndefined();
    expect(a.folders).toEqual([{ name: 'INBOX', state: 'synced', lastSync: 1000 }, { name: 'Junk', state: 'error', error: 'Junk failed: do this' }]);
    hub.emit('account-state', { account: 'a', state: 'syncing' });
    expect(agg.view().accounts[1]!.error).toBeUndefined();
    agg.setAccounts(['a']);
    expect(agg.view().accounts.map((x) => x.account)).toEqual(['a']);
    agg.dispose();
  });

  it('pushes transitions at once and coalesces progress, ending with the latest view', async () => {
    const hub = new EventHub();
    const agg = new StatusAggregator(hub, { intervalMs: 80 });
    const seen: StatusView[] = [];
    agg.onStatus((s) => seen.push(s));
    hub.emit('account-state', { account: 'a', state: 'syncing' });
    expect(seen).toHaveLength(1);
    for (let i = 1; i <= 50; i++) hub.emit('progress', { account: 'a', folder: 'INBOX', messagesDone: i, messagesTotal: 50, bytesDone: i, bytesTotal: 50 });
    expect(seen).toHaveLength(1);
    await sleep(150);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.accounts[0]!.progress?.messagesDone).toBe(50);
    hub.emit('account-state', { account: 'a', state: 'idle', lastSync: 5 });
    expect(seen).toHaveLength(3);
    expect(seen[2]!.accounts[0]!.state).toBe('idle');
    agg.dispose();
  });
});
