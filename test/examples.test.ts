// The example configurations of the README's migration guide (examples/*.offlineimaprc): each one
// loads, means what the README says it means, and its folder rules map realistic folder lists
// the way the comments in the file promise.

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { loadOfflineImapConfig } from '../core/config/offlineimaprc.js';
import { previewFolders, sideRulesOf } from '../core/sync/folder-plan.js';
import type { AccountConfig, ImapRepositoryConfig } from '../core/config/model.js';

const home = '/home/reader';
const load = (name: string) => loadOfflineImapConfig(path.join('examples', `${name}.offlineimaprc`), { env: { HOME: home }, home });
const remoteOf = (a: AccountConfig) => a.remote as ImapRepositoryConfig;
const mapping = (a: AccountConfig, farNames: string[], nearNames: string[], farSep: string) =>
  previewFolders({ farNames, nearNames, farSep, nearSep: '.', remote: sideRulesOf(a.remote), local: sideRulesOf(a.local) })
    .map((r) => `${r.remote} -> ${r.local}${r.synced ? '' : ' (filtered)'}${r.problem ? ' PROBLEM' : ''}${r.warning ? ' WARNING' : ''}`);

describe('examples/ configurations', () => {
  it('every example in examples/ is listed in the README and loads', () => {
    const files = fs.readdirSync('examples').filter((f) => f.endsWith('.offlineimaprc')).sort();
    expect(files).toEqual(['daemon.offlineimaprc', 'gmail.offlineimaprc', 'minimal.offlineimaprc', 'several-accounts.offlineimaprc']);
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const f of files) expect(readme, f).toContain(`examples/${f}`);
  });

  it('minimal: one account, every folder, TLS on 993, the password from the keyring or a prompt', () => {
    const { config, warnings } = load('minimal');
    expect(warnings).toEqual([]);
    const [a] = config.accounts;
    expect(config.accounts).toHaveLength(1);
    expect(a!.local).toMatchObject({ type: 'maildir', localfolders: `${home}/Maildir`, sep: '.' });
    expect(remoteOf(a!)).toMatchObject({ host: 'imap.example.org', port: 993, ssl: true, user: 'username',
      password: { kind: 'keyring', service: 'Satchel', account: 'main' } });
    expect(mapping(a!, ['INBOX', 'Archive/2024'], [], '/')).toEqual(['INBOX -> INBOX', 'Archive/2024 -> Archive.2024']);
  });

  it('gmail: the documentation\'s nested re.sub nametrans and the All Mail filter, with the reverse derived for new local folders', () => {
    const { config, warnings } = load('gmail');
    expect(warnings).toEqual([]);
    expect(config.general.metadata).toBe(`${home}/.local/state/satchel`);
    const [a] = config.accounts;
    expect(remoteOf(a!)).toMatchObject({ type: 'imap', gmail: true, host: 'imap.gmail.com', port: 993, ssl: true,
      caFile: '/etc/ssl/certs/ca-certificates.crt' });
    expect(mapping(a!, ['INBOX', '[Gmail]/All Mail', '[Gmail]/Sent Mail', '[Gmail]/Starred', '[Gmail]/Drafts', 'Work Stuff'], ['projects'], '/')).toEqual([
      'INBOX -> inbox',
      '[Gmail]/All Mail -> bak.all_mail (filtered)',
      '[Gmail]/Sent Mail -> bak.sent',
      '[Gmail]/Starred -> bak.flagged',
      '[Gmail]/Drafts -> bak.drafts',
      'Work Stuff -> work_stuff',
      'projects -> projects',
    ]);
  });

  it('several accounts: [DEFAULT] interpolation, passcmd and a password file, INBOX. stripped and put back', () => {
    const { config, warnings } = load('several-accounts');
    expect(warnings).toEqual([]);
    expect(config.general.maxSyncAccounts).toBe(2);
    const [work, homeAccount] = config.accounts;
    expect(config.accounts.map((a) => a.name)).toEqual(['work', 'home']);
    expect(work!.local).toMatchObject({ localfolders: `${home}/Mail/work` });
    expect(homeAccount!.local).toMatchObject({ localfolders: `${home}/Mail/home` });
    expect(remoteOf(work!)).toMatchObject({ maxConnections: 3, password: { kind: 'command', argv: ['pass', 'show', 'mail/work'] } });
    expect(remoteOf(homeAccount!)).toMatchObject({ maxConnections: 2, password: { kind: 'file', path: `${home}/.config/mail/home.pass` } });
    expect(mapping(work!, ['INBOX', 'INBOX.Sent', 'INBOX.Spam', 'INBOX.Trash', 'INBOX.Lists.dev'], ['INBOX', 'Sent', 'Projects'], '.')).toEqual([
      'INBOX -> INBOX',
      'INBOX.Sent -> Sent',
      'INBOX.Spam -> Spam (filtered)',
      'INBOX.Trash -> Trash (filtered)',
      'INBOX.Lists.dev -> Lists.dev',
      'INBOX.Projects -> Projects',
    ]);
  });

  it('daemon: autorefresh with quick syncs, IDLE folders, a post-sync hook and the mutt mailboxes file', () => {
    const { config, warnings } = load('daemon');
    const [a] = config.accounts;
    expect(a).toMatchObject({ autorefresh: 5, quick: 10, postsynchook: 'notmuch new' });
    expect(remoteOf(a!).idleFolders).toEqual(['INBOX', 'Lists']);
    expect(config.mbnames).toMatchObject({ filename: `${home}/.mutt/mailboxes`, header: 'mailboxes ', sep: ' ', footer: '\n', incremental: false });
    // holdconnectionopen / keepalive are OfflineIMAP's cure for reconnect costs; Satchel says by name why it needs neither.
    expect(warnings.map((w) => w.message.replace(/^.*?: \[/, '['))).toEqual([
      expect.stringMatching(/^\[Repository main-remote\] option 'holdconnectionopen' is not supported and is ignored: /),
      expect.stringMatching(/^\[Repository main-remote\] option 'keepalive' is not supported and is ignored: /),
    ]);
  });
});
