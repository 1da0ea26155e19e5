// Test helper: Debian packages of servers that conflict with dovecot-imapd (Cyrus, Courier),
// fetched with `apt-get download` and unpacked with `dpkg -x` once into a cache shared by test
// files (a `done` marker naming the packages; concurrent files wait on a lock directory). Never installed: it must
// not touch the system's packages or configuration, nor anything outside its cache directory.

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The cache is complete when its marker names exactly these packages (a changed list unpacks again). */
async function unpacked(done: string, packages: string[]): Promise<boolean> {
  return fs.readFile(done, 'utf8').then((t) => t === packages.join(' '), () => false);
}

/** LD_LIBRARY_PATH for binaries of an unpacked root. */
export function unpackedLibPath(root: string): string {
  return ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu', 'usr/lib'].map((d) => path.join(root, d)).join(':');
}

/**
 * Downloads and unpacks `packages` into `<cache>/root` once, then checks with ldd that each of
 * `binaries` (paths inside the root) finds every library. Returns the root; throws with the reason
 * when it cannot be done (no apt, no network, a library missing).
 */
export async function unpackPackages(cache: string, packages: string[], binaries: string[]): Promise<string> {
  const root = path.join(cache, 'root');
  const done = path.join(cache, 'done');
  await fs.mkdir(cache, { recursive: true });
  const lock = path.join(cache, 'lock');
  for (let i = 0; !(await unpacked(done, packages)); i++) {
    try {
      await fs.mkdir(lock);
    } catch {
      if (i > 600) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (await unpacked(done, packages)) break;
      await fs.rm(done, { force: true });
      const debs = path.join(cache, 'debs');
      await fs.rm(debs, { recursive: true, force: true });
      await fs.mkdir(debs);
      await run('apt-get', ['download', ...packages], { cwd: debs });
      await fs.rm(root, { recursive: true, force: true });
      for (const deb of await fs.readdir(debs)) await run('dpkg', ['-x', path.join(debs, deb), root]);
      const env = { ...process.env, LD_LIBRARY_PATH: unpackedLibPath(root) };
      for (const bin of binaries) {
        const { stdout } = await run('ldd', [path.join(root, bin)], { env });
        const missing = stdout.split('\n').filter((l) => l.includes('not found'));
        if (missing.length) throw new Error(`${bin} needs libraries not unpacked: ${missing.join('; ')}`);
      }
      await fs.writeFile(done, packages.join(' '));
    } finally {
      await fs.rm(lock, { recursive: true, force: true });
    }
  }
  return root;
}
