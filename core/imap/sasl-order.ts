// How a connection logs in, from the repository's auth_mechanisms (OfflineIMAP's names, in order
// of preference) and whether it signs in with OAuth2: the imapflow `auth` options, and, for
// OAuth2, steering imapflow (which always prefers OAUTHBEARER) to XOAUTH2 when that comes first
// and the server offers it. It never sees a password or a token beyond passing it to imapflow.

import type { ImapFlow, ImapFlowOptions } from 'imapflow';

import { OAUTH_MECHANISMS, PASSWORD_MECHANISMS } from '../auth/sasl-mechanisms.js';

/** imapflow's auth options for one connection. */
export function authOptions(user: string, secret: string, o: { oauth: boolean; mechanisms?: string[] }): NonNullable<ImapFlowOptions['auth']> {
  if (o.oauth) return { user, accessToken: secret };
  // OfflineIMAP: PLAIN is AUTHENTICATE PLAIN, LOGIN the IMAP LOGIN command.
  const first = o.mechanisms?.find((m) => PASSWORD_MECHANISMS.includes(m));
  return { user, pass: secret, ...(first === 'PLAIN' ? { loginMethod: 'AUTH=PLAIN' } : first === 'LOGIN' ? { loginMethod: 'LOGIN' } : {}) };
}

/**
 * When XOAUTH2 is preferred to OAUTHBEARER (or OAUTHBEARER is not allowed) and the server offers
 * XOAUTH2, imapflow is made to see no AUTH=OAUTHBEARER while it authenticates.
 */
export function steerOAuthMechanism(client: ImapFlow, mechanisms: string[] | undefined): void {
  const order = (mechanisms ?? []).filter((m) => OAUTH_MECHANISMS.includes(m));
  if (!order.length || order[0] !== 'XOAUTH2') return;
  const c = client as unknown as { run: (cmd: string, ...args: unknown[]) => Promise<unknown>; capabilities: Map<string, unknown> };
  const run = c.run.bind(client);
  c.run = async (cmd, ...args) => {
    if (cmd !== 'AUTHENTICATE' || !c.capabilities.has('AUTH=XOAUTH2') || !c.capabilities.has('AUTH=OAUTHBEARER')) return run(cmd, ...args);
    const caps = c.capabilities;
    const saved = caps.get('AUTH=OAUTHBEARER');
    caps.delete('AUTH=OAUTHBEARER');
    try {
      return await run(cmd, ...args);
    } finally {
      // imapflow may have replaced the map with the post-login capabilities: only the old one is restored.
      caps.set('AUTH=OAUTHBEARER', saved);
    }
  };
}
