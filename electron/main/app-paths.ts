// Where the main process finds its files, packaged or not: the bundled preload, the renderer
// (its built folder, served as app://satchel by app-protocol.ts, or a dev server URL from
// SATCHEL_RENDERER_URL, never honoured when packaged) and the tray icons (<resources>/icons
// when packaged, build/icons in a checkout). Pure: inputs come from app/process.

import { join } from 'node:path';

export interface AppPathsInput {
  isPackaged: boolean;
  /** app.getAppPath(): the checkout root, or resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath. */
  resourcesPath: string;
  env: Record<string, string | undefined>;
}

export interface AppPaths {
  preload: string;
  /** The built interface (renderer/dist): the root of the app:// protocol. */
  rendererDir: string;
  rendererUrl?: string;
  iconsDir: string;
}

export function appPaths(i: AppPathsInput): AppPaths {
  const dev = !i.isPackaged && i.env.SATCHEL_RENDERER_URL ? { rendererUrl: i.env.SATCHEL_RENDERER_URL } : {};
  const rendererDir = join(i.appPath, 'renderer', 'dist');
  return {
    preload: join(i.appPath, 'dist', 'electron', 'preload.cjs'),
    rendererDir,
    iconsDir: i.isPackaged ? join(i.resourcesPath, 'icons') : join(i.appPath, 'build', 'icons'),
    ...dev,
  };
}
