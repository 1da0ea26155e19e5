// The sync options read from an offlineimaprc: maxsize, startdate (on either repository),
// maxage with them, and the catalogue classification of each option (honoured / not honoured
// with a reason / unknown with "did you mean"). Error messages are matched exactly.

import { describe, it, expect } from 'vitest';
import { fixture, MINIMAL } from './config-fixture.js';
import { classifyOption } from '../../../core/config/option-catalog.js';

const ACCOUNT = 'remoterepository = personal-remote';
const LOCAL = 'localfolders = ~/Mail/personal';
const REMOTE = 'remotehost = imap.example.org';
const withText = (pairs: Array<[string, string]>) => pairs.reduce((t, [from, to]) => { expect(t).toContain(from); return t.replace(from, to); }, MINIMAL);
const account = (pairs: Array<[string, string]>) => fixture(withText(pairs)).load().config.accounts[0]!;
const error = (pairs: Array<[string, string]>) => fixture(withText(pairs)).error().message;

describe('sync options in the configuration', () => {
  it('maxsize: a positive number of bytes on the account', () => {
    expect(account([[ACCOUNT, `${ACCOUNT}\nmaxsize = 2000000`]]).maxsize).toBe(2_000_000);
    expect(account([]).maxsize).toBeUndefined();
    expect(error([[ACCOUNT, `${ACCOUNT}\nmaxsize = 0`]])).toContain('offlineimaprc:7: [Account personal] maxsize = 0 is too small: it must be at least 1.');
    expect(error([[ACCOUNT, `${ACCOUNT}\nmaxsize = 2MB`]])).toMatch(/offlineimaprc:7: \[Account personal\] maxsize: .*2MB/);
  });

  it('startdate: a date on the local or the remote repository', () => {
    expect(account([[LOCAL, `${LOCAL}\nstartdate = 2024-03-01`]]).startdate).toBe('2024-03-01');
    expect(account([[REMOTE, `${REMOTE}\nstartdate = 2023-12-31`]]).startdate).toBe('2023-12-31');
    expect(error([[LOCAL, `${LOCAL}\nstartdate = 2024-02-30`]])).toContain(
      "offlineimaprc:11: [Repository personal-local] startdate = '2024-02-30' is not a date YYYY-MM-DD (e.g. 2024-01-31).");
    expect(error([[LOCAL, `${LOCAL}\nstartdate = yesterday`]])).toContain("startdate = 'yesterday' is not a date YYYY-MM-DD");
    expect(error([[LOCAL, `${LOCAL}\nstartdate = 2024-01-01`], [REMOTE, `${REMOTE}\nstartdate = 2024-01-01`]])).toContain(
      "offlineimaprc:16: [Repository personal-remote] startdate is set on both repositories of account 'personal'. Keep it on one of them.");
    expect(error([[LOCAL, `${LOCAL}\nstartdate = 2024-01-01`], [ACCOUNT, `${ACCOUNT}\nmaxage = 30`]])).toContain(
      'offlineimaprc:12: [Repository personal-local] startdate cannot be combined with maxage on [Account personal]. Remove one of them.');
  });

  it('maxage: days or a date', () => {
    expect(account([[ACCOUNT, `${ACCOUNT}\nmaxage = 30`]]).maxage).toBe(30);
    expect(account([[ACCOUNT, `${ACCOUNT}\nmaxage = 2020-1-5`]]).maxageDate).toBe('2020-01-05');
  });

  it('maildir-windows-compatible (account) and filename_use_mail_timestamp (repository or [general])', () => {
    const local = (pairs: Array<[string, string]>) => account(pairs).local as { windowsCompatible?: boolean; filenameUseMailTimestamp?: boolean };
    expect(local([]).windowsCompatible).toBeUndefined();
    expect(local([[ACCOUNT, `${ACCOUNT}\nmaildir-windows-compatible = yes`]]).windowsCompatible).toBe(true);
    expect(local([[ACCOUNT, `${ACCOUNT}\nmaildir-windows-compatible = no`]]).windowsCompatible).toBeUndefined();
    expect(error([[ACCOUNT, `${ACCOUNT}\nmaildir-windows-compatible = maybe`]])).toMatch(/offlineimaprc:7: \[Account personal\] maildir-windows-compatible: .*maybe/);
    expect(local([]).filenameUseMailTimestamp).toBeUndefined();
    expect(local([[LOCAL, `${LOCAL}\nfilename_use_mail_timestamp = true`]]).filenameUseMailTimestamp).toBe(true);
    expect(local([['accounts = personal', 'accounts = personal\nfilename_use_mail_timestamp = true']]).filenameUseMailTimestamp).toBe(true);
    expect(local([['accounts = personal', 'accounts = personal\nfilename_use_mail_timestamp = true'], [LOCAL, `${LOCAL}\nfilename_use_mail_timestamp = false`]]).filenameUseMailTimestamp).toBeUndefined();
    expect(error([[LOCAL, `${LOCAL}\nfilename_use_mail_timestamp = 2`]])).toMatch(/offlineimaprc:11: \[Repository personal-local\] filename_use_mail_timestamp: .*'2'/);
  });

  it('utime_from_header: repository option with the [general] value as default', () => {
    const local = (pairs: Array<[string, string]>) => account(pairs).local as { utimeFromHeader?: boolean };
    expect(local([]).utimeFromHeader).toBeUndefined();
    expect(local([[LOCAL, `${LOCAL}\nutime_from_header = yes`]]).utimeFromHeader).toBe(true);
    expect(local([['accounts = personal', 'accounts = personal\nutime_from_header = on']]).utimeFromHeader).toBe(true);
    expect(error([[LOCAL, `${LOCAL}\nutime_from_header = often`]])).toMatch(/offlineimaprc:11: \[Repository personal-local\] utime_from_header: .*'often'/);
  });

  it('every option of OfflineIMAP\'s reference list is honoured or named as not honoured with a reason', () => {
    const lists: Record<'general' | 'account' | 'maildir' | 'imap' | 'mbnames', string> = {
      general: 'accounts metadata maxsyncaccounts ui ignore-readonly pythonfile socktimeout fsync dry-run ignore-keyring update-keyring filename_use_mail_timestamp utime_from_header',
      mbnames: 'enabled filename header peritem sep footer incremental folderfilter sort_keyfunc',
      account: 'localrepository remoterepository autorefresh quick presynchook postsynchook maxsize maxage maildir-windows-compatible synclabels labelsheader ignorelabels filterheaders proxy authproxy utf8foldernames status_backend skipsleep',
      maildir: 'type localfolders sep startdate sync_deletes restoreatime utime_from_header filename_use_mail_timestamp customflag_a customflag_z readonly createfolders nametrans folderfilter dynamic_folderfilter',
      imap: 'type ipv6 remotehost remotehosteval remoteport remoteporteval remoteuser remoteusereval remotepass remotepasseval remotepassfile remote_identity auth_mechanisms oauth2_client_id oauth2_client_id_eval oauth2_client_secret oauth2_client_secret_eval oauth2_access_token oauth2_access_token_eval oauth2_refresh_token oauth2_refresh_token_eval oauth2_request_url preauthtunnel transporttunnel ssl starttls sslclientcert sslclientkey sslcacertfile cert_fingerprint ssl_version tls_level reference decodefoldernames idlefolders usecompression maxconnections singlethreadperfolder holdconnectionopen keepalive expunge subscribedonly nametrans dynamic_folderfilter folderfilter folderincludes createfolders sync_deletes foldersort readonly newmail_hook retrycount copy_ignore_eval startdate sep trashfolder spamfolder realdelete',
    };
    for (const [kind, names] of Object.entries(lists) as Array<[keyof typeof lists, string]>) {
      for (const key of names.split(' ')) {
        const c = classifyOption(kind, key);
        expect([key, c.status]).toEqual([key, expect.stringMatching(/^(honoured|not-honoured)$/)]);
        if (c.status === 'not-honoured') expect(c.reason.length).toBeGreaterThan(10);
      }
    }
  });

  it('type = Gmail: imap.gmail.com, TLS on port 993; ssl = no is flagged', () => {
    const gmail = (extra: string) => fixture(MINIMAL.replace('type = IMAP\nremotehost = imap.example.org', `type = Gmail${extra}`));
    const remote = gmail('').load().config.accounts[0]!.remote;
    expect(remote).toMatchObject({ type: 'imap', gmail: true, host: 'imap.gmail.com', port: 993, ssl: true, expunge: true, syncDeletes: true });
    const warned = gmail('\nssl = no').load();
    expect(warned.warnings.map((w) => w.message)).toContain(`${warned.config.configFile}:14: [Repository personal-remote] ssl = no cannot work with Gmail: imap.gmail.com accepts only TLS on port 993. Remove ssl = no.`);
    expect(gmail('\nremotehost = imap.example.org\nremoteport = 1993').load().config.accounts[0]!.remote).toMatchObject({ host: 'imap.example.org', port: 1993 });
  });

  it('the catalogue: every option honoured, not honoured with a reason, or unknown with a suggestion', () => {
    for (const k of ['maxage', 'maxsize', 'quick', 'maildir-windows-compatible']) expect(classifyOption('account', k)).toEqual({ status: 'honoured' });
    expect(classifyOption('maildir', 'startdate')).toEqual({ status: 'honoured' });
    expect(classifyOption('imap', 'startdate')).toEqual({ status: 'honoured' });
    expect(classifyOption('general', 'fsync')).toEqual({ status: 'honoured' });
    expect(classifyOption('imap', 'maxconnections')).toEqual({ status: 'honoured' });
    expect(classifyOption('account', 'maxsise')).toEqual({ status: 'unknown', suggestion: 'maxsize' });
    expect(classifyOption('maildir', 'stardate')).toEqual({ status: 'unknown', suggestion: 'startdate' });
  });
});
