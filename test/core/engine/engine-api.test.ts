// The engine API (createEngine): events with scope and retry class, progress, sync of one
// account or one folder, pause/resume (of all and of one account), stop with a deadline;
// hostile server folder names against a real Maildir; a connection dropped mid-sync through a
// cutting proxy.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../../core/engine/engine.js';
import { MemoryStore } from '../../../core/store/memory-store.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import type { EngineEvents } from '../../../core/engine/engine-events.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { configFor, imapRepo, imapSnapshot, maildirRepo, maildirSnapshot, tempDir } from './engine-fixtures.js';

const msg = (n: number, size = 0) => makeMessage({ subject: `api ${n}`, messageId: `<api${n}@test>`, body: `body ${n}\r\n${'x'.repeat(size)}\r\n` });

function memoryEngine(far: MemoryStore, root: string, extra: Partial<Parameters<typeof createEngine>[0]> = {}) {
  const config = configFor(tempDir(), { ...imapRepo({ port: 1 } as DovecotServer, 'x', 'y') }, maildirRepo(root));
  return createEngine({
    config, getSecret: async () => 'unused',
    storeFactory: (_a, side) => (side === 'far' ? far : new MaildirStore({ root, sep: '.' })),
    ...extra,
  });
}

/** Two accounts, "a" and "b", each with its own memory server and Maildir (autorefresh in minutes, if any). */
function twoAccountEngine(autorefresh?: number, extra: Partial<Parameters<typeof createEngine>[0]> = {}) {
  const far = { a: new MemoryStore('/'), b: new MemoryStore('/') };
  const base = tempDir();
  const root = { a: path.join(base, 'MailA'), b: path.join(base, 'MailB') };
  const one = configFor(tempDir(), imapRepo({ port: 1 } as DovecotServer, 'x', 'y'), maildirRepo(root.a));
  const account = (name: 'a' | 'b') => ({ ...one.accounts[0]!, name, local: maildirRepo(root[name]), ...(autorefresh ? { autorefresh } : {}) });
  const engine = createEngine({
    config: { ...one, accounts: [account('a'), account('b')] }, getSecret: async () => 'unused',
    storeFactory: (acc, side) => (side === 'far' ? far[acc.name as 'a' | 'b'] : new MaildirStore({ root: root[acc.name as 'a' | 'b'], sep: '.' })),
    ...extra,
  });
  return { engine, far, root };
}

const inbox = (root: string) => (fs.existsSync(root) ? maildirSnapshot(root).INBOX ?? [] : []);

function record(engine: ReturnType<typeof createEngine>) {
  const seen: { [K in keyof EngineEvents]: EngineEvents[K][] } = { 'account-state': [], 'folder-state': [], progress: [], error: [], wake: [], log: [] };
  for (const k of Object.keys(seen) as (keyof EngineEvents)[]) engine.on(k, (e) => (seen[k] as unknown[]).push(e));
  return seen;
}

