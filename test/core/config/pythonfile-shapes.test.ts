// remotepasseval / remoteusereval / remotehosteval calling pythonfile helpers, in the shapes real
// ~/.offlineimaprc files use: each is loaded, its translation checked (the source Satchel runs
// and the line --info shows), and the password commands are run for real against fake `pass`,
// `gpg`, `security` and `secret-tool` scripts on PATH that check their arguments. Shapes that
// cannot be translated stop their account with one line; the other accounts load.

import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, type Fixture } from './config-fixture.js';
import { resolvePassword } from '../../../core/config/secrets.js';
import type { ImapRepositoryConfig } from '../../../core/config/model.js';

// Each fake prints a password only for the exact arguments a real helper would get.
const FAKES: Record<string, string> = {
  pass: `[ "$1" = show ] && shift
case "$*" in
  mail/work) printf 'work-pass\\nlogin: me@work.example\\n' ;;
  "email/personal") printf 'personal-pass\\n' ;;
  *) echo "Error: $* is not in the password store." >&2; exit 1 ;;
esac`,
  gpg: `case "$*" in
  "-dq $HOME/.mailpass.gpg"|"--quiet --batch -d $HOME/.mailpass.gpg") printf 'gpg-pass\\n' ;;
  *) echo "gpg: unexpected arguments: $*" >&2; exit 2 ;;
esac`,
  security: `[ "$*" = "find-internet-password -w -a me@icloud.com -s imap.mail.me.com" ] || { echo "security: unexpected $*" >&2; exit 44; }
printf 'icloud-pass\\n'`,
  'secret-tool': `[ "$*" = "lookup user me server imap.example.org protocol imap" ] || { echo "secret-tool: unexpected $*" >&2; exit 1; }
printf 'gnome-pass'`,
  'keepassxc-cli': `[ "$*" = "show -s -a Password $HOME/db.kdbx mail" ] || exit 1; printf 'kp-pass\\n'`,
};

let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-fakes-'));
  for (const [name, body] of Object.entries(FAKES)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
});

const PY = `#!/usr/bin/env python3
# helpers in the shapes of public dotfiles
import os, re, subprocess
from subprocess import check_output

def get_pass(account):
    return check_output("pass " + account, shell=True).strip()

def pass_show(name):
    return subprocess.check_output(["pass", "show", name]).splitlines()[0]

def gpg_file():
    return os.popen("gpg -dq ~/.mailpass.gpg").read().strip()

def mailpasswd(acct):
    acct = os.path.basename(acct)
    path = os.path.expanduser("~/.%s.gpg" % acct)
    args = ["gpg", "--quiet", "--batch", "-d", path]
    try:
        return subprocess.check_output(args).strip().decode("utf-8")
    except subprocess.CalledProcessError:
        return ""

def get_keychain_pass(account=None, server=None):
    params = {'security': 'security', 'command': 'find-internet-password', 'account': account, 'server': server}
    command = "%(security)s %(command)s -w -a %(account)s -s %(server)s" % params
    return subprocess.run(command.split(), capture_output=True, text=True).stdout.strip()

def gnome_keyring(user, server, protocol):
    import gnomekeyring as gkey
    return gkey.find_items_sync(gkey.ITEM_NETWORK_PASSWORD, {"user": user, "server": server, "protocol": protocol})[0].secret

def from_env():
    return os.environ["MAIL_PASSWORD"]

def kp(entry):
    return subprocess.check_output(f"keepassxc-cli show -s -a Password ~/db.kdbx {entry}", shell=True).decode().strip()

def work_user():
    return os.getenv("WORK_USER", "fallback")

def loops(name):
    for line in open(os.path.expanduser("~/.pw")):
        if line.startswith(name):
            return line.split()[1]

def from_json(name):
    import json
    return json.load(open("/etc/pw.json"))[name]
`;

function account(name: string, remote: string): string {
  return `[Account ${name}]\nlocalrepository = ${name}-local\nremoterepository = ${name}-remote\n\n[Repository ${name}-local]\ntype = Maildir\nlocalfolders = ~/Mail/${name}\n\n[Repository ${name}-remote]\ntype = IMAP\n${remote}\n\n`;
}

