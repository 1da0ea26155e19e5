// The engine host with a real child process (child_process.fork of the bundled utility entry)
// running the real engine against a real Dovecot, through the protocol only: ready handshake,
// sync now, pause/resume (of all and of one account), secrets asked on demand (never in
// argv/env), kill -9 mid-sync and restart with the sync still correct, the crash budget and
// "Try again", stop with a deadline.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEngineHost, type EngineHost, type EngineHostOptions } from '../../electron/main/engine-host.js';
import { nodeSpawner } from '../../electron/main/node-process-adapter.js';
import type { EngineNotice, EngineSnapshot } from '../../electron/shared/engine-port.js';
import { startDovecot, makeMessage, type DovecotServer } from '../helpers/dovecot.js';
import { configFor, imapRepo, imapSnapshot, maildirRepo, maildirSnapshot, tempDir } from '../core/engine/engine-fixtures.js';

const ENTRY = path.resolve('dist/electron/utility/engine-entry.js');
const USER = 'hostuser';
const PASSWORD = 'Pw-7c1f-not-in-argv';
/** A second account's user, for pausing one account of two. */
const OTHER = 'hostother';
const msg = (n: number) => makeMessage({ subject: `host ${n}`, messageId: `<host${n}@test>`, body: `body ${n}\r\n` });

let server: DovecotServer;
const hosts: EngineHost[] = [];

beforeAll(async () => {
  // Always test the entry built from the current sources.
  execFileSync('npm', ['run', '--silent', 'bundle:utility'], { stdio: 'ignore' });
  expect(fs.existsSync(ENTRY)).toBe(true);
  server = await startDovecot();
  await server.addUser(USER, PASSWORD);
  await server.addUser(OTHER, 'other-pw');
});
afterAll(async () => { await server?.stop(); });
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop(2_000);
  await server.reset(USER);
});

