// Options that are present but not honoured are never silently ignored: a ConfigWarning names
// the line, the option and why (not supported, wrong section, unknown with "did you mean").
// Line numbers count from the MINIMAL fixture plus the lines each test inserts.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { fixture, MINIMAL } from './config-fixture.js';

function warningsFor(extra: { general?: string; account?: string; local?: string; remote?: string; tail?: string }): string[] {
  let text = MINIMAL;
  if (extra.general) text = text.replace('accounts = personal\n', `accounts = personal\n${extra.general}\n`);
  if (extra.account) text = text.replace('remoterepository = personal-remote\n', `remoterepository = personal-remote\n${extra.account}\n`);
  if (extra.local) text = text.replace('localfolders = ~/Mail/personal\n', `localfolders = ~/Mail/personal\n${extra.local}\n`);
  if (extra.remote) text += `${extra.remote}\n`;
  if (extra.tail) text += `${extra.tail}\n`;
  const f = fixture(text);
  return f.load().warnings.map((w) => w.message.replace(`${f.rc}:`, 'rc:'));
}

describe('configuration warnings', () => {
  it('carry section, option, line, file and a printable message', () => {
    const f = fixture(MINIMAL + 'holdconnectionopen = yes\n');
    expect(f.load().warnings).toEqual([{
      section: 'Repository personal-remote', option: 'holdconnectionopen', line: 17, file: f.rc,
      message: `${f.rc}:17: [Repository personal-remote] option 'holdconnectionopen' is not supported and is ignored: connections are opened for each sync and closed after it; idlefolders keeps its own connections open, probed with NOOP after 4 minutes of quiet.`,
    }]);
  });

  it('known OfflineIMAP options that Satchel does not honour, in every kind of section', () => {
    expect(warningsFor({
      general: 'socktimeout = 60\nignore-keyring = yes',
      account: 'status_backend = sqlite\nfilterheaders = X-Spam',
      local: 'restoreatime = yes\ncustomflag_x = $Label1',
      remote: 'keepalive = 60\nsubscribedonly = yes\nsep = /',
    })).toEqual([
      "rc:3: [general] option 'socktimeout' is not supported and is ignored: Satchel always uses its own network timeouts.",
      "rc:4: [general] option 'ignore-keyring' is not supported and is ignored: not supported.",
      "rc:9: [Account personal] option 'status_backend' is not supported and is ignored: Satchel always keeps its state in its own SQLite database (OfflineIMAP 8 rejects this option too; remove it).",
      "rc:10: [Account personal] option 'filterheaders' is not supported and is ignored: messages are uploaded byte for byte.",
      "rc:15: [Repository personal-local] option 'restoreatime' is not supported and is ignored: the access time of Maildir folders is not restored.",
      "rc:16: [Repository personal-local] option 'customflag_x' is not supported and is ignored: custom Maildir flags are not supported; keywords stay on the server.",
      "rc:23: [Repository personal-remote] option 'keepalive' is not supported and is ignored: connections are opened for each sync and closed after it; idlefolders keeps its own connections open, probed with NOOP after 4 minutes of quiet.",
      "rc:24: [Repository personal-remote] option 'subscribedonly' is not supported and is ignored: all folders are listed, subscribed or not.",
      "rc:25: [Repository personal-remote] option 'sep' is not supported and is ignored: IMAP repositories always use the server's separator (OfflineIMAP ignores it too).",
    ]);
  });

  it('remotepasseval wins over remotepass, as in OfflineIMAP, and says so', () => {
    expect(warningsFor({ remote: 'remotepasseval = os.environ["MAIL_PASSWORD"]' })).toEqual([
      "rc:16: [Repository personal-remote] option 'remotepassfile' is ignored because remotepasseval is set (it takes precedence).",
    ]);
  });

  it('typos get "did you mean", options in the wrong section say where they belong', () => {
    expect(warningsFor({ account: 'autorefesh = 5', local: 'localfolder = /x\nexpunge = no', remote: 'remotehots = x\nsslcacert = /ca\nfrobnicate = 1\nautorefresh = 5' })).toEqual([
      "rc:7: [Account personal] option 'autorefesh' is not a known option and is ignored. Did you mean 'autorefresh'?",
      "rc:12: [Repository personal-local] option 'localfolder' is not a known option and is ignored. Did you mean 'localfolders'?",
      "rc:13: [Repository personal-local] option 'expunge' has no effect here and is ignored: it belongs in an IMAP [Repository NAME] section.",
      "rc:20: [Repository personal-remote] option 'remotehots' is not a known option and is ignored. Did you mean 'remotehost'?",
      "rc:21: [Repository personal-remote] option 'sslcacert' is not a known option and is ignored. Did you mean 'sslcacertfile'?",
      "rc:22: [Repository personal-remote] option 'frobnicate' is not a known option and is ignored.",
      "rc:23: [Repository personal-remote] option 'autorefresh' has no effect here and is ignored: it belongs in an [Account NAME] section.",
    ]);
  });

  it('unknown sections, [mbnames] options that are Python, [DEFAULT] options that nothing uses', () => {
    const w = warningsFor({ tail: '[Acount x]\na = 1\n[mbnames]\nenabled = yes\nfilename = ~/.mutt/mailboxes\nsort_keyfunc = lambda d: d\n[DEFAULT]\nkeepalive = 30\nremoteusr = x\nssl = no' });
    expect(w).toEqual([
      "rc:24: [DEFAULT] option 'keepalive' is not supported and is ignored: connections are opened for each sync and closed after it; idlefolders keeps its own connections open, probed with NOOP after 4 minutes of quiet.",
      "rc:25: [DEFAULT] option 'remoteusr' is not a known option and is ignored. Did you mean 'remoteuser'?",
      'rc:17: [Acount x] is not a section OfflineIMAP or Satchel knows, so it is ignored. Did you mean [Account x]?',
      "rc:22: [mbnames] option 'sort_keyfunc' is not supported and is ignored: Satchel never evaluates Python code; the list is sorted by account, then folder name (OfflineIMAP's default).",
    ]);
    expect(warningsFor({ tail: '[mbnames]\nenabled = no\nfilename = x' })).toEqual([]);
  });

  it('a type spelled in another case, an old ui name, an unknown ui', () => {
    expect(warningsFor({ general: 'ui = Curses.Blinkenlights' }).concat(
      fixture(MINIMAL.replace('type = Maildir', 'type = maildir').replace('[general]', '[general]\nui = fancy')).load().warnings.map((w) => w.message.replace(/^.*?:\d+: /, '')),
    )).toEqual([
      "rc:3: [general] ui = 'Curses.Blinkenlights' is an old interface name; it is read as 'blinkenlights'.",
      "[general] ui = 'fancy' is not a known interface and is ignored. Use one of: quiet, basic, syslog, ttyui, blinkenlights, machineui.",
      "[Repository personal-local] type = 'maildir' is read as 'Maildir'; OfflineIMAP itself accepts only 'Maildir'.",
    ]);
  });

  it('password options hidden by a higher-precedence one', () => {
    expect(warningsFor({ remote: 'remotepass = x\npasscmd = pass show mail' })).toEqual([
      "rc:17: [Repository personal-remote] option 'remotepass' is ignored because passcmd is set (it takes precedence).",
      "rc:16: [Repository personal-remote] option 'remotepassfile' is ignored because passcmd is set (it takes precedence).",
    ]);
    expect(warningsFor({ remote: 'remotepass = x' })).toEqual([
      "rc:16: [Repository personal-remote] option 'remotepassfile' is ignored because remotepass is set (it takes precedence).",
    ]);
  });

  it('repositories or Maildir roots shared by two accounts; utf8foldernames is reported as not honoured', () => {
    const w = warningsFor({
      general: '',
      account: 'utf8foldernames = no',
      tail: '[Account second]\nlocalrepository = personal-local\nremoterepository = personal-remote',
    }).filter((m) => !m.includes('not listed'));
    expect(w).toEqual(["rc:7: [Account personal] option 'utf8foldernames' is not supported and is ignored: local folder names are always UTF-8 (what utf8foldernames = yes gives); a folder OfflineIMAP stored in modified UTF-7 is adopted under its existing name."]);
    const f = fixture(MINIMAL.replace('accounts = personal', 'accounts = personal, second') + '[Account second]\nlocalrepository = second-local\nremoterepository = personal-remote\n[Repository second-local]\ntype = Maildir\nlocalfolders = ~/Mail/personal\n');
    expect(f.load().warnings.map((w) => w.message.replace(`${f.rc}:`, 'rc:'))).toEqual([
      "rc:12: [Repository personal-remote] is used by accounts 'personal' and 'second'. Give each account its own repositories, or their folder state gets mixed up.",
      `rc:22: [Repository second-local] localfolders ${f.home}/Mail/personal is also used by account 'personal'. Give each account its own Maildir root, or messages get uploaded to the wrong server.`,
    ]);
  });
});

