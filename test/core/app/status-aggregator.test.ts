// The status view of browser mode from engine events (through the engine's own EventHub):
// accounts in configuration order with per-folder rows, progress, errors and lastSync, and the
// coalescing: transitions are pushed at once, progress at most once per interval, ending with the latest;
// and, with a real engine over memory stores, one paused account beside one that syncs.

import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { EventHub } from '../../../core/engine/engine-events.js';
import { StatusAggregator } from '../../../core/app/status-aggregator.js';
import type { EnginePort } from '../../../core/app/engine-port.js';
import type { StatusView } from '../../../core/contract/bridge-contract.js';
import { createEngine } from '../../../core/engine/engine.js';
import { MemoryStore } from '../../../core/store/memory-store.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { configFor, imapRepo, maildirRepo, tempDir } from '../engine/engine-fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An engine's events as a port's (a port adds the host's own 'host' events, fed by `host`). */
const asPort = (source: Pick<EventHub, 'on'>): Pick<EnginePort, 'on'> =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ({ on: ((n: string, fn: any) => (n === 'host' ? () => undefined : source.on(n as 'log', fn))) as EnginePort['on'] });

describe('StatusAggregator', () => {
  it('folds account, folder, progress and error events into the view', () => {
    const hub = new EventHub();
    const agg = new StatusAggregator(asPort(hub), { clock: () => 1000 });
    agg.setAccounts(['b', 'a'], { a: '/mail/a' });
    expect(agg.view()).toEqual({ host: 'starting', paused: false, accounts: [{ account: 'b', state: 'idle', folders: [] }, { account: 'a', state: 'idle', folders: [], localfolders: '/mail/a' }] });
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
    const agg = new StatusAggregator(asPort(hub), { intervalMs: 80 });
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

  it('follows a real engine: a paused account shows paused while the other syncs, then idle on resume', async () => {
    const far = new MemoryStore('/');
    far.put('INBOX', makeMessage({ subject: 's', messageId: '<s1@test>', body: 'b\r\n' }));
    const base = tempDir();
    const one = configFor(tempDir(), imapRepo({ port: 1 } as DovecotServer, 'x', 'y'), maildirRepo(base));
    const accounts = ['a', 'b'].map((name) => ({ ...one.accounts[0]!, name, local: maildirRepo(path.join(base, name)) }));
    const engine = createEngine({
      config: { ...one, accounts }, getSecret: async () => 'unused',
      storeFactory: (acc, side) => (side === 'far' ? far : new MaildirStore({ root: path.join(base, acc.name), sep: '.' })),
    });
    const agg = new StatusAggregator(asPort(engine));
    agg.setAccounts(['a', 'b']);
    const state = () => agg.view().accounts.map((x) => `${x.account}:${x.state}`);
    engine.pause('a');
    expect(state()).toEqual(['a:paused', 'b:idle']);
    await engine.syncNow();
    expect(state()).toEqual(['a:paused', 'b:idle']);
    expect(agg.view().accounts[1]!.lastSync).toBeTypeOf('number');
    expect(agg.view().accounts[0]!.lastSync).toBeUndefined();
    engine.resume('a');
    expect(state()).toEqual(['a:idle', 'b:idle']);
    agg.dispose();
  });
});
