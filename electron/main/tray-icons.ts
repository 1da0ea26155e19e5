// Which icon file shows which tray state: colored PNGs on Linux and Windows, black-and-alpha
// template images on macOS (the system tints them), all drawn by build/make-icons.mjs into
// build/icons/ with an @2x twin that Electron picks on HiDPI screens. Pure path logic; the
// tray adapter loads the image. Never draws anything.

import { join } from 'node:path';
import type { AccountState } from '../../core/contract/bridge-contract.js';

export function trayIconFile(iconsDir: string, state: AccountState, platform: NodeJS.Platform): string {
  return join(iconsDir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
}
