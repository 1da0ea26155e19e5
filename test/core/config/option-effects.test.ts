// Every option the catalogue lists as honoured has an effect: setting it changes the loaded
// model, and a named module outside the configuration readers reads that part of the model.
// Every option listed as not honoured changes nothing in the model. Adding an option to
// HONOURED without a row here (or with a row whose effect is gone) fails this test.

import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { HONOURED, NOT_HONOURED, type SectionKind } from '../../../core/config/option-catalog.js';
import type { AccountConfig, ImapRepositoryConfig, MaildirRepositoryConfig, SatchelConfig } from '../../../core/config/model.js';
import { fixture } from './config-fixture.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The files that read options into the model: a "reader" below must be none of them. */
const OPTION_READERS = ['offlineimaprc.ts', 'repository-reader.ts', 'mbnames-reader.ts', 'option-reader.ts', 'option-check.ts', 'option-catalog.ts', 'model.ts']
  .map((f) => `core/config/${f}`);

const SECTION: Record<SectionKind, string> = {
  general: 'general', account: 'Account personal', maildir: 'Repository personal-local', imap: 'Repository personal-remote', mbnames: 'mbnames',
};

function render(set: Partial<Record<SectionKind, Record<string, string>>> = {}, extra = ''): string {
  const base: Record<SectionKind, Record<string, string>> = {
    general: { accounts: 'personal' },
    account: { localrepository: 'personal-local', remoterepository: 'personal-remote' },
    maildir: { type: 'Maildir', localfolders: '~/Mail/personal' },
    imap: { type: 'IMAP', remotehost: 'imap.example.org', remoteuser: 'me@example.org', remotepassfile: '~/pass' },
    mbnames: { enabled: 'yes', filename: '~/mailboxes' },
  };
  return (Object.keys(base) as SectionKind[]).map((k) => {
    const entries = { ...base[k], ...set[k] };
    return `[${SECTION[k]}]\n${Object.entries(entries).map(([o, v]) => `${o} = ${v}`).join('\n')}\n`;
  }).join('\n') + extra;
}

const acct = (c: SatchelConfig): AccountConfig => c.accounts[0]!;
const local = (c: SatchelConfig) => acct(c).local as MaildirRepositoryConfig;
const remote = (c: SatchelConfig) => acct(c).remote as ImapRepositoryConfig;
const OTHER_REPOS = '\n[Repository other-local]\ntype = Maildir\nlocalfolders = ~/Mail/other\n'
  + '\n[Repository other-remote]\ntype = IMAP\nremotehost = other.example.org\nremoteuser = me\nremotepassfile = ~/pass\n';

interface Effect {
  /** The option's section lines (the option with a value other than its default, plus any context it needs). */
  set: Record<string, string>;
  /** The part of the model the option decides. */
  model: (c: SatchelConfig) => unknown;
  /** The module (outside the option readers) that acts on that part of the model, and what in its source does. */
  reader: string;
  uses: RegExp;
  extra?: string;
  /** Options the effect needs in other sections (e.g. the remotepasseval that calls a pythonfile function), in both loads. */
  also?: Partial<Record<SectionKind, Record<string, string>>>;
  /** Files (relative to the fixture's folder) the option reads. */
  files?: Record<string, string>;
}

const E = (set: Record<string, string>, model: Effect['model'], reader: string, uses: RegExp, extra?: string): Effect =>
  ({ set, model, reader, uses, ...(extra ? { extra } : {}) });
const AUTH = 'core/auth/oauth-providers.ts', TOKENS = 'core/config/repository-secret.ts';
/** A server of no known provider signing in with OAuth2 needs its token URL (and a scope to sign in). */
const OAUTH = { oauth2_request_url: 'https://auth.example.org/token', oauth2_scope: 'imap' };
const oauth = (c: SatchelConfig) => remote(c).oauth2;
const ENGINE = 'core/engine/engine.ts', STORES = 'core/engine/store-factory.ts', SECRETS = 'core/config/secrets.ts';
const MBNAMES = 'core/mbnames/mbnames.ts', RULES = 'core/sync/folder-plan.ts';

