// app-paths.ts: file locations packaged and in a checkout (the renderer folder served as
// app://satchel); the dev server only when unpackaged.
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../electron/main/app-paths.js';

describe('appPaths', () => {
  it('packaged: preload and renderer inside the asar, icons in resources/icons; no dev URL honoured', () => {
    expect(appPaths({ isPackaged: true, appPath: '/opt/Satchel/resources/app.asar', resourcesPath: '/opt/Satchel/resources', env: { SATCHEL_RENDERER_URL: 'http://localhost:5173' } })).toEqual({
      preload: '/opt/Satchel/resources/app.asar/dist/electron/preload.cjs',
      rendererDir: '/opt/Satchel/resources/app.asar/renderer/dist',
      iconsDir: '/opt/Satchel/resources/icons',
    });
  });

  it('in a checkout: build/icons, and the dev server when SATCHEL_RENDERER_URL is set', () => {
    expect(appPaths({ isPackaged: false, appPath: '/src/satchel', resourcesPath: '/x', env: { SATCHEL_RENDERER_URL: 'http://localhost:5173' } })).toEqual({
      preload: '/src/satchel/dist/electron/preload.cjs',
      rendererDir: '/src/satchel/renderer/dist',
      iconsDir: '/src/satchel/build/icons',
      rendererUrl: 'http://localhost:5173',
    });
  });
});
