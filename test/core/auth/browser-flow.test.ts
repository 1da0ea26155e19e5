// The authorization-code flow's own guards, against a real loopback listener: an answer whose
// state does not match is refused (and the listener is gone after that one request), a sign-in
// nobody finishes times out, Cancel ends it, and the URL carries PKCE S256 and no secret.

import { describe, it, expect } from 'vitest';
import { startBrowserSignIn } from '../../../core/auth/browser-flow.js';
import type { OAuthEndpoints } from '../../../core/auth/oauth-providers.js';

const ep: OAuthEndpoints = { provider: 'custom', providerName: 'Test', authorizationUrl: 'https://sso.example.org/auth', tokenUrl: 'https://sso.example.org/token',
  scope: 'imap', clientId: 'cid', clientSecret: 'not-in-the-url', redirectHost: '127.0.0.1' };

describe('the browser sign-in flow', () => {
  it('builds a PKCE S256 URL to a loopback redirect, without the client secret', async () => {
    const f = await startBrowserSignIn(ep, { who: 'test', loginHint: 'me@example.org' });
    const u = new URL(f.url);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(u.searchParams.get('login_hint')).toBe('me@example.org');
    expect(f.url).not.toContain('not-in-the-url');
    f.cancel();
    await expect(f.result).rejects.toMatchObject({ code: 'sign-in-cancelled' });
  });

  it('refuses an answer with another state, and the listener takes no second request', async () => {
    const f = await startBrowserSignIn(ep, { who: 'test' });
    const redirect = new URL(f.url).searchParams.get('redirect_uri')!;
    const res = await fetch(`${redirect}?code=stolen&state=forged`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('does not belong to the sign-in Satchel started');
    await expect(f.result).rejects.toMatchObject({ code: 'sign-in-state-mismatch' });
    await expect(fetch(`${redirect}?code=x&state=y`)).rejects.toThrow();
  });

  it('a sign-in nobody finishes times out', async () => {
    const f = await startBrowserSignIn(ep, { who: 'test', timeoutMs: 200 });
    await expect(f.result).rejects.toMatchObject({ code: 'sign-in-timeout', retry: 'needs-user' });
  });
});
