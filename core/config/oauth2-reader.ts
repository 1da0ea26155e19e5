// Reads the OAuth2 options of an IMAP [Repository] (OfflineIMAP's oauth2_client_id,
// oauth2_client_secret, oauth2_refresh_token, oauth2_access_token, oauth2_request_url and
// auth_mechanisms, plus Satchel's oauth2_scope, oauth2_authorize_url and oauth2_device_url) into
// the model's OAuth2Config; the provider follows from the server (Gmail, Microsoft) or the token URL.
// The *_eval variants are never evaluated (the option catalogue says what to write instead). No value is shown.

import { endpointProblem, providerForHost, type OAuth2Config, type ProviderId } from '../auth/oauth-providers.js';
import { KNOWN_MECHANISMS, OAUTH_MECHANISMS } from '../auth/sasl-mechanisms.js';
import type { OptionReader } from './option-reader.js';
import { parseCommaList } from './values.js';

const SIGN_IN_OPTIONS = ['oauth2_client_id', 'oauth2_client_secret', 'oauth2_refresh_token', 'oauth2_access_token', 'oauth2_request_url',
  'oauth2_scope', 'oauth2_authorize_url', 'oauth2_device_url'];

export interface RepositoryAuth { oauth2?: OAuth2Config; authMechanisms?: string[] }

/** The provider a token URL belongs to, if it is Google's or Microsoft's. */
function providerOfUrl(url: string | undefined): ProviderId | undefined {
  if (!url) return undefined;
  const host = new URL(url).hostname;
  if (/(^|\.)(google\.com|googleapis\.com)$/.test(host)) return 'google';
  if (/(^|\.)(microsoftonline\.com|live\.com)$/.test(host)) return 'microsoft';
  return undefined;
}

export function readRepositoryAuth(r: OptionReader, s: string, o: { host: string; gmail: boolean; account: string }): RepositoryAuth {
  const out: RepositoryAuth = {};
  const mechRaw = r.nonEmpty(s, 'auth_mechanisms');
  if (mechRaw !== undefined) {
    const list = parseCommaList(mechRaw).map((m) => m.toUpperCase());
    const unknown = list.filter((m) => !KNOWN_MECHANISMS.includes(m));
    if (unknown.length) r.warn(s, 'auth_mechanisms', r.entry(s, 'auth_mechanisms'), `auth_mechanisms: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not supported and left out (Satchel speaks ${KNOWN_MECHANISMS.join(', ')}).`);
    const known = list.filter((m) => KNOWN_MECHANISMS.includes(m));
    if (!known.length) r.stop(s, 'auth_mechanisms', `[${s}] auth_mechanisms names no mechanism Satchel supports. Use some of ${KNOWN_MECHANISMS.join(', ')}.`);
    else out.authMechanisms = known;
  }
  // An *_eval option (never evaluated: the catalogue's warning says what to write instead) still says "this account uses OAuth2".
  const given = [...SIGN_IN_OPTIONS, ...SIGN_IN_OPTIONS.map((k) => `${k}_eval`)].filter((k) => r.nonEmpty(s, k) !== undefined);
  const oauthAllowed = !out.authMechanisms || out.authMechanisms.some((m) => OAUTH_MECHANISMS.includes(m));
  if (!given.length) return out;
  if (!oauthAllowed) {
    for (const k of given) r.warn(s, k, r.entry(s, k), `${k} is ignored: auth_mechanisms allows neither XOAUTH2 nor OAUTHBEARER.`);
    return out;
  }
  const url = (key: string): string | undefined => {
    const v = r.nonEmpty(s, key)?.trim();
    if (v === undefined) return undefined;
    const why = endpointProblem(v);
    if (why) { r.stop(s, key, `[${s}] ${key} ${why}.`); return undefined; }
    return v;
  };
  const tokenUrl = url('oauth2_request_url');
  const provider: ProviderId = o.gmail ? 'google' : providerForHost(o.host)?.id ?? providerOfUrl(tokenUrl) ?? 'custom';
  if (provider === 'custom' && !tokenUrl) {
    r.stop(s, 'oauth2_request_url', `[${s}] signs in with OAuth2 to ${o.host}, which is neither Google's nor Microsoft's, but has no oauth2_request_url. Add "oauth2_request_url = <the server's token URL>".`);
    return out;
  }
  const str = (key: string) => r.nonEmpty(s, key)?.trim();
  const authorizationUrl = url('oauth2_authorize_url'), deviceUrl = url('oauth2_device_url');
  // OfflineIMAP's old Google token URL (accounts.google.com/o/oauth2/token) is the same endpoint: the provider table's is used.
  out.oauth2 = {
    provider, account: o.account,
    ...(str('oauth2_client_id') ? { clientId: str('oauth2_client_id')! } : {}),
    ...(str('oauth2_client_secret') ? { clientSecret: str('oauth2_client_secret')! } : {}),
    ...(str('oauth2_refresh_token') ? { refreshTokenSeed: str('oauth2_refresh_token')! } : {}),
    ...(str('oauth2_access_token') ? { accessToken: str('oauth2_access_token')! } : {}),
    ...(str('oauth2_scope') ? { scope: str('oauth2_scope')! } : {}),
    ...(tokenUrl && (provider === 'custom' || providerOfUrl(tokenUrl) !== provider) ? { tokenUrl } : {}),
    ...(authorizationUrl ? { authorizationUrl } : {}),
    ...(deviceUrl ? { deviceUrl } : {}),
  };
  if (provider === 'custom' && !out.oauth2.scope && !out.oauth2.refreshTokenSeed && !out.oauth2.accessToken) {
    r.warn(s, 'oauth2_scope', undefined, `no oauth2_scope: "satchel login ${o.account}" needs the scope the server wants; refreshing a token works without.`);
  }
  return out;
}
