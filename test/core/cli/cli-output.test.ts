// The command line's output modes, log file, debug trace and exit codes, as a child process
// against a real Dovecot: machineui is parsed line by line as JSON, quiet prints nothing on
// success and one line on a wrong password, -l appends a timestamped log, -d imap shows the
// protocol with the password redacted everywhere, and a folder whose UIDVALIDITY changed
// under the local copy exits 2 (any other error 1), as OfflineIMAP does.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { requireBuiltCli, runSatchel, writeRc as writeRcFile } from '../../helpers/cli-run.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { tempDir } from '../engine/engine-fixtures.js';

const PASSWORD = 'Secr3t-pw-7731';
let server: DovecotServer;
beforeAll(async () => {
  requireBuiltCli();
  server = await startDovecot({ users: [] });
  await server.addUser('dana', PASSWORD);
});
afterAll(async () => { await server?.stop(); });

function writeRc(dir: string, remote: Record<string, string | number> = {}, general = ''): string {
  return writeRcFile(dir, { port: server.port, user: 'dana', password: PASSWORD, remote, general: general });
}

function satchel(...args: string[]) {
  return runSatchel(args);
}

const msg = (n: number) => makeMessage({ subject: `out ${n}`, messageId: `<out${n}@test>`, body: `body ${n}\r\n` });

/** Every form the password could take in a trace: plain, quoted, SASL PLAIN and AUTH=LOGIN base64. */
function secretForms(user: string, pass: string): string[] {
  return [pass, JSON.stringify(pass), Buffer.from(`\0${user}\0${pass}`).toString('base64'),
    Buffer.from(`${user}\0${user}\0${pass}`).toString('base64'), Buffer.from(pass).toString('base64')];
}

