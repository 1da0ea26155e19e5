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
