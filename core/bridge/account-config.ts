// Turns the wizard's AccountDraft into the configuration model's AccountConfig (a Maildir at
// localfolders, an IMAP remote over TLS or STARTTLS, a pinned certificate when one was trusted,
// the password in the keyring under the account's name), applies folder rules to the remote
// side, and summarises an AccountConfig for listAccounts. Pure: no I/O; never holds a password.

import path from 'node:path';
import type { AccountConfig, ImapRepositoryConfig, MaildirRepositoryConfig } from '../config/model.js';
import { compileRules } from '../rules/compile-rules.js';
import { parsePythonStringList } from '../config/values.js';
import { SECRET_SERVICE } from '../secrets/secret-store.js';
import { SyncError } from '../errors.js';
import { sha256Pin } from '../accounts/account-draft.js';
import type { AccountDraft, AccountSummary, Preferences, RuleSources, Security } from './bridge-contract.js';

export function accountFromDraft(draft: AccountDraft, prefs: Preferences, home: string): AccountConfig {
  const localfolders = draft.localfolders.startsWith('~/') || draft.localfolders === '~'
    ? path.join(home, draft.localfolders.slice(1)) : draft.localfolders;
  if (!path.isAbsolute(localfolders)) {
    throw new SyncError('bad-local-folder', `The local folder "${draft.localfolders}" must be an absolute path (or start with ~/).`, { scope: 'account', retry: 'needs-user' });
  }
  const common = { readonly: false, createFolders: true, syncDeletes: true };
  const local: MaildirRepositoryConfig = {
    type: 'maildir', name: `${draft.name}-local`, ...common, localfolders: path.resolve(localfolders), sep: prefs.localSeparator, fsync: true,
  };
  const remote: ImapRepositoryConfig = {
    type: 'imap', name: `${draft.name}-remote`, ...common,
    host: draft.server.host, port: draft.server.port, user: draft.server.user,
    password: { kind: 'keyring', service: SECRET_SERVICE, account: draft.name },
    ssl: draft.server.security === 'tls', starttls: draft.server.security === 'starttls',
    ...(draft.certFingerprint ? { certFingerprints: [draft.certFingerprint] } : {}),
    maxConnections: 1, expunge: true, gmail: false,
    ...(prefs.idle ? {} : { idleFolders: [] }),
  };
  const account: AccountConfig = { name: draft.name, local, remote, utf8foldernames: false, ...scheduleOf(prefs) };
  if (draft.rules) applyRules(account, draft.rules);
  return account;
}

/** The preferences' schedule for an account: autorefresh when syncEveryMinutes > 0. */
export function scheduleOf(prefs: Preferences): Pick<AccountConfig, 'autorefresh'> {
  return prefs.syncEveryMinutes > 0 ? { autorefresh: prefs.syncEveryMinutes } : {};
}

/** Sets (or clears) the remote side's folderfilter, nametrans and folderincludes; throws a SyncError naming the rule that does not compile. */
export function applyRules(account: AccountConfig, rules: RuleSources): void {
  const repo = account.remote;
  const filter = rules.folderfilter?.trim() || undefined;
  const nametrans = rules.nametrans?.trim() || undefined;
  const compiled = compileRules({ folderfilter: filter, nametrans, foldersort: repo.foldersortSource?.source });
  if (compiled.problems.length) {
    throw new SyncError('bad-rules', compiled.problems.map((p) => p.message).join(' '), { scope: 'account', retry: 'needs-user', account: account.name });
  }
  let includes: string[] | undefined;
  if (rules.folderincludes?.trim()) {
    const list = parsePythonStringList(rules.folderincludes);
    if (!list.ok) throw new SyncError('bad-rules', `folderincludes: ${list.error}`, { scope: 'account', retry: 'needs-user', account: account.name });
    includes = list.value;
  }
  delete repo.folderfilter; delete repo.nametransSource; delete repo.nametransLine; delete repo.folderincludes; delete repo.rules;
  if (filter) repo.folderfilter = { source: filter, line: 0 };
  if (nametrans) repo.nametransSource = nametrans;
  if (includes?.length) repo.folderincludes = includes;
  if (Object.keys(compiled.rules).length) repo.rules = compiled.rules;
}

export function rulesOf(account: AccountConfig): RuleSources {
  const r = account.remote;
  return {
    ...(r.folderfilter ? { folderfilter: r.folderfilter.source } : {}),
    ...(r.nametransSource ? { nametrans: r.nametransSource } : {}),
    ...(r.folderincludes?.length ? { folderincludes: `[${r.folderincludes.map((f) => JSON.stringify(f)).join(', ')}]` } : {}),
  };
}

export function summaryOf(account: AccountConfig, email?: string): AccountSummary {
  const r = account.remote;
  const server = r.type === 'imap'
    ? { host: r.host, port: r.port, user: r.user, security: (r.ssl ? 'tls' : 'starttls') as Security } : undefined;
  const rules = rulesOf(account);
  return {
    name: account.name,
    ...(email ? { email } : {}),
    ...(server ? { server } : {}),
    ...(r.type === 'imap' && sha256Pin(r.certFingerprints) ? { certFingerprint: sha256Pin(r.certFingerprints) } : {}),
    ...(account.local.type === 'maildir' ? { localfolders: account.local.localfolders } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
  };
}
