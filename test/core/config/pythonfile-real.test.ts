// The two credential stores a pythonfile reaches through libraries, for real: a ~/.authinfo.gpg
// made in the test with a throwaway gpg key (GNUPGHOME in a temp folder) and decrypted by the
// real gpg, and a real Secret Service (gnome-keyring on a private bus) holding an item stored the
// way python-keyring stores it (attributes service, username, application), found by the real
// secret-tool that the translated remotepasseval runs.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from './config-fixture.js';
import { resolvePassword } from '../../../core/config/secrets.js';
import type { ImapRepositoryConfig } from '../../../core/config/model.js';
import { KeyringSecretStore } from '../../../core/secrets/keyring-secret-store.js';
import { startKeyring, type TestKeyring } from '../../helpers/keyring.js';

const PY = `import os, re, keyring

def get_authinfo_password(machine, login, port):
    s = "machine %s login %s password ([^ ]*) port %s" % (machine, login, port)
    p = re.compile(s)
    authinfo = os.popen("gpg -q --no-tty -d ~/.authinfo.gpg").read()
    return p.search(authinfo).group(1)

def from_keyring(account):
    return keyring.get_password("offlineimap-" + account, "me@example.org")
`;

const account = (name: string, user: string, passeval: string) => `[Account ${name}]
localrepository = ${name}-local
remoterepository = ${name}-remote
[Repository ${name}-local]
type = Maildir
localfolders = ~/Mail/${name}
[Repository ${name}-remote]
type = IMAP
remotehost = imap.example.org
remoteuser = ${user}
remotepasseval = ${passeval}
`;

const RC = () => `[general]\naccounts = gpg, ring\npythonfile = ~/.offlineimap.py\n\n${account('gpg', 'me', 'get_authinfo_password("imap.example.org", "me", "993")')}\n${account('ring', 'me@example.org', 'from_keyring("work")')}`;

let gnupg: string;
let keyring: TestKeyring;
beforeAll(async () => {
  gnupg = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-gnupg-'));
  fs.chmodSync(gnupg, 0o700);
  execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'Satchel Test <satchel-test@example.org>', 'default', 'default', 'never'], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: 'ignore' });
  keyring = await startKeyring();
}, 60_000);
afterAll(async () => {
  try { execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: 'ignore' }); } catch { /* no agent */ }
  fs.rmSync(gnupg, { recursive: true, force: true });
  await keyring?.stop();
});

describe('credentials from libraries, with the real tools', () => {
  it('an authinfo regex over `gpg -d ~/.authinfo.gpg` becomes a lookup that the real gpg decrypts', async () => {
    const f = fixture(RC());
    f.write('home/.offlineimap.py', PY);
    const plain = f.write('authinfo', 'machine smtp.example.org login me password smtp-secret port 587\nmachine imap.example.org login me password imap-secret port 993\n');
    execFileSync('gpg', ['--batch', '--yes', '--trust-model', 'always', '-r', 'satchel-test@example.org', '-o', path.join(f.home, '.authinfo.gpg'), '-e', plain], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: 'ignore' });
    fs.rmSync(plain);
    const repo = f.load().config.accounts.find((a) => a.name === 'gpg')!.remote as ImapRepositoryConfig;
    expect(repo.password).toEqual({ kind: 'netrc', host: 'imap.example.org', user: 'me', file: path.join(f.home, '.authinfo.gpg') });
    expect(repo.origins?.password).toMatch(/\.authinfo\.gpg \(decrypted by gpg\), machine imap\.example\.org login me — from remotepasseval get_authinfo_password\("imap\.example\.org", "me", "993"\), .*\.offlineimap\.py:7$/);
    const env = { ...process.env, GNUPGHOME: gnupg, HOME: f.home };
    expect(await resolvePassword(repo.password, { env, home: f.home })).toBe('imap-secret');
    // another machine of the same file is not confused with it
    expect(await resolvePassword({ ...repo.password, host: 'smtp.example.org' } as typeof repo.password, { env, home: f.home })).toBe('smtp-secret');
    await expect(resolvePassword({ ...repo.password, host: 'pop.example.org' } as typeof repo.password, { env, home: f.home })).rejects.toThrow(/No password in .*\.authinfo\.gpg for machine pop\.example\.org login me\./);
  });

  it('keyring.get_password(service, user) finds the item python-keyring stored, with the real secret-tool and Secret Service', async () => {
    const f = fixture(RC());
    f.write('home/.offlineimap.py', PY);
    // How python-keyring's SecretService backend stores it: label, and attributes service, username, application.
    execFileSync('secret-tool', ['store', '--label=Password for \'me@example.org\' on \'offlineimap-work\'', 'service', 'offlineimap-work', 'username', 'me@example.org', 'application', 'python-keyring'],
      { env: keyring.env, input: 'keyring-secret' });
    const repo = f.load().config.accounts.find((a) => a.name === 'ring')!.remote as ImapRepositoryConfig;
    expect(repo.password).toEqual({ kind: 'command', argv: ['secret-tool', 'lookup', 'service', 'offlineimap-work', 'username', 'me@example.org'] });
    expect(await resolvePassword(repo.password, { env: keyring.env })).toBe('keyring-secret');
    // keytar (Satchel's own keyring entries) looks for other attributes and would not have found it.
    expect(await new KeyringSecretStore({ service: 'offlineimap-work' }).get('me@example.org')).toBeUndefined();
  });
});
