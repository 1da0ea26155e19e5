// The engine against a real Dovecot and a real Maildir (and a second Dovecot user for
// IMAP <-> IMAP): first sync, changes both ways, idempotence, kill after every effect and
// resume, lost status database, the empty-side guard, and OfflineIMAP file names.

import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { createEngine } from '../../../core/engine/engine.js';
import { CrashError } from '../../../core/store/memory-store.js';
import type { SatchelConfig } from '../../../core/config/model.js';
import { configFor, imapRepo, imapSnapshot, localFiles, maildirRepo, maildirSnapshot, tempDir } from './engine-fixtures.js';

let server: DovecotServer;
beforeAll(async () => { server = await startDovecot({ users: ['alice', 'bob'] }); });
afterAll(async () => { await server?.stop(); });

const msg = (n: number, extra: Partial<Parameters<typeof makeMessage>[0]> = {}) =>
  makeMessage({ subject: `message ${n}`, messageId: `<m${n}@test>`, body: `body ${n}\r\n`, ...extra });

async function seed() {
  await server.reset('alice');
  await server.reset('bob');
  await server.appendMessage('alice', 'INBOX', msg(1), ['\\Seen']);
  await server.appendMessage('alice', 'INBOX', msg(2), []);
  await server.appendMessage('alice', 'INBOX', msg(3), ['\\Flagged', '\\Seen']);
  await server.appendMessage('alice', 'Archive/2024', msg(4, { date: new Date('2024-03-01T10:00:00Z') }), ['\\Seen'], new Date('2024-03-01T10:00:00Z'));
  await server.appendMessage('alice', 'Entwürfe', msg(5), ['\\Draft']);
}

function engineFor(config: SatchelConfig, afterEffect?: () => void) {
  return createEngine({ config, getSecret: async (r) => (r.password.kind === 'inline' ? r.password.value : ''), afterEffect });
}

async function syncOnce(config: SatchelConfig, afterEffect?: () => void) {
  const reports = await engineFor(config, afterEffect).syncNow();
  return reports[0]!;
}

