// Moves between folders against a real Dovecot and a real Maildir (SQLite status): a server-side
// move is renamed locally (same inode, no body downloaded), a local move becomes UID MOVE (no
// APPEND), flags travel, a Message-ID shared by two messages falls back to copy + delete, and
// a sync killed after any effect of a move converges on the next run without loss or duplicate.
// Commands are counted through a TCP proxy in front of the server.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { StatusDb } from '../../../core/status/status-db.js';
import { syncAccount, type AccountSyncResult } from '../../../core/sync/account-sync.js';
import { folderMd5, parseName } from '../../../core/maildir/filename.js';
import { CrashError } from '../../../core/store/memory-store.js';
import { makeMessage, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

let server: DovecotServer;
let proxy: TcpProxy;
let commands: string[] = [];
let dir: string, root: string, dbFile: string;

beforeAll(async () => {
  server = await startDovecot();
  proxy = await startTcpProxy(server.port, '127.0.0.1', () => ({
    fromClient(chunk, link) {
      for (const l of chunk.toString('latin1').split('\r\n')) if (/^\S+ [A-Z]/.test(l)) commands.push(l.replace(/^\S+ /, ''));
      link.toServer(chunk);
    },
  }));
});
afterAll(async () => { await proxy?.close(); await server?.stop(); });
beforeEach(async () => {
  await server.reset('alice');
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-moves-'));
  root = path.join(dir, 'Mail');
  dbFile = path.join(dir, 'status.db');
  MaildirStore.createRoot(root);
});
afterEach(async () => { await fs.promises.rm(dir, { recursive: true, force: true }); });

async function sync(afterEffect?: () => void): Promise<AccountSyncResult> {
  const far = new ImapStore({ host: '127.0.0.1', port: proxy.port, user: 'alice', password: async () => 'alicepw', ssl: false, starttls: false, maxConnections: 2 });
  const near = new MaildirStore({ root, hostname: 'testhost', fsync: false });
  await far.connect();
  await near.connect();
  const db = new StatusDb(dbFile);
  commands = [];
  try {
    return await syncAccount({
      account: 'test', far, near, db, createFolders: { far: true, near: true }, parallel: 2, afterEffect,
      options: { dryRun: false, deleteOnFar: true, deleteOnNear: true, farReadonly: false, nearReadonly: false, massDeleteThreshold: 50 },
      events: { folderState() {}, progress() {}, error() {}, log() {} },
    });
  } finally {
    db.close();
    await far.close();
  }
}

/** FETCHes of message identities (Message-ID and size, move detection only). */
const identityFetches = () => commands.filter((c) => /FETCH .*HEADER\.FIELDS \(MESSAGE-ID/i.test(c)).length;
/** SELECT/EXAMINE commands per mailbox. */
const selects = () => {
  const out: Record<string, number> = {};
  for (const c of commands) { const m = /^(?:SELECT|EXAMINE) "?([^" ]+)"?/.exec(c); if (m) out[m[1]!] = (out[m[1]!] ?? 0) + 1; }
  return out;
};

const bodyFetches = () => commands.filter((c) => /BODY\.PEEK\[\]|BODY\[\]|RFC822[^.]/.test(c)).length;
const appends = () => commands.filter((c) => c.startsWith('APPEND')).length;
const moves = () => commands.filter((c) => c.startsWith('UID MOVE')).length;

/** Per server folder: sorted "flags|subject" (flags without \Recent). */
async function serverState(): Promise<Record<string, string[]>> {
  const c = await server.client('alice');
  const out: Record<string, string[]> = {};
  try {
    for (const f of await c.list()) {
      const lock = await c.getMailboxLock(f.path);
      try {
        const list: string[] = [];
        if ((c.mailbox || undefined)?.exists) {
          for await (const m of c.fetch('1:*', { flags: true, envelope: true })) {
            list.push(`${[...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort().join(' ')}|${m.envelope?.subject}`);
          }
        }
        out[f.path] = list.sort();
      } finally {
        lock.release();
      }
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
  return out;
}

/** Per local folder: sorted "flags|subject". */
function localState(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const folder of fs.readdirSync(root).sort()) {
    out[folder] = ['cur', 'new'].flatMap((sub) => fs.readdirSync(path.join(root, folder, sub)).map((n) => {
      const subject = /^Subject: (.*)$/m.exec(fs.readFileSync(path.join(root, folder, sub, n), 'utf8'))?.[1];
      return `${parseName(n)!.flags}|${subject}`;
    })).sort();
  }
  return out;
}

const toLetters = (s: Record<string, string[]>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.map((l) => {
  const [flags, subject] = l.split('|');
  const letters = (flags ?? '').split(' ').filter(Boolean).map((f) => ({ '\\Seen': 'S', '\\Flagged': 'F', '\\Answered': 'R', '\\Draft': 'D', '\\Deleted': 'T' } as Record<string, string>)[f] ?? '').sort().join('');
  return `${letters}|${subject}`;
}).sort()]));

