// The ~/.offlineimaprc import report on the example files and on a broken file, and pointed at
// files that are not configurations (a ~/.netrc, a /etc/shadow look-alike, git credentials, an
// INI file of another program, a folder, a device): refused, with none of their content.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importOfflineImap } from '../../../core/accounts/import-report.js';

const examples = path.resolve(__dirname, '../../../examples');
let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-import-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });
const env = () => ({ HOME: tmp, XDG_STATE_HOME: path.join(tmp, 'state') });

describe('importOfflineImap', () => {
  it.each(fs.readdirSync(path.resolve(__dirname, '../../../examples')).filter((f) => f.endsWith('.offlineimaprc')))('%s: every option listed, accounts named, no error', (name) => {
    const file = path.join(examples, name);
    const r = importOfflineImap(file, { env: env(), home: tmp });
    expect(r.error).toBeUndefined();
    expect(r.accounts.length).toBeGreaterThan(0);
    const optionLines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => /^[a-z_-]+\s*[=:]/i.test(l)).length;
    expect(r.options).toHaveLength(optionLines);
    for (const o of r.options) expect(o.line).toBeGreaterThan(0);
  });

  it('gmail example: the rules and the account options are honoured', () => {
    const r = importOfflineImap(path.join(examples, 'gmail.offlineimaprc'), { env: env(), home: tmp });
    expect(r.accounts).toEqual(['gmail']);
    expect(r.options.find((o) => o.option === 'nametrans')).toMatchObject({ section: 'Repository gmail-remote', status: 'honoured' });
    expect(r.options.every((o) => o.status === 'honoured')).toBe(true);
  });

  it('Python options: translated (how), or not honoured (why, the account is not synced), as the command line says', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'py-'));
    fs.writeFileSync(path.join(dir, 'h.py'), 'import subprocess\ndef pw(n):\n    return subprocess.check_output(["pass", "show", n]).strip()\n');
    const file = path.join(dir, 'rc');
    const acct = (n: string, passeval: string) => [`[Account ${n}]`, `localrepository = ${n}L`, `remoterepository = ${n}R`, 'proxy = SOCKS5:127.0.0.1:9050',
      `[Repository ${n}L]`, 'type = Maildir', `localfolders = ${dir}/${n}`, `[Repository ${n}R]`, 'type = IMAP', 'remotehost = h', 'remoteuser = u', `remotepasseval = ${passeval}`];
    fs.writeFileSync(file, ['[general]', 'accounts = ok, bad', `pythonfile = ${dir}/h.py`, ...acct('ok', 'pw("mail/ok")'), ...acct('bad', 'vault("x")'), ''].join('\n'));
    const r = importOfflineImap(file, { env: env(), home: tmp });
    expect(r.error).toBeUndefined();
    expect(r.accounts).toEqual(['ok', 'bad']);
    const o = (section: string, k: string) => r.options.find((x) => x.section === section && x.option === k)!;
    expect(o('Repository okR', 'remotepasseval')).toMatchObject({ status: 'honoured', note: expect.stringMatching(/^translated: command "pass show mail\/ok" .* — from remotepasseval pw\("mail\/ok"\), .*h\.py:3$/) });
    expect(o('Account ok', 'proxy')).toMatchObject({ status: 'honoured', note: 'connections go through the SOCKS5 proxy 127.0.0.1:9050, never directly' });
    expect(o('Repository badR', 'remotepasseval')).toMatchObject({ status: 'not-honoured', note: expect.stringMatching(/^remotepasseval = vault\("x"\) cannot be translated: 'vault' is not defined in the pythonfile\. Write instead: passcmd = .* Account 'bad' is not synced; the other accounts are\.$/) });
  });

  it('reports ignored options with the reason, unknown ones, and never a value', () => {
    const file = path.join(tmp, 'rc');
    fs.writeFileSync(file, [
      '[general]', 'accounts = main', 'pythonfile = ~/.offlineimap.py', 'socktimeout = 60',
      '[Account main]', 'localrepository = L', 'remoterepository = R', 'autorefesh = 5',
      '[Repository L]', 'type = Maildir', `localfolders = ${tmp}/Mail`,
      '[Repository R]', 'type = IMAP', 'remotehost = imap.example.org', 'remoteuser = me', 'remotepass = hunter2-secret', 'ssl = yes',
      'sslcacertfile = OS-DEFAULT', 'usecompression = yes', '',
    ].join('\n'));
    const r = importOfflineImap(file, { env: env(), home: tmp });
    expect(r.error).toBeUndefined();
    expect(r.accounts).toEqual(['main']);
    const o = (k: string) => r.options.find((x) => x.option === k)!;
    expect(o('pythonfile')).toMatchObject({ status: 'honoured', line: 3 });
    expect(o('socktimeout')).toMatchObject({ status: 'not-honoured', line: 4, note: expect.stringMatching(/timeouts/) });
    expect(o('usecompression')).toMatchObject({ status: 'not-honoured', note: expect.stringMatching(/compression/) });
    expect(o('autorefesh')).toMatchObject({ status: 'unknown', note: expect.stringMatching(/autorefresh/) });
    expect(o('remotepass')).toMatchObject({ status: 'honoured' });
    expect(JSON.stringify(r)).not.toContain('hunter2-secret');
  });

  it('a file the loader rejects comes back with the error and its options', () => {
    const file = path.join(tmp, 'bad');
    fs.writeFileSync(file, '[general]\naccounts = nope\nfsync = perhaps\n');
    const r = importOfflineImap(file, { env: env(), home: tmp });
    expect(r.error).toMatch(/bad:/);
    expect(r.options.map((x) => x.option)).toEqual(['accounts', 'fsync']);
    expect(importOfflineImap(path.join(tmp, 'missing'), { env: env(), home: tmp }).error).toMatch(/does not exist|could not be read/);
  });

  it('refuses files that are not OfflineIMAP configurations without echoing a byte of them', () => {
    const SECRET = 'S3CRET-never-shown-4242';
    const files: Record<string, string> = {
      '.netrc': `machine imap.example.org login me password ${SECRET}\ndefault login anonymous password ${SECRET}\n`,
      shadow: `root:$6$${SECRET}$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n`,
      '.git-credentials': `https://me:${SECRET}@github.com\n`,
      'aws-credentials': `[default]\naws_access_key_id = AKIA${SECRET}\naws_secret_access_key = ${SECRET}\n`,
      'netrc-then-ini': `password ${SECRET}\n[general]\naccounts = a\n`,
      [`${SECRET}.ini`]: `[${SECRET}]\n${SECRET} = 1\n[${SECRET}]\n`,
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, text, { mode: 0o600 });
      const r = importOfflineImap(file, { env: env(), home: tmp });
      expect(r.error, name).toBeTruthy();
      expect(r.options, name).toEqual([]);
      expect(r.accounts, name).toEqual([]);
      const shown = JSON.stringify({ ...r, file: undefined, error: r.error!.split(file).join('FILE') });
      expect(shown, name).not.toContain(SECRET);
      expect(shown, name).not.toMatch(/machine|github|root:|aws_|anonymous/);
    }
    expect(importOfflineImap(path.join(tmp, 'aws-credentials'), { env: env(), home: tmp }).error).toMatch(/does not look like an OfflineIMAP configuration/);
    expect(importOfflineImap(path.join(tmp, 'shadow'), { env: env(), home: tmp }).error).toMatch(/shadow:1: expected a \[section\] header/);
    expect(importOfflineImap(tmp, { env: env(), home: tmp }).error).toMatch(/is not a regular file/);
    expect(importOfflineImap('/dev/zero', { env: env(), home: tmp }).error).toMatch(/is not a regular file/);
    const big = path.join(tmp, 'big');
    fs.writeFileSync(big, `[general]\n# ${'x'.repeat(2 << 20)}\n`);
    expect(importOfflineImap(big, { env: env(), home: tmp }).error).toMatch(/too large/);
  });
});