describe('satchel output modes', () => {
  it('machineui: one JSON object per line for every event, ending with the exit code', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'INBOX', msg(1), ['\\Seen']);
    await server.appendMessage('dana', 'Work', msg(2), []);
    const dir = tempDir();
    const r = satchel('-c', writeRc(dir), '-o', '-u', 'Machine.MachineUI');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const o of objs) {
      expect(typeof o.type).toBe('string');
      expect(Number.isNaN(Date.parse(o.time as string))).toBe(false);
    }
    expect(objs[0]).toMatchObject({ type: 'account-state', account: 'main', state: 'syncing' });
    expect(objs.at(-1)).toMatchObject({ type: 'exit', code: 0 });
    const synced = objs.filter((o) => o.type === 'folder-state' && o.state === 'synced');
    expect(synced.map((o) => o.folder).sort()).toEqual(['INBOX', 'Work']);
    expect(synced.find((o) => o.folder === 'Work')).toMatchObject({ account: 'main', summary: { 'copy-to-near': 1 } });
    expect(objs.some((o) => o.type === 'progress' && o.folder === 'INBOX' && o.messagesDone === 1 && o.messagesTotal === 1)).toBe(true);
    expect(objs.find((o) => o.type === 'account-done')).toMatchObject({ account: 'main', folders: 2, errors: 0 });
  });

  it('quiet prints nothing on success and one line on a wrong password; [general] ui is the default', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'INBOX', msg(1), []);
    const dir = tempDir();
    const ok = satchel('-c', writeRc(dir, {}, 'ui = Noninteractive.Quiet'), '-o');
    expect(ok).toMatchObject({ code: 0, out: '', err: '' });
    expect(fs.readdirSync(path.join(dir, 'Mail', 'INBOX', 'new')).length + fs.readdirSync(path.join(dir, 'Mail', 'INBOX', 'cur')).length).toBe(1);
    const wrong = satchel('-c', writeRc(tempDir(), { remotepass: 'nope-wrong-1' }), '-o', '-u', 'quiet');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toBe('');
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    expect(wrong.err).toMatch(/password|authentication/i);
    expect(wrong.err).not.toContain('nope-wrong-1');
  });

  it('basic (and ttyui off a terminal): a line per account start and end and per changed folder, no escape codes', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'INBOX', msg(1), []);
    await server.appendMessage('dana', 'INBOX', msg(2), []);
    const dir = tempDir();
    const rc = writeRc(dir);
    const r = satchel('-c', rc, '-o', '-u', 'ttyui');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\x1b');
    expect(r.out).toMatch(/^main: syncing$/m);
    expect(r.out).toMatch(/^main: INBOX: 2 downloaded$/m);
    expect(r.out).toMatch(/^main: 1 folders in sync$/m);
    const again = satchel('-c', rc, '-o', '-u', 'TTY.TTYUI');
    expect(again.out.trim().split('\n')).toEqual(['main: syncing', 'main: 1 folders in sync']);
  });

  it('-l appends a timestamped log of every run, errors included', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'INBOX', msg(1), []);
    const dir = tempDir();
    const log = path.join(dir, 'satchel.log');
    expect(satchel('-c', writeRc(dir), '-o', '-u', 'quiet', '-l', log).code).toBe(0);
    const first = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
    for (const l of first) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|DEBUG|WARNING|ERROR) +\S/);
    expect(first.some((l) => /INFO +main: INBOX: synced \(1 downloaded\)/.test(l))).toBe(true);
    expect(first.at(-1)).toMatch(/INFO +exit code 0$/);
    expect((fs.statSync(log).mode & 0o777).toString(8)).toBe('600');
    const bad = satchel('-c', writeRc(tempDir(), { remotepass: 'nope-wrong-2' }), '-o', '-u', 'quiet', '-l', log);
    expect(bad.code).toBe(1);
    const all = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(all.slice(0, first.length)).toEqual(first);
    expect(all.some((l) => / ERROR +main: .*(password|authentication)/i.test(l))).toBe(true);
    expect(all.at(-1)).toMatch(/WARNING +exit code 1$/);
    expect(fs.readFileSync(log, 'utf8')).not.toContain('nope-wrong-2');
    const unwritable = satchel('-c', writeRc(tempDir()), '-o', '-l', path.join(dir, 'no', 'such', 'dir', 'x.log'));
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/cannot write the log file .*folder does not exist.*-l/);
  });

  it('-d imap traces the protocol, LOGIN/AUTHENTICATE included, with the password redacted (stderr and -l)', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'INBOX', msg(1), []);
    const dir = tempDir();
    const rc = writeRc(dir);
    const r = satchel('-c', rc, '-o', '-d', 'imap');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^imap\[\S+\] C: \d+ AUTHENTICATE PLAIN$/m);
    expect(r.err).toMatch(/^imap\[\S+\] C: <redacted>$/m);
    expect(r.err).toMatch(/^imap\[\S+\] C: \S+ UID FETCH /m);
    expect(r.err).toMatch(/^imap\[\S+\] S: \* OK \[UIDVALIDITY \d+\]/m);
    const log = path.join(dir, 'trace.log');
    const logged = satchel('-c', rc, '-o', '-d', 'all', '-l', log);
    expect(logged.code).toBe(0);
    expect(logged.err).toBe('');
    const text = fs.readFileSync(log, 'utf8');
    expect(text).toMatch(/DEBUG +imap\[\S+\] C: \d+ AUTHENTICATE PLAIN/);
    for (const form of secretForms('dana', PASSWORD)) {
      expect(r.out + r.err).not.toContain(form);
      expect(text).not.toContain(form);
    }
  });

  it('-1 syncs over one IMAP connection; -d without "thread" does the same (as OfflineIMAP)', async () => {
    await server.reset('dana');
    for (const f of ['INBOX', 'A', 'B', 'C']) await server.appendMessage('dana', f, msg(f.charCodeAt(0)), []);
    const connections = (trace: string) => new Set([...trace.matchAll(/^imap\[(\S+)\] C: \S+ SELECT /gm)].map((m) => m[1])).size;
    const parallel = satchel('-c', writeRc(tempDir(), { maxconnections: 3 }), '-o', '-u', 'quiet', '-d', 'imap,thread');
    expect(parallel.code).toBe(0);
    expect(connections(parallel.err)).toBeGreaterThan(1);
    const single = satchel('-c', writeRc(tempDir(), { maxconnections: 3 }), '-o', '-u', 'quiet', '-1', '-d', 'imap,thread');
    expect(single.code).toBe(0);
    expect(connections(single.err)).toBe(1);
    const debug = satchel('-c', writeRc(tempDir(), { maxconnections: 3 }), '-o', '-u', 'quiet', '-d', 'imap');
    expect(connections(debug.err)).toBe(1);
  });

  it('exit code 2 when a folder is skipped because its UIDVALIDITY changed, 1 for other errors, bad usage 1', async () => {
    await server.reset('dana');
    await server.appendMessage('dana', 'Work', msg(1), []);
    await server.appendMessage('dana', 'INBOX', msg(2), []);
    const dir = tempDir();
    const rc = writeRc(dir);
    expect(satchel('-c', rc, '-o', '-u', 'quiet').code).toBe(0);
    const c = await server.client('dana');
    const before = (await c.status('Work', { uidValidity: true }) || undefined)?.uidValidity;
    expect(before).toBeGreaterThan(0);
    await c.mailboxDelete('Work');
    await c.logout();
    await server.appendMessage('dana', 'Work', msg(3), []);
    const c2 = await server.client('dana');
    expect((await c2.status('Work', { uidValidity: true }) || undefined)?.uidValidity).not.toBe(before);
    await c2.logout();
    const r = satchel('-c', rc, '-o', '-u', 'quiet');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/main\/Work: .*UIDVALIDITY.*Nothing was deleted/);
    expect(fs.readdirSync(path.join(dir, 'Mail', 'Work', 'new')).length + fs.readdirSync(path.join(dir, 'Mail', 'Work', 'cur')).length).toBe(1);
    const m = satchel('-c', rc, '-o', '-u', 'machineui');
    expect(m.code).toBe(2);
    const objs = m.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.find((o) => o.type === 'error')).toMatchObject({ account: 'main', folder: 'Work', code: 'uidvalidity-changed', scope: 'folder', retry: 'needs-user' });
    expect(objs.at(-1)).toMatchObject({ type: 'exit', code: 2 });
    const usage = satchel('-c', rc, '-u', 'curses');
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/unknown UI "curses"/);
  });
});
