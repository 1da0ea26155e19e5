// The IDLE watchers of browser mode: one per watched folder (the remote's idleFolders, INBOX by
// default) of every scheduled IMAP account, each asking the engine to sync its folder when the
// server reports a change. Replaced as a whole when the accounts or preferences change.
// It never syncs by itself and never logs a password (IdleWatcher's own rules).

import type { SatchelConfig } from '../config/model.js';
import type { Engine } from '../engine/engine.js';
import type { SecretGetter } from '../engine/store-factory.js';
import { IdleWatcher } from '../scheduler/idle-watcher.js';

export class IdleSet {
  private watchers: IdleWatcher[] = [];

  constructor(private readonly engine: Engine, private readonly getSecret: SecretGetter,
    private readonly log: (level: 'info' | 'error', message: string) => void) {}

  /** Stops the current watchers and, when enabled, starts one per watched folder of each account with a schedule. */
  async replace(config: SatchelConfig, enabled: boolean): Promise<void> {
    await this.stop();
    if (!enabled) return;
    for (const a of config.accounts) {
      if (a.remote.type !== 'imap' || !a.autorefresh) continue;
      for (const folder of a.remote.idleFolders ?? ['INBOX']) {
        const w = new IdleWatcher({
          account: a.name, folder, repo: a.remote, getSecret: this.getSecret,
          onChange: (f) => this.engine.syncFolders(a.name, [f]),
          log: (level, message) => this.log(level, `${a.name}: ${message}`),
        });
        this.watchers.push(w);
        w.start();
      }
    }
  }

  /** Reconnects every watcher at once (after a suspend or a network change). */
  reconnect(): void {
    for (const w of this.watchers) w.reconnect();
  }

  async stop(): Promise<void> {
    const old = this.watchers;
    this.watchers = [];
    await Promise.all(old.map((w) => w.stop()));
  }
}
