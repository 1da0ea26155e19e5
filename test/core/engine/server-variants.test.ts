// Full sync rounds against real servers configured like the ones people use: Dovecot cut to
// IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE (no UIDPLUS, CONDSTORE, QRESYNC, LIST-STATUS, MOVE),
// Cyrus 3.6 (unixhierarchysep, altnamespace), Courier IMAP 5 and Dovecot laid out like Courier
// ("INBOX.", ".").
// First sync, changes on both sides, a second and a third sync; both sides compared by
// Message-ID, flags and bytes (up to line ends).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { startCyrus, unpackCyrus, type CyrusServer } from '../../helpers/cyrus.js';
import { startCourier, unpackCourier } from '../../helpers/courier.js';
import { createEngine } from '../../../core/engine/engine.js';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { summarize } from '../../../core/sync/plan.js';
import type { SatchelConfig } from '../../../core/config/model.js';
import type { NameStep } from '../../../core/rules/rule-types.js';
import { configFor, imapRepo, maildirRepo, tempDir } from './engine-fixtures.js';

const FLAG_LETTER: Record<string, string> = { '\\Seen': 'S', '\\Answered': 'R', '\\Flagged': 'F', '\\Deleted': 'T', '\\Draft': 'D' };

/** What the rounds need of a test server (Dovecot's helper and Cyrus's both give it). */
type TestServer = Pick<DovecotServer, 'host' | 'port' | 'client' | 'reset' | 'stop'> & Pick<CyrusServer, 'appendMessage'>;

// Cyrus comes from Debian packages unpacked once for every test file; where that cannot be
// done (no apt, no network) its rounds are skipped, and the reason is printed.
const cyrusUnavailable = await unpackCyrus().then(() => undefined, (e: Error) => e.message);
if (cyrusUnavailable) console.warn(`Cyrus rounds skipped: ${cyrusUnavailable}`);
const courierUnavailable = await unpackCourier().then(() => undefined, (e: Error) => e.message);
if (courierUnavailable) console.warn(`Courier rounds skipped: ${courierUnavailable}`);

interface Variant {
  title: string;
  start(): Promise<TestServer>;
  /** Set when this server cannot run here: the reason. */
  unavailable?: string;
  /** Courier-like namespace (for the test without rules). */
  courier?: boolean;
  /** The server keeps a lone CR in a message (Cyrus refuses bare CR and LF; Courier drops it). */
  loneCr: boolean;
  /** CREATE a/b makes a real folder a as well (Cyrus). */
  parentsAreFolders?: boolean;
  /** The server name of a folder given with '/' between levels. */
  far: (name: string) => string;
  uidplus: boolean;
  rules?: { remote: NameStep[]; local?: NameStep[] };
}

const variants: Variant[] = [
  {
    title: 'Dovecot without extensions (IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE)',
    start: () => startDovecot({ users: ['alice'], capabilities: 'IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE' }),
    far: (n) => n, uidplus: false, loneCr: true,
  },
  {
    title: 'Cyrus IMAP 3.6 (unixhierarchysep, altnamespace; CONDSTORE, QRESYNC)',
    start: () => startCyrus({ users: ['alice'] }), unavailable: cyrusUnavailable,
    far: (n) => n, uidplus: true, loneCr: false, parentsAreFolders: true,
  },
  {
    title: 'Courier IMAP 5 (namespace "INBOX.", separator ".", Debian\'s imapd settings)',
    start: () => startCourier({ users: ['alice'] }), unavailable: courierUnavailable,
    courier: true, far: (n) => (n === 'INBOX' ? n : `INBOX.${n.split('/').join('.')}`), uidplus: true, loneCr: false,
    rules: { remote: [{ op: 'sub', pattern: '^INBOX\\.', replacement: '' }] },
  },
  {
    title: 'Dovecot laid out like Courier (namespace "INBOX.", separator ".", no CONDSTORE)',
    start: () => startDovecot({ users: ['alice'], capabilities: 'IMAP4rev1 UIDPLUS CHILDREN LITERAL+ SASL-IR IDLE NAMESPACE',
      namespace: { prefix: 'INBOX.', separator: '.' } }),
    courier: true, far: (n) => (n === 'INBOX' ? n : `INBOX.${n.split('/').join('.')}`), uidplus: true, loneCr: true,
    // The Courier/Cyrus preset: server names without "INBOX." (the way back is derived).
    rules: { remote: [{ op: 'sub', pattern: '^INBOX\\.', replacement: '' }] },
  },
];

