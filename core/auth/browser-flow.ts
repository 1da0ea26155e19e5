// The authorization-code flow with PKCE (S256) for a desktop app (RFC 8252): builds the URL the
// system browser opens, waits on a one-shot loopback listener for the redirect, checks `state`,
// and trades the code for tokens. The caller opens the URL (OS browser, a new tab, or prints it).
// It never logs the URL's state, the code, the verifier or a token, and it never stores anything.

import crypto from 'node:crypto';
import { SyncError } from '../errors.js';
import { listenOnce } from './loopback-listener.js';
import { requireScope, type OAuthEndpoints } from './oauth-providers.js';
import { clientParams, postForm, tokenSetOf, type TokenSet } from './token-endpoint.js';

export interface SignInFlow {
  /** The authorization URL to open in a browser. */
  url: string;
  /** The tokens once the browser came back and the code was traded. */
  result: Promise<TokenSet>;
  cancel(): void;
}

export const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

const b64url = (b: Buffer) => b.toString('base64url');

export async function startBrowserSignIn(ep: OAuthEndpoints, o: { who: string; loginHint?: string; timeoutMs?: number }): Promise<SignInFlow> {
  if (!ep.authorizationUrl) {
    throw new SyncError('oauth-no-authorization-url', `${o.who}: the sign-in server has no authorization endpoint configured; use the device flow (satchel login --device) or set one.`,
      { scope: 'account', retry: 'needs-user' });
  }
  requireScope(ep, o.who);
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(16));
  const sameState = (q: URLSearchParams) => {
    const got = Buffer.from(q.get('state') ?? '');
    const want = Buffer.from(state);
    return got.length === want.length && crypto.timingSafeEqual(got, want);
  };
  const listener = await listenOnce(o.timeoutMs ?? SIGN_IN_TIMEOUT_MS, (q) => {
    if (!sameState(q)) return { ok: false, text: 'This answer does not belong to the sign-in Satchel started. Start it again from Satchel.' };
    if (q.get('error')) return { ok: false, text: `The provider did not sign you in (${q.get('error')}). You can close this tab and try again in Satchel.` };
    return { ok: true, text: 'Satchel has your sign-in. You can close this tab.' };
  });
  const redirectUri = `http://${ep.redirectHost}:${listener.port}/`;
  const url = new URL(ep.authorizationUrl);
  for (const [k, v] of Object.entries({
    response_type: 'code', client_id: ep.clientId, redirect_uri: redirectUri, scope: ep.scope, state,
    code_challenge: challenge, code_challenge_method: 'S256',
    // Google issues a refresh token only with offline access and, for a repeated sign-in, consent.
    ...(ep.provider === 'google' ? { access_type: 'offline', prompt: 'consent' } : {}),
    ...(o.loginHint ? { login_hint: o.loginHint } : {}),
  })) url.searchParams.set(k, v);

  const result = listener.query.then(async (q) => {
    if (!sameState(q)) throw new SyncError('sign-in-state-mismatch', 'The browser came back with an answer to another sign-in (state did not match); nothing was used. Sign in again.', { scope: 'account', retry: 'needs-user' });
    const error = q.get('error');
    if (error) {
      throw new SyncError(error === 'access_denied' ? 'sign-in-denied' : 'sign-in-refused',
        `${ep.providerName} did not sign ${o.who} in (${error}${q.get('error_description') ? `: ${q.get('error_description')!.slice(0, 160)}` : ''}).` +
        (error === 'access_denied' ? ' Access was not granted; sign in again and allow access to mail.' : ' Sign in again; if it keeps failing, check the client ID.'),
      { scope: 'account', retry: 'needs-user' });
    }
    const code = q.get('code');
    if (!code) throw new SyncError('sign-in-refused', `${ep.providerName} came back without an authorization code for ${o.who}. Sign in again.`, { scope: 'account', retry: 'needs-user' });
    const body = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, ...clientParams(ep) }, o.who, ep.via);
    return tokenSetOf(body, ep.tokenUrl, o.who);
  });
  result.catch(() => undefined);
  return { url: url.toString(), result, cancel: () => listener.close() };
}
