// OfflineIMAP's OAuth2 options as the reader takes them: type = Gmail needs nothing but a
// client ID and a refresh token, a Microsoft server is recognised by its host, another server
// needs oauth2_request_url, auth_mechanisms is ordered and checked, *_eval is never evaluated,
// no secret is echoed in a message; and the app's settings refuse tokens and client secrets.

import { describe, it, expect } from 'vitest';
import { fixture } from './config-fixture.js';
import type { ImapRepositoryConfig } from '../../../core/config/model.js';
import { settingsProblems } from '../../../core/app/settings.js';

const rc = (remote: string) => `[general]
accounts = work
[Account work]
localrepository = local
remoterepository = remote
[Repository local]
type = Maildir
localfolders = ~/Mail
[Repository remote]
${remote}
`;
const remoteOf = (text: string) => fixture(rc(text)).load().config.accounts[0]!.remote as ImapRepositoryConfig;

/** The one line that stops an account (the other accounts of the file would still run). */
function stopped(text: string): string {
  const r = fixture(rc(text)).load();
  expect(r.config.accounts).toEqual([]);
  return r.accountErrors.map((e) => e.message).join('\n');
}

describe('OAuth2 options of an .offlineimaprc', () => {
  it('type = Gmail with a client ID and a refresh token signs in with Google, nothing else needed', () => {
    const r = remoteOf('type = Gmail\nremoteuser = me@gmail.com\noauth2_client_id = abc.apps.googleusercontent.com\noauth2_client_secret = s3cret\noauth2_refresh_token = 1//seed\noauth2_request_url = https://accounts.google.com/o/oauth2/token');
    expect(r.oauth2).toEqual({ provider: 'google', account: 'work', clientId: 'abc.apps.googleusercontent.com', clientSecret: 's3cret', refreshTokenSeed: '1//seed' });
    expect(r.host).toBe('imap.gmail.com');
  });

  it('a Microsoft server is recognised by its host; auth_mechanisms keeps its order and drops what Satchel cannot speak, with a warning', () => {
    const f = fixture(rc('type = IMAP\nremotehost = outlook.office365.com\nremoteuser = me@contoso.com\noauth2_client_id = 0000-1111\nauth_mechanisms = GSSAPI, XOAUTH2, PLAIN'));
    const { config, warnings } = f.load();
    const r = config.accounts[0]!.remote as ImapRepositoryConfig;
    expect(r.oauth2).toMatchObject({ provider: 'microsoft', clientId: '0000-1111' });
    expect(r.authMechanisms).toEqual(['XOAUTH2', 'PLAIN']);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/auth_mechanisms: GSSAPI is not supported/);
  });

  it('another server needs oauth2_request_url; an http token URL off this computer is refused (the account stops, not the file)', () => {
    expect(stopped('type = IMAP\nremotehost = imap.example.org\nremoteuser = me\noauth2_refresh_token = x'))
      .toMatch(/neither Google's nor Microsoft's, but has no oauth2_request_url/);
    expect(stopped('type = IMAP\nremotehost = imap.example.org\nremoteuser = me\noauth2_request_url = http://example.org/token'))
      .toMatch(/oauth2_request_url must be an https:\/\/ URL/);
    const r = remoteOf('type = IMAP\nremotehost = imap.example.org\nremoteuser = me\noauth2_request_url = https://sso.example.org/token\noauth2_scope = imap');
    expect(r.oauth2).toEqual({ provider: 'custom', account: 'work', tokenUrl: 'https://sso.example.org/token', scope: 'imap' });
  });

  it('authproxy (default: proxy) is where the token requests go; authproxy = \'\' sends them direct while the mail uses the proxy', () => {
    const gmail = 'type = Gmail\nremoteuser = me@gmail.com\noauth2_client_id = abc\noauth2_refresh_token = 1//seed';
    const withProxy = (extra: string) => fixture(rc(gmail).replace('remoterepository = remote\n', `remoterepository = remote\n${extra}\n`)).load().config.accounts[0]!.remote as ImapRepositoryConfig;
    expect(withProxy('proxy = SOCKS5:localhost:9050').authProxy).toMatchObject({ type: 'socks5', host: 'localhost', port: 9050 });
    expect(withProxy('proxy = SOCKS5:localhost:9050\nauthproxy = SOCKS4:127.0.0.1:9051').authProxy).toMatchObject({ type: 'socks4a', port: 9051 });
    const direct = withProxy("proxy = SOCKS5:localhost:9050\nauthproxy = ''");
    expect(direct.proxy).toMatchObject({ type: 'socks5', port: 9050 });
    expect(direct.authProxy).toBeUndefined();
    expect(direct.oauth2?.provider).toBe('google');
  });

  it('*_eval is never evaluated: the account still signs in with OAuth2 and the warning says what to write instead', () => {
    const f = fixture(rc("type = Gmail\nremoteuser = me@gmail.com\noauth2_refresh_token_eval = get_token('work')"));
    const { config, warnings } = f.load();
    expect((config.accounts[0]!.remote as ImapRepositoryConfig).oauth2).toEqual({ provider: 'google', account: 'work' });
    const text = warnings.map((w) => w.message).join('\n');
    expect(text).toMatch(/oauth2_refresh_token_eval.*never evaluates Python code; sign in once with "satchel login ACCOUNT"/);
    expect(text).not.toContain('get_token');
  });

  it('auth_mechanisms without an OAuth2 mechanism ignores the oauth2 options (said), and a list of nothing supported stops the account', () => {
    const { config, warnings } = fixture(rc('type = IMAP\nremotehost = imap.example.org\nremoteuser = me\nremotepass = pw\nauth_mechanisms = LOGIN\noauth2_client_id = x')).load();
    expect((config.accounts[0]!.remote as ImapRepositoryConfig).oauth2).toBeUndefined();
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/oauth2_client_id is ignored: auth_mechanisms allows neither XOAUTH2 nor OAUTHBEARER/);
    expect(stopped('type = IMAP\nremotehost = h\nremoteuser = me\nauth_mechanisms = GSSAPI, CRAM-MD5')).toMatch(/names no mechanism Satchel supports/);
  });

  it("the app's settings refuse a refresh token, an access token or a client secret (they belong in the keyring)", () => {
    const account = {
      name: 'a', utf8foldernames: false,
      local: { type: 'maildir', name: 'l', readonly: false, createFolders: true, syncDeletes: true, localfolders: '/m', sep: '.', fsync: true },
      remote: { type: 'imap', name: 'r', readonly: false, createFolders: true, syncDeletes: true, host: 'h', port: 993, user: 'u', ssl: true, starttls: false,
        maxConnections: 1, expunge: true, gmail: false, password: { kind: 'keyring', service: 'Satchel', account: 'a' },
        oauth2: { provider: 'google', account: 'a', refreshTokenSeed: 'rt', clientSecret: 'cs' } },
    };
    const problems = settingsProblems({ config: { general: { metadata: '/s', maxSyncAccounts: 1, fsync: true }, accounts: [account] }, prefs: {} });
    expect(problems).toEqual([
      'config.accounts[0].remote.oauth2.clientSecret: a token or client secret must not be stored in settings; it belongs in the keyring',
      'config.accounts[0].remote.oauth2.refreshTokenSeed: a token or client secret must not be stored in settings; it belongs in the keyring',
    ]);
  });
});
