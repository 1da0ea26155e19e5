// The OAuth2 providers Satchel signs in to, as data: Google and Microsoft with their endpoints,
// scopes and loopback redirect host, plus "another OAuth2 server" described by its endpoints.
// It resolves an account's OAuth2 settings (the model's OAuth2Config) into the endpoints and the
// client to use, or a clear error naming what is missing (e.g. no client ID for a provider).
// Data and pure functions only: no network, no secrets read.

import type { ProxySettings } from '../net/proxy-tunnel.js';
import { SyncError } from '../errors.js';
import { BUILT_IN_CLIENTS } from './client-ids.js';

export type ProviderId = 'google' | 'microsoft' | 'custom';

export interface ProviderInfo {
  id: Exclude<ProviderId, 'custom'>;
  name: string;
  authorizationUrl: string;
  tokenUrl: string;
  deviceUrl?: string;
  scope: string;
  /** The host of the loopback redirect URI the provider expects (RFC 8252 §7.3). */
  redirectHost: '127.0.0.1' | 'localhost';
  /** IMAP servers of this provider: an account on one of them can sign in here. */
  imapHosts: string[];
  /** Where to register an own client ID, for the wizard's "use your own client ID". */
  registerHelp: string;
}

export const PROVIDERS: Record<ProviderInfo['id'], ProviderInfo> = {
  google: {
    id: 'google', name: 'Google',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    deviceUrl: 'https://oauth2.googleapis.com/device/code',
    scope: 'https://mail.google.com/',
    redirectHost: '127.0.0.1',
    imapHosts: ['imap.gmail.com', 'imap.googlemail.com'],
    registerHelp: 'Google Cloud console → APIs & Services → Credentials → Create credentials → OAuth client ID, type "Desktop app"; ' +
      'add the Gmail API and the scope https://mail.google.com/, and add yourself as a test user (test apps lose their sign-in after 7 days).',
  },
  microsoft: {
    id: 'microsoft', name: 'Microsoft',
    authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    deviceUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/devicecode',
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    redirectHost: 'localhost',
    imapHosts: ['outlook.office365.com', 'imap-mail.outlook.com', 'outlook.office.com'],
    registerHelp: 'Microsoft Entra admin center → App registrations → New registration, "Accounts in any organizational directory and personal ' +
      'Microsoft accounts", platform "Mobile and desktop applications" with the redirect URI http://localhost, "Allow public client flows" on, ' +
      'and the delegated permission IMAP.AccessAsUser.All.',
  },
};

/** An account's OAuth2 settings as the configuration holds them (no token, no client secret in settings). */
export interface OAuth2Config {
  provider: ProviderId;
  /** The account whose keyring entries (refresh token, client secret) these are. */
  account: string;
  /** Overrides the built-in client ID (config file: oauth2_client_id; desktop: "use your own client ID"). */
  clientId?: string;
  /** Only from an OfflineIMAP file (oauth2_client_secret); the desktop keeps one in the keyring (clientSecretInKeyring). */
  clientSecret?: string;
  clientSecretInKeyring?: boolean;
  /** Overrides (custom: required) of the provider's endpoints and scope. */
  authorizationUrl?: string;
  tokenUrl?: string;
  deviceUrl?: string;
  scope?: string;
  /** OfflineIMAP's oauth2_refresh_token: seeds the keyring once; the rotated token in the keyring wins afterwards. */
  refreshTokenSeed?: string;
  /** OfflineIMAP's oauth2_access_token: used as it is when no refresh token is known. */
  accessToken?: string;
}

/** A sign-in flow needs a scope; a refresh does not. */
export function requireScope(ep: OAuthEndpoints, who: string): void {
  if (!ep.scope) throw needsUser('oauth-no-scope', `${who} signs in with OAuth2 but has no scope. Set the scope the IMAP server needs (oauth2_scope).`);
}

/** Everything a flow or a refresh needs. */
export interface OAuthEndpoints {
  provider: ProviderId;
  providerName: string;
  authorizationUrl?: string;
  tokenUrl: string;
  deviceUrl?: string;
  scope: string;
  clientId: string;
  clientSecret?: string;
  redirectHost: '127.0.0.1' | 'localhost';
  /** The proxy every request to these endpoints goes through (OfflineIMAP's authproxy), never around. */
  via?: ProxySettings;
}