const EFFECTS: Record<SectionKind, Record<string, Effect>> = {
  general: {
    accounts: E({ accounts: 'other' }, (c) => c.accounts.map((a) => a.name), ENGINE, /config\.accounts/,
      '\n[Account other]\nlocalrepository = personal-local\nremoterepository = personal-remote\n'),
    metadata: E({ metadata: '~/state' }, (c) => c.general.metadata, ENGINE, /config\.general\.metadata/),
    maxsyncaccounts: E({ maxsyncaccounts: '3' }, (c) => c.general.maxSyncAccounts, ENGINE, /config\.general\.maxSyncAccounts/),
    ui: E({ ui: 'quiet' }, (c) => c.general.ui, 'core/cli/cli.ts', /config\.general\.ui/),
    fsync: E({ fsync: 'no' }, (c) => local(c).fsync, STORES, /repo\.fsync/),
    filename_use_mail_timestamp: E({ filename_use_mail_timestamp: 'yes' }, (c) => local(c).filenameUseMailTimestamp, STORES, /repo\.filenameUseMailTimestamp/),
    utime_from_header: E({ utime_from_header: 'yes' }, (c) => local(c).utimeFromHeader, STORES, /repo\.utimeFromHeader/),
    pythonfile: { ...E({ pythonfile: '~/helpers.py' }, (c) => (c.accounts[0]?.remote as ImapRepositoryConfig | undefined)?.password ?? 'the account stops', SECRETS, /case 'command'/),
      also: { imap: { remotepasseval: 'get_pass("mail/work")' } },
      files: { 'home/helpers.py': 'import subprocess\ndef get_pass(name):\n    return subprocess.check_output(["pass", "show", name]).strip()\n' } },
  },
  account: {
    proxy: E({ proxy: 'SOCKS5:localhost:1080' }, (c) => remote(c).proxy, STORES, /repo\.proxy/),
    authproxy: E({ authproxy: 'SOCKS5:localhost:1080' }, (c) => remote(c).authProxy, TOKENS, /repo\.authProxy/),
    localrepository: E({ localrepository: 'other-local' }, (c) => local(c).localfolders, ENGINE, /account\.local/, OTHER_REPOS),
    remoterepository: E({ remoterepository: 'other-remote' }, (c) => remote(c).host, ENGINE, /account\.remote/, OTHER_REPOS),
    autorefresh: E({ autorefresh: '5' }, (c) => acct(c).autorefresh, 'core/scheduler/scheduler.ts', /autorefresh/),
    quick: E({ quick: '3' }, (c) => acct(c).quick, 'core/scheduler/scheduler.ts', /\.quick\b/),
    maxage: E({ maxage: '30' }, (c) => acct(c).maxage, 'core/sync/message-filter.ts', /a\.maxage/),
    maxsize: E({ maxsize: '100000' }, (c) => acct(c).maxsize, ENGINE, /account\.maxsize/),
    'maildir-windows-compatible': E({ 'maildir-windows-compatible': 'yes' }, (c) => local(c).windowsCompatible, STORES, /repo\.windowsCompatible/),
    presynchook: E({ presynchook: 'true' }, (c) => acct(c).presynchook, ENGINE, /account\.presynchook/),
    postsynchook: E({ postsynchook: 'true' }, (c) => acct(c).postsynchook, ENGINE, /account\.postsynchook/),
  },
  maildir: {
    type: E({ type: 'GmailMaildir' }, (c) => local(c).gmail, 'core/cli/cli-info.ts', /repo\.gmail/),
    localfolders: E({ localfolders: '~/Mail/else' }, (c) => local(c).localfolders, STORES, /repo\.localfolders/),
    sep: E({ sep: '/' }, (c) => local(c).sep, STORES, /repo\.sep/),
    readonly: E({ readonly: 'yes' }, (c) => local(c).readonly, ENGINE, /local\.readonly/),
    createfolders: E({ createfolders: 'no' }, (c) => local(c).createFolders, ENGINE, /local\.createFolders/),
    sync_deletes: E({ sync_deletes: 'no' }, (c) => local(c).syncDeletes, ENGINE, /local\.syncDeletes/),
    folderfilter: E({ folderfilter: "lambda f: f != 'Spam'" }, (c) => local(c).rules?.folderfilter, RULES, /repo\.rules\?\.folderfilter/),
    nametrans: E({ nametrans: "lambda f: 'INBOX.' + f" }, (c) => local(c).rules?.nametrans, RULES, /repo\.rules\?\.nametrans/),
    folderincludes: E({ folderincludes: "['Archive']" }, (c) => local(c).folderincludes, RULES, /repo\.folderincludes/),
    startdate: E({ startdate: '2024-01-31' }, (c) => acct(c).startdate, 'core/sync/message-filter.ts', /a\.startdate/),
    filename_use_mail_timestamp: E({ filename_use_mail_timestamp: 'yes' }, (c) => local(c).filenameUseMailTimestamp, STORES, /repo\.filenameUseMailTimestamp/),
    utime_from_header: E({ utime_from_header: 'yes' }, (c) => local(c).utimeFromHeader, STORES, /repo\.utimeFromHeader/),
  },
  imap: {
    type: E({ type: 'Gmail' }, (c) => remote(c).gmail, 'core/cli/cli-info.ts', /repo\.gmail/),
    remotehost: E({ remotehost: 'mail.example.net' }, (c) => remote(c).host, STORES, /repo\.host/),
    remoteport: E({ remoteport: '1993' }, (c) => remote(c).port, STORES, /repo\.port/),
    remoteuser: E({ remoteuser: 'someone' }, (c) => remote(c).user, STORES, /repo\.user/),
    remotepass: E({ remotepass: 'secret' }, (c) => remote(c).password, SECRETS, /case 'inline'/),
    remotepassfile: E({ remotepassfile: '~/other-pass' }, (c) => remote(c).password, SECRETS, /case 'file'/),
    passcmd: E({ passcmd: 'pass show mail' }, (c) => remote(c).password, SECRETS, /case 'command'/),
    ssl: E({ ssl: 'no' }, (c) => remote(c).ssl, STORES, /repo\.ssl/),
    starttls: E({ ssl: 'no', starttls: 'no' }, (c) => remote(c).starttls, STORES, /repo\.starttls/),
    sslcacertfile: E({ sslcacertfile: '~/ca.pem' }, (c) => remote(c).caFile, STORES, /repo\.caFile/),
    cert_fingerprint: E({ cert_fingerprint: 'ab'.repeat(32) }, (c) => remote(c).certFingerprints, STORES, /repo\.certFingerprints/),
    maxconnections: E({ maxconnections: '3' }, (c) => remote(c).maxConnections, STORES, /repo\.maxConnections/),
    readonly: E({ readonly: 'yes' }, (c) => remote(c).readonly, ENGINE, /remote\.readonly/),
    createfolders: E({ createfolders: 'no' }, (c) => remote(c).createFolders, ENGINE, /remote\.createFolders/),
    sync_deletes: E({ sync_deletes: 'no' }, (c) => remote(c).syncDeletes, ENGINE, /remote\.syncDeletes/),
    expunge: E({ expunge: 'no' }, (c) => remote(c).expunge, ENGINE, /remote\.expunge/),
    folderfilter: E({ folderfilter: "lambda f: f != 'Spam'" }, (c) => remote(c).rules?.folderfilter, RULES, /repo\.rules\?\.folderfilter/),
    nametrans: E({ nametrans: "lambda f: re.sub('^INBOX\\.', '', f)" }, (c) => remote(c).rules?.nametrans, RULES, /repo\.rules\?\.nametrans/),
    folderincludes: E({ folderincludes: "['Archive']" }, (c) => remote(c).folderincludes, RULES, /repo\.folderincludes/),
    foldersort: E({ foldersort: 'lambda x, y: -cmp(x, y)' }, (c) => remote(c).rules?.foldersort, ENGINE, /remote\.rules\?\.foldersort/),
    startdate: E({ startdate: '2024-01-31' }, (c) => acct(c).startdate, 'core/sync/message-filter.ts', /a\.startdate/),
    idlefolders: E({ idlefolders: "['INBOX', 'Lists']" }, (c) => remote(c).idleFolders, 'core/engine/idle-watchers.ts', /remote\.idleFolders/),
    remotehosteval: E({ remotehosteval: '"mail.example.net"' }, (c) => remote(c).host, STORES, /repo\.host/),
    remoteporteval: E({ remoteporteval: '1993' }, (c) => remote(c).port, STORES, /repo\.port/),
    remoteusereval: E({ remoteusereval: '"someone"' }, (c) => remote(c).user, STORES, /repo\.user/),
    remotepasseval: E({ remotepasseval: 'os.environ["MAIL_PASS"]' }, (c) => remote(c).password, SECRETS, /case 'env'/),
    auth_mechanisms: E({ auth_mechanisms: 'PLAIN' }, (c) => remote(c).authMechanisms, 'core/imap/connection-pool.ts', /o\.authMechanisms/),
    oauth2_request_url: E({ ...OAUTH, oauth2_client_id: 'satchel' }, (c) => oauth(c)?.tokenUrl, AUTH, /c\.tokenUrl/),
    oauth2_client_id: E({ ...OAUTH, oauth2_client_id: 'satchel' }, (c) => oauth(c)?.clientId, AUTH, /c\.clientId/),
    oauth2_client_secret: E({ ...OAUTH, oauth2_client_secret: 'shh' }, (c) => oauth(c)?.clientSecret, AUTH, /c\.clientSecret/),
    oauth2_refresh_token: E({ ...OAUTH, oauth2_refresh_token: 'seed' }, (c) => oauth(c)?.refreshTokenSeed, TOKENS, /c\.refreshTokenSeed/),
    oauth2_access_token: E({ ...OAUTH, oauth2_access_token: 'token' }, (c) => oauth(c)?.accessToken, TOKENS, /c\.accessToken/),
    oauth2_scope: E({ ...OAUTH, oauth2_scope: 'imap offline' }, (c) => oauth(c)?.scope, AUTH, /c\.scope/),
    oauth2_authorize_url: E({ ...OAUTH, oauth2_authorize_url: 'https://auth.example.org/authorize' }, (c) => oauth(c)?.authorizationUrl, AUTH, /c\.authorizationUrl/),
    oauth2_device_url: E({ ...OAUTH, oauth2_device_url: 'https://auth.example.org/device' }, (c) => oauth(c)?.deviceUrl, AUTH, /c\.deviceUrl/),
  },
  mbnames: {
    enabled: E({ enabled: 'no' }, (c) => c.mbnames, ENGINE, /config\.mbnames/),
    filename: E({ filename: '~/other-mailboxes' }, (c) => c.mbnames?.filename, MBNAMES, /cfg\.filename/),
    header: E({ header: '"mailboxes2 "' }, (c) => c.mbnames?.header, MBNAMES, /cfg\.header/),
    peritem: E({ peritem: '=%(foldername)s' }, (c) => c.mbnames?.peritem, MBNAMES, /cfg\.peritem/),
    sep: E({ sep: '", "' }, (c) => c.mbnames?.sep, MBNAMES, /cfg\.sep/),
    footer: E({ footer: '"\\n# end\\n"' }, (c) => c.mbnames?.footer, MBNAMES, /cfg\.footer/),
    incremental: E({ incremental: 'yes' }, (c) => c.mbnames?.incremental, MBNAMES, /cfg\.incremental/),
  },
};