const SHAPES: Array<{ name: string; remote: string; argv?: string[]; kind?: string; password: string; origin: RegExp }> = [
  { name: 'shell', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = get_pass("mail/work")', argv: ['/bin/sh', '-c', 'pass mail/work'], password: 'work-pass',
    origin: /^shell command "pass mail\/work" \(first line of its output, run by \/bin\/sh -c as the Python code did\) — from remotepasseval get_pass\("mail\/work"\), .*\.offlineimap\.py:7$/ },
  { name: 'list', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = pass_show("email/personal")', argv: ['pass', 'show', 'email/personal'], password: 'personal-pass',
    origin: /^command "pass show email\/personal" \(first line of its output, run without a shell\) — from remotepasseval pass_show\("email\/personal"\), .*\.offlineimap\.py:10$/ },
  { name: 'popen', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = gpg_file()', argv: ['/bin/sh', '-c', 'gpg -dq ~/.mailpass.gpg'], password: 'gpg-pass', origin: /^shell command "gpg -dq ~\/\.mailpass\.gpg"/ },
  { name: 'gpgargs', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = mailpasswd("mailpass")', password: 'gpg-pass', origin: /^command "gpg --quiet --batch -d .*\/home\/\.mailpass\.gpg"/ },
  { name: 'keychain', remote: 'remotehost = imap.mail.me.com\nremoteuser = me@icloud.com\nremotepasseval = get_keychain_pass(account="me@icloud.com", server="imap.mail.me.com")',
    argv: ['security', 'find-internet-password', '-w', '-a', 'me@icloud.com', '-s', 'imap.mail.me.com'], password: 'icloud-pass', origin: /^command "security find-internet-password -w -a me@icloud\.com -s imap\.mail\.me\.com"/ },
  { name: 'gnome', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = gnome_keyring("me", "imap.example.org", "imap")',
    argv: ['secret-tool', 'lookup', 'user', 'me', 'server', 'imap.example.org', 'protocol', 'imap'], password: 'gnome-pass', origin: /^Secret Service item user="me" server="imap\.example\.org" protocol="imap"/ },
  { name: 'env', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = from_env()', kind: 'env', password: 'env-pass', origin: /^environment variable MAIL_PASSWORD — from remotepasseval from_env\(\)/ },
  { name: 'keepass', remote: 'remotehost = imap.example.org\nremoteuser = me\nremotepasseval = kp("mail")', password: 'kp-pass', origin: /^shell command "keepassxc-cli show -s -a Password ~\/db\.kdbx mail"/ },
];

function load(extraGeneral = ''): { f: Fixture; remote: (n: string) => ImapRepositoryConfig; errors: string[] } {
  const names = [...SHAPES.map((s) => s.name), 'envuser', 'loop', 'json', 'nofunc', 'hosterr'];
  const f = fixture(`[general]\naccounts = ${names.join(', ')}\npythonfile = ~/.offlineimap.py\n${extraGeneral}\n` +
    SHAPES.map((s) => account(s.name, s.remote)).join('') +
    account('envuser', 'remotehosteval = os.environ["MAIL_HOST"]\nremoteusereval = work_user()\nremotepass = x') +
    account('loop', 'remotehost = h\nremoteuser = me\nremotepasseval = loops("work")') +
    account('json', 'remotehost = h\nremoteuser = me\nremotepasseval = from_json("work")') +
    account('nofunc', 'remotehost = h\nremoteuser = me\nremotepasseval = get_password("work")') +
    account('hosterr', 'remotehosteval = get_pass("host")\nremoteuser = me\nremotepass = x'),
  { MAIL_HOST: 'imap.env.example', WORK_USER: 'worker' });
  f.write('home/.offlineimap.py', PY);
  const r = f.load();
  const remote = (n: string) => r.config.accounts.find((a) => a.name === n)!.remote as ImapRepositoryConfig;
  return { f, remote, errors: r.accountErrors.map((e) => e.message) };
}

describe('remotepasseval helpers of the pythonfile', () => {
  it('each shape becomes a source Satchel runs, with the line --info shows', () => {
    const { remote } = load();
    for (const s of SHAPES) {
      const repo = remote(s.name);
      if (s.argv) expect(repo.password, s.name).toEqual({ kind: 'command', argv: s.argv });
      if (s.kind) expect(repo.password.kind, s.name).toBe(s.kind);
      expect(repo.origins?.password, s.name).toMatch(s.origin);
    }
  });

  it('the translated commands run for real (fake helpers on PATH check their arguments) and give the password', async () => {
    const { f, remote } = load();
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: f.home, MAIL_PASSWORD: 'env-pass' };
    for (const s of SHAPES) {
      expect(await resolvePassword(remote(s.name).password, { env, home: f.home }), s.name).toBe(s.password);
    }
    // a helper that fails says which command and why, never a password
    const bad = { kind: 'command' as const, argv: ['/bin/sh', '-c', 'pass mail/missing'] };
    await expect(resolvePassword(bad, { env, home: f.home })).rejects.toThrow(/\/bin\/sh exited with status 1 \(Error: mail\/missing is not in the password store\.\)/);
  });

  it('user and host from the environment or a helper are read when the file is loaded', () => {
    const { remote } = load();
    const r = remote('envuser');
    expect([r.host, r.user]).toEqual(['imap.env.example', 'worker']);
    expect(r.origins?.host).toMatch(/^environment variable MAIL_HOST — from remotehosteval os\.environ\["MAIL_HOST"\], .*offlineimaprc:\d+$/);
    expect(r.origins?.user).toMatch(/^environment variable WORK_USER — from remoteusereval work_user\(\), .*\.offlineimap\.py:\d+$/);
  });

  it('what cannot be translated stops that account with one line naming the option, the file:line, the function and what to write instead', () => {
    const { f, errors, remote } = load();
    const py = path.join(f.home, '.offlineimap.py');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe(`${f.rc}:${lineOf(f, 'remotepasseval = loops')}: [Repository loop-remote] remotepasseval = loops("work") cannot be translated (it calls loops() of ${py}:${pyLine('def loops')}): a for loop is not something Satchel can translate (${py}:${pyLine('def loops') + 1}). Write instead: passcmd = pass show mail/NAME (any command that prints the password, run without a shell), or remotepassfile = ~/.mail-password. Account 'loop' is not synced; the other accounts are.`);
    expect(errors[1]).toMatch(/\[Repository json-remote\] remotepasseval = from_json\("work"\) cannot be translated \(it calls from_json\(\) of .*\): reading a password out of a JSON file is not supported .* Write instead: passcmd = /);
    expect(errors[2]).toMatch(/\[Repository nofunc-remote\] remotepasseval = get_password\("work"\) cannot be translated: 'get_password' is not defined in the pythonfile\. Write instead: passcmd = /);
    expect(errors[3]).toMatch(/\[Repository hosterr-remote\] remotehosteval = get_pass\("host"\) cannot be translated \(it calls get_pass\(\) .*\): it comes from shell command "pass host" .* which Satchel runs only for passwords\. Write instead: remotehost = imap\.example\.org\. Account 'hosterr' is not synced/);
    for (const e of errors) expect(e.split('\n')).toHaveLength(1);
    expect(remote('shell').host).toBe('imap.example.org');
  });

  it('without a pythonfile a helper call is refused the same way, naming the missing pythonfile', () => {
    const f = fixture(`[general]\naccounts = a\n${account('a', 'remotehost = h\nremoteuser = me\nremotepasseval = get_pass("x")')}`);
    expect(f.load().accountErrors[0]!.message).toMatch(/remotepasseval = get_pass\("x"\) cannot be translated: 'get_pass' is not defined \(no pythonfile is set\)\./);
  });
});

function lineOf(f: Fixture, text: string): number {
  return fs.readFileSync(f.rc, 'utf8').split('\n').findIndex((l) => l.startsWith(text)) + 1;
}
function pyLine(text: string): number {
  return PY.split('\n').findIndex((l) => l.startsWith(text)) + 1;
}
