// Browser mode end to end, all real: a private Dovecot, a private gnome-keyring, the backend
// and the 127.0.0.1 server, and the renderer's WebSocket bridge client (over the `ws` package).
// saveAccount puts the password in the keyring and not in the settings file, the first sync
// runs, status events arrive, getStatus reaches idle with lastSync, the mail is in the Maildir;
// pausing one account of two leaves the other syncing.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { createLocalAppService } from '../../../core/app/local-app-service.js';
import { KeyringSecretStore } from '../../../core/secrets/keyring-secret-store.js';
import { startUiServer, type UiServer } from '../../../core/ui-server/ui-server.js';
import { createWsBridge, type SocketLike, type WsBridge } from '../../../renderer/src/bridge/ws-bridge.js';
import type { LogLine, StatusView } from '../../../core/contract/bridge-contract.js';

let dovecot: DovecotServer;
let keyring: TestKeyring;
let dir: string;
let backend: ReturnType<typeof createLocalAppService>;
let server: UiServer;
let bridge: WsBridge;
const statuses: StatusView[] = [];
const logs: LogLine[] = [];
const settingsFile = () => path.join(dir, 'config', 'satchel', 'ui-settings.json');

const message = (n: number) => `From: a@example.org\r\nTo: alice@example.org\r\nSubject: message ${n}\r\nMessage-ID: <m${n}@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nbody ${n}\r\n`;

function connect(): WsBridge {
  const origin = `http://127.0.0.1:${server.port}`;
  return createWsBridge({
    url: `ws://127.0.0.1:${server.port}/bridge?token=${server.token}`,
    socket: (u) => new WebSocket(u, { origin }) as unknown as SocketLike,
    reconnectMs: 50,
  });
}

beforeAll(async () => {
  keyring = await startKeyring();
  dovecot = await startDovecot();
  for (let i = 1; i <= 3; i++) await dovecot.appendMessage('alice', 'INBOX', message(i));
  for (let i = 4; i <= 5; i++) await dovecot.appendMessage('alice', 'Archive', message(i));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-bridge-e2e-'));
  backend = createLocalAppService({
    settingsFile: settingsFile(), secrets: new KeyringSecretStore(),
    env: { HOME: dir, XDG_STATE_HOME: path.join(dir, 'state') }, home: dir, statusIntervalMs: 100,
  });
  await backend.start();
  server = await startUiServer({ backend, root: path.join(dir, 'no-dist') });
  bridge = connect();
  bridge.onStatus((s) => statuses.push(s));
  bridge.onLog((l) => logs.push(l));
}, 60_000);

