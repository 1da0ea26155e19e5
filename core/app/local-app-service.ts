// The app service as browser mode and the tests run it: the settings in a JSON file and the
// engine in this process. Composition only (the same createAppService the desktop app runs over
// its utility process); it decides nothing of its own.

import type { SatchelConfig } from '../config/model.js';
import type { Engine } from '../engine/engine.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AccountTools } from '../accounts/account-tools.js';
import { createAppService, type AppService, type AppServiceDeps } from './app-service.js';
import { createInProcessEngine } from './in-process-engine.js';
import { fileSettingsStorage } from './settings.js';

export interface LocalServiceOptions extends Pick<AppServiceDeps, 'env' | 'home' | 'fixedConfig' | 'statusIntervalMs' | 'loginItem' | 'stateDir'> {
  settingsFile: string;
  secrets: SecretStore;
  /** Default: the real tools of core/accounts. */
  tools?: AccountTools;
}

/** The service, and its engine (for tests and diagnostics that read the schedule). */
export function createLocalAppService(o: LocalServiceOptions): AppService & { readonly engine: Engine } {
  let engine: Engine | undefined;
  const service = createAppService({
    ...o,
    storage: fileSettingsStorage(o.settingsFile),
    createPort: (getSecret, config: SatchelConfig) => {
      const port = createInProcessEngine({ config, getSecret, env: o.env, home: o.home, tools: o.tools });
      engine = port.engine;
      return port;
    },
  });
  return Object.assign(service, { engine: engine! });
}
