// ImapStore against a real private Dovecot: folders (nested, non-ASCII), listing, fetching,
// appending with upload tokens, flag stores, UID EXPUNGE of exactly our messages, CONDSTORE/
// QRESYNC change listing, LIST-STATUS, the connection pool and a connection dropped mid-fetch.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { ImapStore, type ImapStoreOptions } from '../../../core/imap/imap-store.js';
import { SyncError } from '../../../core/errors.js';
import type { FetchedMessage, OpenFolder } from '../../../core/store/mail-store.js';
import { makeMessage, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { startFaultProxy } from '../../helpers/imap-fault-proxy.js';
import { LOGOUT_GRACE_MS } from '../../../core/imap/connection-pool.js';

let server: DovecotServer;
const stores: ImapStore[] = [];

beforeAll(async () => { server = await startDovecot(); });
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => {})));
  await server?.stop();
});
beforeEach(async () => { await server.reset('alice'); });

async function open(over: Partial<ImapStoreOptions> = {}): Promise<ImapStore> {
  const store = new ImapStore({
    host: server.host, port: server.port, user: 'alice', password: async () => 'alicepw', ssl: false, starttls: false, ...over,
  });
  stores.push(store);
  await store.connect();
  return store;
}

async function seed(folder: string, subject: string, flags: string[] = []): Promise<string> {
  return String(await server.appendMessage('alice', folder, makeMessage({ subject }), flags));
}

async function bodies(f: OpenFolder, ids: string[]): Promise<FetchedMessage[]> {
  const out: FetchedMessage[] = [];
  for await (const m of f.fetch(ids)) out.push(m);
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}

describe('ImapStore folders', () => {
  it('connects and reads capabilities and the delimiter', async () => {
    const store = await open();
    expect(store.delimiter).toBe('/');
    expect(store.capabilities).toEqual({ condstore: true, qresync: true, uidplus: true });
    expect(typeof store.folderStates).toBe('function');
  });

  it('creates and lists nested and non-ASCII folders (modified UTF-7 on the wire)', async () => {
    const store = await open();
    await store.createFolder('Archive/2024');
    await store.createFolder('Entwürfe');
    await store.createFolder('Entwürfe'); // existing: not an error
    const folders = await store.listFolders();
    const names = folders.map((f) => f.name).sort();
    expect(names).toEqual(expect.arrayContaining(['INBOX', 'Archive/2024', 'Entwürfe']));
    expect(folders.find((f) => f.name === 'Archive')?.noSelect ?? true).toBe(true);
    const dirs = fs.readdirSync(server.mailDir('alice'));
    expect(dirs).toContain('.Entw&APw-rfe');
    expect(dirs).toContain('.Archive.2024');
    await expect(store.createFolder('bad*name')).rejects.toMatchObject({ code: 'invalid-folder-name' });
  });

  it('reports every folder state with one LIST-STATUS', async () => {
    await server.appendMessage('alice', 'Entwürfe', makeMessage({ subject: 'a' }));
    await server.appendMessage('alice', 'Entwürfe', makeMessage({ subject: 'b' }));
    const store = await open();
    const states = await store.folderStates!();
    const s = states.get('Entwürfe')!;
    expect(s.messages).toBe(2);
    expect(s.uidNext).toBe(3);
    expect(s.uidValidity).toBeGreaterThan(0);
    expect(s.highestModseq).toMatch(/^[0-9]+$/);
    expect(states.get('INBOX')?.messages).toBe(0);
    const f = await store.openFolder('Entwürfe');
    expect(f.state).toMatchObject({ uidValidity: s.uidValidity, uidNext: 3, messages: 2, highestModseq: s.highestModseq });
    await f.release();
  });

  it('fails to open a missing folder with folder-not-found and keeps the connection usable', async () => {
    const store = await open();
    await expect(store.openFolder('Nope')).rejects.toMatchObject({ code: 'folder-not-found', scope: 'folder' });
    const f = await store.openFolder('INBOX');
    expect(await f.listAll()).toEqual([]);
    await f.release();
  });
});

