// The daemon as a real child process (bin/satchel with autorefresh, no -o) against a real
// Dovecot: a message appended to INBOX by another connection reaches the Maildir through IDLE
// within 2 seconds; SIGUSR1 syncs a folder nobody IDLEs on; SIGQUIT dumps the state and goes
// on; SIGTERM and SIGUSR2 exit 0 leaving a consistent state; a held account lock is reported.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { imapSnapshot, maildirSnapshot, tempDir } from '../engine/engine-fixtures.js';

const BIN = path.resolve('bin/satchel');
let server: DovecotServer;
beforeAll(async () => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
  server = await startDovecot({ users: ['dave'] });
});
afterAll(async () => { await server?.stop(); });

function writeRc(dir: string, extra = ''): string {
  const rc = path.join(dir, 'offlineimaprc');
  fs.writeFileSync(rc, `[general]\naccounts = main\nmetadata = ${dir}/state\n\n` +
    `[Account main]\nlocalrepository = local\nremoterepository = remote\nautorefresh = 30\nquick = 5\n\n` +
    `[Repository local]\ntype = Maildir\nlocalfolders = ${dir}/Mail\n\n` +
    `[Repository remote]\ntype = IMAP\nremotehost = 127.0.0.1\nremoteport = ${server.port}\nremoteuser = dave\n` +
    `remotepass = davepw\nssl = no\nstarttls = no\n${extra}\n`);
  return rc;
}

interface Daemon { child: ChildProcess; err: () => string; exited: Promise<number | null> }

