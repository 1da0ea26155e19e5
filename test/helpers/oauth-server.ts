// Test helper: a real OAuth2 authorization server (oidc-provider) on a free loopback port, set
// up the way Google and Microsoft treat a desktop app: a public client with PKCE required, any
// loopback redirect port, refresh tokens that rotate on every use, access tokens that live a few
// seconds, the device flow, and oidc-provider's own login and consent pages. A second,
// confidential client is Dovecot's, for token introspection. It can be taken down and brought
// back on the same port (the "token server down" case). It never touches anything outside memory.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface OAuthServer {
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  deviceUrl: string;
  revocationUrl: string;
  /** For Dovecot's introspection_url: carries the introspection client's credentials (Basic auth). */
  introspectionUrl: string;
  clientId: string;
  scope: string;
  /** Token endpoint requests seen (grant types), for the refresh and coalescing assertions. */
  tokenRequests: string[];
  /** Revokes a refresh token (and its grant, so its access tokens die too). */
  revoke(refreshToken: string): Promise<void>;
  /** Stops answering (connections refused) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface OAuthServerOptions {
  /** Access token lifetime in seconds (default 4). */
  accessTokenTtl?: number;
}

const CLIENT_ID = 'satchel-test';
const SCOPE = 'imap offline_access';
const INTROSPECTION_CLIENT = { id: 'dovecot', secret: 'dovecot-introspection-secret' };

export async function startOAuthServer(opts: OAuthServerOptions = {}): Promise<OAuthServer> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const config: Configuration = {
    clients: [
      {
        client_id: CLIENT_ID, application_type: 'native', token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/', 'http://localhost/'], response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      },
      {
        client_id: INTROSPECTION_CLIENT.id, client_secret: INTROSPECTION_CLIENT.secret, token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['https://dovecot.invalid/unused'], response_types: ['code'], grant_types: ['authorization_code'],
      },
    ],
    scopes: ['openid', 'offline_access', 'imap'],
    pkce: { required: () => true, methods: ['S256'] },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      // Only Dovecot may ask what a token is.
      introspection: { enabled: true, allowedPolicy: async (ctx) => ctx.oidc.client?.clientId === INTROSPECTION_CLIENT.id },
      revocation: { enabled: true },
    },
    // Dovecot reads the user name from the introspection answer.
    extraTokenClaims: async (_ctx, token) => ('accountId' in token && token.accountId ? { username: token.accountId } : undefined),
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    // Consent once per sign-in: every requested scope is granted by the consent page (devInteractions).
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    ttl: { AccessToken: opts.accessTokenTtl ?? 4, RefreshToken: 24 * 3600, DeviceCode: 600, Grant: 24 * 3600, Session: 3600, Interaction: 600, AuthorizationCode: 60 },
    cookies: { keys: ['test-cookie-key-not-secret'] },
  };
  const provider = new Provider(issuer, config);
  provider.proxy = false;
  const tokenRequests: string[] = [];
  provider.on('grant.success', (ctx) => { tokenRequests.push(String((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type ?? '?')); });
  const callback = provider.callback();
  server.on('request', callback);

  const listen = () => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const close = () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });

  return {
    issuer,
    authorizationUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    deviceUrl: `${issuer}/device/auth`,
    revocationUrl: `${issuer}/token/revocation`,
    introspectionUrl: `http://${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}@127.0.0.1:${port}/token/introspection`,
    clientId: CLIENT_ID,
    scope: SCOPE,
    tokenRequests,
    async revoke(refreshToken) {
      const res = await fetch(`${issuer}/token/revocation`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: CLIENT_ID }),
      });
      if (!res.ok) throw new Error(`revocation failed: ${res.status} ${await res.text()}`);
    },
    down: close,
    up: listen,
    stop: close,
  };
}
