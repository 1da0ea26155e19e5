// Test helper: writes an offlineimaprc (and any other files) into a fresh temp directory and
// loads it with a private HOME, cwd and netrc list, so no test reads the real user's files.
// Each call gets its own directory, so tests stay independent.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOfflineImapConfig, type LoadOptions, type LoadResult } from '../../../core/config/offlineimaprc.js';
import { ConfigError } from '../../../core/config/config-error.js';

export interface Fixture {
  dir: string;
  home: string;
  rc: string;
  write(rel: string, text: string, mode?: number): string;
  load(opts?: LoadOptions): LoadResult;
  error(opts?: LoadOptions): ConfigError;
}

export function fixture(rcText: string, env: NodeJS.ProcessEnv = {}): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-config-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const write = (rel: string, text: string, mode?: number) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, mode === undefined ? undefined : { mode });
    return p;
  };
  const rc = write('offlineimaprc', rcText);
  const base = (opts: LoadOptions = {}): LoadOptions => ({
    env: { HOME: home, ...env }, home, cwd: dir, netrcFiles: [path.join(home, '.netrc')], ...opts,
  });
  return {
    dir, home, rc, write,
    load: (opts) => loadOfflineImapConfig(rc, base(opts)),
    error: (opts) => {
      try {
        loadOfflineImapConfig(rc, base(opts));
      } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
      }
      throw new Error('expected a ConfigError');
    },
  };
}

export const MINIMAL = `[general]
accounts = personal

[Account personal]
localrepository = personal-local
remoterepository = personal-remote

[Repository personal-local]
type = Maildir
localfolders = ~/Mail/personal

[Repository personal-remote]
type = IMAP
remotehost = imap.example.org
remoteuser = me@example.org
remotepassfile = ~/.config/satchel/personal.pass
`;