describe('ImapStore messages', () => {
  it('lists, fetches, appends with a token and finds it again', async () => {
    const raw1 = makeMessage({ subject: 'one', messageId: '<one@example.org>' });
    const raw2 = makeMessage({ subject: 'two', messageId: '<two@example.org>', body: 'x'.repeat(50_000) });
    const id1 = String(await server.appendMessage('alice', 'INBOX', raw1, ['\\Seen', '\\Flagged', '$Junk']));
    const id2 = String(await server.appendMessage('alice', 'INBOX', raw2, ['\\Answered']));
    const store = await open();
    const f = await store.openFolder('INBOX');
    const list = await f.listAll();
    expect(list.map((m) => [m.id, m.flags])).toEqual([[id1, 'FS'], [id2, 'R']]);
    expect(list[0]!.size).toBe(Buffer.byteLength(raw1));
    expect(list[0]!.date).toBeInstanceOf(Date);

    const got = await bodies(f, [id2, id1, '99999']);
    expect(got.map((m) => m.id)).toEqual([id1, id2]);
    expect(got[0]!.body.toString()).toBe(raw1);
    expect(got[1]!.body.toString()).toBe(raw2);
    expect(got[1]!.flags).toBe('R');

    expect(await f.messageIds([id1, id2])).toEqual(new Map([[id1, '<one@example.org>'], [id2, '<two@example.org>']]));

    const date = new Date('2020-05-06T07:08:09Z');
    const id = await f.append({ body: Buffer.from(makeMessage({ subject: 'up' })), flags: 'SD', date, token: 'tok-123' });
    expect(id).toBe(String(Number(id2) + 1));
    async function* chunks() { yield Buffer.from(makeMessage({ subject: 'streamed' }).slice(0, 10)); yield Buffer.from(makeMessage({ subject: 'streamed' }).slice(10)); }
    const id3 = await f.append({ body: chunks(), flags: '', token: 'tok-456' });
    expect(id3).toBe(String(Number(id2) + 2));
    const found = await f.findByToken(['tok-123', 'tok-456', 'tok-missing']);
    expect(found).toEqual(new Map([['tok-123', id], ['tok-456', id3]]));
    const [up] = await bodies(f, [id!]);
    expect(up!.body.toString().startsWith('X-TUID: tok-123\r\nFrom: ')).toBe(true);
    expect(up!.flags).toBe('DS');
    expect(up!.date?.getTime()).toBe(date.getTime());
    await f.release();
  });

  it('batches flag changes and stores them', async () => {
    const u: string[] = [];
    for (let i = 0; i < 5; i++) u.push(await seed('INBOX', `m${i}`, i === 4 ? ['\\Seen'] : []));
    const store = await open();
    const f = await store.openFolder('INBOX');
    await f.setFlags([
      { id: u[0]!, add: 'S', remove: '' }, { id: u[1]!, add: 'S', remove: '' }, { id: u[2]!, add: 'FS', remove: '' },
      { id: u[4]!, add: 'R', remove: 'S' }, { id: u[3]!, add: '', remove: '' },
    ]);
    expect((await f.listAll()).map((m) => m.flags)).toEqual(['S', 'S', 'FS', '', 'R']);
    await f.release();
  });

  it('removes exactly the given messages and leaves others\' \\Deleted messages alone', async () => {
    const u: string[] = [];
    for (let i = 0; i < 3; i++) u.push(await seed('INBOX', `m${i}`));
    const other = await server.client('alice');
    await other.mailboxOpen('INBOX');
    await other.messageFlagsAdd(u[2]!, ['\\Deleted'], { uid: true }); // someone else's pending deletion
    const store = await open();
    const f = await store.openFolder('INBOX');
    await f.remove([u[0]!]);
    expect((await f.listAll()).map((m) => [m.id, m.flags])).toEqual([[u[1], ''], [u[2], 'T']]);
    await f.release();
    await other.noop();
    expect(await other.search({ all: true }, { uid: true })).toEqual([Number(u[1]), Number(u[2])]);
    const pending = await other.fetchOne(u[2]!, { flags: true }, { uid: true });
    expect(pending && pending.flags?.has('\\Deleted')).toBe(true);
    await other.logout();
  });

  it('lists changes since a modseq, with vanished messages (QRESYNC and the SEARCH fallback)', async () => {
    const u: string[] = [];
    for (let i = 0; i < 4; i++) u.push(await seed('INBOX', `m${i}`));
    const store = await open();
    let f = await store.openFolder('INBOX');
    const modseq = f.state.highestModseq!;
    await f.release();
    const other = await server.client('alice');
    await other.mailboxOpen('INBOX');
    await other.messageFlagsAdd(u[1]!, ['\\Flagged'], { uid: true });
    await other.messageDelete(u[2]!, { uid: true });
    await other.logout();

    f = await store.openFolder('INBOX');
    const changes = await f.listChanges(modseq, [...u, '77777']);
    expect(changes.changed).toEqual([{ id: u[1], flags: 'F' }]);
    expect(changes.vanished).toEqual([u[2]]);
    expect(BigInt(changes.highestModseq)).toBeGreaterThan(BigInt(modseq));
    expect(BigInt(changes.highestModseq)).toBeGreaterThanOrEqual(BigInt(f.state.highestModseq!));
    await f.release();

    (store.capabilities as { qresync: boolean }).qresync = false; // exercise the UID SEARCH path
    f = await store.openFolder('INBOX');
    const again = await f.listChanges(modseq, u);
    expect(again.changed).toEqual([{ id: u[1], flags: 'F' }]);
    expect(again.vanished).toEqual([u[2]]);
    await f.release();
  });

  it('asks for changes over the known UIDs and for new mail above them, never 1:*', async () => {
    const u: string[] = [];
    for (let i = 0; i < 3; i++) u.push(await seed('INBOX', `k${i}`));
    // Seen on the wire (the lean reader's commands never pass imapflow's logger).
    const wire = await startFaultProxy(server.port);
    const sent = wire.commands;
    const store = await open({ port: wire.port });
    let f = await store.openFolder('INBOX');
    const modseq = f.state.highestModseq!;
    await f.release();
    // The newest known message goes, u[1] becomes the last one, and a message comes and goes:
    // "<highest known + 1>:*" then matches u[1], which must not be listed twice.
    const other = await server.client('alice');
    await other.mailboxOpen('INBOX');
    await other.messageFlagsAdd(u[1]!, ['\\Flagged'], { uid: true });
    await other.messageDelete(u[2]!, { uid: true });
    await other.logout();
    const gone = await seed('INBOX', 'short-lived');
    const other2 = await server.client('alice');
    await other2.mailboxOpen('INBOX');
    await other2.messageDelete(gone, { uid: true });
    await other2.logout();
    f = await store.openFolder('INBOX');
    sent.length = 0;
    const changes = await f.listChanges(modseq, u);
    await f.release();
    expect(changes.changed).toEqual([{ id: u[1], flags: 'F' }]);
    expect(changes.vanished).toEqual([u[2]]);
    const fetches = sent.filter((c) => c.startsWith('UID FETCH'));
    expect(fetches).toEqual([
      `UID FETCH 1:${u[2]} (UID FLAGS) (CHANGEDSINCE ${modseq} VANISHED)`,
      `UID FETCH ${Number(u[2]) + 1}:* (UID FLAGS) (CHANGEDSINCE ${modseq})`,
    ]);

    const fresh = await seed('INBOX', 'new one');
    f = await store.openFolder('INBOX');
    const later = await f.listChanges(modseq, u);
    await f.release();
    expect(later.changed).toEqual([{ id: u[1], flags: 'F' }, { id: fresh, flags: '' }]);
    await store.close();
    await wire.close();
  });

  it('returns an empty listing for an empty folder and unsolicited changes do not leak into fetch', async () => {
    const store = await open();
    await store.createFolder('Empty');
    const f = await store.openFolder('Empty');
    expect(await f.listAll()).toEqual([]);
    expect(await bodies(f, ['1', '2'])).toEqual([]);
    const changes = await f.listChanges(f.state.highestModseq!, []);
    expect(changes).toMatchObject({ changed: [], vanished: [] });
    await f.release();
  });
});

