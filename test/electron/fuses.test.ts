// The Electron fuses and asar settings of build/electron-builder.yml, read as electron-builder
// reads them (js-yaml, which electron-builder itself uses), and checked against its schema: a
// removed or misspelt fuse, or one turned back to Electron's default, fails here.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(s: string): Record<string, any> };
const cfg = yaml.load(readFileSync('build/electron-builder.yml', 'utf8'));

/** What each fuse must be: every one flips Electron's default (asar integrity is checked on macOS and Windows only). */
const FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  enableCookieEncryption: true,
};

describe('electron fuses', () => {
  it('sets exactly the hardening fuses, each to its locked-down value', () => {
    expect(cfg.electronFuses).toEqual(FUSES);
  });

  it('packs the app into an asar (onlyLoadAppFromAsar and integrity need one), native modules beside it', () => {
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toEqual(['node_modules/better-sqlite3/**/*', 'node_modules/keytar/**/*']);
  });

  it('rebuilds the native modules for Electron before packaging', () => {
    expect(cfg.npmRebuild).toBe(true);
    expect(cfg.nodeGypRebuild).toBe(false);
    expect(cfg.buildDependenciesFromSource).toBe(false);
  });

  it("uses fuse names electron-builder's schema knows (a misspelt fuse is refused)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(structuredClone(cfg), new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...structuredClone(cfg), electronFuses: { ...FUSES, runAsNodee: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/runAsNodee/);
  });
});
