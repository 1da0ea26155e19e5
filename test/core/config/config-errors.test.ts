// Every malformed-configuration error: a ConfigError ('config-invalid', fatal, needs-user)
// whose message names file:line, the problem and the fix; all problems reported at once.
// Messages are matched exactly where the wording is part of the contract.

import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../../core/config/config-error.js';
import { loadOfflineImapConfig } from '../../../core/config/offlineimaprc.js';
import { fixture, MINIMAL } from './config-fixture.js';

/** MINIMAL with `from` replaced by `to`; returns the error message. */
function errorWith(from: string | RegExp, to: string): string {
  const text = MINIMAL.replace(from, to);
  expect(text).not.toBe(MINIMAL);
  return fixture(text).error().message;
}

describe('configuration errors', () => {
  it('is a fatal SyncError with code config-invalid and one issue per problem', () => {
    const e = fixture(MINIMAL.replace('remotehost = imap.example.org', 'remoteport = x')).error();
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toMatchObject({ name: 'ConfigError', code: 'config-invalid', scope: 'fatal', retry: 'needs-user' });
    expect(e.issues).toHaveLength(2);
    expect(e.issues.map((i) => i.line)).toEqual([12, 14]);
  });

  it('a missing file', () => {
    const f = fixture(MINIMAL);
    expect(() => loadOfflineImapConfig(f.rc + '.nope', { home: f.home, env: {} })).toThrow(/offlineimaprc\.nope: the configuration file does not exist\. Create it, or pass another one with -c FILE\./);
  });

  it('no [general], no accounts, empty accounts', () => {
    expect(errorWith('[general]\naccounts = personal\n', '')).toContain('offlineimaprc: there is no [general] section. Add one with "accounts = NAME" naming an [Account NAME] section.');
    expect(errorWith('accounts = personal\n', '')).toContain(`offlineimaprc:1: [general] has no 'accounts' option. Add "accounts = NAME" listing the [Account NAME] sections to sync, separated by commas.`);
    expect(errorWith('accounts = personal', 'accounts = ,')).toContain('offlineimaprc:2: [general] accounts is empty.');
  });

  it('an account listed in accounts without its [Account X] section', () => {
    expect(errorWith('accounts = personal', 'accounts = personal, persnal, work')).toContain(
      "offlineimaprc:2: account 'persnal' is listed in accounts but there is no [Account persnal] section. Add the section, or remove it from accounts; the defined accounts are personal (did you mean 'personal'?).");
  });

  it('missing localrepository / remoterepository, or their sections', () => {
    expect(errorWith('localrepository = personal-local\n', '')).toContain(
      `offlineimaprc:4: [Account personal] has no 'localrepository'. Add "localrepository = NAME" naming a [Repository NAME] section (usually of type Maildir).`);
    expect(errorWith('remoterepository = personal-remote', 'remoterepository = personal-remot')).toContain(
      "offlineimaprc:6: [Account personal] remoterepository = personal-remot, but there is no [Repository personal-remot] section. Add that section or fix the name (did you mean 'personal-remote'?).");
  });

  it('a missing or unknown type, and a type on the wrong side', () => {
    expect(errorWith('type = Maildir\n', '')).toContain(`offlineimaprc:8: [Repository personal-local] has no 'type'. Add "type = Maildir".`);
    expect(errorWith('type = Maildir', 'type = mbox')).toContain(
      "offlineimaprc:9: [Repository personal-local] type = 'mbox' is not a repository type. Use Maildir, GmailMaildir or IMAP for a localrepository, IMAP or Gmail for a remoterepository.");
    expect(errorWith('type = IMAP', 'type = Maildir')).toContain(
      "offlineimaprc:13: [Repository personal-remote] is the remoterepository of account 'personal', so its type must be IMAP or Gmail, not Maildir. Swap localrepository and remoterepository if they are reversed.");
    expect(errorWith('type = Maildir', 'type = Gmail')).toContain('Gmail is a remote type. Use GmailMaildir');
  });

  it('localfolders missing for a Maildir, remotehost and remoteuser missing for IMAP', () => {
    expect(errorWith('localfolders = ~/Mail/personal\n', '')).toContain(
      `offlineimaprc:8: [Repository personal-local] (type Maildir) has no 'localfolders'. Add "localfolders = ~/Mail" naming the Maildir root directory.`);
    expect(errorWith('remotehost = imap.example.org', 'remoteport = 993')).toContain(
      `offlineimaprc:12: [Repository personal-remote] (type IMAP) has no 'remotehost'. Add "remotehost = imap.example.org".`);
    expect(errorWith('remoteuser = me@example.org\n', '')).toContain(
      `offlineimaprc:12: [Repository personal-remote] has no 'remoteuser', and ~/.netrc has no login for imap.example.org. Add "remoteuser = you@example.org".`);
  });

  it('non-numeric or out-of-range numbers, bad booleans', () => {
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\nremoteport = 99x3')).toContain(
      "offlineimaprc:15: [Repository personal-remote] remoteport: '99x3' is not a whole number.");
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\nremoteport = 70000')).toContain(
      'offlineimaprc:15: [Repository personal-remote] remoteport = 70000 is too large: it must be at most 65535.');
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\nmaxconnections = 0')).toContain('maxconnections = 0 is too small: it must be at least 1.');
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\nssl = maybe')).toContain(
      "offlineimaprc:15: [Repository personal-remote] ssl: 'maybe' is not a boolean. Use yes or no (also true/false, on/off, 1/0).");
    expect(errorWith('remoterepository = personal-remote', 'remoterepository = personal-remote\nautorefresh = soon')).toContain(
      "offlineimaprc:7: [Account personal] autorefresh: 'soon' is not a number.");
    expect(errorWith('accounts = personal', 'accounts = personal\nmaxsyncaccounts = 0')).toContain('maxsyncaccounts = 0 is too small');
  });

  it('maxage: not a number or date, in the future, or with an IMAP local side', () => {
    expect(errorWith('remoterepository = personal-remote', 'remoterepository = personal-remote\nmaxage = last week')).toContain(
      "offlineimaprc:7: [Account personal] maxage = 'last week' is neither a number of days nor a date YYYY-MM-DD.");
    expect(errorWith('remoterepository = personal-remote', 'remoterepository = personal-remote\nmaxage = 0')).toContain('maxage = 0 must be at least 1 day.');
    expect(errorWith('remoterepository = personal-remote', 'remoterepository = personal-remote\nmaxage = 2999-01-01')).toContain('maxage = 2999-01-01 is in the future.');
    const imapLocal = fixture(MINIMAL.replace(/type = Maildir\nlocalfolders = .*\n/, 'type = IMAP\nremotehost = l\nremoteuser = u\nremotepass = p\n')
      .replace('remoterepository = personal-remote', 'remoterepository = personal-remote\nmaxage = 3'));
    expect(imapLocal.error().message).toContain('[Account personal] maxage works only when the localrepository is a Maildir (here it is IMAP). Remove maxage.');
  });

  it('cert_fingerprint, folderincludes and passcmd syntax', () => {
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\ncert_fingerprint = 12:34')).toContain(
      "offlineimaprc:15: [Repository personal-remote] cert_fingerprint '1234' is not a hex SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512 fingerprint.");
    expect(errorWith('remotehost = imap.example.org', "remotehost = h\nfolderincludes = ['a'] + extra")).toContain(
      'offlineimaprc:15: [Repository personal-remote] folderincludes: expected a list of quoted folder names');
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\nfolderincludes = [INBOX]')).toContain('Satchel never evaluates Python');
    expect(errorWith('remotehost = imap.example.org', "remotehost = h\npasscmd = pass show 'mail")).toContain(
      "offlineimaprc:15: [Repository personal-remote] passcmd: a ' quote is not closed.");
    expect(errorWith('remotehost = imap.example.org', 'remotehost = h\npasscmd = gpg -d f.gpg | head -1')).toContain(
      "passcmd: '|' is shell syntax, but passcmd runs without a shell.");
  });

  it('reports every problem of the file at once', () => {
    const f = fixture(`[general]
accounts = a, b
[Account a]
localrepository = al
[Account b]
localrepository = bl
remoterepository = br
[Repository al]
type = Maildir
[Repository bl]
type = Maildir
localfolders = /b
sep =
[Repository br]
type = IMAP
remoteuser = u
`);
    const e = f.error();
    expect(e.message.split('\n')[0]).toBe('4 problems in the configuration:');
    expect(e.issues.map((i) => i.line)).toEqual([8, 3, 13, 14]);
    expect(e.message).toContain(`offlineimaprc:3: [Account a] has no 'remoterepository'.`);
    expect(e.message).toContain(`offlineimaprc:13: [Repository bl] sep is empty.`);
    expect(e.message).toContain(`offlineimaprc:14: [Repository br] (type IMAP) has no 'remotehost'`);
  });
});
