// The lean FETCH reader (core/imap/fetch-stream.ts) against a real Dovecot: it reads the same
// rows and bodies imapflow reads, over plain IMAP and TLS, even with the server's bytes cut into
// tiny pieces; it hands untagged responses that are not FETCH rows on to imapflow; a refused
// command leaves the connection usable; a consumer that walks away retires the connection; a
// batch of APPENDs goes out in one write, each answered on its own.
// imapflow's own fetch() is replaced by one that throws, so the lean path is proven taken.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { ImapStore } from '../../../core/imap/imap-store.js';
import type { PooledConnection } from '../../../core/imap/connection-pool.js';
import type { OpenFolder } from '../../../core/store/mail-store.js';
import { flagsToLetters } from '../../../core/imap/imap-flags.js';
import { makeMessage, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/imap-fault-proxy.js';

const USER = 'lean';
const BODY_FETCH = /^UID FETCH .*BODY\.PEEK\[\]/i;
let server: DovecotServer;
let choppy: TcpProxy;
let faults: FaultProxy;
const reference = new Map<number, { flags: string; size: number; date: number; body: Buffer }>();

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

beforeAll(async () => {
  server = await startDovecot({ users: [USER] });
  const r = seeded(7);
  const flagSets = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen'], ['\\Draft']];
  for (let i = 0; i < 30; i++) {
    const size = i === 5 ? 300_000 : i === 6 ? 0 : Math.floor(r() * 9000);
    let body = '';
    while (body.length < size) body += `line ${body.length} caf\u00e9 \u00fcber {3}\r\n) "quoted" \\ back\rslash\n`;
    const raw = Buffer.from(makeMessage({ subject: `lean ${i} {12}`, body, date: new Date(Date.UTC(2024, 0, 1 + i)) }), 'utf8');
    await server.appendMessage(USER, 'Box', raw, flagSets[i % flagSets.length], new Date(Date.UTC(2024, 1, 1 + i, 10, 30)));
  }
  const c = await server.client(USER);
  await c.mailboxOpen('Box');
  for await (const m of c.fetch('1:*', { uid: true, flags: true, size: true, internalDate: true, source: true }, { uid: true })) {
    reference.set(m.uid, { flags: flagsToLetters(m.flags), size: m.size!, date: (m.internalDate as Date).getTime(), body: m.source! });
  }
  await c.logout();
  // Every chunk from the server is cut into pieces of 1 to 700 bytes, each sent on its own turn.
  choppy = await startTcpProxy(server.port, '127.0.0.1', () => {
    let chain = Promise.resolve();
    const cut = seeded(99);
    return {
      fromServer: (chunk, link) => {
        chain = chain.then(async () => {
          for (let at = 0; at < chunk.length;) {
            const n = 1 + Math.floor(cut() * (cut() < 0.5 ? 8 : 700));
            link.toClient(chunk.subarray(at, at + n));
            at += n;
            await new Promise((res) => setImmediate(res));
          }
        });
      },
    };
  });
  faults = await startFaultProxy(server.port);
}, 120_000);

afterAll(async () => {
  await choppy?.close();
  await faults?.close();
  await server?.stop();
});

function connOf(folder: OpenFolder): PooledConnection {
  return (folder as unknown as { conn: PooledConnection }).conn;
}

/** From now on imapflow's own fetch() fails the test: only the lean reader may fetch. */
function forbidImapflowFetch(folder: OpenFolder): void {
  (connOf(folder).client as unknown as { fetch: ImapFlow['fetch'] }).fetch = () => { throw new Error('imapflow fetch() was used'); };
}

function store(port: number, tls = false): ImapStore {
  return new ImapStore({ host: server.host, port, user: USER, password: async () => `${USER}pw`, ssl: tls, starttls: false,
    ...(tls ? { certFingerprints: [server.certFingerprint] } : {}) });
}

async function readAll(s: ImapStore): Promise<void> {
  await s.connect();
  const f = await s.openFolder('Box');
  forbidImapflowFetch(f);
  const listed = await f.listAll();
  expect(listed.length).toBe(reference.size);
  for (const m of listed) {
    const ref = reference.get(Number(m.id))!;
    expect({ flags: m.flags, size: m.size, date: m.date?.getTime() }).toEqual({ flags: ref.flags, size: ref.size, date: ref.date });
  }
  let n = 0;
  for await (const m of f.fetch(listed.map((x) => x.id))) {
    const ref = reference.get(Number(m.id))!;
    expect(Buffer.compare(m.body as Buffer, ref.body), `body of UID ${m.id}`).toBe(0);
    n++;
  }
  expect(n).toBe(reference.size);
  await f.release();
  await s.close();
}

describe('the lean FETCH reader', () => {
  it('lists and downloads exactly what imapflow reads, with the bytes cut into pieces of 1 to 700', async () => {
    await readAll(store(choppy.port));
  });

  it('does the same over TLS', async () => {
    await readAll(store(server.tlsPort, true));
  });

  it('passes untagged responses that are not FETCH rows on to imapflow and hands the connection back', async () => {
    faults.reset();
    faults.arm({ on: BODY_FETCH, action: { kind: 'rewrite', rewrite: (reply, tag) => reply.replace(`${tag} OK`,
      `* 3 FETCH (FLAGS (\\Seen))\r\n* 500 EXISTS\r\n* VANISHED 4000\r\n${tag} OK`) } });
    const s = store(faults.port);
    await s.connect();
    const f = await s.openFolder('Box');
    forbidImapflowFetch(f);
    const conn = connOf(f);
    const ids = (await f.listAll()).map((m) => m.id);
    let n = 0;
    for await (const m of f.fetch(ids)) { expect(m.body).toBeDefined(); n++; }
    expect(faults.fired.length).toBe(1);
    expect(n).toBe(reference.size);
    expect(conn.expunged.has(4000)).toBe(true);
    // imapflow applied both, in order: EXISTS 500, then one message gone.
    expect(conn.client.mailbox && conn.client.mailbox.exists).toBe(499);
    // imapflow has its socket back: its own commands work on the same connection.
    expect(await conn.client.status('INBOX', { messages: true })).toMatchObject({ messages: 0 });
    expect(conn.alive).toBe(true);
    await f.release();
    await s.close();
  });

  it('reports a refused FETCH with the server text and keeps the connection usable', async () => {
    faults.reset();
    faults.arm({ on: BODY_FETCH, action: { kind: 'replace', reply: '$TAG NO [SERVERBUG] Internal error occurred.\r\n' } });
    const s = store(faults.port);
    await s.connect();
    const f = await s.openFolder('Box');
    forbidImapflowFetch(f);
    const ids = (await f.listAll()).map((m) => m.id);
    const consume = async () => { let n = 0; for await (const m of f.fetch(ids)) { if (m.body) n++; } return n; };
    await expect(consume()).rejects.toThrow(/refused downloading messages.*Internal error occurred/);
    expect(connOf(f).alive).toBe(true);
    expect(await consume()).toBe(reference.size);
    await f.release();
    await s.close();
  });

  it('uploads a batch of messages in one write (LITERAL+) and reports a refused one on its own', async () => {
    faults.reset();
    faults.arm({ on: /^APPEND .*\(\\Flagged\)/, action: { kind: 'replace', reply: '$TAG NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n' } });
    const s = store(faults.port);
    await s.connect();
    await s.createFolder('Entw\u00fcrfe');
    const f = await s.openFolder('Entw\u00fcrfe');
    forbidImapflowFetch(f);
    (connOf(f).client as unknown as { append: ImapFlow['append'] }).append = () => { throw new Error('imapflow append() was used'); };
    const date = new Date(Date.UTC(2023, 4, 6, 7, 8, 9));
    const msgs = ['', 'S', 'F', 'RS', 'D'].map((flags, i) => ({
      body: Buffer.from(makeMessage({ subject: `batch ${i}`, body: 'one\ntwo\n' }), 'utf8'), flags, date, token: `tok-${i}-${process.pid}`,
    }));
    const out = await f.appendBatch!(msgs);
    expect(faults.fired.length).toBe(1);
    expect(out[2]).toMatchObject({ code: 'command-failed', message: expect.stringMatching(/Quota exceeded/) });
    const uids = out.filter((x): x is string => typeof x === 'string');
    expect(uids.length).toBe(4);
    expect(await f.findByToken(msgs.map((m) => m.token))).toEqual(new Map([0, 1, 3, 4].map((i) => [msgs[i]!.token, out[i] as string])));
    const listed = await f.listAll();
    expect(listed.map((m) => [m.flags, m.date?.getTime()])).toEqual(['', 'S', 'RS', 'D'].map((fl) => [fl, date.getTime()]));
    // The wire form: CRLF line ends and the upload token first.
    for await (const m of f.fetch([uids[0]!])) expect((m.body as Buffer).toString('latin1')).toMatch(/^X-TUID: tok-0-\d+\r\n[\s\S]*one\r\ntwo\r\n$/);
    await f.release();
    await s.close();
  });

  it('retires the connection when the consumer walks away mid-download', async () => {
    const s = store(server.port);
    await s.connect();
    const f = await s.openFolder('Box');
    const conn = connOf(f);
    const ids = (await f.listAll()).map((m) => m.id);
    for await (const m of f.fetch(ids)) { expect(m.id).toBeDefined(); break; }
    expect(conn.dead).toBe(true);
    await f.release();
    // The next user gets a fresh connection that works.
    const g = await s.openFolder('Box');
    expect(connOf(g)).not.toBe(conn);
    expect((await g.listAll()).length).toBe(reference.size);
    await g.release();
    await s.close();
  });
});