const KINDS = Object.keys(SECTION) as SectionKind[];
const f = fixture('');
const load = (text: string) => { f.write('offlineimaprc', text); return f.load(); };
const shown = (v: unknown) => JSON.stringify(v ?? null);

describe('every honoured option has an effect', () => {
  it('the table names exactly the options the catalogue lists as honoured', () => {
    for (const kind of KINDS) expect([kind, Object.keys(EFFECTS[kind]).sort()]).toEqual([kind, [...HONOURED[kind]].sort()]);
  });

  for (const kind of KINDS) {
    for (const [option, e] of Object.entries(EFFECTS[kind])) {
      it(`${kind} ${option}: changes the model, read by ${e.reader}`, () => {
        for (const [rel, text] of Object.entries(e.files ?? {})) f.write(rel, text);
        const base = load(render({ ...e.also }, e.extra ?? ''));
        const changed = load(render({ ...e.also, [kind]: { ...e.also?.[kind], ...e.set } }, e.extra ?? ''));
        expect(changed.warnings.filter((w) => w.option === option).map((w) => w.message)).toEqual([]);
        expect(shown(e.model(changed.config))).not.toBe(shown(e.model(base.config)));
        expect(OPTION_READERS).not.toContain(e.reader);
        expect(fs.readFileSync(path.join(ROOT, e.reader), 'utf8')).toMatch(e.uses);
      });
    }
  }

  it('an option listed as not honoured changes nothing in the model, and is reported', () => {
    for (const kind of KINDS) {
      for (const option of Object.keys(NOT_HONOURED[kind])) {
        // An oauth2_*_eval still says "this account signs in with OAuth2" (never evaluated): compared on such an account.
        const context = /^oauth2_.*_eval$/.test(option) ? OAUTH : {};
        const base = shown(load(render({ [kind]: context })).config);
        const r = load(render({ [kind]: { ...context, [option]: 'yes' } }));
        expect([kind, option, shown(r.config)]).toEqual([kind, option, base]);
        expect([kind, option, r.warnings.some((w) => w.option === option && /is not supported and is ignored/.test(w.message))])
          .toEqual([kind, option, true]);
      }
    }
  });
});
