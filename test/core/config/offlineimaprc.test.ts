// Loading OfflineIMAP configuration files: real-world shapes, every default, DEFAULT and
// interpolation, continuation lines, -k overrides and account selection.
// Fixtures are written to a temp dir with a private HOME; never reads the real user's files.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findDefaultConfigPath } from '../../../core/config/offlineimaprc.js';
import { validateConfig } from '../../../core/config/model.js';
import { fixture, MINIMAL } from './config-fixture.js';

describe('loadOfflineImapConfig: shapes and defaults', () => {
  it('reads the minimal config with every default filled in', () => {
    const f = fixture(MINIMAL);
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      configFile: f.rc,
      general: {
        metadata: path.join(f.home, '.local/state/satchel'),
        offlineimapMetadata: path.join(f.home, '.offlineimap'),
        maxSyncAccounts: 1,
        fsync: true,
      },
      accounts: [{
        name: 'personal',
        quick: 0,
        local: {
          type: 'maildir', name: 'personal-local', localfolders: path.join(f.home, 'Mail/personal'), sep: '.',
          fsync: true, readonly: false, createFolders: true, syncDeletes: true,
        },
        remote: {
          type: 'imap', name: 'personal-remote', host: 'imap.example.org', port: 993, user: 'me@example.org',
          password: { kind: 'file', path: path.join(f.home, '.config/satchel/personal.pass') },
          ssl: true, starttls: true, maxConnections: 1, readonly: false, createFolders: true, syncDeletes: true,
          expunge: true, gmail: false,
        },
      }],
    });
    expect(validateConfig(config)).toEqual([]);
  });

  it('uses $XDG_STATE_HOME/satchel, or [general] metadata exactly as set (with ~ and $VAR)', () => {
    expect(fixture(MINIMAL, { XDG_STATE_HOME: '/xdg/state' }).load().config.general.metadata).toBe('/xdg/state/satchel');
    const f = fixture(MINIMAL.replace('[general]', '[general]\nmetadata = ~/$SUB/${SUB}x'), { SUB: 'm' });
    expect(f.load().config.general).toMatchObject({ metadata: path.join(f.home, 'm/mx'), offlineimapMetadata: path.join(f.home, 'm/mx') });
  });

  it('reads the benchmark harness config without any warning', () => {
    const f = fixture(`[general]
accounts = bench
metadata = /tmp/run/meta
ui = quiet

[Account bench]
localrepository = local
remoterepository = remote

[Repository local]
type = Maildir
localfolders = /tmp/run/local

[Repository remote]
type = IMAP
remotehost = 127.0.0.1
remoteport = 10143
remoteuser = bench
remotepass = p%%ss
ssl = no
starttls = no
maxconnections = 3
`);
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    expect(config.general).toMatchObject({ metadata: '/tmp/run/meta', ui: 'quiet' });
    expect(config.accounts[0]!.remote).toMatchObject({
      host: '127.0.0.1', port: 10143, ssl: false, starttls: false, maxConnections: 3, password: { kind: 'inline', value: 'p%ss' },
    });
  });

  it('type = Gmail defaults to imap.gmail.com:993 with SSL; GmailMaildir is a Maildir; synclabels is reported as not honoured', () => {
    const f = fixture(`[general]
accounts = g
[Account g]
localrepository = gl
remoterepository = gr
synclabels = yes
labelsheader = X-Label
ignorelabels = \\Inbox, \\Starred
[Repository gl]
type = GmailMaildir
localfolders = /m/g
[Repository gr]
type = Gmail
remoteuser = me@gmail.com
remotepass = x
`);
    const { config, warnings } = f.load();
    // Labels are not synced, so each of the three options says so (and nothing of them reaches the model).
    expect(warnings.map((w) => w.option)).toEqual(['synclabels', 'labelsheader', 'ignorelabels']);
    for (const w of warnings) expect(w.message).toMatch(/is not supported and is ignored: Gmail labels are not synced: each label is its own folder/);
    const a = config.accounts[0]!;
    expect(a.remote).toMatchObject({ type: 'imap', host: 'imap.gmail.com', port: 993, ssl: true, starttls: true, gmail: true });
    expect(a.local).toMatchObject({ type: 'maildir', gmail: true });
    expect(Object.keys(a)).not.toContain('synclabels');
  });

  it('Gmail keeps port 993 even with ssl = no (as OfflineIMAP); IMAP without ssl defaults to 143', () => {
    const gmail = fixture(MINIMAL.replace('type = IMAP\nremotehost = imap.example.org', 'type = Gmail\nssl = no')).load();
    expect(gmail.config.accounts[0]!.remote).toMatchObject({ host: 'imap.gmail.com', port: 993, ssl: false });
    const plain = fixture(MINIMAL.replace('type = IMAP', 'type = IMAP\nssl = no')).load();
    expect(plain.config.accounts[0]!.remote).toMatchObject({ port: 143, ssl: false, starttls: true });
  });

  it('reads several accounts in the order of [general] accounts, and options with their values', () => {
    const f = fixture(`[general]
accounts = work , home
maxsyncaccounts = 2
fsync = off
[Account home]
localrepository = hl
remoterepository = hr
autorefresh = 0.5
quick = 10
maxage = 30
presynchook = notmuch new --quiet
postsynchook = ~/bin/after "quoted"
[Account work]
localrepository = wl
remoterepository = wr
maxage = 2020-1-5
quick = -3
[Repository hl]
type = Maildir
localfolders = rel/mail
sep = /
readonly = true
createfolders = yes
sync_deletes = no
[Repository hr]
type = IMAP
remotehost = h.example
remoteuser = h
remotepass = x
remoteport = 1993
sslcacertfile = ~/ca.pem
cert_fingerprint = AA:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd, ${'0'.repeat(64)}
expunge = no
maxconnections = 3
[Repository wl]
type = Maildir
localfolders = /w
[Repository wr]
type = IMAP
remotehost = w.example
remoteuser = w
remotepass = x
sslcacertfile = OS-DEFAULT
starttls = no
`);
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    expect(config.general).toMatchObject({ maxSyncAccounts: 2, fsync: false });
    expect(config.accounts.map((a) => a.name)).toEqual(['work', 'home']);
    const [work, home] = config.accounts;
    expect(home).toMatchObject({
      autorefresh: 0.5, quick: 10, maxage: 30, presynchook: 'notmuch new --quiet', postsynchook: '~/bin/after "quoted"',
    });
    expect(home!.local).toMatchObject({ localfolders: path.join(f.dir, 'rel/mail'), sep: '/', readonly: true, createFolders: false, syncDeletes: false, fsync: false });
    expect(home!.remote).toMatchObject({
      port: 1993, caFile: path.join(f.home, 'ca.pem'), expunge: false, maxConnections: 3,
      certFingerprints: ['aabbccddeeff00112233445566778899aabbccdd', '0'.repeat(64)],
    });
    expect(work).toMatchObject({ maxageDate: '2020-01-05', quick: -1 });
    expect(work!.autorefresh).toBeUndefined();
    expect(work!.remote).toMatchObject({ starttls: false });
    expect('caFile' in work!.remote).toBe(false);
  });

  it('applies [DEFAULT] to every section and %(name)s interpolation, without warning about variables', () => {
    const f = fixture(`[DEFAULT]
mailroot = /srv/mail
ssl = no
[general]
accounts = a
[Account a]
localrepository = l
remoterepository = r
[Repository l]
type = Maildir
who = alice
localfolders = %(mailroot)s/%(who)s
[Repository r]
type = IMAP
remotehost = imap.%(who)s.example
who = alice
remoteuser = %(who)s
remotepass = 100%%
`);
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    const a = config.accounts[0]!;
    expect(a.local).toMatchObject({ localfolders: '/srv/mail/alice' });
    expect(a.remote).toMatchObject({ host: 'imap.alice.example', user: 'alice', ssl: false, port: 143, password: { kind: 'inline', value: '100%' } });
  });

  it('keeps folderfilter / nametrans / folderincludes as written, with continuation lines and line numbers', () => {
    const f = fixture(MINIMAL + `folderfilter = lambda folder: folder in [
      'INBOX',
      'Sent']
nametrans = lambda f: re.sub('^INBOX\\.', '', f)
folderincludes = ['debian.user',
    "debian.personal"]
`);
    const remote = f.load().config.accounts[0]!.remote;
    expect(remote.folderfilter).toEqual({ source: "lambda folder: folder in [\n'INBOX',\n'Sent']", line: 17 });
    expect(remote).toMatchObject({ nametransSource: "lambda f: re.sub('^INBOX\\.', '', f)", nametransLine: 20, folderincludes: ['debian.user', 'debian.personal'] });
  });
});