describe('engine API over a memory server and a real Maildir', () => {
  it('emits account states, folder states and progress, and syncs one folder on request', async () => {
    const far = new MemoryStore('/');
    for (let i = 0; i < 5; i++) far.put('INBOX', msg(i), 'S');
    far.put('Lists/dev', msg(9));
    const root = path.join(tempDir(), 'Mail');
    const engine = memoryEngine(far, root);
    const seen = record(engine);
    const [report] = await engine.syncNow({ folders: ['INBOX'] });
    expect(report!.errors).toEqual([]);
    expect(seen['account-state'].map((e) => e.state)).toEqual(['syncing', 'idle']);
    expect(seen['account-state'][1]!.lastSync).toBeTypeOf('number');
    expect(seen['folder-state'].map((e) => `${e.folder}:${e.state}`)).toEqual(['INBOX:syncing', 'INBOX:synced']);
    expect(seen.progress.at(-1)).toMatchObject({ folder: 'INBOX', messagesDone: 5, messagesTotal: 5 });
    expect(seen.progress.at(-1)!.bytesTotal).toBe(5 * Buffer.byteLength(msg(0)));
    expect(seen.progress.at(-1)!.bytesDone).toBe(seen.progress.at(-1)!.bytesTotal);
    expect(Object.keys(maildirSnapshot(root))).toEqual(['INBOX']);
    expect(engine.accountStates()).toEqual({ acct: 'idle' });
  });

  it('start() syncs now and again every autorefresh interval until stop()', async () => {
    const far = new MemoryStore('/');
    far.put('INBOX', msg(1));
    const root = path.join(tempDir(), 'Mail');
    const engine = memoryEngine(far, root);
    engine.reconfigure({ ...configFor(tempDir(), imapRepo({ port: 1 } as DovecotServer, 'x', 'y'), maildirRepo(root)),
      accounts: [{ ...configFor(tempDir(), imapRepo({ port: 1 } as DovecotServer, 'x', 'y'), maildirRepo(root)).accounts[0]!, autorefresh: 0.001 }] });
    await engine.start();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<api1@test>']);
    far.put('INBOX', msg(2));
    await new Promise((r) => setTimeout(r, 400));
    expect(maildirSnapshot(root).INBOX).toHaveLength(2);
    expect(await engine.stop(2000)).toBe(true);
    far.put('INBOX', msg(3));
    await new Promise((r) => setTimeout(r, 300));
    expect(maildirSnapshot(root).INBOX).toHaveLength(2);
  });

  it('pause makes sync requests no-ops until resume', async () => {
    const far = new MemoryStore('/');
    far.put('INBOX', msg(1));
    const root = path.join(tempDir(), 'Mail');
    const engine = memoryEngine(far, root);
    engine.pause();
    expect(engine.accountStates()).toEqual({ acct: 'paused' });
    expect(await engine.syncNow()).toEqual([]);
    expect(fs.existsSync(root)).toBe(false);
    engine.resume();
    const [r] = await engine.syncNow();
    expect(r!.errors).toEqual([]);
    expect(maildirSnapshot(root).INBOX).toEqual(['|<api1@test>']);
  });

  it('pausing one account: the other keeps syncing (sync now, folder syncs), the paused one shows paused until resume', async () => {
    const { engine, far, root } = twoAccountEngine();
    const seen = record(engine);
    far.a.put('INBOX', msg(1));
    far.b.put('INBOX', msg(2));
    engine.pause('a');
    expect(engine.accountStates()).toEqual({ a: 'paused' });
    const reports = await engine.syncNow();
    expect(reports.map((r) => r.account)).toEqual(['b']);
    expect(inbox(root.b)).toEqual(['|<api2@test>']);
    expect(fs.existsSync(root.a)).toBe(false);
    expect(await engine.syncNow({ account: 'a' })).toEqual([]);
    engine.syncFolders('a', ['INBOX']); // what IDLE asks
    await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(root.a)).toBe(false);
    expect(engine.accountStates()).toEqual({ a: 'paused', b: 'idle' });
    expect(seen['account-state'].filter((e) => e.account === 'a').map((e) => e.state)).toEqual(['paused']);
    expect(() => engine.pause('nobody')).toThrow(/No account named "nobody"/);

    engine.resume('a');
    expect(engine.accountStates()).toEqual({ a: 'idle', b: 'idle' });
    expect((await engine.syncNow()).map((r) => r.account)).toEqual(['a', 'b']);
    expect(inbox(root.a)).toEqual(['|<api1@test>']);
  });

  it('the pause of all and the pause of one account are independent levels', async () => {
    const { engine, far, root } = twoAccountEngine();
    far.a.put('INBOX', msg(1));
    far.b.put('INBOX', msg(2));
    engine.pause('a');
    engine.pause();
    engine.resume('a'); // still held by the pause of all
    expect(engine.accountStates()).toEqual({ a: 'paused', b: 'paused' });
    expect(await engine.syncNow()).toEqual([]);
    engine.pause('b');
    engine.resume(); // b stays paused on its own
    expect(engine.accountStates()).toEqual({ a: 'idle', b: 'paused' });
    expect((await engine.syncNow()).map((r) => r.account)).toEqual(['a']);
    expect(inbox(root.a)).toEqual(['|<api1@test>']);
    expect(inbox(root.b)).toEqual([]);
  });

  it('the schedule skips a paused account and goes on with the others; resume syncs it at once', async () => {
    const { engine, far, root } = twoAccountEngine(0.001);
    far.a.put('INBOX', msg(1));
    far.b.put('INBOX', msg(2));
    engine.pause('a');
    await engine.start(); // resolves without waiting for the paused account
    expect(inbox(root.b)).toEqual(['|<api2@test>']);
    far.b.put('INBOX', msg(3));
    engine.syncFolders('a', ['INBOX']);
    await new Promise((r) => setTimeout(r, 400));
    expect(inbox(root.b)).toHaveLength(2);
    expect(fs.existsSync(root.a)).toBe(false);
    expect(engine.schedule().map((x) => x.state === 'paused')).toEqual([true, false]);
    engine.resume('a');
    await new Promise((r) => setTimeout(r, 400));
    expect(inbox(root.a)).toEqual(['|<api1@test>']);
    expect(await engine.stop(2000)).toBe(true);
  });

  it('a sync under way when its account is paused runs to its end and leaves the account paused, not idle', async () => {
    let paused = false;
    const { engine, far, root } = twoAccountEngine(undefined, { afterEffect: () => { if (!paused) { paused = true; engine.pause('a'); } } });
    for (let i = 0; i < 20; i++) far.a.put('INBOX', msg(i));
    far.b.put('INBOX', msg(99));
    const seen = record(engine);
    const [first] = await engine.syncNow({ account: 'a' });
    expect(paused).toBe(true);
    expect(first!.errors).toEqual([]);
    expect(inbox(root.a)).toHaveLength(20);
    expect(seen['account-state'].filter((e) => e.account === 'a').map((e) => e.state)).toEqual(['syncing', 'paused', 'paused']);
    expect(engine.accountStates()).toEqual({ a: 'paused' });
    expect((await engine.syncNow()).map((r) => r.account)).toEqual(['b']);
  });

  it('paused while a sync is under way (e.g. IDLE\'s catch-up): that sync still brings what arrives meanwhile; the IDLE request queued behind it waits for resume', async () => {
    const { engine, far, root } = twoAccountEngine(30);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const connect = far.a.connect.bind(far.a);
    let connects = 0;
    far.a.connect = async () => { if (++connects === 1) await gate; return connect(); };
    far.a.put('INBOX', msg(1));
    far.b.put('INBOX', msg(2));
    void engine.start(); // a's first sync waits in connect(): under way
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.accountStates().a).toBe('syncing');
    engine.syncFolders('a', ['INBOX']); // what IDLE asks: queued behind the running sync
    engine.pause('a');
    expect(engine.accountStates().a).toBe('paused');
    far.a.put('INBOX', msg(3)); // arrives after the pause, before the sync under way lists INBOX
    release();
    const aSchedule = () => engine.schedule().find((x) => x.account === 'a')!.state;
    const end = Date.now() + 5000;
    while (aSchedule() === 'syncing' && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(aSchedule()).toBe('paused'); // nothing of a's under way any more
    expect(inbox(root.a)).toHaveLength(2); // the sync under way ran to its end, with message 3
    far.a.put('INBOX', msg(4));
    engine.syncFolders('a', ['INBOX']);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox(root.a)).toHaveLength(2); // nothing started while paused
    expect(engine.accountStates().a).toBe('paused');
    engine.resume('a');
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox(root.a)).toHaveLength(3);
    expect(await engine.stop(2000)).toBe(true);
  });

  it('stop() ends a running sync at the next safe point within the deadline, and the next run completes it', async () => {
    const far = new MemoryStore('/');
    for (let i = 0; i < 400; i++) far.put('INBOX', msg(i), 'S');
    const root = path.join(tempDir(), 'Mail');
    let stopped: Promise<boolean> | undefined;
    const engine = memoryEngine(far, root, { afterEffect: () => { if (!stopped && fs.existsSync(root)) stopped = engine.stop(5000); } });
    await engine.syncNow();
    expect(await stopped).toBe(true);
    const partial = maildirSnapshot(root).INBOX?.length ?? 0;
    expect(partial).toBeLessThan(400);
    const again = memoryEngine(far, root);
    const [r] = await again.syncNow();
    expect(r!.errors).toEqual([]);
    expect(maildirSnapshot(root).INBOX).toHaveLength(400);
  });

  it('refuses hostile server folder names, syncs the rest, and writes nothing outside the Maildir root', async () => {
    const far = new MemoryStore('/');
    far.put('INBOX', msg(1));
    for (const bad of ['..', '../../escape', 'a/../../b', 'nul\u0000byte', 'x'.repeat(300), 'INBOX/cur']) far.put(bad, msg(2));
    const base = tempDir();
    const root = path.join(base, 'Mail');
    const engine = memoryEngine(far, root);
    const seen = record(engine);
    const [r] = await engine.syncNow();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<api1@test>']);
    expect(r!.errors.length).toBeGreaterThanOrEqual(5);
    for (const e of seen.error) expect(e).toMatchObject({ scope: 'folder', retry: 'needs-user' });
    expect(fs.readdirSync(base)).toEqual(['Mail']);
    expect(fs.existsSync(path.join(base, '..', 'escape'))).toBe(false);
  });
});

