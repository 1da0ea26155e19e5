// The one interface to a password store, shared by the command line (keyring password source)
// and the desktop shell (accounts' passwords and OAuth tokens). Implementations: the OS keyring
// through keytar (keyring-secret-store.ts). A secret is only ever returned to its caller: never
// logged, never written to settings, argv, the environment or the status database.

/** Service name under which every Satchel secret is stored in the OS keyring. */
export const SECRET_SERVICE = 'Satchel';

export interface SecretStore {
  /** The secret stored for `account`, or undefined when there is none. */
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was there and is now gone. */
  delete(account: string): Promise<boolean>;
}
