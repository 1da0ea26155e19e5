// The interface's files, for `satchel ui` and for the desktop's app:// protocol: maps a URL
// path to a file under the static root (renderer/dist), a directory (`/`) to its index.html,
// with its content type. It refuses anything that would leave the root (.., encoded slashes,
// NUL, symlinks pointing out) and never lists a directory.

import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.jpg': 'image/jpeg', '.webp': 'image/webp',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticResult = { file: string; type: string } | { refused: true } | { missing: true };

/** The file for `urlPath` (already without query), or why not. */
export function resolveStatic(root: string, urlPath: string): StaticResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { refused: true };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f|%5c/i.test(urlPath) || !decoded.startsWith('/')) return { refused: true };
  if (decoded.split('/').some((seg) => seg === '..' || seg === '.')) return { refused: true };
  const rel = decoded.slice(1);
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (file !== base && !file.startsWith(base + path.sep)) return { refused: true };
  let real: string, realBase: string;
  try {
    realBase = fs.realpathSync(base);
    real = fs.realpathSync(file);
  } catch {
    return { missing: true };
  }
  if (!real.startsWith(realBase + path.sep) && real !== realBase) return { refused: true };
  if (fs.statSync(real).isDirectory()) {
    try {
      real = fs.realpathSync(path.join(real, 'index.html'));
    } catch {
      return { missing: true };
    }
    if (!real.startsWith(realBase + path.sep)) return { refused: true };
  }
  if (!fs.statSync(real).isFile()) return { missing: true };
  return { file: real, type: contentType(real) };
}
