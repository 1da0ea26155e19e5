// Where the main process finds its files, packaged or not: the bundled preload, the renderer
// (its built index.html, or a dev server URL from SATCHEL_RENDERER_URL) and the tray icons
// (<resources>/icons when packaged, build/icons in a checkout). Pure: inputs come from app/process.

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
  rendererIndex: string;
  rendererUrl?: string;
  iconsDir: string;
}

export function appPaths(i: AppPathsInput): AppPaths {
  const dev = !i.isPackaged && i.env.SATCHEL_RENDERER_URL ? { rendererUrl: i.env.SATCHEL_RENDERER_URL } : {};
  return {
    preload: join(i.appPath, 'dist', 'electron', 'preload.cjs'),
    rendererIndex: join(i.appPath, 'renderer', 'dist', 'index.html'),
    iconsDir: i.isPackaged ? join(i.resourcesPath, 'icons') : join(i.appPath, 'build', 'icons'),
    ...dev,
  };
}
