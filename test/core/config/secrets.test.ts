// resolvePassword for every PasswordSource, with real files and real child processes, and the
// netrc reader. Failures must be SyncErrors that say how to supply the password, never the password.
// Commands are real child processes (node -e); no test touches the real ~/.netrc.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { resolvePassword } from '../../../core/config/secrets.js';
import { findNetrcEntry, parseNetrc } from '../../../core/config/netrc.js';
import { SyncError } from '../../../core/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-secrets-'));
const file = (name: string, text: string, mode = 0o600) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text, { mode });
  return p;
};

async function rejection(p: Promise<unknown>): Promise<SyncError> {
  try { await p; } catch (e) { if (e instanceof SyncError) return e; throw e; }
  throw new Error('expected a SyncError');
}

describe('resolvePassword', () => {
  it('inline', async () => {
    expect(await resolvePassword({ kind: 'inline', value: ' p w ' })).toBe(' p w ');
  });

  it('file: the first line, stripped like OfflineIMAP; a clear error when unreadable', async () => {
    expect(await resolvePassword({ kind: 'file', path: file('pw', 's3cret\r\nsecond line\n') })).toBe('s3cret');
    const e = await rejection(resolvePassword({ kind: 'file', path: path.join(dir, 'missing') }, { label: 'me@host' }));
    expect(e).toMatchObject({ code: 'password-unreadable', scope: 'account', retry: 'needs-user' });
    expect(e.message).toBe(`Cannot read the password file ${dir}/missing for me@host (ENOENT). Create it with the password on its first line, or fix remotepassfile.`);
  });

  it('command: run without a shell, first line of stdout', async () => {
    const pw = await resolvePassword({ kind: 'command', argv: ['node', '-e', 'process.stdout.write(process.argv[1] + "\\nignored\\n")', 'a b|$HOME;`x`'] });
    expect(pw).toBe('a b|$HOME;`x`');
  });

  it('command: non-zero exit, not found, no output, timeout', async () => {
    const failed = await rejection(resolvePassword({ kind: 'command', argv: ['node', '-e', 'console.log("topsecret"); console.error("gpg: decryption failed"); process.exit(3)'] }));
    expect(failed).toMatchObject({ code: 'password-command-failed', scope: 'account', retry: 'needs-user' });
    expect(failed.message).toBe('passcmd: node exited with status 3 (gpg: decryption failed). Run the command by hand to see what is wrong, then fix passcmd.');
    expect(failed.message).not.toContain('topsecret');

    const missing = await rejection(resolvePassword({ kind: 'command', argv: ['/nonexistent/pw-helper'] }));
    expect(missing.message).toBe('passcmd: command not found: /nonexistent/pw-helper. Fix passcmd (it runs without a shell; give the full path if it is not on PATH).');

    const empty = await rejection(resolvePassword({ kind: 'command', argv: ['node', '-e', ''] }));
    expect(empty).toMatchObject({ code: 'password-missing' });
    expect(empty.message).toContain('printed nothing on its first line');

    const slow = await rejection(resolvePassword({ kind: 'command', argv: ['node', '-e', 'setTimeout(() => {}, 10000)'] }, { timeoutMs: 300 }));
    expect(slow).toMatchObject({ code: 'password-command-failed', retry: 'later' });
    expect(slow.message).toContain('did not finish within 300 ms and was stopped');
  });

  it('netrc: by host and login; a clear error when there is no entry', async () => {
    const netrc = file('netrc', 'machine a.example login u1 password p1\nmachine a.example login u2 password "p 2"\ndefault login anon password guest\n');
    expect(await resolvePassword({ kind: 'netrc', host: 'a.example', user: 'u2' }, { netrcFiles: [netrc] })).toBe('p 2');
    expect(await resolvePassword({ kind: 'netrc', host: 'A.EXAMPLE' }, { netrcFiles: [netrc] })).toBe('p 2');
    expect(await resolvePassword({ kind: 'netrc', host: 'other.example' }, { netrcFiles: [netrc] })).toBe('guest');
    const e = await rejection(resolvePassword({ kind: 'netrc', host: 'a.example', user: 'u3' }, { netrcFiles: [path.join(dir, 'none'), netrc] }));
    expect(e).toMatchObject({ code: 'password-missing', scope: 'account', retry: 'needs-user' });
    expect(e.message).toContain('Add "machine a.example login u3 password ..." to ~/.netrc (mode 600), or set passcmd or remotepassfile.');
  });

  it('keyring: the stored secret; none stored and no terminal: says how to store one', async () => {
    const entries = new Map([['work', 'from-keyring']]);
    const secretStore = { get: async (a: string) => entries.get(a), set: async () => undefined, delete: async () => false };
    const input = Object.assign(new PassThrough(), { isTTY: false });
    expect(await resolvePassword({ kind: 'keyring', service: 'Satchel', account: 'work' }, { secretStore, input })).toBe('from-keyring');
    const e = await rejection(resolvePassword({ kind: 'keyring', service: 'Satchel', account: 'home' }, { secretStore, input, label: 'me@h' }));
    expect(e).toMatchObject({ code: 'password-missing', scope: 'account', retry: 'needs-user' });
    expect(e.message).toContain('the system keyring has none for account "home" (service Satchel). Store it with "satchel password set home"');
  });

  it('keyring: unreachable keyring without a terminal is the keyring error; with a terminal, a prompt', async () => {
    const broken = { get: async () => { throw new SyncError('keyring-unavailable', 'no Secret Service', { scope: 'account', retry: 'needs-user' }); },
      set: async () => undefined, delete: async () => false };
    const noTty = Object.assign(new PassThrough(), { isTTY: false });
    expect(await rejection(resolvePassword({ kind: 'keyring', service: 'Satchel', account: 'w' }, { secretStore: broken, input: noTty })))
      .toMatchObject({ code: 'keyring-unavailable', message: 'no Secret Service' });
    const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: () => undefined });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => { shown += d.toString(); });
    const p = resolvePassword({ kind: 'keyring', service: 'Satchel', account: 'w' }, { secretStore: broken, input, output, label: 'me@h' });
    await new Promise((r) => setTimeout(r, 10));
    input.write('typed\r');
    expect(await p).toBe('typed');
    expect(shown).toBe('no Secret Service\nPassword for me@h: \n');
  });

  it('prompt: refused without a terminal, with the ways to supply a password', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false });
    const e = await rejection(resolvePassword({ kind: 'prompt' }, { input, label: 'me@imap.example.org' }));
    expect(e).toMatchObject({ code: 'password-missing', scope: 'account', retry: 'needs-user' });
    expect(e.message).toBe('No password configured for me@imap.example.org, and there is no terminal to ask for one. Set passcmd, remotepassfile or remotepass in the [Repository] section, or add a ~/.netrc entry.');
  });

  it('prompt: on a terminal, reads without echo (raw mode), handles backspace, restores the mode', async () => {
    const modes: boolean[] = [];
    const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: (raw: boolean) => { modes.push(raw); } });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => { shown += d.toString(); });
    const p = resolvePassword({ kind: 'prompt' }, { input, output, label: 'me@h' });
    input.write('pa');
    input.write('sx\u007fs\r');
    expect(await p).toBe('pass');
    expect(shown).toBe('Password for me@h: \n');
    expect(modes).toEqual([true, false]);
  });
});

describe('netrc parsing', () => {
  it('reads machines, default, macdef blocks and quoted tokens', () => {
    const entries = parseNetrc('# comment\nmachine m1 login a password "x y" account acc\nmacdef init\ncd /pub\nbinary\n\nmachine m2\n  login b\n  password z\ndefault login d password dd\n');
    expect(entries).toEqual([
      { machine: 'm1', login: 'a', password: 'x y', account: 'acc' },
      { machine: 'm2', login: 'b', password: 'z' },
      { login: 'd', password: 'dd' },
    ]);
    expect(findNetrcEntry(entries, 'm2', 'other')).toBeUndefined();
    expect(findNetrcEntry(entries, 'm3', 'd')).toMatchObject({ password: 'dd' });
  });
});
