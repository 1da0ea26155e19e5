// The IDLE watchers of a running engine: one per idlefolder of every IMAP account (INBOX when
// none is configured; `idlefolders = []` turns IDLE off), each asking the engine to sync its
// folder on a change, and all reconnecting at once when the engine wakes (after a suspend or
// a network change). Shared by the command line's daemon and the desktop app's engine process.

import type { SatchelConfig } from '../config/model.js';
import type { Engine } from '../engine/engine.js';
import type { SecretGetter } from '../engine/store-factory.js';
import { IdleWatcher } from './idle-watcher.js';

export interface IdleWatchers {
  readonly watchers: readonly IdleWatcher[];
  stop(): Promise<void>;
}

export function startIdleWatchers(config: SatchelConfig, engine: Engine, getSecret: SecretGetter,
  log: (level: 'info' | 'error', message: string) => void): IdleWatchers {
  const watchers: IdleWatcher[] = [];
  for (const a of config.accounts) {
    if (a.remote.type !== 'imap') continue;
    for (const folder of a.remote.idleFolders ?? ['INBOX']) {
      watchers.push(new IdleWatcher({ account: a.name, folder, repo: a.remote, getSecret, log,
        onChange: (f) => engine.syncFolders(a.name, [f]) }));
    }
  }
  const offWake = engine.on('wake', (e) => {
    if (watchers.length) log('info', `waking up: ${e.reason}; reconnecting IDLE`);
    for (const w of watchers) w.reconnect();
  });
  for (const w of watchers) w.start();
  return {
    watchers,
    async stop() {
      offWake();
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
}
