// Packaging: build/electron-builder.yml checked by electron-builder's own validator, with the
// targets and native-module handling issue 4 asks for; and the preload bundled by esbuild
// as `npm run bundle:preload` does, to one CommonJS file whose only require is `electron`.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

describe('electron-builder configuration', () => {
  const yaml = require('js-yaml') as { load(s: string): Record<string, any> };
  const cfg = yaml.load(readFileSync('build/electron-builder.yml', 'utf8'));

  it("passes electron-builder's schema validation (and the validator does catch mistakes)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(structuredClone(cfg), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...structuredClone(cfg), linux: { ...cfg.linux, targett: 'AppImage' } }, new DebugLogger(false))).rejects.toThrow(/targett/);
  });

  it('builds AppImage + deb, dmg and nsis, and unpacks and rebuilds the native modules', () => {
    expect(cfg.appId).toBe('org.satchel.Satchel');
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target).toEqual(['dmg']);
    expect(cfg.win.target).toEqual(['nsis']);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**/*', 'node_modules/keytar/**/*']));
    expect(cfg.npmRebuild).toBe(true);
    expect(cfg.extraResources[0]).toMatchObject({ from: 'build/icons', to: 'icons' });
  });
});

describe('preload bundle', () => {
  it('is one CommonJS file that requires nothing but electron', async () => {
    const out = mkdtempSync(join(tmpdir(), 'satchel-preload-'));
    try {
      await build({ entryPoints: ['electron/preload/preload.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'es2022', external: ['electron'], outfile: join(out, 'preload.cjs'), logLevel: 'silent' });
      const text = readFileSync(join(out, 'preload.cjs'), 'utf8');
      const requires = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
      expect(requires).toEqual(['electron']);
      expect(text).not.toMatch(/\bimport\s/);
      expect(text).toContain('exposeInMainWorld');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
