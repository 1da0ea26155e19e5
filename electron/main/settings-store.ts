// Where the desktop app keeps its settings: electron-store's JSON file in the userData folder
// (written atomically, mode 0600), as a SettingsStorage of the app service. A thin adapter: the
// settings model, its defaults, its checks (never a password) and the carrying over of the
// first desktop format all live in core/app/settings.ts. It never deletes the file.

import Store from 'electron-store';
import { checkSettings, type SettingsStorage, type UiSettings } from '../../core/app/settings.js';

export const SETTINGS_NAME = 'settings';

export function electronSettingsStorage(dir: string): SettingsStorage {
  // No schema or defaults here: an unknown or broken value is reported by the service, not reset.
  const store = new Store<Record<string, unknown>>({ cwd: dir, name: SETTINGS_NAME, configFileMode: 0o600, clearInvalidConfig: false });
  return {
    where: store.path,
    read: () => (Object.keys(store.store).length ? structuredClone(store.store) : undefined),
    write: (value: UiSettings) => {
      checkSettings(value);
      store.store = structuredClone(value) as unknown as Record<string, unknown>;
    },
  };
}
