// The dependency rules of DESIGN.md, checked by reading the imports of every source file:
// core/ never imports Electron or the other layers.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

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
});