type Side = Record<string, Map<string, { flags: string; body: string }>>;

/** Server: folder (as the server names it) -> Message-ID -> flags and BODY[] (X-TUID line taken off). */
async function serverSide(server: TestServer): Promise<Side> {
  const c = await server.client('alice');
  try {
    const out: Side = {};
    for (const box of await c.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const lock = await c.getMailboxLock(box.path);
      try {
        const msgs = new Map<string, { flags: string; body: string }>();
        if ((c.mailbox as { exists: number }).exists > 0) {
          for await (const m of c.fetch('1:*', { flags: true, source: true })) {
            const body = m.source!.toString('latin1').replace(/^X-TUID: \S+\r\n/, '');
            const mid = /^message-id:\s*(<[^>]*>)/im.exec(body)?.[1] ?? '';
            msgs.set(mid, { flags: [...(m.flags ?? [])].map((f) => FLAG_LETTER[f] ?? '').sort().join(''), body });
          }
        }
        out[box.path] = msgs;
      } finally {
        lock.release();
      }
    }
    return out;
  } finally {
    await c.logout();
  }
}

/** Local: folder directory name -> Message-ID -> flags and file bytes; throws on a seen file in new/. */
function localSide(root: string): Side {
  const out: Side = {};
  for (const dir of fs.readdirSync(root)) {
    if (!fs.existsSync(path.join(root, dir, 'cur'))) continue;
    const msgs = new Map<string, { flags: string; body: string }>();
    for (const sub of ['new', 'cur']) {
      for (const f of fs.readdirSync(path.join(root, dir, sub))) {
        const flags = (/:2,([A-Za-z]*)$/.exec(f)?.[1] ?? '').replace(/[^DFRST]/g, '');
        if (sub === 'new' && flags.includes('S')) throw new Error(`seen message in new/: ${f}`);
        const body = fs.readFileSync(path.join(root, dir, sub, f), 'latin1');
        msgs.set(/^message-id:\s*(<[^>]*>)/im.exec(body)?.[1] ?? '', { flags, body });
      }
    }
    out[dir] = msgs;
  }
  return out;
}

function fileOf(root: string, dir: string, mid: string): string {
  for (const sub of ['new', 'cur']) {
    for (const f of fs.readdirSync(path.join(root, dir, sub))) {
      const p = path.join(root, dir, sub, f);
      if (fs.readFileSync(p, 'latin1').includes(`Message-ID: ${mid}`)) return p;
    }
  }
  throw new Error(`no file for ${mid} in ${dir}`);
}

