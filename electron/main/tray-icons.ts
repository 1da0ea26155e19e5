// Which icon file shows which tray state: colored PNGs on Linux and Windows, black-and-alpha
// template images on macOS (the system tints them), all drawn by build/make-icons.mjs into
// build/icons/. Pure path logic; the tray adapter loads the image. Never draws anything.

import { join } from 'node:path';
import type { AccountStatus } from '../shared/engine-port.js';

export function trayIconFile(iconsDir: string, state: AccountStatus, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(iconsDir, `tray-${state}Template.png`);
  return join(iconsDir, platform === 'win32' ? `tray-${state}-32.png` : `tray-${state}.png`);
}
