// Builds the MailStore of a repository from the configuration model. The password is not
// read here: the ImapStore asks the engine's secret getter when it logs in, on demand.

import type { Logger } from 'imapflow';
import type { ImapRepositoryConfig, RepositoryConfig } from '../config/model.js';
import type { MailStore } from '../store/mail-store.js';
import { ImapStore } from '../imap/imap-store.js';
import { MaildirStore } from '../maildir/maildir-store.js';

export type SecretGetter = (repo: ImapRepositoryConfig) => Promise<string>;

export function createStore(repo: RepositoryConfig, getSecret: SecretGetter, opts: { fsync: boolean; imapLogger?: Logger }): MailStore {
  if (repo.type === 'maildir') {
    return new MaildirStore({ root: repo.localfolders, sep: repo.sep, fsync: repo.fsync && opts.fsync,
      windowsCompatible: !!repo.windowsCompatible, mailTimestamp: !!repo.filenameUseMailTimestamp,
      utimeFromHeader: !!repo.utimeFromHeader });
  }
  return new ImapStore({
    host: repo.host,
    port: repo.port,
    user: repo.user,
    password: () => getSecret(repo),
    ssl: repo.ssl,
    starttls: repo.starttls,
    caFile: repo.caFile,
    certFingerprints: repo.certFingerprints,
    maxConnections: repo.maxConnections,
    logger: opts.imapLogger,
    ...(repo.proxy ? { proxy: repo.proxy } : {}),
  });
}
