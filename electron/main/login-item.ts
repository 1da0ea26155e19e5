// Launch at login, per platform: app.setLoginItemSettings on macOS and Windows (Windows gets
// --hidden in args; macOS reports wasOpenedAtLogin instead), the XDG autostart file on Linux.
// get() always reads the truth back from the system, never from settings. Thin adapter: the
// Linux text and file handling live in autostart-linux.ts.

import type { App } from 'electron';
import { autostartPath, desktopEntry, launchCommand, XdgAutostart } from './autostart-linux.js';

export const APP_ID = 'org.satchel.Satchel';

export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

export interface LoginItemDeps {
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  execPath: string;
  /** Overrides the autostart file location (tests). */
  autostartFile?: string;
}

export function createLoginItem(d: LoginItemDeps): LoginItem {
  if (d.platform === 'linux') {
    const xdg = new XdgAutostart(d.autostartFile ?? autostartPath(APP_ID, d.env));
    return {
      get: () => xdg.isEnabled(),
      set(enabled) {
        if (!enabled) return xdg.disable();
        const argv = launchCommand({ env: d.env, execPath: d.execPath, isPackaged: d.app.isPackaged, appPath: d.app.getAppPath() });
        xdg.enable(desktopEntry({ name: 'Satchel', comment: 'Keeps your mail on your disk', argv, icon: 'satchel' }));
      },
    };
  }
  const args = d.platform === 'win32' ? ['--hidden'] : [];
  return {
    get: () => d.app.getLoginItemSettings(d.platform === 'win32' ? { args } : undefined).openAtLogin,
    set: (enabled) => d.app.setLoginItemSettings({ openAtLogin: enabled, ...(d.platform === 'win32' ? { args } : {}) }),
  };
}

/** Whether this launch should stay in the tray: --hidden, or macOS opened it as a login item. */
export function startHidden(argv: readonly string[], platform: NodeJS.Platform, app: Pick<App, 'getLoginItemSettings'>): boolean {
  if (argv.includes('--hidden')) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
