// Test helper: what the helpers of real servers (Dovecot, Cyrus, Courier) share: the handle they
// return, stopping the server's process group, a plain loopback client, appending a message
// (creating its folder) and resetting an account to an empty INBOX. It talks IMAP through clients
// it makes or is given, and signals only the process group it is handed.

import type { ChildProcess } from 'node:child_process';
import { ImapFlow } from 'imapflow';

/** What a private server's helper gives a test. */
export interface TestImapServer {
  host: '127.0.0.1';
  port: number;
  dir: string;
  client(user: string): Promise<ImapFlow>;
  appendMessage(user: string, folder: string, raw: string | Buffer, flags?: string[]): Promise<number | undefined>;
  /** Deletes every folder of the user except INBOX and empties INBOX. */
  reset(user: string): Promise<void>;
  stop(): Promise<void>;
}

/** SIGTERM to the detached child's process group, SIGKILL after 5 s if it is still there. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  for (let i = 0; i < 100 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  if (child.exitCode === null) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}

/** A logged-in client on a plain loopback port (the caller logs out). */
export async function plainClient(port: number, user: string, pass: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, logger: false, disableAutoIdle: true, auth: { user, pass } });
  c.on('error', () => { /* surfaced by the failing command */ });
  await c.connect();
  return c;
}

type Connect = (user: string) => Promise<ImapFlow>;

/** Appends a message to `folder` (server name; created unless INBOX); returns its UID. */
export async function appendOverImap(connect: Connect, user: string, folder: string, raw: string | Buffer, flags: string[] = []): Promise<number | undefined> {
  const c = await connect(user);
  try {
    if (folder.toUpperCase() !== 'INBOX') await c.mailboxCreate(folder).catch(() => {});
    const res = await c.append(folder, raw, flags);
    if (!res) throw new Error(`the server refused the APPEND to ${folder}`);
    return res.uid;
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** Deletes every folder of the user except INBOX (deepest first, by `separator`) and empties INBOX. */
export async function resetOverImap(connect: Connect, user: string, separator: string): Promise<void> {
  const c = await connect(user);
  try {
    const names = (await c.list()).map((f) => f.path).filter((p) => p.toUpperCase() !== 'INBOX')
      .sort((a, b) => b.split(separator).length - a.split(separator).length || b.localeCompare(a));
    for (const name of names) await c.mailboxDelete(name).catch(() => {});
    const inbox = await c.mailboxOpen('INBOX');
    if (inbox.exists) await c.messageDelete('1:*');
    await c.mailboxClose();
  } finally {
    await c.logout().catch(() => c.close());
  }
}
