// The sign-ins the interface has under way (wizard: "Sign in with Google / Microsoft / OAuth2",
// "Sign in again"): each started with core/auth's browser or device flow, the system browser
// opened by the desktop (openUrl) or the URL handed to browser mode's page, its tokens held in
// memory until the account is saved (or the sign-in is cancelled or 15 minutes pass). It never
// returns a token to the interface, never logs one, and never writes one anywhere itself.

import crypto from 'node:crypto';
import { startBrowserSignIn } from '../auth/browser-flow.js';
import { startDeviceSignIn } from '../auth/device-flow.js';
import { resolveEndpoints, type OAuth2Config } from '../auth/oauth-providers.js';
import type { TokenSet } from '../auth/token-endpoint.js';
import type { SignInRequest, SignInSettings, SignInStart } from '../contract/bridge-contract.js';
import { SyncError } from '../errors.js';

/** The account's OAuth2 settings from what the wizard chose (the client secret itself goes to the keyring). */
export function oauth2ConfigOf(s: SignInSettings, account: string): OAuth2Config {
  return {
    provider: s.provider, account,
    ...(s.clientId ? { clientId: s.clientId } : {}),
    ...(s.server ? { authorizationUrl: s.server.authorizationUrl, tokenUrl: s.server.tokenUrl, scope: s.server.scope,
      ...(s.server.deviceUrl ? { deviceUrl: s.server.deviceUrl } : {}) } : {}),
    ...(s.clientSecret ? { clientSecretInKeyring: true } : {}),
  };
}

interface Pending {
  settings: SignInSettings;
  result: Promise<TokenSet>;
  tokens?: TokenSet;
  cancel(): void;
  timer: NodeJS.Timeout;
}

export interface SignIns {
  start(req: SignInRequest): Promise<SignInStart>;
  finish(id: string): Promise<void>;
  cancel(id: string): void;
  /** The access token of a finished sign-in (for "Test connection"). */
  accessToken(id: string): string;
  /** Takes a finished sign-in for saving: its settings and tokens; it is gone afterwards. */
  take(id: string): { settings: SignInSettings; tokens: TokenSet };
  close(): void;
}

const KEEP_MS = 15 * 60_000;
const unknown = () => new SyncError('sign-in-unknown', 'That sign-in is no longer under way (it finished, was cancelled or took more than 15 minutes). Sign in again.',
  { scope: 'account', retry: 'needs-user' });

export function createSignIns(deps: { openUrl?: (url: string) => Promise<void> | void; onSecret: (s: string) => void }): SignIns {
  const pending = new Map<string, Pending>();
  const get = (id: string) => {
    const p = pending.get(id);
    if (!p) throw unknown();
    return p;
  };
  const drop = (id: string) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.cancel();
  };
  return {
    async start(req) {
      const { user, device, ...settings } = req;
      const who = user;
      const ep = resolveEndpoints(oauth2ConfigOf(settings, 'wizard'), who, settings.clientSecret);
      const id = crypto.randomBytes(16).toString('base64url');
      let start: SignInStart;
      let flow: { result: Promise<TokenSet>; cancel(): void };
      if (device) {
        const d = await startDeviceSignIn(ep, { who });
        flow = d;
        start = { id, kind: 'device', verificationUri: d.verificationUriComplete ?? d.verificationUri, userCode: d.userCode, opened: false };
      } else {
        const b = await startBrowserSignIn(ep, { who, loginHint: user });
        flow = b;
        start = { id, kind: 'browser', url: b.url, opened: false };
      }
      const p: Pending = { settings, result: flow.result, cancel: flow.cancel, timer: setTimeout(() => drop(id), KEEP_MS) };
      p.timer.unref();
      pending.set(id, p);
      p.result.then((t) => { deps.onSecret(t.accessToken); if (t.refreshToken) deps.onSecret(t.refreshToken); p.tokens = t; }, () => undefined);
      if (deps.openUrl) {
        await deps.openUrl(start.kind === 'browser' ? start.url : start.verificationUri);
        start.opened = true;
      }
      return start;
    },
    async finish(id) {
      const p = get(id);
      try {
        await p.result;
      } catch (e) {
        drop(id);
        throw e;
      }
    },
    cancel: drop,
    accessToken(id) {
      const t = get(id).tokens;
      if (!t) throw new SyncError('sign-in-unfinished', 'The sign-in is not finished yet: finish it in the browser first.', { scope: 'account', retry: 'needs-user' });
      return t.accessToken;
    },
    take(id) {
      const p = get(id);
      if (!p.tokens) throw new SyncError('sign-in-unfinished', 'The sign-in is not finished yet: finish it in the browser first.', { scope: 'account', retry: 'needs-user' });
      pending.delete(id);
      clearTimeout(p.timer);
      return { settings: p.settings, tokens: p.tokens };
    },
    close() { for (const id of [...pending.keys()]) drop(id); },
  };
}