async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function setup(extra: Partial<EngineHostOptions> = {}) {
  const root = path.join(tempDir(), 'Mail');
  const config = configFor(tempDir(), imapRepo(server, USER, PASSWORD), maildirRepo(root));
  const asked: string[] = [];
  const host = createEngineHost({
    spawn: nodeSpawner(ENTRY), config, autostart: false,
    getSecret: async (repo) => { asked.push(repo.name); return repo.password.kind === 'inline' ? repo.password.value : ''; },
    supervisor: { baseDelayMs: 50 },
    ...extra,
  });
  hosts.push(host);
  const snaps: EngineSnapshot[] = [];
  const notices: EngineNotice[] = [];
  const logs: string[] = [];
  host.onSnapshot((s) => snaps.push(s));
  host.onNotice((n) => notices.push(n));
  host.onLog((l) => logs.push(l.message));
  return { host, root, asked, snaps, notices, logs, config };
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const accountState = (s: EngineSnapshot) => s.accounts[0]?.state;

describe('engine host over a real child process and Dovecot', () => {
  it('handshakes, syncs now through the protocol and asks for the password on demand only', async () => {
    for (let i = 1; i <= 3; i++) await server.appendMessage(USER, 'INBOX', msg(i));
    const { host, root, asked, snaps, notices } = setup();
    expect(host.snapshot().host).toBe('stopped');
    await host.start();
    expect(host.snapshot()).toMatchObject({ host: 'ready', accounts: [{ account: 'acct', state: 'idle' }] });
    expect(snaps.map((s) => s.host)).toEqual(['starting', 'ready']);
    expect(asked).toEqual([]);

    const pid = host.pid()!;
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(cmdline).toContain('engine-entry.js');
    expect(cmdline).not.toContain(PASSWORD);
    expect(environ).not.toContain(PASSWORD);

    await host.syncNow();
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set([`${USER}-remote`]));
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host1@test>', '|<host2@test>', '|<host3@test>']);
    const states = snaps.map(accountState);
    expect(states.indexOf('syncing')).toBeGreaterThan(-1);
    expect(states.lastIndexOf('idle')).toBeGreaterThan(states.indexOf('syncing'));
    expect(host.snapshot().accounts[0]).toMatchObject({ state: 'idle', lastSync: expect.any(Number) });
    expect(host.snapshot().accounts[0]!.progress).toBeUndefined();
    expect(notices).toContainEqual(expect.objectContaining({ kind: 'new-mail', account: 'acct', folder: 'INBOX', count: 3 }));
  });

  it('runs the account-setup tools in the engine process: preview, local folder check, a real connection test, the folder list', async () => {
    const { host, root, asked } = setup();
    await host.start();
    const preview = await host.tool('previewRules', { folders: ['INBOX.Sent', 'INBOX'], separator: '.', localSeparator: '.', rules: { nametrans: "lambda f: re.sub(r'^INBOX\\.', '', f)" } });
    expect(preview.rows.map((r) => r.local)).toEqual(['Sent', 'INBOX']);
    // The engine's config is known to the tool: the account's own Maildir is in use by "acct".
    expect(await host.tool('checkLocalFolder', root, 'other')).toMatchObject({ ok: false, message: expect.stringContaining('"acct"') });
    const test = await host.tool('testConnection', { host: '127.0.0.1', port: server.tlsPort, security: 'tls', user: USER, password: PASSWORD, certFingerprint: server.certFingerprint });
    expect(test).toMatchObject({ ok: true, folders: expect.arrayContaining(['INBOX']) });
    const bad = await host.tool('testConnection', { host: '127.0.0.1', port: server.tlsPort, security: 'tls', user: USER, password: 'nope' });
    expect(bad).toMatchObject({ ok: false, kind: 'tls-untrusted', fingerprint: server.certFingerprint });
    expect(asked).toEqual([]);
    expect(await host.tool('accountFolders', 'acct')).toMatchObject({ folders: expect.arrayContaining(['INBOX']) });
    expect(asked).toEqual([`${USER}-remote`]); // the password of a saved account is asked of the host
    await expect(host.tool('accountFolders', 'nobody')).rejects.toThrow(/no account "nobody"/);
  });

  it('pauses and resumes: no sync while paused, then it catches up', async () => {
    const { host, root } = setup();
    await host.start();
    await host.syncNow();
    await host.pause();
    expect(accountState(host.snapshot())).toBe('paused');
    await server.appendMessage(USER, 'INBOX', msg(10));
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX ?? []).toEqual([]);
    await host.resume();
    expect(accountState(host.snapshot())).toBe('idle');
    await host.syncNow('acct');
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host10@test>']);
    await expect(host.syncNow('nobody')).rejects.toThrow(/No account named "nobody"/);
  });

  it('pauses one account through the protocol: the other keeps syncing', async () => {
    const { host, root, config } = setup();
    const otherRoot = path.join(tempDir(), 'Mail');
    await host.start();
    await host.reconfigure({ ...config, accounts: [...config.accounts,
      { ...config.accounts[0]!, name: 'other', remote: imapRepo(server, OTHER, 'other-pw'), local: maildirRepo(otherRoot) }] });
    const states = () => host.snapshot().accounts.map((a) => `${a.account}:${a.state}`);
    await host.pause('other');
    expect(states()).toEqual(['acct:idle', 'other:paused']);
    await server.appendMessage(USER, 'INBOX', msg(20));
    await server.appendMessage(OTHER, 'INBOX', msg(21));
    await host.syncNow();
    await host.syncNow('other');
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host20@test>']);
    expect(fs.existsSync(otherRoot)).toBe(false);
    expect(states()).toEqual(['acct:idle', 'other:paused']);
    await expect(host.pause('nobody')).rejects.toThrow(/No account named "nobody"/);
    await host.resume('other');
    expect(states()).toEqual(['acct:idle', 'other:idle']);
    await host.syncNow('other');
    expect(maildirSnapshot(otherRoot).INBOX).toEqual(['|<host21@test>']);
    await server.reset(OTHER);
  });

  it('an engine restarted after a crash stays paused as the app left it', async () => {
    const { host, root } = setup();
    await host.start();
    await host.pause('acct');
    const firstPid = host.pid()!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor('restart', () => host.snapshot().host === 'ready' && host.pid() !== firstPid);
    await waitFor('the paused state from the new engine', () => accountState(host.snapshot()) === 'paused');
    await server.appendMessage(USER, 'INBOX', msg(30));
    await host.syncNow();
    expect(fs.existsSync(root)).toBe(false);
    await host.resume('acct');
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host30@test>']);
  });

  it('a failing secret lookup puts the account in auth-required with a notice, never a crash', async () => {
    const { host, notices } = setup({ getSecret: async () => { throw new Error('Keyring locked: unlock it and try again.'); } });
    await host.start();
    await host.syncNow();
    expect(host.snapshot()).toMatchObject({ host: 'ready', accounts: [{ state: 'auth-required', error: expect.stringContaining('Keyring locked') }] });
    expect(notices).toContainEqual(expect.objectContaining({ kind: 'auth-required', account: 'acct' }));
  });

  it('a secret the app never answers times out in the engine as auth-required', async () => {
    const { host } = setup({ getSecret: () => new Promise<string>(() => { /* never */ }), secretTimeoutMs: 300 });
    await host.start();
    const t0 = Date.now();
    await host.syncNow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(host.snapshot().accounts[0]).toMatchObject({ state: 'auth-required', error: expect.stringMatching(/did not answer within/) });
  });

  it('restarts after kill -9 in the middle of a sync, and the next sync is complete and exact', async () => {
    for (let i = 1; i <= 150; i++) await server.appendMessage(USER, 'INBOX', msg(i), i % 3 ? ['\\Seen'] : []);
    const { host, root, snaps, logs } = setup();
    await host.start();
    const firstPid = host.pid()!;
    const sync = host.syncNow();
    const killed = sync.then(() => 'finished', (e: Error) => e.message);
    await waitFor('progress', () => host.snapshot().accounts[0]?.progress?.messagesDone);
    process.kill(firstPid, 'SIGKILL');
    expect(await killed).toMatch(/exited before it replied/);
    await waitFor('restart', () => host.snapshot().host === 'ready' && host.pid() !== firstPid);
    expect(snaps.map((s) => s.host)).toContain('restarting');
    expect(logs.join('\n')).toMatch(/stopped unexpectedly \(signal SIGKILL\)/);
    expect(alive(firstPid)).toBe(false);

    await host.syncNow();
    const local = maildirSnapshot(root);
    expect(local.INBOX).toHaveLength(150);
    expect(local).toEqual(await imapSnapshot(server, USER));
  });

  it('spends the crash budget, reports failed with the error, and "Try again" brings it back', async () => {
    await server.appendMessage(USER, 'INBOX', msg(1));
    const { host, root } = setup({ supervisor: { budget: 3, baseDelayMs: 20 } });
    await host.start();
    for (let i = 0; i < 3; i++) {
      const pid = host.pid()!;
      process.kill(pid, 'SIGKILL');
      await waitFor(`crash ${i + 1}`, () => host.pid() !== pid && (host.snapshot().host === 'ready' || host.snapshot().host === 'failed'));
    }
    expect(host.snapshot()).toMatchObject({ host: 'failed', hostError: expect.stringMatching(/crashed 3 times.*Try again/) });
    expect(host.pid()).toBeUndefined();
    await expect(host.syncNow()).rejects.toThrow(/crashed 3 times/);
    await host.retry();
    expect(host.snapshot().host).toBe('ready');
    expect(host.snapshot().hostError).toBeUndefined();
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host1@test>']);
  });

  it('stops cleanly within the deadline: the engine exits by itself, a normal exit is no crash', async () => {
    const { host, snaps, logs } = setup();
    await host.start();
    const pid = host.pid()!;
    const t0 = Date.now();
    // A second quit request joins the first one instead of killing early.
    await Promise.all([host.stop(5_000), host.stop(1)]);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(alive(pid)).toBe(false);
    expect(host.snapshot().host).toBe('stopped');
    expect(snaps.map((s) => s.host)).not.toContain('restarting');
    expect(logs.join('\n')).not.toMatch(/killing|unexpectedly/);
    await expect(host.syncNow()).rejects.toThrow(/stopped/);
  });

  it('stops in the middle of a sync at a safe point; a later engine finishes it exactly', async () => {
    for (let i = 1; i <= 150; i++) await server.appendMessage(USER, 'INBOX', msg(i), ['\\Flagged']);
    const { host, root, config, logs } = setup();
    await host.start();
    const sync = host.syncNow().then(() => 'finished', (e: Error) => e.message);
    await waitFor('progress', () => host.snapshot().accounts[0]?.progress?.messagesDone);
    await host.stop(5_000);
    expect(host.snapshot().host).toBe('stopped');
    expect(logs.join('\n')).not.toMatch(/killing/);
    await sync;
    const partial = maildirSnapshot(root).INBOX ?? [];
    expect(partial.length).toBeLessThanOrEqual(150);

    const again = createEngineHost({ spawn: nodeSpawner(ENTRY), config, autostart: false,
      getSecret: async () => PASSWORD });
    hosts.push(again);
    await again.start();
    await again.syncNow();
    expect(maildirSnapshot(root).INBOX).toHaveLength(150);
    expect(maildirSnapshot(root)).toEqual(await imapSnapshot(server, USER));
  });

  it('wakes (resume from suspend / back online) with a sync, and reconfigures the running engine', async () => {
    const { host, root, config, snaps } = setup();
    await host.start();
    await server.appendMessage(USER, 'INBOX', msg(20));
    await host.wake('online');
    // wake() interrupts the waits and returns; the sync it starts lands shortly after.
    await waitFor('the woken sync', () => maildirSnapshot(root).INBOX?.length === 1);
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host20@test>']);

    await expect(host.reconfigure({ ...config, accounts: [] , general: { ...config.general, maxSyncAccounts: 0 } }))
      .rejects.toThrow(/Invalid configuration: general.maxSyncAccounts/);
    const root2 = path.join(tempDir(), 'Mail2');
    const second = { ...config.accounts[0]!, name: 'second', local: maildirRepo(root2) };
    await host.reconfigure({ ...config, accounts: [config.accounts[0]!, second] });
    expect(snaps.at(-1)!.accounts.map((a) => a.account)).toEqual(['acct', 'second']);
    await host.syncNow('second');
    expect(maildirSnapshot(root2).INBOX).toEqual(['|<host20@test>']);
    expect(host.snapshot().accounts.find((a) => a.account === 'second')).toMatchObject({ state: 'idle', lastSync: expect.any(Number) });
  });

  it('with its schedule on, the engine watches INBOX with IDLE: new mail arrives without a sync request', async () => {
    const { host, root } = setup({ autostart: true });
    await server.appendMessage(USER, 'INBOX', msg(30));
    await host.start();
    await waitFor('the first sync', () => fs.existsSync(path.join(root, 'INBOX')) && maildirSnapshot(root).INBOX?.length === 1);
    await server.appendMessage(USER, 'INBOX', msg(31));
    const t0 = Date.now();
    await waitFor('the IDLE-triggered sync', () => maildirSnapshot(root).INBOX?.length === 2, 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host30@test>', '|<host31@test>']);
  });

  it('refuses an engine of another protocol version without restarting it, and ignores invalid messages', async () => {
    const script = path.join(tempDir(), 'other-engine.mjs');
    fs.writeFileSync(script, "process.send({ t: 'event', event: { name: 'bogus', data: {} } });\n" +
      "process.send({ t: 'hello', v: 99 });\nsetInterval(() => {}, 1000);\n");
    const { host, logs } = setup({ spawn: nodeSpawner(script) });
    await expect(host.start()).rejects.toThrow(/protocol version 99, the app 1/);
    expect(host.snapshot()).toMatchObject({ host: 'failed', hostError: expect.stringMatching(/reinstall/) });
    expect(logs.join('\n')).toMatch(/unknown event "bogus"/);
    await waitFor('the refused engine to be gone', () => host.pid() === undefined);
  });

  it('kills an engine that never reports ready and counts it as a crash', async () => {
    const script = path.join(tempDir(), 'mute-engine.mjs');
    fs.writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const { host, logs } = setup({ spawn: nodeSpawner(script), readyTimeoutMs: 200, supervisor: { budget: 2, baseDelayMs: 10 } });
    await expect(host.start()).rejects.toThrow(/crashed 2 times/);
    expect(logs.filter((l) => /did not report ready/.test(l))).toHaveLength(2);
    expect(host.snapshot().host).toBe('failed');
  });

  it('kills an engine that does not stop within the deadline', async () => {
    const { host, logs } = setup();
    await host.start();
    const pid = host.pid()!;
    process.kill(pid, 'SIGSTOP'); // a hung engine: it can no longer answer
    const t0 = Date.now();
    await host.stop(600);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(5_000);
    expect(alive(pid)).toBe(false);
    expect(host.snapshot().host).toBe('stopped');
    expect(logs.join('\n')).toMatch(/did not stop within 600 ms; killing it/);
  });

  it('an engine whose host went away (IPC closed) stops by itself', async () => {
    const child = fork(ENTRY, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const hello = await new Promise((r) => child.once('message', r));
    expect(hello).toEqual({ t: 'hello', v: 1 });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.disconnect();
    expect(await exit).toBe(0);
  });
});
