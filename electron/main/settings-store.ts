// The settings adapter: runs the file migrations, then opens the file with electron-store
// (JSON schema checked by ajv on every write) and offers typed reads and validated writes with
// change events (the app reconfigures the engine from them, without a restart). It never
// stores a password (settings-schema.ts refuses inline ones) and never deletes the file.

import Store from 'electron-store';
import { join } from 'node:path';
import type { SatchelConfig } from '../../core/config/model.js';
import { migrateSettingsFile } from './settings-migrations.js';
import { SETTINGS_JSON_SCHEMA, validateSettings, type AppSettings, type UiPrefs } from './settings-schema.js';

export const SETTINGS_NAME = 'settings';

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export class SettingsStore {
  private readonly store: Store<AppSettings>;
  private readonly listeners = new Set<(s: AppSettings, changed: 'config' | 'ui') => void>();

  /** `dir`: app.getPath('userData') in the app; a temp dir in tests. */
  constructor(dir: string) {
    migrateSettingsFile(join(dir, `${SETTINGS_NAME}.json`));
    this.store = new Store<AppSettings>({
      cwd: dir,
      name: SETTINGS_NAME,
      schema: SETTINGS_JSON_SCHEMA as unknown as NonNullable<ConstructorParameters<typeof Store<AppSettings>>[0]>['schema'],
      rootSchema: { additionalProperties: false },
      configFileMode: 0o600,
    });
  }

  get path(): string {
    return this.store.path;
  }

  get(): AppSettings {
    return { schemaVersion: this.store.get('schemaVersion'), config: this.store.get('config'), ui: this.store.get('ui') };
  }

  setConfig(config: SatchelConfig | null): void {
    this.check({ ...this.get(), config });
    this.store.set('config', config);
    this.emit('config');
  }

  setPrefs(prefs: Partial<UiPrefs>): UiPrefs {
    const ui = { ...this.get().ui, ...prefs };
    this.check({ ...this.get(), ui });
    this.store.set('ui', ui);
    this.emit('ui');
    return ui;
  }

  onChange(fn: (s: AppSettings, changed: 'config' | 'ui') => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private check(next: AppSettings): void {
    const problems = validateSettings(next);
    if (problems.length) throw new SettingsError(problems.map((p) => `${p.path} ${p.message}`).join('; '));
  }

  private emit(changed: 'config' | 'ui'): void {
    const s = this.get();
    for (const fn of this.listeners) fn(s, changed);
  }
}
