// The one secret getter of every front end (command line, app service): for a repository that
// signs in with OAuth2, an access token from the account's TokenSource (one per account and
// settings, kept for the life of the getter, so refreshes are shared by the pool, IDLE and the
// tools); for any other, the password from its PasswordSource (secrets.ts). Every secret it hands
// out is also given to onSecret (log redaction). It never logs, prints or stores a secret itself.

import { resolveEndpoints, type OAuth2Config } from '../auth/oauth-providers.js';
import { clientSecretKey, TokenSource } from '../auth/token-source.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import { SECRET_SERVICE, type SecretStore } from '../secrets/secret-store.js';
import type { ImapRepositoryConfig } from './model.js';
import { resolvePassword, type ResolveOptions } from './secrets.js';

export interface RepositorySecrets {
  (repo: ImapRepositoryConfig, o?: { renew?: boolean }): Promise<string>;
  /** The token source of an OAuth2 repository (the same one the getter uses). */
  tokenSource(repo: ImapRepositoryConfig & { oauth2: OAuth2Config }): TokenSource;
}

export interface RepositorySecretOptions extends ResolveOptions {
  /** The keyring of service "Satchel" (default: the OS keyring). */
  secretStore?: SecretStore;
  onSecret?: (s: string) => void;
  /** Who a password is for, in prompts and messages (default: the resolver's label). */
  labelOf?: (repo: ImapRepositoryConfig) => string;
}

export function createRepositorySecrets(opts: RepositorySecretOptions = {}): RepositorySecrets {
  const sources = new Map<string, TokenSource>();
  const vault = () => opts.secretStore ?? new KeyringSecretStore({ service: SECRET_SERVICE });

  const tokenSource = (repo: ImapRepositoryConfig & { oauth2: OAuth2Config }): TokenSource => {
    const c = repo.oauth2;
    // Changed settings (another client ID or server) get a source of their own.
    const key = JSON.stringify([c.account, repo.host, repo.user, c.provider, c.clientId, c.tokenUrl, c.scope, repo.authProxy]);
    let s = sources.get(key);
    if (!s) {
      const who = `account "${c.account}"`;
      s = new TokenSource({
        account: c.account, vault: vault(), seed: c.refreshTokenSeed, staticAccessToken: c.accessToken, onSecret: opts.onSecret,
        endpoints: async () => {
          const secret = c.clientSecretInKeyring ? await vault().get(clientSecretKey(c.account)) : undefined;
          if (secret) opts.onSecret?.(secret);
          return resolveEndpoints(c, who, secret, repo.authProxy);
        },
      });
      sources.set(key, s);
    }
    return s;
  };

  const getter = async (repo: ImapRepositoryConfig, o: { renew?: boolean } = {}): Promise<string> => {
    if (repo.oauth2) return tokenSource(repo as ImapRepositoryConfig & { oauth2: OAuth2Config }).accessToken(o);
    const src = repo.password;
    const { secretStore, onSecret: _o, labelOf, ...resolve } = opts;
    // The given keyring serves service "Satchel"; another service named in a file gets its own.
    const store = src.kind === 'keyring' && src.service === SECRET_SERVICE ? secretStore : undefined;
    const secret = await resolvePassword(src, { ...resolve, ...(store ? { secretStore: store } : {}), ...(labelOf ? { label: labelOf(repo) } : {}) });
    opts.onSecret?.(secret);
    return secret;
  };
  return Object.assign(getter, { tokenSource });
}
