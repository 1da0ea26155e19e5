// The real command line with the password only in the OS keyring: `satchel password set` reads
// it from stdin (never argv) into a private gnome-keyring, a sync against a real Dovecot then
// logs in with it, `password delete` removes it, and with no session bus the sync fails with a
// message that names the missing Secret Service and the fixes.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { tempDir } from '../engine/engine-fixtures.js';
import { KeyringSecretStore } from '../../../core/secrets/keyring-secret-store.js';

const BIN = path.resolve('bin/satchel');
let server: DovecotServer;
let keyring: TestKeyring;
beforeAll(async () => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
  server = await startDovecot({ users: ['kate'] });
  keyring = await startKeyring();
});
afterAll(async () => { await keyring?.stop(); await server?.stop(); });

function writeRc(dir: string): string {
  const rc = path.join(dir, 'offlineimaprc');
  fs.writeFileSync(rc, `[general]\naccounts = work\nmetadata = ${dir}/state\n\n[Account work]\nlocalrepository = local\nremoterepository = remote\n\n` +
    `[Repository local]\ntype = Maildir\nlocalfolders = ${dir}/Mail\n\n[Repository remote]\ntype = IMAP\nremotehost = 127.0.0.1\n` +
    `remoteport = ${server.port}\nremoteuser = kate\nssl = no\nstarttls = no\n`);
  return rc;
}

function satchel(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...(opts.env ?? keyring.env), HOME: tempDir() },
    input: opts.input ?? '', stdio: ['pipe', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('satchel with the password in the OS keyring', () => {
  it('password set from stdin, then a sync logs in with it; password delete removes it', async () => {
    await server.reset('kate');
    await server.appendMessage('kate', 'INBOX', makeMessage({ subject: 'k', messageId: '<k1@test>', body: 'k\r\n' }), []);
    const dir = tempDir();
    const rc = writeRc(dir);
    const set = satchel(['password', 'set', 'work'], { input: 'katepw\nignored second line\n' });
    expect(set).toMatchObject({ code: 0, err: '' });
    expect(set.out).toContain('Stored the password of account "work" in the system keyring');
    expect(set.out + set.err).not.toContain('katepw');
    expect(await new KeyringSecretStore().get('work')).toBe('katepw');

    const sync = satchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(sync).toMatchObject({ code: 0, err: '' });
    expect(fs.readdirSync(path.join(dir, 'Mail', 'INBOX', 'new'))).toHaveLength(1);

    expect(satchel(['password', 'delete', 'work'])).toMatchObject({ code: 0, out: 'Removed the password of account "work" from the system keyring.\n' });
    expect(await new KeyringSecretStore().get('work')).toBeUndefined();
    const without = satchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(without.code).toBe(1);
    expect(without.err).toContain('the system keyring has none for account "work" (service Satchel). Store it with "satchel password set work"');
  });

  it('refuses a password on the command line', () => {
    const r = satchel(['password', 'set', 'work', 'secret-on-argv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the password is never taken from the command line');
  });

  it('without a session bus: a clear error that says so and how to fix it', () => {
    const env = { ...keyring.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    const dir = tempDir();
    const sync = satchel(['-c', writeRc(dir), '-o', '-u', 'quiet'], { env });
    expect(sync.code).toBe(1);
    expect(sync.err).toMatch(/no Secret Service \(system keyring\) is reachable/);
    expect(sync.err).toMatch(/gnome-keyring-daemon --start --components=secrets.*passcmd, remotepassfile or ~\/\.netrc/);
    const set = satchel(['password', 'set', 'work'], { env, input: 'x\n' });
    expect(set.code).toBe(1);
    expect(set.err).toMatch(/Cannot store the password of "work": no Secret Service/);
  });
});
