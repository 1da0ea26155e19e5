// The engine host with a real child process (child_process.fork of the bundled utility entry)
// running the real engine against a real Dovecot, through the protocol only: ready handshake,
// the engine's events re-emitted as they are and the host's own transitions, sync now,
// pause/resume (of all and of one account), secrets asked on demand (never in argv/env), kill -9
// mid-sync and restart with the sync still correct, the crash's signal or exit code, the crash
// budget and "Try again", stop with a deadline, requests that time out, stderr in the log.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEngineHost, type EngineHost, type EngineHostOptions } from '../../../core/engine-host/engine-host.js';
import { nodeSpawner } from '../../../core/engine-host/node-process-adapter.js';
import { PROTOCOL_VERSION } from '../../../core/engine-host/engine-protocol.js';
import type { PortEvents } from '../../../core/app/engine-port.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { configFor, imapRepo, imapSnapshot, maildirRepo, maildirSnapshot, tempDir } from '../engine/engine-fixtures.js';

const ENTRY = path.resolve('dist/electron/utility/engine-entry.js');
const FAKE = path.resolve('test/helpers/fake-engine.mjs');
const USER = 'hostuser';
const PASSWORD = 'Pw-7c1f-not-in-argv';
/** A second account's user, for pausing one account of two. */
const OTHER = 'hostother';
const msg = (n: number) => makeMessage({ subject: `host ${n}`, messageId: `<host${n}@test>`, body: `body ${n}\r\n` });
const fake = (mode: string) => nodeSpawner(FAKE, { args: [mode, String(PROTOCOL_VERSION)] });

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

/** Everything a host emitted, in order, as the app service would receive it. */
function record(host: EngineHost) {
  const rec = {
    hostEvents: [] as PortEvents['host'][],
    accountEvents: [] as PortEvents['account-state'][],
    folderEvents: [] as PortEvents['folder-state'][],
    progress: [] as PortEvents['progress'][],
    errors: [] as PortEvents['error'][],
    logs: [] as PortEvents['log'][],
    /** The last state an account-state event gave this account ('none' before any). */
    stateOf: (account: string) => rec.accountEvents.filter((e) => e.account === account).at(-1)?.state ?? 'none',
    lastOf: (account: string) => rec.accountEvents.filter((e) => e.account === account).at(-1),
    logText: () => rec.logs.map((l) => l.message).join('\n'),
    hostStates: () => rec.hostEvents.map((e) => e.state),
  };
  host.on('host', (e) => rec.hostEvents.push(e));
  host.on('account-state', (e) => rec.accountEvents.push(e));
  host.on('folder-state', (e) => rec.folderEvents.push(e));
  host.on('progress', (e) => rec.progress.push(e));
  host.on('error', (e) => rec.errors.push(e));
  host.on('log', (e) => rec.logs.push(e));
  return rec;
}

