// The tray adapter: one Tray whose icon, tooltip and context menu follow the engine's
// snapshot. On every change the pure template (tray-menu.ts) is rebuilt, turned into a Menu
// and re-attached with setContextMenu, so it works where the panel never delivers a click.
// It dispatches menu actions to the caller; it never talks to the engine itself.

import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { EngineSnapshot } from '../shared/engine-port.js';
import { buildTrayMenu, type TrayAction, type TrayMenuItem } from './tray-menu.js';
import { appStatus, trayTooltip } from './tray-status.js';
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
  private last?: { snapshot: EngineSnapshot; paused: boolean };
  private lastIcon = '';
  private readonly clock: NodeJS.Timeout;

  constructor(private readonly d: TrayServiceDeps) {
    this.tray = new Tray(nativeImage.createFromPath(trayIconFile(d.iconsDir, 'idle', d.platform)));
    // A left click opens the same menu where the platform delivers clicks at all.
    this.tray.on('click', () => this.tray.popUpContextMenu());
    // The tooltip's "last sync 5 min ago" ages: refresh it once a minute.
    this.clock = setInterval(() => this.last && this.update(this.last.snapshot, this.last.paused), 60_000);
    this.clock.unref?.();
  }

  update(snapshot: EngineSnapshot, paused: boolean): void {
    this.last = { snapshot, paused };
    const now = (this.d.now ?? Date.now)();
    const icon = trayIconFile(this.d.iconsDir, appStatus(snapshot, paused), this.d.platform);
    if (icon !== this.lastIcon) {
      const image = nativeImage.createFromPath(icon);
      if (this.d.platform === 'darwin') image.setTemplateImage(true);
      this.tray.setImage(image);
      this.lastIcon = icon;
    }
    this.tray.setToolTip(trayTooltip(snapshot, now, paused));
    const template = toElectronTemplate(buildTrayMenu({ snapshot, paused, now }), this.d.dispatch);
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    clearInterval(this.clock);
    this.tray.destroy();
  }
}
