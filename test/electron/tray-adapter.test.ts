// The tray adapter (tray.ts) with the `electron` module substituted: the menu is rebuilt and
// re-attached with setContextMenu on every update, the icon follows the app state, clicks
// dispatch the template's actions.
import { describe, expect, it, vi } from 'vitest';
import type { StatusView } from '../../core/contract/bridge-contract.js';
import type { TrayAction } from '../../core/app/tray-menu.js';

const h = vi.hoisted(() => {
  const calls: { setContextMenu: unknown[]; setImage: string[]; setToolTip: string[]; templates: unknown[] } = { setContextMenu: [], setImage: [], setToolTip: [], templates: [] };
  class Tray {
    constructor(img: { path: string }) { calls.setImage.push(`initial:${img.path}`); }
    on() {}
    setContextMenu(m: unknown) { calls.setContextMenu.push(m); }
    setImage(img: { path: string; template?: boolean }) { calls.setImage.push(`${img.path}${img.template ? ' (template)' : ''}`); }
    setToolTip(t: string) { calls.setToolTip.push(t); }
    destroy() {}
    popUpContextMenu() {}
  }
  const nativeImage = { createFromPath: (path: string) => ({ path, template: false, setTemplateImage(this: { template: boolean }, v: boolean) { this.template = v; } }) };
  const Menu = { buildFromTemplate: (t: unknown) => { calls.templates.push(t); return { template: t }; } };
  return { calls, Tray, nativeImage, Menu };
});
vi.mock('electron', () => ({ Tray: h.Tray, nativeImage: h.nativeImage, Menu: h.Menu }));

const { TrayService, toElectronTemplate } = await import('../../electron/main/tray.js');

const snap = (state: StatusView['accounts'][number]['state'], paused = false): StatusView => ({ host: 'ready', paused, accounts: [{ account: 'work', state, lastSync: 0, folders: [] }] });

describe('TrayService', () => {
  it('re-attaches a fresh menu, tooltip and (when the state changes) icon on every update', () => {
    const actions: TrayAction[] = [];
    const tray = new TrayService({ iconsDir: '/icons', platform: 'linux', dispatch: (a) => actions.push(a), now: () => 120_000 });
    tray.update(snap('syncing'));
    tray.update(snap('syncing'));
    tray.update(snap('error'));
    expect(h.calls.setContextMenu).toHaveLength(3);
    expect(new Set(h.calls.setContextMenu).size).toBe(3);
    expect(h.calls.setImage).toEqual(['initial:/icons/tray-idle.png', '/icons/tray-syncing.png', '/icons/tray-error.png']);
    expect(h.calls.setToolTip.at(-1)).toBe('Satchel — Error, last sync 2 min ago');
    tray.destroy();
  });

  it('uses template images on macOS', () => {
    h.calls.setImage.length = 0;
    const tray = new TrayService({ iconsDir: '/icons', platform: 'darwin', dispatch: () => {} });
    tray.update(snap('paused', true));
    expect(h.calls.setImage).toEqual(['initial:/icons/tray-idleTemplate.png', '/icons/tray-pausedTemplate.png (template)']);
    tray.destroy();
  });

  it('converts the template: clicks dispatch actions, separators and submenus kept, disabled items stay disabled', () => {
    const actions: TrayAction[] = [];
    const t = toElectronTemplate(
      [
        { id: 'status', type: 'normal', label: 'Up to date', enabled: false },
        { id: 's', type: 'separator' },
        { id: 'accounts', type: 'submenu', label: 'Accounts', submenu: [{ id: 'x', type: 'normal', label: 'Sync', action: { kind: 'sync-now', account: 'work' } }] },
        { id: 'quit', type: 'normal', label: 'Quit', action: { kind: 'quit' } },
      ],
      (a) => actions.push(a),
    );
    expect(t[0]).toEqual({ id: 'status', label: 'Up to date', enabled: false });
    expect(t[1]).toEqual({ id: 's', type: 'separator' });
    const sub = t[2]!.submenu as { click: () => void }[];
    sub[0]!.click();
    (t[3] as { click: () => void }).click();
    expect(actions).toEqual([{ kind: 'sync-now', account: 'work' }, { kind: 'quit' }]);
  });
});