function localFiles(folder: string): Array<{ path: string; name: string; ino: number; subject: string }> {
  return ['cur', 'new'].flatMap((sub) => fs.readdirSync(path.join(root, folder, sub)).map((n) => {
    const p = path.join(root, folder, sub, n);
    return { path: p, name: n, ino: fs.statSync(p).ino, subject: /^Subject: (.*)$/m.exec(fs.readFileSync(p, 'utf8'))![1]! };
  }));
}

async function seed(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await server.appendMessage('alice', 'INBOX', makeMessage({ subject: `in${i}`, messageId: `<in${i}@x>`, body: `body ${i}\n`.repeat(i) }), i % 3 === 0 ? ['\\Seen'] : []);
  await server.appendMessage('alice', 'Archive', makeMessage({ subject: 'old', messageId: '<old@x>' }), ['\\Seen']);
}

/** Moves the messages with these subjects as another client would (UID MOVE). */
async function serverMove(subjects: string[], from: string, to: string, addFlags: string[] = []): Promise<void> {
  const c = await server.client('alice');
  try {
    await c.mailboxOpen(from);
    const found: number[] = [];
    for await (const m of c.fetch('1:*', { uid: true, envelope: true })) if (subjects.includes(m.envelope?.subject ?? '')) found.push(m.uid);
    expect(found).toHaveLength(subjects.length);
    const uids = found.join(',');
    if (addFlags.length) await c.messageFlagsAdd(uids, addFlags, { uid: true });
    expect(await c.messageMove(uids, to, { uid: true })).toBeTruthy();
  } finally {
    await c.logout().catch(() => c.close());
  }
}