function startDaemon(rc: string): Daemon {
  const child = spawn(process.execPath, [BIN, '-c', rc, '-u', 'quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, err: () => err, exited };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000, step = 50): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, step));
  }
  return Date.now() - t0;
}

/** Asks for SIGQUIT dumps until the daemon has synced once and IDLEs on every watched folder. */
async function ready(d: Daemon, dir: string): Promise<void> {
  // Signals are answered once the daemon runs (its first sync creates the status database).
  await until('the first sync to start', () => fs.existsSync(path.join(dir, 'state', 'main.sqlite')));
  await until('the first sync and IDLE', () => {
    d.child.kill('SIGQUIT');
    const dumps = d.err().split('satchel: state at ');
    const last = dumps[dumps.length - 1]!;
    return /last sync \d{4}-/.test(last) && /IDLE main\/INBOX: idling/.test(last) && !/account main: syncing/.test(last);
  }, 20_000, 200).catch((e: Error) => { throw new Error(`${e.message}; stderr:\n${d.err().slice(-1200)}`); });
}

const files = (dir: string) => ['new', 'cur'].flatMap((s) => fs.existsSync(path.join(dir, s)) ? fs.readdirSync(path.join(dir, s)) : []);
const msg = (n: number) => makeMessage({ subject: `daemon ${n}`, messageId: `<daemon${n}@test>`, body: `body ${n}\r\n` });

describe('satchel daemon', () => {
  it('IDLE brings new INBOX mail within 2 s; SIGUSR1 syncs now; SIGQUIT dumps; SIGTERM exits 0 consistently', async () => {
    await server.reset('dave');
    await server.appendMessage('dave', 'INBOX', msg(1));
    await server.appendMessage('dave', 'Archive', msg(2));
    const dir = tempDir();
    const rc = writeRc(dir, "idlefolders = ['INBOX']");
    const d = startDaemon(rc);
    try {
      await ready(d, dir);
      const inbox = path.join(dir, 'Mail', 'INBOX');
      expect(files(inbox)).toHaveLength(1);
      expect(d.err()).toMatch(/account main: idle \(scheduler: waiting\); last sync [^;]+; next quick sync \d{4}-/);

      await server.appendMessage('dave', 'INBOX', msg(3));
      const took = await until('the IDLE sync', () => files(inbox).length === 2, 2000, 20);
      expect(took).toBeLessThan(2000);

      // Archive is not watched: the new message waits for the next sync, which SIGUSR1 starts.
      const archive = path.join(dir, 'Mail', 'Archive');
      await server.appendMessage('dave', 'Archive', msg(4));
      await new Promise((r) => setTimeout(r, 1000));
      expect(files(archive)).toHaveLength(1);
      d.child.kill('SIGUSR1');
      await until('the SIGUSR1 sync', () => files(archive).length === 2, 10_000);
      expect(d.err()).toContain('SIGUSR1: syncing every account now');

      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(0);
      expect(d.err()).toContain('SIGTERM: stopping after the current folder');
    } finally {
      d.child.kill('SIGKILL');
    }
    expect(fs.existsSync(path.join(dir, 'state', 'main.lock'))).toBe(false);
    expect(maildirSnapshot(path.join(dir, 'Mail'))).toEqual(await imapSnapshot(server, 'dave'));
    // A one-shot run afterwards finds nothing to do and succeeds.
    const again = spawnSync(process.execPath, [BIN, '-c', rc, '-o'], { encoding: 'utf8', timeout: 60_000 });
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/downloaded|uploaded|deleted/);
  });

  it('SIGUSR2 lets the current sync finish, then exits 0', async () => {
    await server.reset('dave');
    for (let i = 10; i < 40; i++) await server.appendMessage('dave', 'INBOX', msg(i));
    const dir = tempDir();
    const d = startDaemon(writeRc(dir, "idlefolders = []"));
    try {
      await until('the first sync to start', () => fs.existsSync(path.join(dir, 'state', 'main.lock')), 15_000, 5);
      d.child.kill('SIGUSR2');
      expect(await d.exited).toBe(0);
    } finally {
      d.child.kill('SIGKILL');
    }
    expect(d.err()).toContain('SIGUSR2: finishing the current syncs, then exiting');
    expect(files(path.join(dir, 'Mail', 'INBOX'))).toHaveLength(30);
    expect(fs.existsSync(path.join(dir, 'state', 'main.lock'))).toBe(false);
  });

  it('a second stop signal exits at once; the lock it leaves behind is recovered by the next run', async () => {
    await server.reset('dave');
    for (let i = 60; i < 260; i++) await server.appendMessage('dave', 'INBOX', msg(i));
    const dir = tempDir();
    const rc = writeRc(dir, "idlefolders = []");
    const d = startDaemon(rc);
    try {
      await until('the first sync to start', () => fs.existsSync(path.join(dir, 'state', 'main.lock')), 15_000, 5);
      d.child.kill('SIGHUP');
      await until('the first signal to be seen', () => d.err().includes('SIGHUP: stopping after the current folder'), 5000, 5);
      d.child.kill('SIGINT');
      expect(await d.exited).toBe(1);
    } finally {
      d.child.kill('SIGKILL');
    }
    expect(d.err()).toContain('SIGINT again: exiting now');
    expect(fs.readFileSync(path.join(dir, 'state', 'main.lock'), 'utf8')).toMatch(new RegExp(`^${d.child.pid} `));
    const r = spawnSync(process.execPath, [BIN, '-c', rc, '-o'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`recovered a stale lock of account main: pid ${d.child.pid}`));
    expect(files(path.join(dir, 'Mail', 'INBOX'))).toHaveLength(200);
    expect(maildirSnapshot(path.join(dir, 'Mail'))).toEqual(await imapSnapshot(server, 'dave'));
  });

  it('a run that finds the account locked by a live process says so and fails; a stale lock is recovered', async () => {
    await server.reset('dave');
    await server.appendMessage('dave', 'INBOX', msg(50));
    const dir = tempDir();
    const rc = writeRc(dir);
    fs.mkdirSync(path.join(dir, 'state'));
    const holder = spawn('sleep', ['60']);
    try {
      fs.writeFileSync(path.join(dir, 'state', 'main.lock'), `${holder.pid} ${os.hostname()} ${Date.now()}\n`);
      const r = spawnSync(process.execPath, [BIN, '-c', rc, '-o'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`pid ${holder.pid} has been syncing it`);
      expect(fs.existsSync(path.join(dir, 'Mail', 'INBOX'))).toBe(false);
    } finally {
      holder.kill();
    }
    await new Promise((r) => holder.once('exit', r));
    const r = spawnSync(process.execPath, [BIN, '-c', rc, '-o'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`recovered a stale lock of account main: pid ${holder.pid}`));
    expect(files(path.join(dir, 'Mail', 'INBOX'))).toHaveLength(1);
  });
});
