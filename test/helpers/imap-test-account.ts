// Test helper: seeding and clearing a test account over IMAP, for servers whose helpers have no
// direct access to the mail files (Cyrus, Courier): append a message (creating its folder), and
// reset an account to an empty INBOX. It only talks IMAP through the client it is given.

import type { ImapFlow } from 'imapflow';

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

/** Deletes every folder of the user except INBOX (deepest first) and empties INBOX. */
export async function resetOverImap(connect: Connect, user: string): Promise<void> {
  const c = await connect(user);
  try {
    const names = (await c.list()).map((f) => f.path).filter((p) => p.toUpperCase() !== 'INBOX')
      .sort((a, b) => b.split(/[/.]/).length - a.split(/[/.]/).length || b.localeCompare(a));
    for (const name of names) await c.mailboxDelete(name).catch(() => {});
    const inbox = await c.mailboxOpen('INBOX');
    if (inbox.exists) await c.messageDelete('1:*');
    await c.mailboxClose();
  } finally {
    await c.logout().catch(() => c.close());
  }
}
