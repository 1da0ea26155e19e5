// OfflineIMAP's sync options end to end, engine against a real Dovecot and a real Maildir:
// maxage (days and date) and startdate windows, maxsize, maildir-windows-compatible names and
// filename_use_mail_timestamp names. Old and new mail are made with APPEND's INTERNALDATE.

import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { createEngine } from '../../../core/engine/engine.js';
import type { AccountConfig, MaildirRepositoryConfig, SatchelConfig } from '../../../core/config/model.js';
import { configFor, imapRepo, imapSnapshot, localFiles, maildirRepo, maildirSnapshot, tempDir } from './engine-fixtures.js';

let server: DovecotServer;
beforeAll(async () => { server = await startDovecot({ users: ['carol'] }); });
afterAll(async () => { await server?.stop(); });

const DAY = 86_400_000;
const OLD = new Date(Date.now() - 400 * DAY);
const RECENT = new Date(Date.now() - 2 * DAY);
const msg = (n: number, date: Date, body = `body ${n}\r\n`) =>
  makeMessage({ subject: `message ${n}`, messageId: `<m${n}@test>`, body, date });

async function sync(config: SatchelConfig) {
  const reports = await createEngine({ config, getSecret: async () => 'carolpw' }).syncNow();
  expect(reports[0]!.errors.map((e) => e.message)).toEqual([]);
  return reports[0]!;
}

describe('sync options against Dovecot', () => {
  let root: string, config: SatchelConfig;
  const setup = (account: Partial<AccountConfig> = {}, local: Partial<MaildirRepositoryConfig> = {}) => {
    root = path.join(tempDir(), 'Mail');
    config = configFor(tempDir(), imapRepo(server, 'carol', 'carolpw'), maildirRepo(root, local));
    Object.assign(config.accounts[0]!, account);
  };
  beforeEach(async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1, OLD), ['\\Seen'], OLD);
    await server.appendMessage('carol', 'INBOX', msg(2, RECENT), ['\\Seen'], RECENT);
  });

  it('maxage in days: only recent mail is downloaded; old mail is neither uploaded nor deleted', async () => {
    setup({ maxage: 30 });
    await sync(config);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m2@test>']);
    // An old local message stays local; a recent one is uploaded. The old server message stays.
    const cur = path.join(root, 'INBOX', 'cur');
    fs.writeFileSync(path.join(cur, '1500000000_0.1.x:2,S'), msg(3, OLD));
    fs.utimesSync(path.join(cur, '1500000000_0.1.x:2,S'), OLD, OLD);
    fs.writeFileSync(path.join(cur, '1500000001_0.1.x:2,S'), msg(4, RECENT));
    await sync(config);
    expect((await imapSnapshot(server, 'carol')).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>', 'S|<m4@test>']);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m2@test>', 'S|<m3@test>', 'S|<m4@test>']);
  });

  it('a window never deletes what aged out of it: mail synced in full stays on both sides', async () => {
    setup();
    await sync(config);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>']);
    // Now with maxage as a date: the old message deleted locally is kept on the server.
    config.accounts[0]!.maxageDate = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
    const old = localFiles(root, 'INBOX').find((f) => fs.readFileSync(path.join(root, 'INBOX', f), 'latin1').includes('<m1@test>'))!;
    fs.unlinkSync(path.join(root, 'INBOX', old));
    await sync(config);
    expect((await imapSnapshot(server, 'carol')).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>']);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m2@test>']);
  });

  it('startdate: a new local folder gets only mail since that day', async () => {
    setup({ startdate: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10) });
    await sync(config);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m2@test>']);
  });

  it('maxsize: larger messages are skipped both ways, and logged', async () => {
    await server.appendMessage('carol', 'INBOX', msg(5, RECENT, `${'x'.repeat(5000)}\r\n`), ['\\Seen'], RECENT);
    setup({ maxsize: 2000 });
    const cur = path.join(root, 'INBOX', 'cur');
    fs.mkdirSync(cur, { recursive: true });
    for (const d of ['new', 'tmp']) fs.mkdirSync(path.join(root, 'INBOX', d));
    fs.writeFileSync(path.join(cur, '1500000002_0.1.x:2,S'), msg(6, RECENT, `${'y'.repeat(5000)}\r\n`));
    const logs: string[] = [];
    const engine = createEngine({ config, getSecret: async () => 'carolpw' });
    engine.on('log', (e) => logs.push(e.message));
    const [r] = await engine.syncNow();
    expect(r!.errors).toEqual([]);
    expect((await imapSnapshot(server, 'carol')).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>', 'S|<m5@test>']);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>', 'S|<m6@test>']);
    expect(logs).toContain('INBOX: 2 message(s) larger than maxsize left alone (not copied, not deleted)');
  });

  it('maildir-windows-compatible and filename_use_mail_timestamp shape the downloaded names', async () => {
    setup({}, { windowsCompatible: true, filenameUseMailTimestamp: true });
    await sync(config);
    const names = localFiles(root, 'INBOX');
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^cur\/\d+_\d+\.\d+\.[^,/:!]+,U=\d+,FMD5=7e33429f656f1e6e9d79b29c3f82c57e!2,S$/);
    const stamps = names.map((n) => Number(n.slice(4).split('_')[0])).sort();
    expect(stamps).toEqual([OLD, RECENT].map((d) => Math.floor(d.getTime() / 1000)).sort());
    // A second sync reads those names back: nothing changes, nothing is uploaded again.
    await sync(config);
    expect(localFiles(root, 'INBOX')).toEqual(names);
    expect((await imapSnapshot(server, 'carol')).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>']);
  });

  it('maxsyncaccounts: at most that many accounts sync at once', async () => {
    for (const limit of [1, 2]) {
      setup();
      const second = { ...config.accounts[0]!, name: 'acct2', local: maildirRepo(path.join(tempDir(), 'Mail2')) };
      config.accounts.push(second);
      config.general.maxSyncAccounts = limit;
      const engine = createEngine({ config, getSecret: async () => 'carolpw' });
      let syncing = 0, most = 0;
      engine.on('account-state', (e) => {
        if (e.state === 'syncing') most = Math.max(most, ++syncing);
        else syncing--;
      });
      const reports = await engine.syncNow();
      expect(reports.flatMap((r) => r.errors)).toEqual([]);
      expect(most).toBe(limit);
    }
  });

  it('quick sync (SyncRequest.quick, -q): new mail comes, flag changes wait for the next full sync', async () => {
    setup();
    await sync(config);
    const c = await server.client('carol');
    await c.mailboxOpen('INBOX');
    await c.messageFlagsAdd('1:*', ['\\Flagged']);
    await c.logout();
    await server.appendMessage('carol', 'INBOX', msg(7, RECENT), [], RECENT);
    const engine = createEngine({ config, getSecret: async () => 'carolpw' });
    const [q] = await engine.syncNow({ quick: true });
    expect(q!.errors).toEqual([]);
    expect(maildirSnapshot(root).INBOX).toEqual(['S|<m1@test>', 'S|<m2@test>', '|<m7@test>']);
    await sync(config);
    expect(maildirSnapshot(root).INBOX).toEqual(['FS|<m1@test>', 'FS|<m2@test>', '|<m7@test>']);
  });
});
