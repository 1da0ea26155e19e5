// Turns a PasswordSource into the password, on demand: inline, a file's first line, a command's
// first output line (run without a shell, 30 s limit), ~/.netrc, the OS keyring (falling back to
// a prompt on a TTY when it has no entry), or a no-echo prompt on a TTY.
// Failures are SyncErrors (scope 'account') whose messages say how to supply the password.
// It must never put the password, the file's content or the command's output in a message or log.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { SyncError } from '../errors.js';
import type { PasswordSource } from './model.js';
import { defaultNetrcFiles, findNetrcEntry, lookupNetrc, parseNetrc } from './netrc.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Who the password is for, used in the prompt and in messages, e.g. "me@imap.example.org". */
  label?: string;
  account?: string;
  /** Limit for passcmd (default 30 000 ms). */
  timeoutMs?: number;
  /** Default ~/.netrc then /etc/netrc. */
  netrcFiles?: string[];
  /** Prompt streams (default process.stdin / process.stderr). */
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown; isRaw?: boolean };
  output?: NodeJS.WritableStream;
  /** The keyring for kind 'keyring' (default: the OS keyring through keytar, service src.service). */
  secretStore?: SecretStore;
}

export const PASSWORD_COMMAND_TIMEOUT_MS = 30_000;

export async function resolvePassword(src: PasswordSource, opts: ResolveOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const home = opts.home || env.HOME || os.homedir();
  const who = opts.label ? ` for ${opts.label}` : '';
  const fail = (code: string, message: string, retry: 'needs-user' | 'later' = 'needs-user', cause?: unknown): never => {
    throw new SyncError(code, message, { scope: 'account', retry, cause, account: opts.account });
  };
  switch (src.kind) {
    case 'inline':
      return src.value;
    case 'env': {
      const value = env[src.name];
      if (value === undefined || value === '') {
        return fail('password-missing', `No password${who}: the environment variable ${src.name} is not set (or empty) for satchel. Set it where satchel starts (e.g. Environment= in the systemd unit), or use passcmd.`);
      }
      return value;
    }
    case 'file': {
      let text: string;
      try {
        text = await fs.promises.readFile(src.path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        return fail('password-unreadable', `Cannot read the password file ${src.path}${who} (${code}). Create it with the password on its first line, or fix remotepassfile.`, 'needs-user', e);
      }
      // OfflineIMAP: readline().strip()
      return (text.split(/\r?\n/)[0] ?? '').trim();
    }
    case 'command':
      return runPasswordCommand(src.argv, { env, timeoutMs: opts.timeoutMs ?? PASSWORD_COMMAND_TIMEOUT_MS, who, fail });
    case 'netrc': {
      if (src.file) return authinfoPassword(src.file, src.host, src.user, { env, timeoutMs: opts.timeoutMs ?? PASSWORD_COMMAND_TIMEOUT_MS, who, fail });
      const entry = lookupNetrc(opts.netrcFiles ?? defaultNetrcFiles(home), src.host, src.user);
      if (!entry || entry.password === undefined) {
        return fail('password-missing', `No password${who} in ~/.netrc or /etc/netrc for machine ${src.host}${src.user ? ` with login ${src.user}` : ''}. Add "machine ${src.host} login ${src.user ?? 'USER'} password ..." to ~/.netrc (mode 600), or set passcmd or remotepassfile.`);
      }
      return entry.password;
    }
    case 'keyring': {
      const store = opts.secretStore ?? new KeyringSecretStore({ service: src.service });
      const input = opts.input ?? process.stdin;
      const tty = !!input.isTTY && typeof input.setRawMode === 'function';
      let stored: string | undefined;
      try {
        stored = await store.get(src.account);
      } catch (e) {
        // No reachable keyring: a person at a terminal can still type the password.
        if (!tty) throw e;
        (opts.output ?? process.stderr).write(`${(e as Error).message}\n`);
      }
      if (stored !== undefined) return stored;
      if (tty) return promptHidden(`Password${who}: `, input as Required<Pick<ResolveOptions, 'input'>>['input'], opts.output ?? process.stderr, fail);
      return fail('password-missing', `No password${who}: the [Repository] section sets none of passcmd, remotepass or remotepassfile, ~/.netrc has no entry, ` +
        `and the system keyring has none for account "${src.account}" (service ${src.service}). Store it with "satchel password set ${src.account}", ` +
        `or set passcmd (e.g. passcmd = pass show mail/${src.account}) or remotepassfile.`);
    }
    case 'prompt': {
      const input = opts.input ?? process.stdin;
      if (!input.isTTY || typeof input.setRawMode !== 'function') {
        return fail('password-missing', `No password configured${who}, and there is no terminal to ask for one. Set passcmd, remotepassfile or remotepass in the [Repository] section, or add a ~/.netrc entry.`);
      }
      return promptHidden(`Password${who}: `, input as Required<Pick<ResolveOptions, 'input'>>['input'], opts.output ?? process.stderr, fail);
    }
  }
}

type Fail = (code: string, message: string, retry?: 'needs-user' | 'later', cause?: unknown) => never;

/** The password of "machine HOST login USER" in an authinfo/netrc file, decrypted by gpg (no shell) when it ends in .gpg. */
async function authinfoPassword(file: string, host: string, user: string | undefined, o: { env: NodeJS.ProcessEnv; timeoutMs: number; who: string; fail: Fail }): Promise<string> {
  let text: string;
  if (file.endsWith('.gpg')) {
    text = await runPasswordCommand(['gpg', '--quiet', '--batch', '--decrypt', file], { ...o, whole: true, what: `gpg --decrypt ${file}` });
  } else {
    try { text = await fs.promises.readFile(file, 'utf8'); } catch (e) {
      return o.fail('password-unreadable', `Cannot read ${file}${o.who} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, 'needs-user', e);
    }
  }
  const entry = findNetrcEntry(parseNetrc(text), host, user);
  if (!entry || entry.password === undefined) {
    return o.fail('password-missing', `No password${o.who} in ${file} for machine ${host}${user ? ` login ${user}` : ''}. Add "machine ${host} login ${user ?? 'USER'} password ..." to it, or set passcmd.`);
  }
  return entry.password;
}

function runPasswordCommand(argv: string[], o: { env: NodeJS.ProcessEnv; timeoutMs: number; who: string; fail: Fail; whole?: boolean; what?: string }): Promise<string> {
  const name = argv[0] ?? '';
  return new Promise((resolve, reject) => {
    const settle = (f: () => string) => { try { resolve(f()); } catch (e) { reject(e); } };
    execFile(name, argv.slice(1), { env: o.env, timeout: o.timeoutMs, killSignal: 'SIGKILL', shell: false, windowsHide: true, maxBuffer: 1 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => settle(() => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
          if (e.code === 'ENOENT') return o.fail('password-command-failed', `${o.what ?? 'passcmd'}${o.who}: command not found: ${name}. Fix passcmd (it runs without a shell; give the full path if it is not on PATH).`, 'needs-user', err);
          if (e.code === 'EACCES') return o.fail('password-command-failed', `${o.what ?? 'passcmd'}${o.who}: ${name} is not executable. Fix passcmd or the file's permissions.`, 'needs-user', err);
          if (e.killed && e.signal) return o.fail('password-command-failed', `${o.what ?? 'passcmd'}${o.who}: ${name} did not finish within ${o.timeoutMs >= 1000 ? `${Math.round(o.timeoutMs / 1000)} s` : `${o.timeoutMs} ms`} and was stopped. Check that it does not wait for input it cannot get (e.g. a pinentry).`, 'later', err);
          const detail = firstLine(stderr);
          const status = typeof e.code === 'number' ? `exited with status ${e.code}` : e.signal ? `was killed by ${e.signal}` : 'failed';
          return o.fail('password-command-failed', `${o.what ?? 'passcmd'}${o.who}: ${name} ${status}${detail ? ` (${detail})` : ''}. Run the command by hand to see what is wrong, then fix passcmd.`, 'needs-user', err);
        }
        if (o.whole) return stdout;
        const first = stdout.split('\n')[0]!.replace(/\r$/, '');
        if (first === '') return o.fail('password-missing', `${o.what ?? 'passcmd'}${o.who}: ${name} printed nothing on its first line. It must print the password as the first line of its output.`);
        return first;
      }));
  });
}

function firstLine(s: string): string {
  const line = s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function promptHidden(question: string, input: NonNullable<ResolveOptions['input']>, output: NodeJS.WritableStream, fail: Fail): Promise<string> {
  return new Promise((resolve, reject) => {
    const wasRaw = input.isRaw ?? false;
    let typed = '';
    const finish = () => {
      input.removeListener('data', onData);
      input.setRawMode!(wasRaw);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') { finish(); resolve(typed); return; }
        if (ch === '\u0003') {
          finish();
          try { fail('password-missing', 'Password entry was cancelled.'); } catch (e) { reject(e); }
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch === '\u0015') typed = '';
        else if (ch >= ' ') typed += ch;
      }
    };
    output.write(question);
    input.setRawMode!(true);
    input.on('data', onData);
    input.resume();
  });
}
