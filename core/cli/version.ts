// `--version` (Satchel's version) and `-V` (plus the Node, OpenSSL and imapflow versions, as
// OfflineIMAP's -V adds imaplib2, Python and OpenSSL). Reads package.json files only.

import { createRequire } from 'node:module';

function packageVersion(candidates: string[]): string {
  const require = createRequire(import.meta.url);
  for (const p of candidates) {
    try { return (require(p) as { version: string }).version; } catch { /* try the next layout */ }
  }
  return 'unknown';
}

/** Satchel's own version (works from core/cli/*.ts, dist/core/cli/*.js and the bundle). */
export function satchelVersion(): string {
  return packageVersion(['../../package.json', '../../../package.json']);
}

export function versionText(long: boolean): string {
  if (!long) return `satchel ${satchelVersion()}`;
  return [
    `satchel ${satchelVersion()}`,
    `imapflow ${packageVersion(['imapflow/package.json'])}`,
    `node ${process.versions.node}`,
    `openssl ${process.versions.openssl}`,
  ].join('\n');
}