/** The provider whose IMAP server this is, if any. */
export function providerForHost(host: string): ProviderInfo | undefined {
  const h = host.trim().toLowerCase();
  return Object.values(PROVIDERS).find((p) => p.imapHosts.includes(h));
}

const needsUser = (code: string, message: string) => new SyncError(code, message, { scope: 'account', retry: 'needs-user' });

/** The endpoints and client of `c`; `clientSecret` is the one read from the keyring, if any. Throws a SyncError naming what is missing. */
export function resolveEndpoints(c: OAuth2Config, who: string, clientSecret?: string, via?: ProxySettings): OAuthEndpoints {
  const base = c.provider === 'custom' ? undefined : PROVIDERS[c.provider];
  const builtIn = c.provider === 'custom' ? {} : BUILT_IN_CLIENTS[c.provider];
  const clientId = c.clientId ?? builtIn.clientId;
  if (!clientId) {
    throw needsUser('oauth-no-client-id', base
      ? `This copy of Satchel has no client ID for signing in to ${base.name} (${who}). Use your own: ${base.registerHelp} ` +
        'Then enter the client ID in the account (or oauth2_client_id in the configuration file).'
      : `${who} signs in with OAuth2 but has no client ID. Set oauth2_client_id (the ID your OAuth2 server registered for Satchel).`);
  }
  const tokenUrl = c.tokenUrl ?? base?.tokenUrl;
  if (!tokenUrl) throw needsUser('oauth-no-token-url', `${who} signs in with OAuth2 but has no token endpoint. Set oauth2_request_url to the server's token URL.`);
  // A refresh needs no scope; the sign-in flows check that there is one.
  const scope = c.scope ?? base?.scope ?? '';
  const secret = clientSecret ?? c.clientSecret ?? (c.clientId ? undefined : builtIn.clientSecret);
  const authorizationUrl = c.authorizationUrl ?? base?.authorizationUrl;
  const deviceUrl = c.deviceUrl ?? base?.deviceUrl;
  return {
    provider: c.provider, providerName: base?.name ?? new URL(tokenUrl).host, tokenUrl, scope, clientId,
    ...(authorizationUrl ? { authorizationUrl } : {}), ...(deviceUrl ? { deviceUrl } : {}), ...(secret ? { clientSecret: secret } : {}),
    redirectHost: base?.redirectHost ?? '127.0.0.1', ...(via ? { via } : {}),
  };
}

/** What is wrong with a value that should be an OAuth2Config, as [path suffix, message] pairs (empty = valid). */
export function oauth2Problems(value: unknown): Array<[string, string]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [['', 'must be an object']];
  const c = value as Record<string, unknown>;
  const out: Array<[string, string]> = [];
  if (!['google', 'microsoft', 'custom'].includes(c.provider as string)) out.push(['.provider', "must be 'google', 'microsoft' or 'custom'"]);
  if (typeof c.account !== 'string' || !c.account) out.push(['.account', 'must name the account']);
  for (const k of ['clientId', 'clientSecret', 'scope', 'refreshTokenSeed', 'accessToken'] as const) {
    if (c[k] !== undefined && (typeof c[k] !== 'string' || c[k] === '')) out.push([`.${k}`, 'must be a non-empty string']);
  }
  for (const k of ['authorizationUrl', 'tokenUrl', 'deviceUrl'] as const) {
    if (c[k] === undefined) continue;
    const why = endpointProblem(c[k]);
    if (why) out.push([`.${k}`, why]);
  }
  if (c.clientSecretInKeyring !== undefined && typeof c.clientSecretInKeyring !== 'boolean') out.push(['.clientSecretInKeyring', 'must be true or false']);
  if (c.provider === 'custom' && c.tokenUrl === undefined) out.push(['.tokenUrl', 'is needed for another OAuth2 server']);
  return out;
}

/** An endpoint must be https, or http on a loopback address (a test or a local server). */
export function endpointProblem(u: unknown): string | undefined {
  if (typeof u !== 'string') return 'must be a URL';
  let url: URL;
  try { url = new URL(u); } catch { return `'${u.slice(0, 80)}' is not a URL`; }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return undefined;
  return 'must be an https:// URL (plain http only on this computer: 127.0.0.1 or localhost)';
}