describe('password sources from the file', () => {
  const withPassword = (lines: string) => MINIMAL.replace('remotepassfile = ~/.config/satchel/personal.pass\n', lines);

  it('remotepass (with %% for %), remotepassfile (expanded), passcmd (quoted, no shell)', () => {
    expect(fixture(withPassword('remotepass = a%%b c\n')).load().config.accounts[0]!.remote).toMatchObject({ password: { kind: 'inline', value: 'a%b c' } });
    const f = fixture(withPassword('remotepassfile = $HOME/p.txt\n'));
    expect(f.load().config.accounts[0]!.remote).toMatchObject({ password: { kind: 'file', path: `${f.home}/p.txt` } });
    const c = fixture(withPassword(`passcmd = gpg --quiet -d ~/pw.gpg "two words" 'it''s' a\\ b "$HOME/x" 100%%\n`));
    expect(c.load().config.accounts[0]!.remote).toMatchObject({
      password: { kind: 'command', argv: ['gpg', '--quiet', '-d', `${c.home}/pw.gpg`, 'two words', 'its', 'a b', `${c.home}/x`, '100%'] },
    });
  });

  it('no password option: ~/.netrc when it has the host (user may come from it), else the keyring (key: the account name)', () => {
    const none = fixture(withPassword(''));
    expect(none.load().config.accounts[0]!.remote).toMatchObject({ password: { kind: 'keyring', service: 'Satchel', account: 'personal' } });
    none.write('home/.netrc', 'machine imap.example.org login me@example.org password s3cret\n', 0o600);
    expect(none.load().config.accounts[0]!.remote).toMatchObject({ password: { kind: 'netrc', host: 'imap.example.org', user: 'me@example.org' } });

    const other = fixture(withPassword(''));
    other.write('home/.netrc', 'machine imap.example.org login someone-else password x\n');
    expect(other.load().config.accounts[0]!.remote).toMatchObject({ password: { kind: 'keyring', service: 'Satchel', account: 'personal' } });

    const userFromNetrc = fixture(withPassword('').replace('remoteuser = me@example.org\n', ''));
    userFromNetrc.write('home/.netrc', 'machine imap.example.org\n  login netrc-user\n  password x\n');
    expect(userFromNetrc.load().config.accounts[0]!.remote).toMatchObject({ user: 'netrc-user', password: { kind: 'netrc', host: 'imap.example.org', user: 'netrc-user' } });
  });

  it('a ~/.netrc that gives a password while others can read it: a warning naming chmod 600, never the password; none when private', () => {
    const open = fixture(withPassword(''));
    const netrc = open.write('home/.netrc', 'machine imap.example.org login me@example.org password s3cret-NETRC\n', 0o644);
    fs.chmodSync(netrc, 0o644);
    const loaded = open.load();
    expect(loaded.config.accounts[0]!.remote).toMatchObject({ password: { kind: 'netrc' } });
    const warning = loaded.warnings.find((w) => w.message.includes('.netrc'));
    expect(warning?.message).toContain(`${netrc} holds a password and other users can read it (mode 644). Make it private: chmod 600 ${netrc}`);
    expect(JSON.stringify(loaded.warnings)).not.toContain('s3cret-NETRC');
    fs.chmodSync(netrc, 0o600);
    expect(open.load().warnings.filter((w) => w.message.includes('.netrc'))).toEqual([]);
  });
});
