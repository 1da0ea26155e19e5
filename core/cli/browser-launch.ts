// How `satchel ui` opens the browser without putting a secret on a command line (every local
// user can read argv in `ps`): the one-time launch address is written into a small redirect
// page, mode 0600 in a fresh 0700 folder, and only that page's path is given to xdg-open/open.
// The page's code is used up by the first load and expires within minutes. It never puts a
// token or a code in argv, the environment or a message, and removes the page when told.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNewFile } from '../files/private-files.js';

export interface OpenerCommand { cmd: string; args: string[] }

/** The command that opens `file` in the default browser: `open FILE` on macOS, `xdg-open FILE` elsewhere. */
export function openerCommand(platform: NodeJS.Platform, file: string): OpenerCommand {
  return { cmd: platform === 'darwin' ? 'open' : 'xdg-open', args: [file] };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page that goes on to `url` at once (meta refresh: the interface's CSP forbids nothing here, it is a local file). */
export function launchPageHtml(url: string): string {
  const u = escapeHtml(url);
  return `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${u}">` +
    `<title>Satchel</title><p>Opening Satchel… If nothing happens, <a href="${u}">continue</a>.</p>\n`;
}

export interface LaunchPage { file: string; remove(): void }

/** Writes the redirect page for `url` into a fresh private folder under $XDG_RUNTIME_DIR (else the temp folder). */
export function writeLaunchPage(url: string, env: NodeJS.ProcessEnv): LaunchPage {
  const base = env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'satchel-ui-')); // created 0700
  const file = path.join(dir, 'open.html');
  writeNewFile(file, launchPageHtml(url));
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Opens `launchUrl` in the default browser through a launch page; returns the page so the
 * caller can remove it (it is useless once its code is used or expired). Undefined when no
 * page could be written; a missing opener is not an error (the address is printed anyway).
 */
export function launchBrowser(launchUrl: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): LaunchPage | undefined {
  let page: LaunchPage;
  try {
    page = writeLaunchPage(launchUrl, env);
  } catch {
    return undefined;
  }
  const { cmd, args } = openerCommand(platform, page.file);
  try {
    spawn(cmd, args, { detached: true, stdio: 'ignore', env }).on('error', () => undefined).unref();
  } catch { /* no opener: the address is printed */ }
  return page;
}
