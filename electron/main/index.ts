// The Electron main entry, the composition root of the desktop app: the one app service
// (core/app) on electron-store settings, the OS keyring and an engine host running the bundled
// engine in Electron's utility process, started by app-main.ts. It only wires; every decision
// lives in the modules it imports. Passwords go from the keyring to the engine on demand, only.

import { app } from 'electron';
import path from 'node:path';
import { createAppService } from '../../core/app/app-service.js';
import { createEngineHost } from '../../core/engine-host/engine-host.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import { startApp } from './app-main.js';
import { appPaths } from './app-paths.js';
import { electronSettingsStorage } from './settings-store.js';
import { utilitySpawner } from './utility-process-adapter.js';

const ENGINE_ENTRY = path.join(app.getAppPath(), 'dist', 'electron', 'utility', 'engine-entry.js');

startApp({
  createService: ({ userData, loginItem, openUrl }) => createAppService({
    storage: electronSettingsStorage(userData),
    secrets: new KeyringSecretStore(),
    stateDir: path.join(userData, 'state'),
    loginItem,
    openUrl,
    createPort: (getSecret) => createEngineHost({ spawn: utilitySpawner(ENGINE_ENTRY), getSecret }),
  }),
  paths: appPaths({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, env: process.env }),
}).catch((e: unknown) => {
  console.error(e);
  app.exit(1);
});
