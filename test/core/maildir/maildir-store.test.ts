// MaildirStore on real files: missing root, folder creation and listing, delivery atomicity
// (nothing visible before flush), OfflineIMAP names, flag renames, far-UID links, removal,
// Message-ID reading, bodies, duplicate ids, FMD5 inference and a 10k-file listing.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { folderMd5 } from '../../../core/maildir/filename.js';
import type { FetchedMessage, OpenFolder } from '../../../core/store/mail-store.js';

const INBOX_MD5 = '7e33429f656f1e6e9d79b29c3f82c57e';
let root: string;
beforeEach(async () => { root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-md-')); });
afterEach(async () => { await fs.promises.rm(root, { recursive: true, force: true }); });

const ls = (folder: string, sub: string) => fs.readdirSync(path.join(root, folder, sub)).sort();
const put = (folder: string, sub: string, name: string, body = 'Subject: x\r\n\r\nbody\r\n') =>
  fs.writeFileSync(path.join(root, folder, sub, name), body);

async function inbox(opts: { sep?: string; fsync?: boolean } = {}): Promise<{ store: MaildirStore; f: OpenFolder }> {
  const store = new MaildirStore({ root, hostname: 'testhost', ...opts });
  await store.connect();
  await store.createFolder('INBOX');
  return { store, f: await store.openFolder('INBOX') };
}

async function collect(body: FetchedMessage['body']): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const parts: Buffer[] = [];
  for await (const b of body) parts.push(b);
  return Buffer.concat(parts);
}

async function all(it: AsyncIterable<FetchedMessage>): Promise<FetchedMessage[]> {
  const out: FetchedMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

describe('root and folders', () => {
  it('refuses a missing root: an unmounted disk must not look like an empty mailbox', async () => {
    const missing = path.join(root, 'not-mounted');
    const store = new MaildirStore({ root: missing });
    await expect(store.connect()).rejects.toMatchObject({ code: 'maildir-root-missing', scope: 'account', retry: 'needs-user' });
    await expect(store.listFolders()).rejects.toMatchObject({ code: 'maildir-root-missing' });
    expect(fs.existsSync(missing)).toBe(false);
    MaildirStore.createRoot(missing);
    await store.connect();
    expect(await store.listFolders()).toEqual([]);
  });

  it("creates flat folders with sep '.' and nested Maildirs (parents too) with sep '/'", async () => {
    const flat = new MaildirStore({ root });
    expect(flat.delimiter).toBe('.');
    expect(flat.kind).toBe('maildir');
    expect(flat.capabilities).toEqual({ condstore: false, qresync: false, uidplus: true });
    await flat.createFolder('Archive.2024');
    await flat.createFolder('Entwürfe');
    await flat.createFolder('[Gmail].Sent Mail');
    expect(ls('Archive.2024', '.')).toEqual(['cur', 'new', 'tmp']);
    expect((await flat.listFolders()).map((f) => f.name)).toEqual(['Archive.2024', 'Entwürfe', '[Gmail].Sent Mail'].sort());

    const nestedRoot = path.join(root, 'nested');
    MaildirStore.createRoot(nestedRoot);
    const nested = new MaildirStore({ root: nestedRoot, sep: '/' });
    expect(nested.delimiter).toBe('/');
    await nested.createFolder('Archive/2024/Q1');
    expect(fs.readdirSync(path.join(nestedRoot, 'Archive')).sort()).toEqual(['2024', 'cur', 'new', 'tmp']);
    expect((await nested.listFolders()).map((f) => f.name)).toEqual(['Archive', 'Archive/2024', 'Archive/2024/Q1']);
    await expect(nested.createFolder('INBOX/cur')).rejects.toMatchObject({ code: 'unsafe-folder-name' });
    await expect(nested.createFolder('../escape')).rejects.toMatchObject({ code: 'unsafe-folder-name' });
    expect(fs.existsSync(path.join(root, 'escape'))).toBe(false);
  });

  it('opens with UIDVALIDITY 42 and a change token; a missing folder is folder-missing', async () => {
    const { store, f } = await inbox();
    expect(f.state.uidValidity).toBe(42);
    expect(f.state.highestModseq).toBeUndefined();
    expect(typeof f.state.changeToken).toBe('string');
    expect((await store.openFolder('INBOX')).state.changeToken).toBe(f.state.changeToken);
    await f.append({ body: Buffer.from('x'), flags: '' });
    await f.flush();
    expect((await store.openFolder('INBOX')).state.changeToken).not.toBe(f.state.changeToken);
    await expect(store.openFolder('Nope')).rejects.toMatchObject({ code: 'folder-missing', scope: 'folder' });
    await expect(store.openFolder('a/../..')).rejects.toMatchObject({ code: 'unsafe-folder-name' });
  });
});

describe('delivery', () => {
  it('shows nothing in cur/ or new/ before flush, then OfflineIMAP names with identical content and mtime', async () => {
    const { f } = await inbox();
    const date = new Date('2024-08-05T18:47:49Z');
    const seen = Buffer.from('Message-ID: <a@x>\r\n\r\nseen\r\n');
    const unseen = Buffer.from('Message-ID: <b@x>\r\n\r\nunseen\r\n');
    const id1 = await f.append({ body: seen, flags: 'SF', date, farUid: 923 });
    const id2 = await f.append({ body: unseen, flags: '', farUid: 924 });
    const id3 = await f.append({ body: Buffer.from('local'), flags: 'S' });
    expect(ls('INBOX', 'cur')).toEqual([]);
    expect(ls('INBOX', 'new')).toEqual([]);
    expect(ls('INBOX', 'tmp')).toHaveLength(3);
    expect(await f.listAll()).toEqual([]);

    await f.flush();
    expect(ls('INBOX', 'tmp')).toEqual([]);
    const pid = process.pid;
    const cur = ls('INBOX', 'cur'), neu = ls('INBOX', 'new');
    expect(neu).toEqual([`${id2},U=924,FMD5=${INBOX_MD5}:2,`]);
    expect(cur.sort()).toEqual([`${id1},U=923,FMD5=${INBOX_MD5}:2,FS`, `${id3}:2,S`].sort());
    expect(id1).toMatch(new RegExp(`^\\d{10}_\\d+\\.${pid}\\.testhost$`));
    const file1 = path.join(root, 'INBOX', 'cur', `${id1},U=923,FMD5=${INBOX_MD5}:2,FS`);
    expect(fs.readFileSync(file1).toString('latin1')).toBe(seen.toString('latin1').replaceAll('\r\n', '\n'));
    expect(fs.statSync(file1).mtime.getTime()).toBe(date.getTime());
    expect(fs.statSync(file1).mode & 0o777).toBe(0o600);

    const list = await f.listAll();
    expect(list.map((m) => m.id).sort()).toEqual([id1, id2, id3].sort());
    expect(list.find((m) => m.id === id1)).toMatchObject({ flags: 'FS', farUidHint: 923 });
    expect(list.find((m) => m.id === id3)!.farUidHint).toBeUndefined();
  });

  it('still renames at flush without fsync', async () => {
    const { f } = await inbox({ fsync: false });
    const id = await f.append({ body: Buffer.from('x'), flags: '' });
    expect(ls('INBOX', 'new')).toEqual([]);
    await f.flush();
    expect(ls('INBOX', 'new')).toEqual([`${id}:2,`]);
  });

  it('streams a body given as chunks and fetches big files as a stream', async () => {
    const { f } = await inbox();
    const chunk = Buffer.alloc(64 * 1024, 'y');
    async function* gen(): AsyncIterable<Buffer> { for (let i = 0; i < 40; i++) yield chunk; }
    const big = (await f.append({ body: gen(), flags: 'S', farUid: 1 }))!;
    const small = (await f.append({ body: Buffer.from('small'), flags: '' }))!;
    await f.flush();
    const got = await all(f.fetch([big, small, 'no-such-id']));
    expect(got.map((m) => m.id).sort()).toEqual([big, small].sort());
    const b = got.find((m) => m.id === big)!;
    expect(Buffer.isBuffer(b.body)).toBe(false);
    expect(b.size).toBe(40 * chunk.length);
    expect((await collect(b.body)).equals(Buffer.concat(Array(40).fill(chunk)))).toBe(true);
    const s = got.find((m) => m.id === small)!;
    expect(Buffer.isBuffer(s.body) && s.body.toString()).toBe('small');
    expect(s.date).toBeInstanceOf(Date);
  });

  it('removes the partial file when the body fails', async () => {
    const { f } = await inbox();
    async function* broken(): AsyncIterable<Buffer> { yield Buffer.from('half'); throw new Error('connection lost'); }
    await expect(f.append({ body: broken(), flags: '' })).rejects.toThrow('connection lost');
    expect(ls('INBOX', 'tmp')).toEqual([]);
  });

  it('flushes on its own once a batch is big', async () => {
    const { f } = await inbox({ fsync: false });
    for (let i = 0; i < 300; i++) await f.append({ body: Buffer.from(`m${i}`), flags: '' });
    expect(ls('INBOX', 'new').length).toBeGreaterThanOrEqual(256);
    await f.release();
    expect(ls('INBOX', 'new')).toHaveLength(300);
  });
});

describe('flags, links and removal', () => {
  it('renames for flag changes: new/ -> cur/ with S, unknown letters kept, id stable', async () => {
    const { f } = await inbox();
    put('INBOX', 'new', '1722883669.M1P2.host,S=40:2,a');
    const [m] = await f.listAll();
    expect(m).toMatchObject({ id: '1722883669.M1P2.host', flags: '' });
    await f.setFlags([{ id: m!.id, add: 'SR', remove: '' }]);
    expect(ls('INBOX', 'new')).toEqual([]);
    expect(ls('INBOX', 'cur')).toEqual(['1722883669.M1P2.host,S=40:2,RSa']);
    await f.setFlags([{ id: m!.id, add: 'F', remove: 'S' }]);
    expect(ls('INBOX', 'new')).toEqual(['1722883669.M1P2.host,S=40:2,FRa']);
    const [again] = await f.listAll();
    expect(again).toMatchObject({ id: m!.id, flags: 'FR' });
    await expect(f.setFlags([{ id: 'gone', add: 'S', remove: '' }]))
      .rejects.toMatchObject({ code: 'message-missing', scope: 'message' });
  });

  it('finds a file another program renamed since the listing', async () => {
    const { f } = await inbox();
    put('INBOX', 'new', 'abc.host');
    const [m] = await f.listAll();
    fs.renameSync(path.join(root, 'INBOX', 'new', 'abc.host'), path.join(root, 'INBOX', 'cur', 'abc.host:2,S'));
    await f.setFlags([{ id: m!.id, add: 'F', remove: '' }]);
    expect(ls('INBOX', 'cur')).toEqual(['abc.host:2,FS']);
  });

  it('linkFarUid keeps the id and writes U= and FMD5= after it', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', '1722883669.M1P2.host,S=40,W=41:2,Sb');
    const [m] = await f.listAll();
    expect(m!.farUidHint).toBeUndefined();
    await f.linkFarUid(m!.id, 5);
    expect(ls('INBOX', 'cur')).toEqual([`1722883669.M1P2.host,U=5,FMD5=${INBOX_MD5},S=40,W=41:2,Sb`]);
    const [linked] = await f.listAll();
    expect(linked).toMatchObject({ id: m!.id, flags: 'S', farUidHint: 5 });
    await f.linkFarUid(m!.id, 6);
    expect(ls('INBOX', 'cur')).toEqual([`1722883669.M1P2.host,U=6,FMD5=${INBOX_MD5},S=40,W=41:2,Sb`]);
    await expect(f.linkFarUid('gone', 1)).rejects.toMatchObject({ code: 'message-missing' });
  });

  it('removes files; a file already gone is fine', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', 'a:2,S');
    put('INBOX', 'new', 'b');
    await f.listAll();
    fs.unlinkSync(path.join(root, 'INBOX', 'new', 'b'));
    await f.remove(['a', 'b', 'never-there']);
    expect(ls('INBOX', 'cur')).toEqual([]);
    expect(await f.findByToken(['t'])).toEqual(new Map());
  });
});

