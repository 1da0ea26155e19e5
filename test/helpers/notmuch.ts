// Test helper: the real notmuch (Debian package `notmuch`) over a Maildir root, with its own
// config file (maildir.synchronize_flags = true, new mail tagged inbox and unread) passed in
// NOTMUCH_CONFIG, so no test reads or writes the user's notmuch setup. Its database lives in
// <root>/.notmuch, as notmuch puts it by default. It never touches anything outside `root`.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Notmuch {
  /** Runs `notmuch ARGS` (stdin from `input`); resolves with stdout, rejects with stderr on failure. */
  cmd(args: string[], input?: string): Promise<string>;
  /** The tags of the message with this Message-ID (without <>), sorted. */
  tags(messageId: string): Promise<string[]>;
  /** The files of the message with this Message-ID (without <>), relative to the root, sorted. */
  files(messageId: string): Promise<string[]>;
}

/** Why notmuch cannot be used here, or undefined when it can. */
export async function notmuchUnavailable(): Promise<string | undefined> {
  try {
    await run('notmuch', ['--version']);
    return undefined;
  } catch (e) {
    return `notmuch cannot be run (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); install the Debian package notmuch`;
  }
}

export function notmuchFor(root: string, configDir: string): Notmuch {
  const config = path.join(configDir, 'notmuch-config');
  fs.writeFileSync(config, `[database]\npath=${root}\n[user]\nname=Test\nprimary_email=bob@example.org\n`
    + '[new]\ntags=unread;inbox;\nignore=\n[maildir]\nsynchronize_flags=true\n');
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  const cmd = (args: string[], input?: string) => new Promise<string>((resolve, reject) => {
    const child = spawn('notmuch', args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`notmuch ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
    if (input !== undefined) child.stdin!.end(input);
  });
  const lines = (s: string) => s.split('\n').filter(Boolean).sort();
  return {
    cmd,
    tags: async (mid) => lines(await cmd(['search', '--output=tags', `id:${mid}`])),
    files: async (mid) => lines(await cmd(['search', '--output=files', `id:${mid}`])).map((f) => path.relative(root, f)),
  };
}
