// The folder list of a saved account's server, for the rules editor's live preview: logs in
// through the same store factory a sync uses (TLS settings, CA file, pins), with the password
// asked of the secret getter on demand, lists the selectable folders and the separator, and
// logs out. It never creates, renames or opens a folder, and never keeps the password.

import type { SatchelConfig } from '../config/model.js';
import { SyncError } from '../errors.js';
import { createStore, type SecretGetter } from '../engine/store-factory.js';
import type { ImapStore } from '../imap/imap-store.js';

export async function listAccountFolders(config: SatchelConfig, account: string, getSecret: SecretGetter): Promise<{ folders: string[]; separator: string }> {
  const acc = config.accounts.find((a) => a.name === account);
  if (!acc) throw new SyncError('no-such-account', `There is no account "${account}".`, { scope: 'account', retry: 'needs-user', account });
  const repo = acc.remote.type === 'imap' ? acc.remote : acc.local.type === 'imap' ? acc.local : undefined;
  if (!repo) throw new SyncError('no-imap-side', `The account "${account}" has no IMAP server to list folders from.`, { scope: 'account', retry: 'needs-user', account });
  const store = createStore({ ...repo, maxConnections: 1 }, getSecret, { fsync: false }) as ImapStore;
  try {
    await store.connect();
    const folders = (await store.listFolders()).filter((f) => !f.noSelect).map((f) => f.name);
    return { folders, separator: store.delimiter };
  } finally {
    await store.close().catch(() => {});
  }
}
