// SecretStore over the OS keyring through keytar (libsecret / Secret Service on Linux, Keychain
// on macOS, Credential Manager on Windows), service "Satchel", one entry per key (the CLI uses
// the OfflineIMAP account name). keytar is loaded lazily, so a machine without libsecret or a
// running Secret Service only fails when a keyring password is actually needed. It imports
// nothing from the engine (the desktop shell uses it too) and never puts a secret in a message.

import { SyncError } from '../errors.js';
import { SECRET_SERVICE, type SecretStore } from './secret-store.js';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeyringOptions {
  service?: string;
  /** A keyring call that has not answered by then fails (a locked keyring waiting for a prompt nobody sees). Default 20 s. */
  timeoutMs?: number;
  /** Replaces the keytar loader (tests use it for faults a real keyring cannot be made to produce, e.g. never answering). */
  load?: () => Promise<Keytar>;
}

export const KEYRING_TIMEOUT_MS = 20_000;

const OTHER_WAY = 'give the password another way: passcmd, remotepassfile or ~/.netrc.';
const HOW_TO_FIX = 'Start a Secret Service in your session (e.g. gnome-keyring-daemon --start --components=secrets, or KeePassXC with Secret Service enabled; ' +
  `a D-Bus session bus is needed, DBUS_SESSION_BUS_ADDRESS must be set), or ${OTHER_WAY}`;

let cached: Promise<Keytar> | undefined;

async function loadKeytar(): Promise<Keytar> {
  // A variable specifier keeps the native module out of the esbuild bundle: it is loaded from node_modules at run time.
  const specifier = 'keytar';
  const mod = (await import(specifier)) as { default?: Keytar } & Keytar;
  return mod.default ?? mod;
}

export class KeyringSecretStore implements SecretStore {
  readonly service: string;
  private readonly timeoutMs: number;
  private readonly load: () => Promise<Keytar>;

  constructor(opts: KeyringOptions = {}) {
    this.service = opts.service ?? SECRET_SERVICE;
    this.timeoutMs = opts.timeoutMs ?? KEYRING_TIMEOUT_MS;
    this.load = opts.load ?? (() => (cached ??= loadKeytar().catch((e) => { cached = undefined; throw e; })));
  }

  async get(account: string): Promise<string | undefined> {
    const v = await this.call('read', account, (k) => k.getPassword(this.service, account));
    return v ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call('store', account, (k) => k.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.call('delete', account, (k) => k.deletePassword(this.service, account));
  }

  private async call<T>(what: string, account: string, f: (k: Keytar) => Promise<T>): Promise<T> {
    let k: Keytar;
    try {
      k = await this.load();
    } catch (e) {
      throw new SyncError('keyring-unavailable', `Cannot ${what} the password of "${account}" in the system keyring: the keyring module could not be loaded ` +
        `(${shortReason(e)}). Install libsecret (Debian: libsecret-1-0), or ${OTHER_WAY}`, { scope: 'account', retry: 'needs-user', cause: e, account });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SyncError('keyring-timeout', `The system keyring did not answer within ${Math.round(this.timeoutMs / 1000)} s ` +
        `when asked to ${what} the password of "${account}" (is it locked and waiting for an unlock prompt?). Unlock it, or ${OTHER_WAY}`,
      { scope: 'account', retry: 'later', account })), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([f(k), timeout]);
    } catch (e) {
      if (e instanceof SyncError) throw e;
      throw keyringError(e, what, account);
    } finally {
      clearTimeout(timer);
    }
  }
}

function shortReason(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  return m.length > 200 ? `${m.slice(0, 197)}...` : m;
}

/** Turns a libsecret / D-Bus failure into a SyncError that says what is missing and how to fix it. */
export function keyringError(e: unknown, what: string, account: string): SyncError {
  const reason = shortReason(e);
  const noService = /dbus|d-bus|secrets|org\.freedesktop|autolaunch|no such (file|interface)|connect|not provided|service/i.test(reason);
  const message = noService
    ? `Cannot ${what} the password of "${account}": no Secret Service (system keyring) is reachable (${reason}). ${HOW_TO_FIX}`
    : `Cannot ${what} the password of "${account}" in the system keyring (${reason}). ${HOW_TO_FIX}`;
  return new SyncError('keyring-unavailable', message, { scope: 'account', retry: 'needs-user', cause: e, account });
}