describe('IMAP <-> Maildir against Dovecot', () => {
  let root: string, state: string, config: SatchelConfig;
  beforeEach(async () => {
    await seed();
    root = path.join(tempDir(), 'Mail');
    state = tempDir();
    config = configFor(state, imapRepo(server, 'alice', 'alicepw'), maildirRepo(root));
  });

  it('first sync: every message, OfflineIMAP names, new/ for unseen, mtime from INTERNALDATE, UTF-8 folder names', async () => {
    const r = await syncOnce(config);
    expect(r.errors.map((e) => e.message)).toEqual([]);
    expect(maildirSnapshot(root)).toEqual(await imapSnapshot(server, 'alice'));
    expect(fs.existsSync(path.join(root, 'Archive.2024', 'cur'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'Entwürfe', 'new'))).toBe(true);
    const inbox = localFiles(root, 'INBOX');
    expect(inbox).toHaveLength(3);
    for (const f of inbox) expect(f).toMatch(/^(new|cur)\/\d+_\d+\.\d+\.[^,/:]+,U=\d+,FMD5=7e33429f656f1e6e9d79b29c3f82c57e:2,[DFRST]*$/);
    expect(inbox.filter((f) => f.startsWith('new/'))).toHaveLength(1);
    const archived = localFiles(root, 'Archive.2024')[0]!;
    expect(fs.statSync(path.join(root, 'Archive.2024', archived)).mtime.toISOString()).toBe('2024-03-01T10:00:00.000Z');
  });

  it('changes both ways converge, and a second sync changes nothing', async () => {
    await syncOnce(config);
    // Local: a new message in new/, a flag change, a deletion.
    fs.writeFileSync(path.join(root, 'INBOX', 'new', '1700000000.M1P1.host'), msg(10));
    const cur = localFiles(root, 'INBOX').filter((f) => f.startsWith('cur/'));
    const seenNotFlagged = cur.find((f) => f.endsWith(':2,S'))!;
    fs.renameSync(path.join(root, 'INBOX', seenNotFlagged), path.join(root, 'INBOX', seenNotFlagged.replace(/:2,S$/, ':2,RS')));
    const flagged = cur.find((f) => f.endsWith(':2,FS'))!;
    fs.unlinkSync(path.join(root, 'INBOX', flagged));
    // Remote: a new message, a flag change, an expunge.
    await server.appendMessage('alice', 'INBOX', msg(11), []);
    const c = await server.client('alice');
    await c.mailboxOpen('Archive/2024');
    await c.messageFlagsAdd('1:*', ['\\Flagged']);
    await c.mailboxOpen('Entwürfe');
    await c.messageDelete('1:*');
    await c.logout();

    const r = await syncOnce(config);
    expect(r.errors.map((e) => e.message)).toEqual([]);
    const remote = await imapSnapshot(server, 'alice');
    expect(maildirSnapshot(root)).toEqual(remote);
    expect(remote.INBOX).toEqual(['RS|<m1@test>', '|<m10@test>', '|<m11@test>', '|<m2@test>'].sort());
    expect(remote['Archive/2024']).toEqual(['FS|<m4@test>']);
    expect(remote['Entwürfe']).toEqual([]);
    // The uploaded file now carries its server UID.
    expect(localFiles(root, 'INBOX').filter((f) => !/,U=\d+,FMD5=/.test(f))).toEqual([]);

    const again = await syncOnce(config);
    expect(again.errors).toEqual([]);
    for (const f of again.result!.folders) expect(f.result?.plan.ops ?? []).toEqual([]);
    expect(maildirSnapshot(root)).toEqual(remote);
  });

  it('resyncs an unchanged account without opening a folder (LIST-STATUS + CONDSTORE)', async () => {
    await syncOnce(config);
    await syncOnce(config);                 // settles the modseqs after our own writes
    const r = await syncOnce(config);
    expect(r.result!.folders.every((f) => f.skipped)).toBe(true);
    await server.appendMessage('alice', 'INBOX', msg(12), []);
    const r2 = await syncOnce(config);
    const inbox = r2.result!.folders.find((f) => f.farName === 'INBOX')!;
    expect(inbox.result!.incremental).toBe(true);
    expect(maildirSnapshot(root).INBOX).toContain('|<m12@test>');
  });

  it('a lost status database is rebuilt without downloads, uploads or deletions', async () => {
    await syncOnce(config);
    const before = maildirSnapshot(root);
    fs.rmSync(state, { recursive: true, force: true });
    const r = await syncOnce(config);
    expect(r.errors).toEqual([]);
    for (const f of r.result!.folders) {
      const kinds = new Set((f.result?.plan.ops ?? []).map((o) => o.kind));
      expect([...kinds].filter((k) => k !== 'link')).toEqual([]);
    }
    expect(maildirSnapshot(root)).toEqual(before);
    expect(await imapSnapshot(server, 'alice')).toEqual(before);
  });

  it('stops a folder whose local copy suddenly looks empty, deleting nothing on the server', async () => {
    for (let i = 20; i < 32; i++) await server.appendMessage('alice', 'INBOX', msg(i), ['\\Seen']);
    await syncOnce(config);
    for (const sub of ['cur', 'new']) for (const f of fs.readdirSync(path.join(root, 'INBOX', sub))) fs.unlinkSync(path.join(root, 'INBOX', sub, f));
    const r = await syncOnce(config);
    expect(r.errors.map((e) => e.code)).toEqual(['mass-delete-guard']);
    expect((await imapSnapshot(server, 'alice')).INBOX).toHaveLength(15);
  });

  it('a missing Maildir root after a first sync is an error, not an empty mailbox', async () => {
    await syncOnce(config);
    fs.renameSync(root, root + '.moved');
    const r = await syncOnce(config);
    expect(r.errors.map((e) => e.code)).toEqual(['maildir-root-missing']);
    expect((await imapSnapshot(server, 'alice')).INBOX).toHaveLength(3);
  });

  it('killed after every effect and resumed: the same end state, nothing lost or doubled', async () => {
    // Prepare a state with work in every direction, then kill the sync at each effect in turn.
    const expected = await (async () => {
      await seed();
      const r0 = path.join(tempDir(), 'Mail');
      const c0 = configFor(tempDir(), imapRepo(server, 'alice', 'alicepw'), maildirRepo(r0));
      await syncOnce(c0);
      return maildirSnapshot(r0);
    })();
    let killedSomewhere = 0;
    for (let k = 1; k < 200; k++) {
      await seed();
      const r = path.join(tempDir(), 'Mail');
      const c = configFor(tempDir(), imapRepo(server, 'alice', 'alicepw'), maildirRepo(r));
      fs.mkdirSync(path.join(r, 'Outbox', 'new'), { recursive: true });
      for (const s of ['cur', 'tmp']) fs.mkdirSync(path.join(r, 'Outbox', s));
      fs.writeFileSync(path.join(r, 'Outbox', 'new', '1700000001.M2P2.host'), msg(40));
      let n = 0, killed = false;
      try {
        await syncOnce(c, () => { if (++n === k) { killed = true; throw new CrashError(); } });
      } catch (e) {
        if (!(e instanceof CrashError)) throw e;
      }
      if (!killed) break;
      killedSomewhere++;
      const resumed = await syncOnce(c);
      expect(resumed.errors.map((e) => e.message)).toEqual([]);
      const local = maildirSnapshot(r);
      expect({ k, local }).toEqual({ k, local: { ...expected, Outbox: ['|<m40@test>'] } });
      expect({ k, remote: await imapSnapshot(server, 'alice') }).toEqual({ k, remote: local });
    }
    expect(killedSomewhere).toBeGreaterThan(5);
  });
});

describe('IMAP <-> IMAP against Dovecot (two users)', () => {
  it('syncs both ways through the same algorithm', async () => {
    await seed();
    await server.appendMessage('bob', 'INBOX', msg(30), ['\\Answered', '\\Seen']);
    const config = configFor(tempDir(), imapRepo(server, 'alice', 'alicepw'),
      { ...imapRepo(server, 'bob', 'bobpw'), name: 'bob-local' });
    const r = await syncOnce(config);
    expect(r.errors.map((e) => e.message)).toEqual([]);
    const a = await imapSnapshot(server, 'alice');
    expect(await imapSnapshot(server, 'bob')).toEqual(a);
    expect(a.INBOX).toContain('RS|<m30@test>');
    const again = await syncOnce(config);
    for (const f of again.result!.folders) expect(f.result?.plan.ops ?? []).toEqual([]);
  });
});
