// The tray adapter: one Tray whose icon, tooltip and context menu follow the app service's
// StatusView (the window's too). On every change the pure template (core/app/tray-menu.ts) is
// rebuilt, turned into a Menu and re-attached with setContextMenu, so it works where the panel
// never delivers a click. It dispatches menu actions to the caller and decides nothing itself.

import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { StatusView } from '../../core/contract/bridge-contract.js';
import { appState } from '../../core/contract/account-states.js';
import { buildTrayMenu, type TrayAction, type TrayMenuItem } from '../../core/app/tray-menu.js';
import { trayTooltip } from '../../core/app/tray-status.js';
import { trayIconFile } from './tray-icons.js';

export function toElectronTemplate(items: TrayMenuItem[], dispatch: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    if (i.type === 'separator') return { id: i.id, type: 'separator' };
    if (i.type === 'submenu') return { id: i.id, label: i.label, submenu: toElectronTemplate(i.submenu ?? [], dispatch) };
    const action = i.action;
    return { id: i.id, label: i.label, enabled: i.enabled ?? true, ...(action ? { click: () => dispatch(action) } : {}) };
  });
}

export interface TrayServiceDeps {
  iconsDir: string;
  platform: NodeJS.Platform;
  dispatch: (a: TrayAction) => void;
  now?: () => number;
}

export class TrayService {
  private readonly tray: Tray;
  private last?: StatusView;
  private lastIcon = '';
  private readonly clock: NodeJS.Timeout;

  constructor(private readonly d: TrayServiceDeps) {
    this.tray = new Tray(nativeImage.createFromPath(trayIconFile(d.iconsDir, 'idle', d.platform)));
    // A left click opens the same menu where the platform delivers clicks at all.
    this.tray.on('click', () => this.tray.popUpContextMenu());
    // The tooltip's "last sync 5 min ago" ages: refresh it once a minute.
    this.clock = setInterval(() => this.last && this.update(this.last), 60_000);
    this.clock.unref?.();
  }

  update(view: StatusView): void {
    this.last = view;
    const now = (this.d.now ?? Date.now)();
    const icon = trayIconFile(this.d.iconsDir, appState(view), this.d.platform);
    if (icon !== this.lastIcon) {
      const image = nativeImage.createFromPath(icon);
      if (this.d.platform === 'darwin') image.setTemplateImage(true);
      this.tray.setImage(image);
      this.lastIcon = icon;
    }
    this.tray.setToolTip(trayTooltip(view, now));
    const template = toElectronTemplate(buildTrayMenu({ view, now }), this.d.dispatch);
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    clearInterval(this.clock);
    this.tray.destroy();
  }
}