describe('moves between folders (Dovecot + Maildir)', () => {
  it('a server-side move renames the local files (same inode, no body downloaded), flags kept', async () => {
    await seed(25);
    await sync();
    await sync();
    const before = new Map(localFiles('INBOX').map((f) => [f.subject, f.ino]));
    await serverMove(Array.from({ length: 20 }, (_, i) => `in${i + 1}`), 'INBOX', 'Archive');
    await serverMove(['in21'], 'INBOX', 'Archive', ['\\Flagged']);   // changed on the way: the flag travels
    const r = await sync();
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(bodyFetches()).toBe(0);
    const archive = localFiles('Archive');
    expect(archive).toHaveLength(22);
    for (const f of archive.filter((x) => x.subject !== 'old')) {
      expect(f.ino).toBe(before.get(f.subject));
      expect(parseName(f.name)!.fmd5).toBe(folderMd5('Archive'));
    }
    expect(localFiles('INBOX').map((f) => f.subject).sort()).toEqual(['in22', 'in23', 'in24', 'in25']);
    expect(toLetters(await serverState())).toEqual(localState());
    expect(localState()['Archive']).toContain('FS|in21');
    expect(localState()['Archive']).toContain('S|in3');
    await sync();
    expect(commands.filter((c) => /APPEND|MOVE|STORE|EXPUNGE|BODY\.PEEK\[\]/.test(c))).toEqual([]);
  });

  it('a local move becomes UID MOVE on the server (no APPEND, no duplicate), flags kept', async () => {
    await seed(6);
    await sync();
    await sync();
    const inbox = localFiles('INBOX');
    for (const f of inbox.filter((x) => ['in1', 'in2', 'in3'].includes(x.subject))) {
      // mutt's "save to folder": the file moves; one also gets flagged on the way.
      const name = f.subject === 'in2' ? f.name.replace(/:2,.*$/, ':2,FS') : f.name;
      fs.renameSync(f.path, path.join(root, 'Archive', 'cur', name));
    }
    const r = await sync();
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(moves()).toBe(1);
    expect(appends()).toBe(0);
    expect(bodyFetches()).toBe(0);
    // Confirmed with one identity FETCH of the far copies in INBOX: no listing for the pass.
    expect(identityFetches()).toBe(1);
    // One change listing per folder sync; the ones after a STATUS settle the modseq past our own STORE.
    const listings = commands.filter((c, i) => /CHANGEDSINCE/.test(c) && !commands.slice(0, i).some((p) => p.startsWith('STATUS ')));
    expect(listings).toHaveLength(2);
    const s = toLetters(await serverState());
    expect(s['Archive']).toEqual(['FS|in2', 'S|in3', 'S|old', '|in1'].sort());
    expect(s['INBOX']).toEqual(['S|in6', '|in4', '|in5'].sort());
    expect(localState()).toEqual(s);
    for (const f of localFiles('Archive')) expect(parseName(f.name)!.fmd5).toBe(folderMd5('Archive'));
    await sync();
    expect(commands.filter((c) => /APPEND|MOVE|STORE|EXPUNGE|BODY\.PEEK\[\]/.test(c))).toEqual([]);
  });

  it('a change batch without moves costs the move pass no command: one SELECT per changed folder, no identity FETCH', async () => {
    await seed(12);
    for (let i = 1; i <= 4; i++) await server.appendMessage('alice', 'Lists', makeMessage({ subject: `l${i}`, messageId: `<l${i}@x>` }));
    await sync();
    await sync();
    // Server: new mail in INBOX and Lists, a flag change in Archive. Locally: a deletion in
    // INBOX (not yet on the server), a flag change in Lists, and a new message in Archive.
    await server.appendMessage('alice', 'INBOX', makeMessage({ subject: 'new1', messageId: '<new1@x>' }));
    await server.appendMessage('alice', 'Lists', makeMessage({ subject: 'new2', messageId: '<new2@x>' }));
    const c = await server.client('alice');
    try {
      await c.mailboxOpen('Archive');
      await c.messageFlagsAdd('1:*', ['\\Flagged']);
    } finally {
      await c.logout().catch(() => c.close());
    }
    fs.unlinkSync(localFiles('INBOX').find((f) => f.subject === 'in5')!.path);
    const l = localFiles('Lists').find((f) => f.subject === 'l2')!;
    fs.renameSync(l.path, l.path.replace(/:2,.*$/, ':2,S'));
    fs.writeFileSync(path.join(root, 'Archive', 'new', '1700000000.local1.testhost'),
      'From: a@x\nSubject: mine\nMessage-ID: <mine@x>\n\nhello\n');
    const r = await sync();
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(identityFetches()).toBe(0);
    expect(selects()).toEqual({ INBOX: 1, Archive: 1, Lists: 1 });
    const state = localState();
    expect(state['INBOX']).toContain('|new1');
    expect(state['INBOX']).not.toContain('|in5');
    expect(state['Lists']).toContain('S|l2');
    expect(state['Archive']).toContain('|mine');
    expect(toLetters(await serverState())).toEqual(state);
  });

  it('a local deletion and a new local file with the same Message-ID elsewhere: checked once, then copied as it differs', async () => {
    await seed(4);
    await sync();
    await sync();
    const f = localFiles('INBOX').find((x) => x.subject === 'in2')!;
    const text = fs.readFileSync(f.path, 'utf8');
    fs.unlinkSync(f.path);
    // The same Message-ID, another body (an edited copy): a hash match, but not the same message.
    fs.writeFileSync(path.join(root, 'Archive', 'cur', '1700000000.edit.testhost:2,S'), text.replace(/body 2\n/, 'body 2, edited\n'));
    const r = await sync();
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(identityFetches()).toBe(1);
    expect(moves()).toBe(0);
    expect(appends()).toBe(1);
    expect(toLetters(await serverState())).toEqual(localState());
    expect(localState()['INBOX']).not.toContain('|in2');
  });

  it('two messages with the same Message-ID and size are not matched: copied and deleted as before', async () => {
    await server.appendMessage('alice', 'INBOX', makeMessage({ subject: 'twinA', messageId: '<twin@x>' }));
    await server.appendMessage('alice', 'INBOX', makeMessage({ subject: 'twinB', messageId: '<twin@x>' }));
    await server.appendMessage('alice', 'Archive', makeMessage({ subject: 'old', messageId: '<old@x>' }));
    await sync();
    await sync();
    await serverMove(['twinA', 'twinB'], 'INBOX', 'Archive');
    const r = await sync();
    expect(r.errors).toEqual([]);
    expect(bodyFetches()).toBeGreaterThan(0);
    expect(localState()).toEqual({ Archive: ['|old', '|twinA', '|twinB'], INBOX: [] });
    expect(toLetters(await serverState())).toEqual(localState());
  });

  it('killed after any effect of a sync with moves both ways: the next sync converges, nothing lost or doubled', async () => {
    const prepare = async () => {
      await server.reset('alice');
      await fs.promises.rm(dir, { recursive: true, force: true });
      await fs.promises.mkdir(dir, { recursive: true });
      MaildirStore.createRoot(root);
      await seed(6);
      await sync();
      await sync();
      await serverMove(['in1', 'in2'], 'INBOX', 'Archive');
      const f = localFiles('INBOX').find((x) => x.subject === 'in4')!;
      fs.renameSync(f.path, path.join(root, 'Archive', 'cur', f.name));
    };
    await prepare();
    let effects = 0;
    await sync(() => { effects++; });
    const expected = localState();
    expect(expected).toEqual({ Archive: ['S|old', '|in1', '|in2', '|in4'].sort(), INBOX: ['S|in3', 'S|in6', '|in5'].sort() });
    expect(toLetters(await serverState())).toEqual(expected);
    for (let k = 1; k <= Math.min(effects, 14); k++) {
      await prepare();
      let n = 0;
      await sync(() => { if (++n === k) throw new CrashError(); }).catch((e) => { if (!(e instanceof CrashError)) throw e; });
      const r = await sync();
      const again = r.errors.length ? await sync() : r;
      expect({ k, errors: again.errors.map((e) => e.code), local: localState() }).toEqual({ k, errors: [], local: expected });
      expect({ k, server: toLetters(await serverState()) }).toEqual({ k, server: expected });
    }
  }, 120_000);
});