describe('reading', () => {
  it('reads Message-ID from the header only: folded, any case, far into a big header', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', 'folded:2,', 'Subject: a\r\nmessage-id:\r\n  <folded@x>\r\n\r\nbody');
    put('INBOX', 'cur', 'upper:2,', 'MESSAGE-ID: <upper@x> (comment)\n\nbody');
    put('INBOX', 'cur', 'inbody:2,', 'Subject: no id\r\n\r\nMessage-ID: <body@x>\r\n');
    put('INBOX', 'cur', 'deep:2,', `X-Long: ${'z'.repeat(30000)}\r\nMessage-Id: <deep@x>\r\n\r\nbody`);
    put('INBOX', 'cur', 'empty:2,', '');
    await f.listAll();
    const ids = await f.messageIds(['folded', 'upper', 'inbody', 'deep', 'empty', 'gone']);
    expect(Object.fromEntries(ids)).toEqual({ folded: '<folded@x>', upper: '<upper@x>', deep: '<deep@x>' });
  });

  it('gives ids without sizes fast, and sizes and dates with withSize', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', 'a:2,S', '12345');
    const [plain] = await f.listAll();
    expect(plain!.size).toBeUndefined();
    expect(plain!.date).toBeUndefined();
    const [sized] = await f.listAll({ withSize: true });
    expect(sized).toMatchObject({ id: 'a', size: 5 });
    expect(sized!.date).toBeInstanceOf(Date);
  });

  it('parses OfflineIMAP names: FMD5 of this folder gives a hint, another folder\'s does not', async () => {
    const { store, f } = await inbox();
    put('INBOX', 'cur', `1722883669_5.274433.rigter,U=923,FMD5=${INBOX_MD5}:2,S`);
    put('INBOX', 'cur', `1722883669_6.274433.rigter,U=924,FMD5=${INBOX_MD5}:2,`);
    put('INBOX', 'new', `1722883669_7.274433.rigter,U=925,FMD5=${folderMd5('Sent')}:2,`);
    put('INBOX', 'new', '.dotfile');
    put('INBOX', 'tmp', 'in-progress');
    const list = await f.listAll();
    expect(list.map((m) => [m.id, m.flags, m.farUidHint])).toEqual(expect.arrayContaining([
      ['1722883669_5.274433.rigter', 'S', 923],
      ['1722883669_6.274433.rigter', '', 924],
      ['1722883669_7.274433.rigter', '', undefined],
    ]));
    expect(list).toHaveLength(3);
    await store.close();
  });

  it('accepts the FMD5 most files carry when it is not ours (nametrans), and writes it', async () => {
    const { f } = await inbox();
    const theirs = folderMd5('Posteingang');
    for (let i = 1; i <= 3; i++) put('INBOX', 'cur', `17_${i}.1.h,U=${i},FMD5=${theirs}:2,S`);
    put('INBOX', 'cur', `17_9.1.h,U=9,FMD5=${folderMd5('Other')}:2,S`);
    const list = await f.listAll();
    expect(list.find((m) => m.id === '17_2.1.h')!.farUidHint).toBe(2);
    expect(list.find((m) => m.id === '17_9.1.h')!.farUidHint).toBeUndefined();
    const id = await f.append({ body: Buffer.from('x'), flags: 'S', farUid: 10 });
    await f.flush();
    expect(ls('INBOX', 'cur')).toContain(`${id},U=10,FMD5=${theirs}:2,S`);
  });

  it('does not infer an FMD5 on a tie', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', `17_1.1.h,U=1,FMD5=${folderMd5('A')}:2,S`);
    put('INBOX', 'cur', `17_2.1.h,U=2,FMD5=${folderMd5('B')}:2,S`);
    expect((await f.listAll()).map((m) => m.farUidHint)).toEqual([undefined, undefined]);
  });

  it('gives copies with the same unique part distinct ids that survive renames', async () => {
    const { f } = await inbox();
    put('INBOX', 'cur', 'x:2,S');
    put('INBOX', 'new', `x,U=3,FMD5=${INBOX_MD5}:2,`);
    put('INBOX', 'new', 'x:2,');
    const ids = (await f.listAll()).map((m) => m.id).sort();
    expect(ids).toEqual(['new/x', 'x', `x,U=3,FMD5=${INBOX_MD5}`].sort());
    await f.setFlags([{ id: `x,U=3,FMD5=${INBOX_MD5}`, add: 'F', remove: '' }, { id: 'x', add: 'R', remove: '' }]);
    expect(ls('INBOX', 'new')).toEqual([`x,U=3,FMD5=${INBOX_MD5}:2,F`, 'x:2,'].sort());
    expect((await f.listAll()).map((m) => m.id).sort()).toEqual(ids);
    await expect(f.setFlags([{ id: 'new/x', add: 'RS', remove: '' }])).rejects.toMatchObject({ code: 'maildir-name-clash' });
  });

  it('lists 10,000 files', async () => {
    const { f } = await inbox();
    for (let i = 0; i < 10000; i++) put('INBOX', i % 2 ? 'cur' : 'new', `1700000000_${i}.1.h,U=${i + 1},FMD5=${INBOX_MD5}:2,${i % 2 ? 'S' : ''}`, 'x');
    const list = await f.listAll();
    expect(list).toHaveLength(10000);
    expect(new Set(list.map((m) => m.id)).size).toBe(10000);
    expect(list.filter((m) => m.flags === 'S')).toHaveLength(5000);
    expect(list.every((m) => m.farUidHint === Number(m.id.split('_')[1]!.split('.')[0]) + 1)).toBe(true);
  });
});
