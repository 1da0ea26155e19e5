// The Electron main entry: binds the app (app-main.ts) to the real engine host (a supervised
// utility process running the bundled electron/utility entry) and to the OS keyring. It only
// wires; every decision lives in the modules it imports. Passwords go from the keyring to the
// engine over the protocol, on demand, and nowhere else.

import { app } from 'electron';
import path from 'node:path';
import type { SatchelConfig } from '../../core/config/model.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import { startApp } from './app-main.js';
import { appPaths } from './app-paths.js';
import { createEngineHost } from './engine-host.js';
import { utilitySpawner } from './utility-process-adapter.js';

/** The configuration of an app with no account yet: the engine runs and waits for one. */
function emptyConfig(): SatchelConfig {
  return { general: { metadata: path.join(app.getPath('userData'), 'state'), maxSyncAccounts: 1, fsync: true }, accounts: [] };
}

startApp({
  createSecretStore: () => new KeyringSecretStore(),
  createEnginePort: async ({ config, secrets, log }) => {
    const host = createEngineHost({
      spawn: utilitySpawner(path.join(app.getAppPath(), 'dist', 'electron', 'utility', 'engine-entry.js')),
      config: config ?? emptyConfig(),
      getSecret: async (repo) => {
        const key = repo.password.kind === 'keyring' ? repo.password.account : repo.name;
        const secret = await secrets.get(key);
        if (secret === undefined) throw new Error(`No password is stored for "${key}". Open the account (Edit…) and enter it.`);
        log.addSecret(secret);
        return secret;
      },
    });
    host.onLog((l) => log.push(l.level, l.account ? `${l.account}: ${l.message}` : l.message));
    await host.start();
    return host;
  },
  paths: appPaths({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, env: process.env }),
}).catch((e: unknown) => {
  console.error(e);
  app.exit(1);
});