describe('a server that drops the connection mid-sync', () => {
  let server: DovecotServer;
  beforeAll(async () => { server = await startDovecot({ users: ['dave'] }); });
  afterAll(async () => { await server?.stop(); });

  it('reports a retryable error, loses nothing, and the next run converges without duplicates', async () => {
    for (let i = 0; i < 200; i++) await server.appendMessage('dave', 'INBOX', msg(i, 100_000), []);
    const proxy = await startTcpProxy(server.port);
    try {
      const root = path.join(tempDir(), 'Mail');
      const config = configFor(tempDir(), imapRepo(server, 'dave', 'davepw', { port: proxy.port, maxConnections: 1 }), maildirRepo(root));
      const engine = createEngine({ config, getSecret: async () => 'davepw' });
      const seen = record(engine);
      let cut = false;
      engine.on('progress', (e) => { if (!cut && e.messagesDone >= 10) { cut = true; proxy.cut(); } });
      const [first] = await engine.syncNow();
      expect(cut).toBe(true);
      expect(first!.errors.length).toBeGreaterThan(0);
      expect(seen.error[0]).toMatchObject({ retry: 'later' });
      const [second] = await createEngine({ config, getSecret: async () => 'davepw' }).syncNow();
      expect(second!.errors).toEqual([]);
      const local = maildirSnapshot(root);
      expect(local.INBOX).toHaveLength(200);
      expect(new Set(local.INBOX).size).toBe(200);
      expect(await imapSnapshot(server, 'dave')).toEqual(local);
    } finally {
      await proxy.close();
    }
  });
});
