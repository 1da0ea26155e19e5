// KeyringSecretStore against a real Secret Service (a private gnome-keyring on a private D-Bus):
// set/get/delete round trips, entries are per key and per service, and without any session
// bus the failure is a SyncError that names the missing Secret Service and the way out.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SyncError } from '../../../core/errors.js';
import { KeyringSecretStore } from '../../../core/secrets/keyring-secret-store.js';
import { SECRET_SERVICE } from '../../../core/secrets/secret-store.js';
import { startKeyring, type TestKeyring } from '../../helpers/keyring.js';

let keyring: TestKeyring;
beforeAll(async () => { keyring = await startKeyring(); }, 30_000);
afterAll(async () => { await keyring?.stop(); });

describe('KeyringSecretStore (real gnome-keyring)', () => {
  it('stores, reads back and deletes a secret per key', async () => {
    const store = new KeyringSecretStore();
    expect(store.service).toBe(SECRET_SERVICE);
    expect(await store.get('work')).toBeUndefined();
    await store.set('work', 'pä$$ wörd');
    await store.set('home', 'other');
    expect(await store.get('work')).toBe('pä$$ wörd');
    expect(await store.get('home')).toBe('other');
    await store.set('work', 'changed');
    expect(await store.get('work')).toBe('changed');
    expect(await store.delete('work')).toBe(true);
    expect(await store.delete('work')).toBe(false);
    expect(await store.get('work')).toBeUndefined();
    expect(await store.get('home')).toBe('other');
  });

  it('keeps services apart', async () => {
    await new KeyringSecretStore().set('shared', 'satchel-secret');
    expect(await new KeyringSecretStore({ service: 'Other' }).get('shared')).toBeUndefined();
    expect(await new KeyringSecretStore({ service: 'Satchel' }).get('shared')).toBe('satchel-secret');
    expect(await new KeyringSecretStore().delete('shared')).toBe(true);
  });
});

describe('KeyringSecretStore when keytar cannot be used', () => {
  it('turns a D-Bus failure into a keyring-unavailable SyncError with the fix', async () => {
    const store = new KeyringSecretStore({ load: async () => ({
      getPassword: async () => { throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'); },
      setPassword: async () => undefined, deletePassword: async () => false,
    }) });
    const e = await store.get('work').catch((x: unknown) => x) as SyncError;
    expect(e).toBeInstanceOf(SyncError);
    expect(e).toMatchObject({ code: 'keyring-unavailable', scope: 'account', retry: 'needs-user', account: 'work' });
    expect(e.message).toMatch(/no Secret Service \(system keyring\) is reachable \(Cannot autolaunch D-Bus/);
    expect(e.message).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(e.message).toMatch(/passcmd/);
  });

  it('gives up on a keyring that never answers', async () => {
    const store = new KeyringSecretStore({ timeoutMs: 200, load: async () => ({
      getPassword: () => new Promise<string | null>(() => {}), setPassword: async () => undefined, deletePassword: async () => false,
    }) });
    await expect(store.get('work')).rejects.toMatchObject({ code: 'keyring-timeout', retry: 'later' });
  });
});
