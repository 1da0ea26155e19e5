// Test helper: browser mode as the end-to-end tests run it — the app service with its settings
// file under `dir` (which is also HOME), the real keyring, the engine in this process, and the
// 127.0.0.1 server on the built interface (renderer/dist). Stopping closes the server first,
// then the engine at a safe point. It never touches the user's own settings or keyring.

import fs from 'node:fs';
import path from 'node:path';
import { createLocalAppService } from '../../core/app/local-app-service.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import { startUiServer, type UiServer } from '../../core/ui-server/ui-server.js';

export const RENDERER_ROOT = path.resolve('renderer/dist');

export interface BrowserMode {
  backend: ReturnType<typeof createLocalAppService>;
  server: UiServer;
}

/** Starts the service (and its schedule) and the server; `dir` keeps settings, state and mail. */
export async function startBrowserMode(dir: string): Promise<BrowserMode> {
  if (!fs.existsSync(path.join(RENDERER_ROOT, 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
  const backend = createLocalAppService({
    settingsFile: path.join(dir, 'config', 'satchel', 'ui-settings.json'), secrets: new KeyringSecretStore(),
    env: { HOME: dir, XDG_STATE_HOME: path.join(dir, 'state') }, home: dir, statusIntervalMs: 100,
  });
  await backend.start();
  return { backend, server: await startUiServer({ backend, root: RENDERER_ROOT }) };
}

export async function stopBrowserMode(m: Partial<BrowserMode>, deadlineMs = 5_000): Promise<void> {
  await m.server?.close();
  await m.backend?.close(deadlineMs);
}
