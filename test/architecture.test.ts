// The dependency rules of DESIGN.md, checked by reading the imports of every source file:
// core/ never imports Electron or the other layers; electron/main imports only types from
// core/ (but for dependency-free modules); renderer/ nothing of core/ but the bridge contract and the rule presets.

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

/** core/ modules without dependencies that the shell's main process may import as values. */
const MAIN_MAY_IMPORT = [/^core\/config\/model\.ts$/, /^core\/errors\.ts$/, /^core\/secrets\/[^/]+\.ts$/, /^core\/bridge\/bridge-contract\.ts$/, /^core\/bridge\/log-ring\.ts$/, /^core\/rules\/[^/]+\.ts$/, /^core\/accounts\/account-draft\.ts$/, /^core\/ui-server\/static-files\.ts$/,
  /* the stderr line reader of the utility-process adapter */ /^core\/engine-host\/engine-child\.ts$/];

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

  it('electron/main imports only types from core/, except the dependency-free whitelist', () => {
    const files = sources('electron/main');
    expect(files.length).toBeGreaterThan(3);
    const bad = files.flatMap((f) => importsWithKind(f)
      .map((i) => ({ ...i, to: target(f, i.spec) }))
      .filter((i) => i.to?.startsWith('core/') && !i.typeOnly && !MAIN_MAY_IMPORT.some((re) => re.test(i.to!)))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('the whitelisted core modules of electron/main import nothing but each other as values', () => {
    const whitelisted = sources('core').map((f) => f.split(path.sep).join('/')).filter((f) => MAIN_MAY_IMPORT.some((re) => re.test(f)));
    expect(whitelisted).toContain('core/config/model.ts');
    const bad = whitelisted.flatMap((f) => importsWithKind(f)
      .filter((i) => !i.typeOnly && i.spec.startsWith('.') && !MAIN_MAY_IMPORT.some((re) => re.test(target(f, i.spec) ?? '')))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('electron/shared imports only types from core/ but for the whitelist, and never electron', () => {
    const bad = sources('electron/shared').flatMap((f) => importsWithKind(f)
      .map((i) => ({ ...i, to: target(f, i.spec) }))
      .filter((i) => i.spec === 'electron' || (i.to?.startsWith('core/') && !i.typeOnly && !MAIN_MAY_IMPORT.some((re) => re.test(i.to!))))
      .map((i) => `${f}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('the engine host lives in core/engine-host; only its utility-process adapter in electron/main imports electron', () => {
    const hostFiles = ['engine-host.ts', 'engine-process.ts', 'engine-rpc.ts', 'engine-child.ts', 'engine-protocol.ts',
      'engine-server.ts', 'supervisor.ts', 'node-process-adapter.ts'];
    for (const f of hostFiles) expect(imports(path.join('core/engine-host', f)), f).not.toContain('electron');
    expect(sources('core/engine-host').map((f) => path.basename(f)).sort()).toEqual([...hostFiles].sort());
    expect(imports('electron/main/utility-process-adapter.ts')).toContain('electron');
    expect(imports('electron/utility/engine-entry.ts')).toEqual(['../../core/engine-host/engine-server.js']);
  });

  it('electron/utility stays a thin adapter, and renderer/ imports nothing of core/ but the bridge contract and its data', () => {
    const SHARED_WITH_RENDERER = ['core/contract/bridge-contract.ts', 'core/contract/rule-presets.ts'];
    for (const f of sources('electron/utility')) expect(fs.readFileSync(f, 'utf8').split('\n').length, f).toBeLessThan(200);
    const bad = sources('renderer').flatMap((f) => imports(f)
      .filter((i) => target(f, i)?.startsWith('core/') && !SHARED_WITH_RENDERER.includes(target(f, i)!)).map((i) => `${f}: ${i}`));
    expect(bad).toEqual([]);
  });
});
