// The device authorization flow (RFC 8628) for machines without a browser: asks the provider for
// a user code, which the person enters on the provider's device page from any other device,
// then polls the token endpoint at the interval the provider asks for (slowing down when told)
// until the sign-in is finished, denied, expired or cancelled. It never logs the device code or a token.

import { SyncError } from '../errors.js';
import { requireScope, type OAuthEndpoints } from './oauth-providers.js';
import { clientParams, oauthErrorOf, postForm, tokenSetOf, type TokenSet } from './token-endpoint.js';

export interface DeviceSignIn {
  userCode: string;
  verificationUri: string;
  /** The page with the code filled in, when the provider gives one. */
  verificationUriComplete?: string;
  expiresAt: number;
  result: Promise<TokenSet>;
  cancel(): void;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function startDeviceSignIn(ep: OAuthEndpoints, o: { who: string; now?: () => number }): Promise<DeviceSignIn> {
  const now = o.now ?? Date.now;
  if (!ep.deviceUrl) {
    throw new SyncError('oauth-no-device-url', `${ep.providerName} has no device sign-in endpoint configured for ${o.who}; sign in with the browser instead (satchel login without --device).`,
      { scope: 'account', retry: 'needs-user' });
  }
  requireScope(ep, o.who);
  const start = await postForm(ep.deviceUrl, { ...clientParams(ep), scope: ep.scope }, o.who, ep.via);
  const deviceCode = start.device_code, userCode = start.user_code;
  // Microsoft and the RFC say verification_uri; Google says verification_url.
  const verificationUri = start.verification_uri ?? start.verification_url;
  if (typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string') {
    throw new SyncError('sign-in-refused', `${ep.providerName} answered the device sign-in for ${o.who} without a user code. Check the device endpoint URL.`, { scope: 'account', retry: 'needs-user' });
  }
  const expiresAt = now() + (typeof start.expires_in === 'number' ? start.expires_in : 900) * 1000;
  let intervalMs = (typeof start.interval === 'number' && start.interval > 0 ? start.interval : 5) * 1000;
  let cancelled = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => { const t = setTimeout(r, ms); wake = () => { clearTimeout(t); r(); }; });

  const poll = async (): Promise<TokenSet> => {
    for (;;) {
      await sleep(intervalMs);
      if (cancelled) throw new SyncError('sign-in-cancelled', 'The sign-in was cancelled.', { scope: 'account', retry: 'needs-user' });
      if (now() > expiresAt) throw new SyncError('sign-in-timeout', `The code ${userCode} expired before the sign-in was finished. Start again.`, { scope: 'account', retry: 'needs-user' });
      try {
        const body = await postForm(ep.tokenUrl, { grant_type: DEVICE_GRANT, device_code: deviceCode, ...clientParams(ep) }, o.who, ep.via);
        return tokenSetOf(body, ep.tokenUrl, o.who);
      } catch (e) {
        const why = oauthErrorOf(e);
        if (why === 'authorization_pending') continue;
        if (why === 'slow_down') { intervalMs += 5000; continue; }
        if (why === 'access_denied') throw new SyncError('sign-in-denied', `The sign-in of ${o.who} was declined on the device page. Start again and allow access to mail.`, { scope: 'account', retry: 'needs-user' });
        if (why === 'expired_token') throw new SyncError('sign-in-timeout', `The code ${userCode} expired before the sign-in was finished. Start again.`, { scope: 'account', retry: 'needs-user' });
        throw e;
      }
    }
  };
  const result = poll();
  result.catch(() => undefined);
  return {
    userCode, verificationUri, expiresAt, result,
    ...(typeof start.verification_uri_complete === 'string' ? { verificationUriComplete: start.verification_uri_complete } : {}),
    cancel() { cancelled = true; wake?.(); },
  };
}
