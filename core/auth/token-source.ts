// The token source of one account: hands every new IMAP connection a fresh access token (the
// pool, IDLE reconnects, connection tests), refreshing a minute before expiry and once more when
// the server rejected a token, with concurrent refreshes coalesced into one request. A rotated
// refresh token is written to the keyring before the old one is forgotten (kept in memory until
// that write succeeds). Access tokens live only in memory. It never logs or returns a refresh token.

import { SyncError } from '../errors.js';
import type { OAuthEndpoints } from './oauth-providers.js';
import { refreshTokens, SIGN_IN_ENDED, type TokenSet } from './token-endpoint.js';

/** The keyring, as far as tokens need it (core/secrets' SecretStore fits). */
export interface TokenVault {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/** The keyring keys of an account's OAuth2 secrets (service "Satchel", beside its password under the bare name). */
export const refreshTokenKey = (account: string) => `${account}/oauth2-refresh-token`;
export const clientSecretKey = (account: string) => `${account}/oauth2-client-secret`;

export interface TokenSourceOptions {
  account: string;
  /** Resolved on first use (the client secret may come from the keyring). */
  endpoints: () => Promise<OAuthEndpoints>;
  vault: TokenVault;
  /** oauth2_refresh_token from a configuration file: used only while the keyring has none. */
  seed?: string;
  /** oauth2_access_token from a configuration file: used as it is while no refresh token is known. */
  staticAccessToken?: string;
  /** Every token obtained, so a log can redact it. */
  onSecret?: (s: string) => void;
  now?: () => number;
  /** Refresh this long before expiry (default one minute). */
  marginMs?: number;
}

/** How long a token without expires_in is trusted, and how recent a refresh answers a renew. */
const UNKNOWN_LIFETIME_MS = 50 * 60_000;
const RECENT_REFRESH_MS = 5_000;

export const signInHint = (account: string) =>
  `Sign in again: in Satchel, "Sign in again" on the account; on the command line, satchel login ${account}`;

export class TokenSource {
  private cached?: { token: string; expiresAt: number; at: number };
  private inflight?: Promise<string>;
  /** A rotated refresh token whose keyring write has not succeeded yet. */
  private unsaved?: string;
  private readonly now: () => number;

  constructor(private readonly o: TokenSourceOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A valid access token; `renew` after the server rejected the last one (refreshes unless that just happened). */
  async accessToken(opts: { renew?: boolean } = {}): Promise<string> {
    const c = this.cached;
    const margin = this.o.marginMs ?? 60_000;
    if (c && !opts.renew && this.now() < c.expiresAt - margin) return c.token;
    if (c && opts.renew && this.now() - c.at < RECENT_REFRESH_MS && this.now() < c.expiresAt) return c.token;
    this.inflight ??= this.refresh(opts.renew ?? false).finally(() => { this.inflight = undefined; });
    return this.inflight;
  }

  /** Where the refresh token comes from now, for `satchel --info`. */
  async origin(): Promise<'keyring' | 'config' | 'access-token' | 'none'> {
    if (this.unsaved || (await this.o.vault.get(refreshTokenKey(this.o.account)))) return 'keyring';
    if (this.o.seed) return 'config';
    return this.o.staticAccessToken ? 'access-token' : 'none';
  }

  /** A new sign-in: its refresh token replaces the stored one, its access token is used at once. */
  async signedIn(t: TokenSet): Promise<void> {
    if (t.refreshToken) await this.store(t.refreshToken);
    this.remember(t);
  }

  /** Forgets the access token (e.g. after the account's settings changed). */
  forget(): void {
    this.cached = undefined;
  }

  private async refresh(renew: boolean): Promise<string> {
    const account = this.o.account;
    const stored = this.unsaved ?? (await this.o.vault.get(refreshTokenKey(account)));
    const refreshToken = stored ?? this.o.seed;
    if (!refreshToken) {
      if (this.o.staticAccessToken && !renew) {
        this.remember({ accessToken: this.o.staticAccessToken });
        return this.o.staticAccessToken;
      }
      this.cached = undefined;
      throw new SyncError(SIGN_IN_ENDED, `Account "${account}" is not signed in${this.o.staticAccessToken ? ' (its oauth2_access_token was rejected)' : ''}. ${signInHint(account)}.`,
        { scope: 'account', retry: 'needs-user', account });
    }
    const ep = await this.o.endpoints();
    let set: TokenSet;
    try {
      set = await refreshTokens(ep.tokenUrl, ep, refreshToken, `account "${account}"`, undefined, ep.via);
    } catch (e) {
      if (e instanceof SyncError) {
        e.account ??= account;
        if (e.code === SIGN_IN_ENDED) {
          this.cached = undefined;
          throw new SyncError(SIGN_IN_ENDED, `${e.message.replace(/ Sign in again\.$/, '')} ${signInHint(account)}.`, { scope: 'account', retry: 'needs-user', account, cause: e.cause });
        }
      }
      throw e;
    }
    // Rotation: the new refresh token is saved before the old one is let go. A seed is saved too (first use).
    const next = set.refreshToken ?? (stored ? undefined : refreshToken);
    if (next) await this.store(next);
    this.remember(set);
    return set.accessToken;
  }

  private async store(refreshToken: string): Promise<void> {
    this.o.onSecret?.(refreshToken);
    this.unsaved = refreshToken;
    await this.o.vault.set(refreshTokenKey(this.o.account), refreshToken);
    this.unsaved = undefined;
  }

  private remember(t: TokenSet): void {
    this.o.onSecret?.(t.accessToken);
    const at = this.now();
    this.cached = { token: t.accessToken, expiresAt: t.expiresAt ?? at + UNKNOWN_LIFETIME_MS, at };
  }
}