function setup(extra: Partial<EngineHostOptions> = {}) {
  const root = path.join(tempDir(), 'Mail');
  const config = configFor(tempDir(), imapRepo(server, USER, PASSWORD), maildirRepo(root));
  const asked: string[] = [];
  const host = createEngineHost({
    spawn: nodeSpawner(ENTRY), autostart: false,
    getSecret: async (repo) => { asked.push(repo.name); return repo.password.kind === 'inline' ? repo.password.value : ''; },
    supervisor: { baseDelayMs: 50 },
    ...extra,
  });
  hosts.push(host);
  return { host, root, asked, config, ...record(host) };
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('engine host over a real child process and Dovecot', () => {
  it('handshakes, syncs now through the protocol, re-emits the engine events and asks for the password on demand only', async () => {
    for (let i = 1; i <= 3; i++) await server.appendMessage(USER, 'INBOX', msg(i));
    const { host, root, asked, config, hostStates, accountEvents, folderEvents, progress, lastOf } = setup();
    expect(host.state()).toEqual({ state: 'stopped' });
    await host.start(config);
    expect(host.state()).toEqual({ state: 'ready' });
    expect(hostStates()).toEqual(['starting', 'ready']);
    expect(accountEvents).toEqual([]); // no schedule (autostart off): nothing synced yet
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
    const states = accountEvents.map((e) => e.state);
    expect(states[0]).toBe('syncing');
    expect(lastOf('acct')).toMatchObject({ account: 'acct', state: 'idle', lastSync: expect.any(Number) });
    expect(progress.at(-1)).toMatchObject({ account: 'acct', folder: 'INBOX', messagesDone: 3 });
    expect(folderEvents).toContainEqual({ account: 'acct', folder: 'INBOX', state: 'synced', summary: expect.objectContaining({ 'copy-to-near': 3 }) });
  });

  it('runs the account-setup tools in the engine process: preview, local folder check, a real connection test, the folder list', async () => {
    const { host, root, asked, config } = setup();
    await host.start(config);
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
    const { host, root, config, stateOf } = setup();
    await host.start(config);
    await host.syncNow();
    await host.pause();
    expect(stateOf('acct')).toBe('paused');
    await server.appendMessage(USER, 'INBOX', msg(10));
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX ?? []).toEqual([]);
    await host.resume();
    expect(stateOf('acct')).toBe('idle');
    await host.syncNow('acct');
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host10@test>']);
    await expect(host.syncNow('nobody')).rejects.toThrow(/No account named "nobody"/);
  });

  it('pauses one account through the protocol: the other keeps syncing', async () => {
    const { host, root, config, stateOf } = setup();
    const otherRoot = path.join(tempDir(), 'Mail');
    await host.start(config);
    await host.reconfigure({ ...config, accounts: [...config.accounts,
      { ...config.accounts[0]!, name: 'other', remote: imapRepo(server, OTHER, 'other-pw'), local: maildirRepo(otherRoot) }] });
    const states = () => ['acct', 'other'].map((a) => `${a}:${stateOf(a)}`);
    await host.pause('other');
    expect(states()).toEqual(['acct:none', 'other:paused']);
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
    const { host, root, config, accountEvents } = setup();
    await host.start(config);
    await host.pause('acct');
    const firstPid = host.pid()!;
    const before = accountEvents.length;
    process.kill(firstPid, 'SIGKILL');
    await waitFor('restart', () => host.state().state === 'ready' && host.pid() !== firstPid);
    await waitFor('the paused state from the new engine', () => accountEvents.slice(before).some((e) => e.account === 'acct' && e.state === 'paused'));
    await server.appendMessage(USER, 'INBOX', msg(30));
    await host.syncNow();
    expect(fs.existsSync(root)).toBe(false);
    await host.resume('acct');
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host30@test>']);
  });

  it('a failing secret lookup puts the account in auth-required, never a crash', async () => {
    const { host, config, lastOf, errors } = setup({ getSecret: async () => { throw new Error('Keyring locked: unlock it and try again.'); } });
    await host.start(config);
    await host.syncNow();
    expect(host.state()).toEqual({ state: 'ready' });
    expect(lastOf('acct')).toMatchObject({ state: 'auth-required', error: expect.stringContaining('Keyring locked') });
    expect(errors).toContainEqual(expect.objectContaining({ account: 'acct', code: 'auth-failed', retry: 'needs-user' }));
  });

  it('a secret the app never answers times out in the engine as auth-required', async () => {
    const { host, config, lastOf } = setup({ getSecret: () => new Promise<string>(() => { /* never */ }), secretTimeoutMs: 300 });
    await host.start(config);
    const t0 = Date.now();
    await host.syncNow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(lastOf('acct')).toMatchObject({ state: 'auth-required', error: expect.stringMatching(/did not answer within/) });
  });

  it('restarts after kill -9 in the middle of a sync, and the next sync is complete and exact', async () => {
    for (let i = 1; i <= 150; i++) await server.appendMessage(USER, 'INBOX', msg(i), i % 3 ? ['\\Seen'] : []);
    const { host, root, config, hostStates, progress } = setup();
    await host.start(config);
    const firstPid = host.pid()!;
    const sync = host.syncNow();
    const killed = sync.then(() => 'finished', (e: Error) => e.message);
    await waitFor('progress', () => progress.length > 0);
    process.kill(firstPid, 'SIGKILL');
    expect(await killed).toBe('The engine exited before it answered syncNow (killed by signal SIGKILL).');
    await waitFor('restart', () => host.state().state === 'ready' && host.pid() !== firstPid);
    expect(hostStates()).toEqual(['starting', 'ready', 'restarting', 'ready']);
    expect(alive(firstPid)).toBe(false);

    await host.syncNow();
    const local = maildirSnapshot(root);
    expect(local.INBOX).toHaveLength(150);
    expect(local).toEqual(await imapSnapshot(server, USER));
  });

  it('a crash reports its signal: the restarting event names SIGKILL', async () => {
    const { host, config, hostEvents } = setup();
    await host.start(config);
    const pid = host.pid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor('restart', () => host.state().state === 'ready' && host.pid() !== pid);
    expect(hostEvents.find((e) => e.state === 'restarting'))
      .toEqual({ state: 'restarting', error: 'the engine stopped unexpectedly: killed by signal SIGKILL; restarting in 50 ms' });
    expect(host.state()).toEqual({ state: 'ready' });
  });

  it('a crash reports its exit code, and what the engine wrote to stderr reaches the log', async () => {
    const { host, config, hostEvents, logs } = setup({ spawn: fake('exit3'), supervisor: { budget: 2, baseDelayMs: 10 } });
    // The first engine is ready, then exits with code 3; so does its restart, which spends the budget.
    await host.start(config);
    await waitFor('the crash budget spent', () => host.state().state === 'failed');
    expect(hostEvents.find((e) => e.state === 'restarting')?.error).toMatch(/^the engine stopped unexpectedly: exit code 3; restarting in 10 ms$/);
    expect(host.state().error).toMatch(/crashed 2 times in a few minutes: the engine stopped unexpectedly: exit code 3\. Press "Try again"/);
    await waitFor('the stderr lines', () => logs.filter((l) => l.message === 'engine: fatal: the fake engine gives up').length === 2);
    expect(logs.find((l) => l.message.startsWith('engine: '))).toEqual({ level: 'error', message: 'engine: fatal: the fake engine gives up' });
  });

  it("the real engine's stderr reaches the log as errors", async () => {
    const { host, config, logs } = setup({
      spawn: nodeSpawner(ENTRY, { execArgv: ['--import', 'data:text/javascript,console.error("warning from inside the engine process")'] }),
    });
    await host.start(config);
    await waitFor('the stderr line', () => logs.some((l) => l.message === 'engine: warning from inside the engine process'));
    expect(logs.filter((l) => l.message.startsWith('engine: '))).toEqual([{ level: 'error', message: 'engine: warning from inside the engine process' }]);
    await host.syncNow(); // the engine works as usual
    expect(host.state()).toEqual({ state: 'ready' });
  });

  it('a hung request times out with the operation and the time in the error; the host stays up', async () => {
    const { host, config, hostStates } = setup({ spawn: fake('hang'), timeouts: { controlMs: 300, toolMs: 400, syncNowQuietMs: 500 } });
    await host.start(config);
    const t0 = Date.now();
    await expect(host.pause()).rejects.toThrow('The engine did not answer pause within 300 ms.');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await expect(host.tool('discover', 'me@example.org')).rejects.toThrow('The engine did not answer discover within 400 ms.');
    await expect(host.syncNow()).rejects.toThrow('The engine did not answer syncNow: nothing heard from it for 500 ms.');
    await expect(host.wake('online')).rejects.toMatchObject({ code: 'engine-timeout' });
    // A request that hangs is not a crash: the process keeps running, nothing restarts.
    expect(hostStates()).toEqual(['starting', 'ready']);
  });

  it('a long syncNow does not time out while the engine keeps talking; one in flight fails when the process dies', async () => {
    const { host, config } = setup({ spawn: fake('busy'), timeouts: { syncNowQuietMs: 400 } });
    await host.start(config);
    const t0 = Date.now();
    await host.syncNow(); // answered after 1 s of log events, more than the 400 ms quiet limit
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    const hung = setup({ spawn: fake('hang'), timeouts: { syncNowQuietMs: 0 } });
    await hung.host.start(config);
    const pending = hung.host.syncNow().then(() => 'answered', (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(hung.host.pid()!, 'SIGKILL');
    expect(await pending).toBe('The engine exited before it answered syncNow (killed by signal SIGKILL).');
  });

  it('spends the crash budget, reports failed with the error, and "Try again" brings it back', async () => {
    await server.appendMessage(USER, 'INBOX', msg(1));
    const { host, root, config } = setup({ supervisor: { budget: 3, baseDelayMs: 20 } });
    await host.start(config);
    for (let i = 0; i < 3; i++) {
      const pid = host.pid()!;
      process.kill(pid, 'SIGKILL');
      await waitFor(`crash ${i + 1}`, () => host.pid() !== pid && (host.state().state === 'ready' || host.state().state === 'failed'));
    }
    expect(host.state()).toEqual({ state: 'failed', error: expect.stringMatching(/crashed 3 times.*SIGKILL.*Try again/) });
    expect(host.pid()).toBeUndefined();
    await expect(host.syncNow()).rejects.toThrow(/crashed 3 times/);
    await host.retry();
    expect(host.state()).toEqual({ state: 'ready' });
    await host.syncNow();
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host1@test>']);
  });

  it('stops cleanly within the deadline: the engine exits by itself, a normal exit is no crash', async () => {
    const { host, config, hostStates, logText } = setup();
    await host.start(config);
    const pid = host.pid()!;
    const t0 = Date.now();
    // A second quit request joins the first one instead of killing early.
    await Promise.all([host.stop(5_000), host.stop(1)]);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(alive(pid)).toBe(false);
    expect(hostStates()).toEqual(['starting', 'ready', 'stopped']);
    expect(logText()).not.toMatch(/killing|unexpectedly/);
    await expect(host.syncNow()).rejects.toThrow(/stopped/);
  });

  it('stops in the middle of a sync at a safe point; a later engine finishes it exactly', async () => {
    for (let i = 1; i <= 150; i++) await server.appendMessage(USER, 'INBOX', msg(i), ['\\Flagged']);
    const { host, root, config, logText, progress } = setup();
    await host.start(config);
    const sync = host.syncNow().then(() => 'finished', (e: Error) => e.message);
    await waitFor('progress', () => progress.length > 0);
    await host.stop(5_000);
    expect(host.state()).toEqual({ state: 'stopped' });
    expect(logText()).not.toMatch(/killing/);
    expect(await sync).toMatch(/^(finished|The engine exited before it answered syncNow \(it was stopped\)\.)$/);
    const partial = maildirSnapshot(root).INBOX ?? [];
    expect(partial.length).toBeLessThanOrEqual(150);

    const again = createEngineHost({ spawn: nodeSpawner(ENTRY), autostart: false, getSecret: async () => PASSWORD });
    hosts.push(again);
    await again.start(config);
    await again.syncNow();
    expect(maildirSnapshot(root).INBOX).toHaveLength(150);
    expect(maildirSnapshot(root)).toEqual(await imapSnapshot(server, USER));
  });

  it('wakes (resume from suspend / back online) with a sync, and reconfigures the running engine', async () => {
    const { host, root, config, lastOf, logText } = setup();
    await host.start(config);
    await server.appendMessage(USER, 'INBOX', msg(20));
    await host.wake('back online');
    // wake() interrupts the waits and returns; the sync it starts lands shortly after.
    await waitFor('the woken sync', () => maildirSnapshot(root).INBOX?.length === 1);
    expect(maildirSnapshot(root).INBOX).toEqual(['|<host20@test>']);
    expect(logText()).not.toMatch(/protocol/);

    await expect(host.reconfigure({ ...config, accounts: [] , general: { ...config.general, maxSyncAccounts: 0 } }))
      .rejects.toThrow(/Invalid configuration: general.maxSyncAccounts/);
    const root2 = path.join(tempDir(), 'Mail2');
    const second = { ...config.accounts[0]!, name: 'second', local: maildirRepo(root2) };
    await host.reconfigure({ ...config, accounts: [config.accounts[0]!, second] });
    await host.syncNow('second');
    expect(maildirSnapshot(root2).INBOX).toEqual(['|<host20@test>']);
    expect(lastOf('second')).toMatchObject({ state: 'idle', lastSync: expect.any(Number) });
  });

  it('with its schedule on, the engine watches INBOX with IDLE: new mail arrives without a sync request', async () => {
    const { host, root, config } = setup({ autostart: true });
    await server.appendMessage(USER, 'INBOX', msg(30));
    await host.start(config);
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
    const { host, config, logText, hostStates } = setup({ spawn: nodeSpawner(script) });
    await expect(host.start(config)).rejects.toThrow(`protocol version 99, the app ${PROTOCOL_VERSION}`);
    expect(host.state()).toEqual({ state: 'failed', error: expect.stringMatching(/reinstall/) });
    expect(logText()).toMatch(/unknown event "bogus"/);
    await waitFor('the refused engine to be gone', () => host.pid() === undefined);
    expect(hostStates()).toEqual(['starting', 'failed']);
  });

  it('kills an engine that never reports ready and counts it as a crash', async () => {
    const script = path.join(tempDir(), 'mute-engine.mjs');
    fs.writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const { host, config, hostEvents } = setup({ spawn: nodeSpawner(script), readyTimeoutMs: 200, supervisor: { budget: 2, baseDelayMs: 10 } });
    await expect(host.start(config)).rejects.toThrow(/crashed 2 times/);
    expect(hostEvents.filter((e) => /did not report ready within 200 ms/.test(e.error ?? '')).map((e) => e.state)).toEqual(['restarting', 'failed']);
    expect(host.state().state).toBe('failed');
  });

  it('kills an engine that does not stop within the deadline', async () => {
    const { host, config, logText } = setup();
    await host.start(config);
    const pid = host.pid()!;
    process.kill(pid, 'SIGSTOP'); // a hung engine: it can no longer answer
    const t0 = Date.now();
    await host.stop(600);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(5_000);
    expect(alive(pid)).toBe(false);
    expect(host.state()).toEqual({ state: 'stopped' });
    expect(logText()).toMatch(/did not stop within 600 ms; killing it/);
  });

  it('an engine whose host went away (IPC closed) stops by itself', async () => {
    const child = fork(ENTRY, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const hello = await new Promise((r) => child.once('message', r));
    expect(hello).toEqual({ t: 'hello', v: PROTOCOL_VERSION });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.disconnect();
    expect(await exit).toBe(0);
  });
});