describe('ImapStore on the wire', () => {
  it('lists the folders and their states with one LIST-STATUS when a sync asks for both', async () => {
    await seed('INBOX', 'states');
    const wire = await startFaultProxy(server.port);
    const store = await open({ port: wire.port });
    const before = wire.commands.length;
    const names = (await store.listFolders()).map((f) => f.name);
    const states = await store.folderStates!();
    expect(names).toContain('INBOX');
    expect(states.get('INBOX')).toMatchObject({ uidValidity: expect.any(Number), messages: expect.any(Number) });
    const lists = wire.commands.slice(before).filter((c) => /^LIST\b/.test(c));
    expect(lists).toEqual([expect.stringMatching(/^LIST "" "\*" RETURN \(STATUS \(/)]);
    // A later call is not answered from that listing.
    await store.folderStates!();
    expect(wire.commands.slice(before).filter((c) => /^LIST\b/.test(c)).length).toBe(2);
    await store.close();
    await wire.close();
  });

  it('sends one UID FETCH per batch, CHANGEDSINCE with VANISHED, batched UID STOREs and UID EXPUNGE only', async () => {
    const u: string[] = [];
    for (let i = 0; i < 6; i++) u.push(await seed('INBOX', `w${i}`));
    // Seen on the wire (the lean reader's commands never pass imapflow's logger).
    const wire = await startFaultProxy(server.port);
    const store = await open({ port: wire.port });
    const f = await store.openFolder('INBOX');
    for await (const m of f.fetch(u)) void m;
    await f.listChanges(f.state.highestModseq!, u);
    await f.setFlags([{ id: u[0]!, add: 'S', remove: '' }, { id: u[1]!, add: 'S', remove: '' }, { id: u[3]!, add: 'S', remove: '' }]);
    await f.remove([u[4]!, u[5]!]);
    await f.release();
    await store.close();
    const sent = wire.commands;
    await wire.close();
    const cmds = sent.filter((c) => /^(UID )?(FETCH|STORE|EXPUNGE)/.test(c));
    expect(cmds).toEqual([
      `UID FETCH ${u[0]}:${u[5]} (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])`,
      // Over the known UIDs, never 1:* (Cyrus reads * as the highest UID still there); nothing
      // above them is asked for, UIDNEXT saying there is nothing new.
      expect.stringMatching(new RegExp(`^UID FETCH 1:${u[5]} \\(UID FLAGS\\) \\(CHANGEDSINCE \\d+ VANISHED\\)$`)),
      `UID STORE ${u[0]}:${u[1]},${u[3]} +FLAGS.SILENT (\\Seen)`,
      `UID STORE ${u[4]}:${u[5]} +FLAGS.SILENT (\\Deleted)`,
      `UID EXPUNGE ${u[4]}:${u[5]}`,
    ]);
    expect(sent.some((c) => /^(EXPUNGE|CLOSE)\b/.test(c))).toBe(false);
  });

  it('refuses a command on the folder while its fetch is streaming instead of deadlocking', async () => {
    const u = [await seed('INBOX', 'a'), await seed('INBOX', 'b')];
    const store = await open();
    const f = await store.openFolder('INBOX');
    for await (const m of f.fetch(u)) {
      void m;
      await expect(f.listAll()).rejects.toMatchObject({ code: 'connection-busy' });
      break;
    }
    expect((await f.listAll()).length).toBe(2);
    await f.release();
  });
});

describe('ImapStore connections', () => {
  it('hands out up to maxConnections connections and queues the rest', async () => {
    await server.appendMessage('alice', 'Other', makeMessage({ subject: 'o' }));
    const store = await open({ maxConnections: 2 });
    const a = await store.openFolder('INBOX');
    const b = await store.openFolder('Other');
    let thirdOpened = false;
    const third = store.openFolder('INBOX').then((f) => { thirdOpened = true; return f; });
    await new Promise((r) => setTimeout(r, 200));
    expect(thirdOpened).toBe(false);
    expect((await b.listAll()).length).toBe(1); // b's connection still selects "Other"
    await a.release();
    const c = await third;
    expect(c.state.messages).toBe(0);
    await Promise.all([b.release(), c.release()]);
  });

  it('asks for the password per connection and does not keep it', async () => {
    let asked = 0;
    const store = await open({ password: async () => { asked++; return 'alicepw'; }, maxConnections: 2 });
    const a = await store.openFolder('INBOX');
    const b = await store.openFolder('INBOX');
    expect(asked).toBe(2);
    expect(findString(store, 'alicepw')).toBe(false);
    await Promise.all([a.release(), b.release()]);
  });

  it('surfaces a connection dropped mid-fetch as connection-lost and never reuses the dead connection', async () => {
    const big = 'y'.repeat(500_000);
    for (let i = 0; i < 40; i++) await server.appendMessage('alice', 'INBOX', makeMessage({ subject: `b${i}`, body: big }));
    const proxy = await startTcpProxy(server.port);
    try {
      const store = await open({ port: proxy.port });
      const f = await store.openFolder('INBOX');
      const ids = (await f.listAll()).map((m) => m.id);
      let got = 0;
      const err = await (async () => {
        for await (const m of f.fetch(ids)) { got++; void m; if (got === 2) proxy.cut(); }
      })().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(SyncError);
      expect(err).toMatchObject({ code: 'connection-lost', scope: 'folder', retry: 'later' });
      await expect(f.listAll()).rejects.toMatchObject({ code: 'connection-lost' });
      await f.release();
      const g = await store.openFolder('INBOX');
      expect((await g.listAll()).length).toBe(40);
      await g.release();
    } finally {
      await proxy.close();
    }
  });

  it('closes within the LOGOUT grace period when the server has gone silent', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const store = await open({ port: proxy.port });
      const f = await store.openFolder('INBOX');
      await f.release();
      proxy.stall();
      const t0 = Date.now();
      await store.close();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(LOGOUT_GRACE_MS - 100);
      expect(Date.now() - t0).toBeLessThan(LOGOUT_GRACE_MS + 2_000);
    } finally {
      await proxy.close();
    }
  });
});

/** Depth-limited search of an object graph for a string value (the password). */
function findString(root: unknown, needle: string): boolean {
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return v.includes(needle);
    if (!v || typeof v !== 'object' || depth > 8 || seen.has(v) || Buffer.isBuffer(v)) return false;
    seen.add(v);
    const values = v instanceof Map ? [...v.values()] : v instanceof Set ? [...v] : Object.values(v);
    return values.some((x) => walk(x, depth + 1));
  };
  return walk(root, 0);
}

