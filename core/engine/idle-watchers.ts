// The IDLE watchers of a running schedule: one per idlefolder of every IMAP account (INBOX when
// none is configured; `idlefolders = []` turns IDLE off), each calling `onChange(account, folder)`
// when the server reports a change, and all reconnecting at once on wake (after a suspend or a
// network change). Owned by the engine (engine.ts): no front end starts watchers of its own.
// It never syncs by itself and never logs a password (IdleWatcher's own rules).

import type { SatchelConfig } from '../config/model.js';
import type { SecretGetter } from './store-factory.js';
import { IdleWatcher } from '../scheduler/idle-watcher.js';

export interface IdleWatchers {
  readonly watchers: readonly IdleWatcher[];
  reconnect(reason: string): void;
  stop(): Promise<void>;
}

export function startIdleWatchers(config: SatchelConfig, getSecret: SecretGetter,
  onChange: (account: string, folder: string) => void,
  log: (level: 'info' | 'error', message: string) => void): IdleWatchers {
  const watchers: IdleWatcher[] = [];
  for (const a of config.accounts) {
    if (a.remote.type !== 'imap') continue;
    for (const folder of a.remote.idleFolders ?? ['INBOX']) {
      watchers.push(new IdleWatcher({ account: a.name, folder, repo: a.remote, getSecret,
        log,
        onChange: (f) => onChange(a.name, f) }));
    }
  }
  for (const w of watchers) w.start();
  return {
    watchers,
    reconnect(reason) {
      for (const w of watchers) {
        log('info', `${w.account}: waking up (${reason}); reconnecting IDLE on ${w.folder}`);
        w.reconnect();
      }
    },
    async stop() {
      await Promise.all(watchers.map((w) => w.stop()));
    },
  };
}