afterAll(async () => {
  bridge?.close();
  await server?.close();
  await backend?.close(5_000);
  await dovecot?.stop();
  await keyring?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mailIn = (folder: string) => ['cur', 'new'].flatMap((d) => {
  const p = path.join(dir, 'Mail', folder, d);
  return fs.existsSync(p) ? fs.readdirSync(p) : [];
});

describe('browser mode end to end (Dovecot, keyring, WebSocket)', () => {
  it('saves an account: password in the keyring only, first sync, status events, mail in the Maildir', async () => {
    expect(await bridge.getStatus()).toMatchObject({ host: 'ready', accounts: [] });
    await bridge.saveAccount({
      name: 'work', email: 'alice@example.org', password: 'alicepw', certFingerprint: dovecot.certFingerprint,
      server: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: 'alice' },
      localfolders: path.join(dir, 'Mail'),
    });
    expect(await new KeyringSecretStore().get('work')).toBe('alicepw');
    const text = fs.readFileSync(settingsFile(), 'utf8');
    expect(text).not.toContain('alicepw');
    expect(JSON.parse(text).config.accounts[0].remote.password).toEqual({ kind: 'keyring', service: 'Satchel', account: 'work' });
    expect(fs.statSync(settingsFile()).mode & 0o777).toBe(0o600);

    const done = await until('an idle account with lastSync', async () => {
      const s = await bridge.getStatus();
      const a = s.accounts.find((x) => x.account === 'work');
      return a?.state === 'idle' && a.lastSync !== undefined && s;
    });
    const work = done.accounts[0]!;
    expect(work.error).toBeUndefined();
    expect(work.localfolders).toBe(path.join(dir, 'Mail'));
    expect(work.folders.map((f) => f.name).sort()).toEqual(['Archive', 'INBOX']);
    expect(work.folders, JSON.stringify(done)).toSatisfy((fs: typeof work.folders) => fs.every((f) => f.state === 'synced' && typeof f.lastSync === 'number'));
    expect(mailIn('INBOX')).toHaveLength(3);
    expect(mailIn('.Archive').length + mailIn('Archive').length).toBe(2);

    await until('the idle status event', () => statuses.some((s) => s.accounts[0]?.state === 'idle' && s.accounts[0].lastSync));
    expect(statuses.some((s) => s.accounts[0]?.state === 'syncing')).toBe(true);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.some((l) => l.message.includes('alicepw'))).toBe(false);
    expect((await bridge.getLog()).some((l) => l.message.includes('alicepw'))).toBe(false);

    expect(await bridge.listAccounts()).toEqual([{
      name: 'work', email: 'alice@example.org', localfolders: path.join(dir, 'Mail'), localSeparator: '.', certFingerprint: dovecot.certFingerprint,
      server: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: 'alice' },
    }]);
  });

  it('a client holding only the token cannot send the saved password to another server (finding M2)', async () => {
    // A rogue "IMAP server" that records what it is sent: it must never see a connection.
    const net = await import('node:net');
    const received: string[] = [];
    const rogue = net.createServer((c) => { c.write('* OK rogue\r\n'); c.on('data', (d) => received.push(String(d))); });
    await new Promise<void>((r) => rogue.listen(0, '127.0.0.1', () => r()));
    const port = (rogue.address() as { port: number }).port;
    const before = fs.readFileSync(settingsFile(), 'utf8');
    try {
      const moved = { name: 'work', email: 'alice@example.org', password: '', localfolders: path.join(dir, 'Mail') };
      for (const server of [
        { host: 'localhost', port: dovecot.tlsPort, security: 'tls' as const, user: 'alice' },
        { host: '127.0.0.1', port, security: 'tls' as const, user: 'alice' },
        { host: '127.0.0.1', port: dovecot.port, security: 'starttls' as const, user: 'alice' },
        { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls' as const, user: 'mallory' },
      ]) {
        await expect(bridge.saveAccount({ ...moved, server, certFingerprint: dovecot.certFingerprint })).rejects.toThrow(/enter the password again/);
      }
      // A different trusted certificate is a different server too.
      await expect(bridge.saveAccount({ ...moved, server: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: 'alice' }, certFingerprint: 'a'.repeat(64) }))
        .rejects.toThrow(/enter the password again/);
      expect(fs.readFileSync(settingsFile(), 'utf8')).toBe(before);
      expect(await new KeyringSecretStore().get('work')).toBe('alicepw');
      // The same server without the password keeps it (an edit of the rules, say).
      await bridge.saveAccount({ ...moved, server: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: 'alice' }, certFingerprint: dovecot.certFingerprint });
      expect(await new KeyringSecretStore().get('work')).toBe('alicepw');
      await bridge.syncNow('work');
      expect(received).toEqual([]);
    } finally {
      rogue.close();
    }
  });

  it('watches INBOX with IDLE: new mail arrives without asking', async () => {
    await new Promise((r) => setTimeout(r, 500));
    await dovecot.appendMessage('alice', 'INBOX', message(7));
    await until('the IDLE-triggered sync', () => mailIn('INBOX').length === 4, 15_000);
  });

  it('syncs on demand: syncNow brings a new message down', async () => {
    await dovecot.appendMessage('alice', 'Archive', message(6));
    await bridge.syncNow('work');
    expect(mailIn('.Archive').length + mailIn('Archive').length).toBe(3);
    const s = await bridge.getStatus();
    expect(s.accounts[0]).toMatchObject({ account: 'work', state: 'idle' });
  });

  it('pauses one account: the other keeps syncing, the paused one shows paused and IDLE does not wake it, until resume', async () => {
    await bridge.saveAccount({
      name: 'home', email: 'bob@example.org', password: 'bobpw', certFingerprint: dovecot.certFingerprint,
      server: { host: '127.0.0.1', port: dovecot.tlsPort, security: 'tls', user: 'bob' }, localfolders: path.join(dir, 'Home'),
    });
    try {
      const stateOf = async (name: string) => (await bridge.getStatus()).accounts.find((x) => x.account === name);
      await until('the first sync of home', async () => { const h = await stateOf('home'); return h?.state === 'idle' && h.lastSync !== undefined; });
      await until('IDLE on home\'s INBOX', () => logs.some((l) => l.message.includes('home: IDLE on INBOX')));
      const homeInbox = () => ['cur', 'new'].flatMap((d) => { const p = path.join(dir, 'Home', 'INBOX', d); return fs.existsSync(p) ? fs.readdirSync(p) : []; });
      const archive = () => mailIn('.Archive').length + mailIn('Archive').length;
      const before = archive();

      await bridge.pause('home');
      expect(await stateOf('home')).toMatchObject({ state: 'paused' });
      expect((await stateOf('work'))!.state).not.toBe('paused');
      await until('the paused status event', () => statuses.some((s) => s.accounts.find((x) => x.account === 'home')?.state === 'paused'));
      // A sync of home under way when it was paused runs to its end (engine.ts) and may still
      // bring mail that arrives meanwhile: IDLE's catch-up sync starts with "IDLE on INBOX" (or
      // right after the first sync it was queued behind). The status shows 'paused' at once;
      // the schedule shows whether a sync is still under way.
      await until('home\'s sync under way, if any, to end', () => backend.engine.schedule().find((x) => x.account === 'home')?.state === 'paused');
      await dovecot.appendMessage('bob', 'INBOX', message(20)); // home's IDLE watcher sees this
      await dovecot.appendMessage('alice', 'Archive', message(21));
      // A sync of everything (one under way, e.g. work's IDLE catch-up of INBOX, answers for itself: ask again).
      await until('work syncing the new message', async () => { await bridge.syncNow(); return archive() === before + 1; });
      await new Promise((r) => setTimeout(r, 1500));
      expect(homeInbox()).toHaveLength(0);
      expect(await stateOf('home')).toMatchObject({ state: 'paused' });
      expect((await stateOf('work'))!.state).not.toBe('paused');

      await bridge.resume('home');
      expect((await stateOf('home'))!.state).not.toBe('paused');
      await until('the change IDLE saw while paused', () => homeInbox().length === 1, 15_000);
      await until('home idle again', async () => (await stateOf('home'))?.state === 'idle');
    } finally {
      await bridge.removeAccount('home'); // the tests below expect "work" alone
    }
  });

  it('a wrong password shows as auth-required with a message; removing the account drops its keyring entry and keeps mail', async () => {
    await bridge.saveAccount({
      name: 'wrong', email: 'bob@example.org', password: 'not-bobs',
      server: { host: '127.0.0.1', port: dovecot.port, security: 'starttls', user: 'bob' },
      certFingerprint: dovecot.certFingerprint, localfolders: path.join(dir, 'Bob'),
    });
    const a = await until('auth-required', async () => (await bridge.getStatus()).accounts.find((x) => x.account === 'wrong' && x.state === 'auth-required'));
    expect(a.error).toBeTruthy();
    expect(a.error).not.toContain('not-bobs');
    expect(await new KeyringSecretStore().get('wrong')).toBe('not-bobs');
    await bridge.removeAccount('wrong');
    expect(await new KeyringSecretStore().get('wrong')).toBeUndefined();
    expect((await bridge.listAccounts()).map((x) => x.name)).toEqual(['work']);
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8')).config.accounts.map((x: { name: string }) => x.name)).toEqual(['work']);
    expect((await bridge.getStatus()).accounts.map((x) => x.account)).toEqual(['work']);
    expect(mailIn('INBOX')).toHaveLength(4);
  });

  it('bad folder rules are refused with the compiler message and change nothing; good ones are saved', async () => {
    await expect(bridge.saveRules('work', { folderfilter: 'lambda f: f.startswith(' })).rejects.toMatchObject({ code: 'bad-rules' });
    await bridge.saveRules('work', { folderfilter: "lambda f: f in ['INBOX']" });
    expect((await bridge.listAccounts())[0]!.rules).toEqual({ folderfilter: "lambda f: f in ['INBOX']" });
    const saved = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')).config.accounts[0].remote;
    expect(saved.rules.folderfilter).toBeTruthy();
  });

  it('preferences persist, and a new backend reads the same settings', async () => {
    const p = await bridge.setPreferences({ syncEveryMinutes: 30, localSeparator: '/' });
    expect(p).toMatchObject({ syncEveryMinutes: 30, localSeparator: '/', notifyErrors: true });
    const again = createLocalAppService({ settingsFile: settingsFile(), secrets: new KeyringSecretStore(), home: dir, env: { HOME: dir } });
    expect(await again.getPreferences()).toEqual(p);
    expect((await again.listAccounts()).map((a) => a.name)).toEqual(['work']);
    const cfg = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')).config;
    expect(cfg.accounts[0].autorefresh).toBe(30);
    // The existing Maildir keeps its separator.
    expect(cfg.accounts[0].local.sep).toBe('.');
    await again.close(1_000);
  });

  it('the client reconnects after the server restarts on the same port; a call made while disconnected waits and succeeds', async () => {
    const port = server.port;
    const token = server.token;
    const states: boolean[] = [];
    bridge.onConnection((c) => states.push(c));
    await server.close();
    await until('disconnected', () => states.includes(false));
    const waiting = bridge.getPreferences();
    await new Promise((r) => setTimeout(r, 200));
    server = await startUiServer({ backend, root: path.join(dir, 'no-dist'), port, token });
    await until('reconnected', () => states.at(-1) === true, 10_000);
    expect((await waiting).syncEveryMinutes).toBe(30);
    expect((await bridge.getStatus()).accounts.map((a) => a.account)).toEqual(['work']);
  });
});
