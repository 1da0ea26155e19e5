// The dependency rules of DESIGN.md, checked by reading the imports of every source file:
// core/ never imports Electron or the other layers, and its folders form layers that point one
// way; electron/main imports only types from core/ but for what it renders and, in its
// composition root, the service it transports; renderer/ nothing of core/ but the contract.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Imports with whether they bring only types (`import type ...`, `export type ... from`). */
function importsWithKind(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]/g)]
    .map((m) => ({ spec: (m[3] ?? m[4] ?? m[5])!, typeOnly: !!m[2] }));
}

/** The repository-relative path an import of `file` points to, or undefined for packages. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.relative('.', path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.js$/, '.ts');
}

/**
 * What electron/main may import from core/ as values: the contract, the app service's pure view
 * modules it renders (tray menu, tooltip, tray actions, settings model) and the static-file
 * check of the app:// protocol. The composition root (index.ts) also binds the service itself,
 * its engine host and the keyring. Everything else only as types.
 */
const MAIN_MAY_IMPORT = [/^core\/contract\/[^/]+\.ts$/, /^core\/app\/(tray-menu|tray-status|tray-actions|settings)\.ts$/, /^core\/ui-server\/static-files\.ts$/,
  /^core\/engine-host\/engine-child\.ts$/];
const ROOT_MAY_IMPORT = [...MAIN_MAY_IMPORT, /^core\/app\/app-service\.ts$/, /^core\/engine-host\/[^/]+\.ts$/, /^core\/secrets\/[^/]+\.ts$/];

/**
 * The layers of core/, lowest first: a module imports (even types) only from its own folder or
 * from layers of a lower rank, so that no two folders point at each other.
 */
const CORE_LAYERS: Record<string, number> = {
  contract: 0, errors: 1, files: 1, net: 2, rules: 2, secrets: 2, log: 2, auth: 2.5, config: 3, store: 4, status: 4, mbnames: 4, imap: 5, maildir: 5,
  sync: 6, scheduler: 6, engine: 7, accounts: 8, app: 9, 'engine-host': 10, 'ui-server': 10, cli: 11,
};
const layerOf = (repoPath: string) => repoPath.split('/')[1]!.replace(/\.ts$/, '');

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('dependency rules', () => {
  it('core/ imports neither electron nor electron/ or renderer/', () => {
    const files = sources('core');
    expect(files.length).toBeGreaterThan(10);
    const bad = files.flatMap((f) => imports(f)
      .filter((i) => i === 'electron' || i.startsWith('electron/') || /(^|\/)\.\.\/(electron|renderer)\//.test(i) || /^\.\.\/\.\.\/(electron|renderer)/.test(i))
      .map((i) => `${f}: ${i}`));
    expect(bad).toEqual([]);
  });

  it('core/ modules stay one concept each (under 450 lines) with a header comment', () => {
    for (const f of sources('core')) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text.split('\n').length, f).toBeLessThan(450);
      expect(text.startsWith('//'), `${f} starts with its header comment`).toBe(true);
    }
  });

  it('core/ is layered: every folder imports only from lower layers (the contract imports nothing of the project)', () => {
    const files = sources('core').map((f) => f.split(path.sep).join('/'));
    for (const f of files) expect(CORE_LAYERS[layerOf(f)], `${f}: its folder has a rank in CORE_LAYERS`).toBeTypeOf('number');
    const bad = files.flatMap((f) => importsWithKind(f)
      .map((i) => ({ ...i, to: target(f, i.spec) }))
      .filter((i) => i.to?.startsWith('core/') && layerOf(i.to) !== layerOf(f) && !(CORE_LAYERS[layerOf(i.to)]! < CORE_LAYERS[layerOf(f)]!))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
    const contract = files.filter((f) => layerOf(f) === 'contract').flatMap((f) => imports(f).filter((i) => !i.startsWith('./')).map((i) => `${f}: ${i}`));
    expect(contract).toEqual([]);
  });

  it('electron/main imports only types from core/, but for the view modules it renders and, in index.ts, the service it transports', () => {
    const files = sources('electron/main');
    expect(files.length).toBeGreaterThan(3);
    const bad = files.flatMap((f) => importsWithKind(f)
      .map((i) => ({ ...i, to: target(f, i.spec) }))
      .filter((i) => i.to?.startsWith('core/') && !i.typeOnly && !(path.basename(f) === 'index.ts' ? ROOT_MAY_IMPORT : MAIN_MAY_IMPORT).some((re) => re.test(i.to!)))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('electron/shared imports only the contract from core/ as values, and never electron', () => {
    const bad = sources('electron/shared').flatMap((f) => importsWithKind(f)
      .map((i) => ({ ...i, to: target(f, i.spec) }))
      .filter((i) => i.spec === 'electron' || (i.to?.startsWith('core/') && !i.typeOnly && !/^core\/contract\//.test(i.to!)))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('electron/ stays a set of thin adapters: well under 1,500 lines, and only the utility-process adapter of the engine host imports electron', () => {
    const lines = sources('electron').reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
    expect(lines).toBeLessThan(1500);
    for (const f of sources('core/engine-host')) expect(imports(f), f).not.toContain('electron');
    expect(imports('electron/main/utility-process-adapter.ts')).toContain('electron');
  });

  it('electron/utility stays a thin adapter, and renderer/ imports nothing of core/ but the bridge contract and its data', () => {
    const SHARED_WITH_RENDERER = sources('core/contract').map((f) => f.split(path.sep).join('/'));
    for (const f of sources('electron/utility')) expect(fs.readFileSync(f, 'utf8').split('\n').length, f).toBeLessThan(200);
    const bad = sources('renderer').flatMap((f) => imports(f)
      .filter((i) => target(f, i)?.startsWith('core/') && !SHARED_WITH_RENDERER.includes(target(f, i)!)).map((i) => `${f}: ${i}`));
    expect(bad).toEqual([]);
  });
});
