// `satchel password set ACCOUNT` / `satchel password delete ACCOUNT`: puts an account's IMAP
// password into the OS keyring (service "Satchel", key = the [Account NAME]) or removes it.
// The password comes from a no-echo prompt on a terminal, or from the first line of stdin when
// that is a pipe; never from argv or the environment, and it is never printed.

import { resolvePassword } from '../config/secrets.js';
import { isSyncError } from '../errors.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';

export const PASSWORD_USAGE = `usage: satchel password set ACCOUNT      store ACCOUNT's password in the system keyring
                                         (typed at a prompt, or the first line of stdin)
       satchel password delete ACCOUNT   remove it from the keyring`;

export interface PasswordIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  input?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown; isRaw?: boolean };
  store?: SecretStore;
}

export async function passwordCommand(args: string[], io: PasswordIo): Promise<number> {
  const [action, account, ...rest] = args;
  if (action === '-h' || action === '--help') { io.out.write(PASSWORD_USAGE + '\n'); return 0; }
  if ((action !== 'set' && action !== 'delete') || !account || rest.length) {
    io.err.write(`satchel: ${rest.length && action === 'set' ? 'the password is never taken from the command line; type it at the prompt or pipe it on stdin' : 'expected "password set ACCOUNT" or "password delete ACCOUNT"'}\n${PASSWORD_USAGE}\n`);
    return 2;
  }
  const store = io.store ?? new KeyringSecretStore();
  const input = io.input ?? process.stdin;
  try {
    if (action === 'delete') {
      const gone = await store.delete(account);
      io.out.write(gone ? `Removed the password of account "${account}" from the system keyring.\n` : `The system keyring held no password for account "${account}".\n`);
      return 0;
    }
    const secret = input.isTTY ? await resolvePassword({ kind: 'prompt' }, { input, output: io.err, label: `account "${account}"` }) : await firstLine(input);
    if (secret === '') { io.err.write('satchel: empty password; nothing stored.\n'); return 1; }
    await store.set(account, secret);
    io.out.write(`Stored the password of account "${account}" in the system keyring (service "${(store as { service?: string }).service ?? 'Satchel'}").\n`);
    return 0;
  } catch (e) {
    io.err.write(`satchel: ${isSyncError(e) ? e.message : (e as Error).message}\n`);
    return 1;
  }
}

function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const done = () => { input.removeListener('data', onData); input.pause(); resolve((buf.split('\n')[0] ?? '').replace(/\r$/, '')); };
    const onData = (d: Buffer | string) => { buf += d.toString(); if (buf.includes('\n')) done(); };
    input.on('data', onData);
    input.once('end', done);
    input.once('error', reject);
    input.resume();
  });
}
