// The one client of an OAuth2 token endpoint (RFC 6749 §3.2): posts a form (authorization code,
// refresh token or device code grant), reads the JSON answer into a TokenSet, and turns every
// failure into a SyncError whose retry class says what to do: invalid_grant (revoked, expired,
// rotated out) needs the user to sign in again; a network failure or a 5xx is temporary.
// It never logs, and never puts a token, a code or the client secret into a message.

import { SyncError } from '../errors.js';
import type { ProxySettings } from '../net/proxy-tunnel.js';
import { postThroughProxy } from './proxied-post.js';

export interface TokenSet {
  accessToken: string;
  /** Absent when the server keeps the one it had (no rotation). */
  refreshToken?: string;
  /** Milliseconds since the epoch; undefined when the server did not say. */
  expiresAt?: number;
}

export interface ClientCredentials {
  clientId: string;
  /** Google's "desktop app" clients have one (not really secret); public clients have none. */
  clientSecret?: string;
}

/** Codes of the SyncErrors raised here (and by the flows that use this module). */
export const SIGN_IN_ENDED = 'sign-in-ended';
export const TOKEN_SERVER_UNREACHABLE = 'token-server-unreachable';

const TIMEOUT_MS = 20_000;

/** What a token endpoint answers with an error (RFC 6749 §5.2), or why it could not be read. */
export interface TokenError { error: string; description?: string; status: number }

/** Posts `params` to the token endpoint; resolves with the JSON body (ok) or rejects with a SyncError. */
export async function postForm(url: string, params: Record<string, string>, who: string, via?: ProxySettings): Promise<Record<string, unknown>> {
  let res: { ok: boolean; status: number; text(): Promise<string> };
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  try {
    // Through the account's proxy when it has one (an unreachable proxy fails here: never a direct request).
    res = via ? await postThroughProxy(via, url, headers, new URLSearchParams(params).toString(), TIMEOUT_MS)
      : await fetch(url, { method: 'POST', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS), headers, body: new URLSearchParams(params) });
  } catch (e) {
    if (e instanceof SyncError) throw e;
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new SyncError(TOKEN_SERVER_UNREACHABLE, `The sign-in server ${new URL(url).host} for ${who} cannot be reached (${cause}). ` +
      'This is temporary: Satchel tries again later; nothing needs to be done unless it lasts.', { scope: 'account', retry: 'later', cause: e });
  }
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch { /* not JSON: handled below */ }
  if (res.ok) return body;
  throw tokenError({ error: typeof body.error === 'string' ? body.error : '', description: typeof body.error_description === 'string' ? body.error_description : undefined, status: res.status }, url, who);
}

/** A failed token request in the user's terms. */
export function tokenError(t: TokenError, url: string, who: string): SyncError {
  const host = new URL(url).host;
  const said = t.error ? ` (${t.error}${t.description ? `: ${t.description.slice(0, 160)}` : ''})` : ` (HTTP ${t.status})`;
  if (t.error === 'invalid_grant') {
    return new SyncError(SIGN_IN_ENDED, `The sign-in of ${who} has ended${said}: the session was revoked, expired or replaced. Sign in again.`,
      { scope: 'account', retry: 'needs-user', cause: t });
  }
  if (t.status >= 500 || t.status === 429 || t.error === 'temporarily_unavailable') {
    return new SyncError(TOKEN_SERVER_UNREACHABLE, `The sign-in server ${host} failed for ${who}${said}. This is temporary: Satchel tries again later.`,
      { scope: 'account', retry: 'later', cause: t });
  }
  const fix = t.error === 'invalid_client' || t.error === 'unauthorized_client'
    ? 'Check the client ID (and client secret) configured for this provider.'
    : t.error === 'invalid_scope' ? 'Check the scope configured for this provider.' : 'Sign in again; if it keeps failing, check the provider settings.';
  return new SyncError('sign-in-refused', `The sign-in server ${host} refused the request for ${who}${said}. ${fix}`, { scope: 'account', retry: 'needs-user', cause: t });
}

/** The OAuth2 error code (RFC 6749 §5.2) behind a SyncError raised here, if any. */
export function oauthErrorOf(e: unknown): string | undefined {
  const cause = e instanceof SyncError ? (e.cause as Partial<TokenError> | undefined) : undefined;
  return typeof cause?.error === 'string' && cause.error ? cause.error : undefined;
}

/** The TokenSet of a successful token response; a response without an access token is an error. */
export function tokenSetOf(body: Record<string, unknown>, url: string, who: string, now = Date.now()): TokenSet {
  if (typeof body.access_token !== 'string' || !body.access_token) {
    throw new SyncError('sign-in-refused', `The sign-in server ${new URL(url).host} answered without an access token for ${who}. Check the token endpoint URL.`,
      { scope: 'account', retry: 'needs-user' });
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : typeof body.expires_in === 'string' ? Number(body.expires_in) : NaN;
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: now + expiresIn * 1000 } : {}),
  };
}

/** The client's part of every token request. */
export function clientParams(c: ClientCredentials): Record<string, string> {
  return { client_id: c.clientId, ...(c.clientSecret ? { client_secret: c.clientSecret } : {}) };
}

/** Trades a refresh token for a new TokenSet (the refresh token in it is the rotated one, if any). */
export async function refreshTokens(tokenUrl: string, client: ClientCredentials, refreshToken: string, who: string, scope?: string, via?: ProxySettings): Promise<TokenSet> {
  const body = await postForm(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientParams(client), ...(scope ? { scope } : {}) }, who, via);
  return tokenSetOf(body, tokenUrl, who);
}
