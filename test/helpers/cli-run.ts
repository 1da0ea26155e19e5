// Test helper: the real command line (bin/satchel, built by `npm run build`) as a child process,
// and the one-account OfflineIMAP-style configuration the CLI tests point it at (a Maildir
// under the test's folder, a plaintext connection to the private Dovecot of test/helpers).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SATCHEL_BIN = path.resolve('bin/satchel');

export function requireBuiltCli(): void {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
}

export interface CliResult { code: number | null; out: string; err: string }

export function runSatchel(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [SATCHEL_BIN, ...args], {
    encoding: 'utf8', timeout: 60_000, env: opts.env ?? process.env, input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export interface RcOptions {
  port: number;
  user: string;
  password: string;
  /** Options of [Repository remote], overriding the plaintext defaults. */
  remote?: Record<string, string | number>;
  /** Extra lines of [general] and of [Account main]. */
  general?: string;
  account?: string;
}

/** Writes `<dir>/offlineimaprc` for account "main" (Maildir at <dir>/Mail, state in <dir>/state). */
export function writeRc(dir: string, o: RcOptions): string {
  const rc = path.join(dir, 'offlineimaprc');
  const remote = { remotehost: '127.0.0.1', remoteport: o.port, remoteuser: o.user, remotepass: o.password, ssl: 'no', starttls: 'no', ...o.remote };
  const lines = Object.entries(remote).map(([k, v]) => `${k} = ${v}`).join('\n');
  fs.writeFileSync(rc, `[general]\naccounts = main\nmetadata = ${dir}/state\n${o.general ?? ''}\n` +
    `[Account main]\nlocalrepository = local\nremoterepository = remote\n${o.account ?? ''}\n\n` +
    `[Repository local]\ntype = Maildir\nlocalfolders = ${dir}/Mail\n\n[Repository remote]\ntype = IMAP\n${lines}\n`);
  return rc;
}
