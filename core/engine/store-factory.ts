// Builds the MailStore of a repository from the configuration model. The password is not
// read here: the ImapStore asks the engine's secret getter when it logs in, on demand.

import type { Logger } from 'imapflow';
import type { ImapRepositoryConfig, RepositoryConfig } from '../config/model.js';
import type { MailStore } from '../store/mail-store.js';
import { ImapStore } from '../imap/imap-store.js';
import { MaildirStore } from '../maildir/maildir-store.js';

/** The password of a repository, or with OAuth2 an access token (`renew`: the server rejected the last one). */
export type SecretGetter = (repo: ImapRepositoryConfig, o?: { renew?: boolean }) => Promise<string>;

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
    password: (o) => getSecret(repo, o),
    ...(repo.oauth2 ? { oauth: true } : {}),
    ...(repo.authMechanisms ? { authMechanisms: repo.authMechanisms } : {}),
    ssl: repo.ssl,
    starttls: repo.starttls,
    caFile: repo.caFile,
    certFingerprints: repo.certFingerprints,
    maxConnections: repo.maxConnections,
    logger: opts.imapLogger,
    ...(repo.proxy ? { proxy: repo.proxy } : {}),
  });
}