describe('loadOfflineImapConfig: overrides and account selection', () => {
  const TWO = MINIMAL.replace('accounts = personal', 'accounts = personal').concat(`
[Account Other Acct]
localrepository = personal-local
remoterepository = personal-remote
`);

  it('-k sets options: general by default, "_" is a space, a bare repository name is accepted', () => {
    const f = fixture(MINIMAL);
    const { config } = f.load({
      overrides: ['maxsyncaccounts=4', 'Account_personal:autorefresh=30', 'personal-remote:ssl=no', 'Repository_personal-remote:remotepass=%%x'],
    });
    expect(config.general.maxSyncAccounts).toBe(4);
    expect(config.accounts[0]!.autorefresh).toBe(30);
    expect(config.accounts[0]!.remote).toMatchObject({ ssl: false, port: 143, password: { kind: 'inline', value: '%x' } });
  });

  it('-k errors name the argument (hiding secrets) and the fix', () => {
    const e = fixture(MINIMAL).error({ overrides: ['novalue', 'Account_nope:quick=1', 'Repository_personal-remote:remotepass=secret', 'personal-remote:remoteport=abc'] });
    expect(e.message).toContain('-k novalue: expected [SECTION:]OPTION=VALUE, e.g. -k Account_Personal:autorefresh=30.');
    expect(e.message).toContain('-k Account_nope:quick=1: there is no [Account nope] section. Sections: [general], [Account personal]');
    expect(e.message).toContain("-k personal-remote:remoteport=abc: [Repository personal-remote] remoteport: 'abc' is not a whole number.");
    expect(e.message).not.toContain('secret');
  });

  it('warns about [Account X] sections that accounts does not list; opts.accounts selects any of them', () => {
    const f = fixture(TWO);
    const { config, warnings } = f.load();
    expect(config.accounts.map((a) => a.name)).toEqual(['personal']);
    expect(warnings.map((w) => w.message)).toContain(`${f.rc}:18: [Account Other Acct] is not listed in [general] accounts, so it is not synced. Add 'Other Acct' to accounts (or select it with -a) to sync it.`);
    const picked = f.load({ accounts: ['Other Acct'] });
    expect(picked.config.accounts.map((a) => a.name)).toEqual(['Other Acct']);
    expect(picked.warnings.some((w) => w.message.includes('is used by accounts'))).toBe(false);
    expect(f.error({ accounts: ['personnal'] }).message).toContain("-a: account 'personnal' is selected but there is no [Account personnal] section. Choose personal, Other Acct (did you mean 'personal'?).");
  });

  it('a name listed twice is synced once, with a warning', () => {
    const { config, warnings } = fixture(MINIMAL.replace('accounts = personal', 'accounts = personal,personal')).load();
    expect(config.accounts).toHaveLength(1);
    expect(warnings[0]!.message).toContain("account 'personal' is listed twice in accounts; it is synced once.");
  });
});

describe('findDefaultConfigPath', () => {
  it('prefers $XDG_CONFIG_HOME/offlineimap/config, then ~/.config/..., then ~/.offlineimaprc', () => {
    const f = fixture('');
    expect(findDefaultConfigPath({}, f.home)).toBe(path.join(f.home, '.offlineimaprc'));
    const dflt = f.write('home/.config/offlineimap/config', '');
    expect(findDefaultConfigPath({}, f.home)).toBe(dflt);
    const xdg = f.write('xdg/offlineimap/config', '');
    expect(findDefaultConfigPath({ XDG_CONFIG_HOME: path.join(f.dir, 'xdg') }, f.home)).toBe(xdg);
    fs.rmSync(xdg);
    expect(findDefaultConfigPath({ XDG_CONFIG_HOME: path.join(f.dir, 'xdg') }, f.home)).toBe(path.join(f.home, '.offlineimaprc'));
  });
});