const lf = (s: string) => s.replace(/\r\n/g, '\n');
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe.each(variants)('$title', (v) => {
  let server: TestServer;
  beforeAll(async () => { if (!v.unavailable) server = await v.start(); });
  afterAll(async () => { await server?.stop(); });

  const msg = (n: number, extra = '') => makeMessage({ subject: `message ${n}`, messageId: `<m${n}@test>`,
    body: `body ${n}\r\nsecond line${v.loneCr ? ' with a lone\rCR' : ''}\r\n${extra}` });
  const put = (folder: string, n: number, flags: string[] = []) => server.appendMessage('alice', v.far(folder), msg(n), flags);
  // Local names: the Maildir folder of a server folder (sep '.'), through the variant's nametrans.
  const near = (n: string) => n.split('/').join('.');

  it.skipIf(!!v.unavailable)('converges over three syncs: LF files, CRLF uploads, deletions expunged or kept, nothing doubled', async () => {
    await put('INBOX', 1, ['\\Seen']);
    await put('INBOX', 2);
    await put('INBOX', 3, ['\\Flagged', '\\Seen']);
    await put('INBOX', 10, ['\\Seen']);
    await put('Archive/2024', 4, ['\\Seen']);
    await put('Archive/2024', 12, ['\\Seen']); // the folder's newest message, deleted on the server below
    await put('Mail Lists', 5, ['\\Seen']);
    await put('Mail Lists', 8, ['\\Seen']);
    await put('Entwürfe', 6, ['\\Draft']);
    const big = 'x'.repeat(76) + '\r\n';
    await server.appendMessage('alice', 'INBOX', msg(11, big.repeat(20_000)), ['\\Seen']); // 1.5 MB

    const root = path.join(tempDir(), 'Mail');
    const remote = imapRepo(server, 'alice', 'alicepw', v.rules ? { rules: { nametrans: v.rules.remote } } : {});
    const local = maildirRepo(root, v.rules?.local ? { rules: { nametrans: v.rules.local } } : {});
    const config: SatchelConfig = configFor(tempDir(), remote, local);
    const logs: string[] = [];
    const sync = async () => {
      const engine = createEngine({ config, getSecret: async () => 'alicepw' });
      engine.on('log', (e) => { logs.push(e.message); });
      const [r] = await engine.syncNow();
      expect(r!.errors.map((e) => e.message)).toEqual([]);
      const totals: Record<string, number> = {};
      for (const f of r!.result?.folders ?? []) {
        if (f.result) for (const [k, n] of Object.entries(summarize(f.result.plan))) totals[k] = (totals[k] ?? 0) + n;
      }
      return totals;
    };

    // First sync: every folder (nested, with a space, non-ASCII), files in LF, bytes = BODY[] with CRLF -> LF.
    await sync();
    let farSide = await serverSide(server);
    let nearSide = localSide(root);
    const folders = ['INBOX', 'Archive/2024', 'Mail Lists', 'Entwürfe'];
    // Cyrus also creates the parent "Archive" as a real (empty) folder: it is synced too.
    const parents = v.parentsAreFolders ? ['Archive'] : [];
    expect(Object.keys(nearSide).sort()).toEqual([...folders, ...parents].map(near).sort());
    expect(Object.keys(farSide).sort()).toEqual([...folders, ...parents].map(v.far).sort());
    for (const f of folders) {
      const want = farSide[v.far(f)]!;
      expect([...nearSide[near(f)]!.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [mid, m] of nearSide[near(f)]!) {
        expect(m.body.includes('\r\n')).toBe(false);
        expect(m.body).toBe(lf(want.get(mid)!.body));
        expect(m.flags).toBe(want.get(mid)!.flags);
      }
    }
    expect(nearSide['INBOX']!.get('<m11@test>')!.body.length).toBeGreaterThan(1_500_000);

    // Changes on the server: new mail, flags, a deletion with expunge, another client's \Deleted
    // mark (not expunged), and a new message that arrives already marked \Deleted.
    const c = await server.client('alice');
    try {
      await c.mailboxOpen('INBOX');
      const uidOf = async (n: number) => (await c.search({ header: { 'message-id': `<m${n}@test>` } }, { uid: true }) as number[])[0]!;
      const [u1, u2, u3] = [await uidOf(1), await uidOf(2), await uidOf(3)];
      await c.messageFlagsAdd(String(u2), ['\\Seen', '\\Answered'], { uid: true });
      await c.messageFlagsRemove(String(u3), ['\\Flagged'], { uid: true });
      await c.messageDelete(String(u1), { uid: true }); // UID EXPUNGE, or EXPUNGE without UIDPLUS
      await c.mailboxOpen(v.far('Archive/2024'));
      const u12 = (await c.search({ header: { 'message-id': '<m12@test>' } }, { uid: true }) as number[])[0]!;
      await c.messageDelete(String(u12), { uid: true });
      await c.mailboxOpen(v.far('Mail Lists'));
      const u8 = (await c.search({ header: { 'message-id': '<m8@test>' } }, { uid: true }) as number[])[0]!;
      await c.messageFlagsAdd(String(u8), ['\\Deleted'], { uid: true });
    } finally {
      await c.logout();
    }
    await put('INBOX', 7);
    await put('Entwürfe', 9, ['\\Deleted']);

    // Changes on the local side, as mutt/notmuch make them: renames, deletions, LF files in
    // new/ and in a new nested folder, a big LF file (streamed), and a CRLF file from an older tool.
    const inbox = path.join(root, 'INBOX');
    const f3 = fileOf(root, 'INBOX', '<m3@test>');
    fs.renameSync(f3, f3.replace(/:2,([A-Z]*)$/, ':2,$1R').replace(/:2,(.*)$/, (_, x: string) => `:2,${[...x].sort().join('')}`));
    const f6 = fileOf(root, near('Entwürfe'), '<m6@test>');
    fs.renameSync(f6, path.join(root, near('Entwürfe'), 'cur', `${path.basename(f6).replace(/:2,.*$/, '')}:2,DS`));
    const f4 = fileOf(root, near('Archive/2024'), '<m4@test>');
    fs.renameSync(f4, f4.replace(/:2,.*$/, ':2,FS'));
    fs.unlinkSync(fileOf(root, 'INBOX', '<m10@test>'));
    fs.unlinkSync(fileOf(root, near('Mail Lists'), '<m5@test>'));
    const lfMail = (n: number, extra = '') => lf(msg(n, extra));
    fs.writeFileSync(path.join(inbox, 'new', '1722883669.M1P2.mutt'), lfMail(20));
    fs.writeFileSync(path.join(inbox, 'cur', '1722883670.M1P2.mutt:2,S'), lfMail(21, lf(big).repeat(20_000)));
    fs.writeFileSync(path.join(root, near('Archive/2024'), 'new', '1722883671.M1P2.win'), msg(22));
    const projects = path.join(root, near('Projects/Q3'));
    for (const d of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(projects, d), { recursive: true });
    fs.writeFileSync(path.join(projects, 'cur', '1722883672.M1P2.mutt:2,FS'), lfMail(23));

    const second = await sync();
    farSide = await serverSide(server);
    nearSide = localSide(root);
    // Server INBOX: m1 and m10 gone for good, the uploads in CRLF with their bytes as written (plus X-TUID).
    expect([...farSide['INBOX']!.keys()].sort()).toEqual(['<m11@test>', '<m20@test>', '<m21@test>', '<m2@test>', '<m3@test>', '<m7@test>']);
    expect(farSide['INBOX']!.get('<m20@test>')!.body).toBe(crlf(lfMail(20)));
    expect(farSide['INBOX']!.get('<m21@test>')!.body).toBe(crlf(lfMail(21, lf(big).repeat(20_000))));
    expect(farSide[v.far('Archive/2024')]!.get('<m22@test>')!.body).toBe(msg(22)); // CRLF already: no CR doubled
    expect(farSide[v.far('Projects/Q3')]!.get('<m23@test>')).toEqual({ flags: 'FS', body: crlf(lfMail(23)) });
    // Flags both ways.
    expect(farSide['INBOX']!.get('<m2@test>')!.flags).toBe('RS');
    expect(farSide['INBOX']!.get('<m3@test>')!.flags).toBe('RS');
    expect(nearSide['INBOX']!.get('<m3@test>')!.flags).toBe('RS');
    expect(farSide[v.far('Entwürfe')]!.get('<m6@test>')!.flags).toBe('DS');
    expect(farSide[v.far('Archive/2024')]!.get('<m4@test>')!.flags).toBe('FS');
    // The removal of a folder's newest message arrives (Cyrus: VANISHED over the known UIDs).
    expect(farSide[v.far('Archive/2024')]!.has('<m12@test>')).toBe(false);
    expect(nearSide[near('Archive/2024')]!.has('<m12@test>')).toBe(false);
    // A message that arrived marked \Deleted is not new mail.
    expect(nearSide[near('Entwürfe')]!.has('<m9@test>')).toBe(false);
    // The local deletion in a folder where another client's \Deleted mark waits: without UIDPLUS
    // a plain EXPUNGE would take that one too, so ours stays marked, said so, and is not reported.
    const lists = farSide[v.far('Mail Lists')]!;
    expect(lists.get('<m8@test>')!.flags).toBe('ST');
    expect(nearSide[near('Mail Lists')]!.get('<m8@test>')!.flags).toBe('ST');
    if (v.uidplus) {
      expect(lists.has('<m5@test>')).toBe(false);
      expect(second['delete-far']).toBe(2);
    } else {
      expect(lists.get('<m5@test>')!.flags).toBe('ST');
      expect(second['delete-far']).toBe(1); // m10 only: INBOX held no other \Deleted mark
      expect(logs.some((l) => /Mail Lists: 1 message\(s\) not deleted on the server: .*UIDPLUS.*\\Deleted/.test(l))).toBe(true);
    }
    expect(nearSide[near('Mail Lists')]!.has('<m5@test>')).toBe(false);
    expect(second['delete-near']).toBe(2); // m1 and m12
    // Every local file is LF, and equal to its server copy up to line ends.
    for (const [dir, msgs] of Object.entries(nearSide)) {
      const farName = v.rules ? (dir === 'INBOX' ? dir : `INBOX.${dir.replace(/^INBOX\./, '')}`) : dir.split('.').join('/');
      for (const [mid, m] of msgs) {
        const f = farSide[farName]!.get(mid)!;
        expect(lf(f.body)).toBe(lf(m.body));
        expect(f.flags).toBe(m.flags);
        if (!['<m22@test>'].includes(mid)) expect(m.body.includes('\r\n')).toBe(false);
      }
    }

    // Third sync: nothing to do, nothing touched.
    const names = (dir: string) => ['cur', 'new'].flatMap((s) => fs.readdirSync(path.join(root, dir, s)).map((n) => `${s}/${n}`)).sort();
    const before = Object.fromEntries(Object.keys(nearSide).map((d) => [d, names(d)]));
    const third = await sync();
    expect(Object.values(third).reduce((a, b) => a + b, 0)).toBe(0);
    expect(Object.fromEntries(Object.keys(nearSide).map((d) => [d, names(d)]))).toEqual(before);
    expect(await serverSide(server)).toEqual(farSide);

    if (!v.uidplus) {
      // Once the other client's mark is gone, the waiting deletion goes through.
      const c2 = await server.client('alice');
      try {
        await c2.mailboxOpen(v.far('Mail Lists'));
        const u8 = (await c2.search({ header: { 'message-id': '<m8@test>' } }, { uid: true }) as number[])[0]!;
        await c2.messageFlagsRemove(String(u8), ['\\Deleted'], { uid: true });
      } finally {
        await c2.logout();
      }
      const fourth = await sync();
      expect(fourth['delete-far']).toBe(1);
      expect([...(await serverSide(server))[v.far('Mail Lists')]!.keys()]).toEqual(['<m8@test>']);
      expect(localSide(root)[near('Mail Lists')]!.get('<m8@test>')!.flags).toBe('S');
    }
  }, 120_000);

  if (v.courier) it('without rules: INBOX is synced, creating what exists succeeds, and a folder outside "INBOX." is refused', async () => {
    await server.reset('alice');
    await put('INBOX', 30);
    await put('Sent', 31, ['\\Seen']);
    const root = path.join(tempDir(), 'Mail');
    // folderincludes = ['INBOX'] once made Satchel try to create INBOX ("INBOX already exists!").
    const config = configFor(tempDir(), imapRepo(server, 'alice', 'alicepw', { folderincludes: ['INBOX'] }), maildirRepo(root));
    let [r] = await createEngine({ config, getSecret: async () => 'alicepw' }).syncNow();
    expect(r!.errors.map((e) => e.message)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(['INBOX', 'INBOX.Sent']);
    expect([...localSide(root)['INBOX']!.keys()]).toEqual(['<m30@test>']);

    const store = new ImapStore({ host: server.host, port: server.port, user: 'alice', password: async () => 'alicepw', ssl: false, starttls: false });
    try {
      await store.connect();
      expect(store.delimiter).toBe('.');
      await store.createFolder('INBOX');
      await store.createFolder('INBOX.Sent');
      expect((await store.listFolders()).map((f) => f.name).sort()).toEqual(['INBOX', 'INBOX.Sent']);
    } finally {
      await store.close();
    }

    for (const d of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(root, 'Notes', d), { recursive: true });
    [r] = await createEngine({ config, getSecret: async () => 'alicepw' }).syncNow();
    expect(r!.errors.map((e) => e.code)).toEqual(['folder-outside-namespace']);
    expect(Object.keys(await serverSide(server)).sort()).toEqual(['INBOX', 'INBOX.Sent']);
  });
});
