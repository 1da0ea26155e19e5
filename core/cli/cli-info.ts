// `satchel --info`: for each account, connects to the server(s) and prints the capabilities,
// the folder rules as written, and the folder list `remote -> local` with filtered folders and
// rule problems marked (OfflineIMAP's --info, with Satchel's names). It never syncs, never
// creates a folder or the Maildir root, never writes a status database, never prints a password.

import fs from 'node:fs';
import type { AccountConfig, ImapRepositoryConfig, PasswordSource, RepositoryConfig } from '../config/model.js';
import type { OAuth2Config } from '../auth/oauth-providers.js';
import type { RepositorySecrets } from '../config/repository-secret.js';
import { createStore, type SecretGetter } from '../engine/store-factory.js';
import { ImapStore } from '../imap/imap-store.js';
import type { FolderEntry, MailStore } from '../store/mail-store.js';
import { previewFolders, sideRulesOf } from '../sync/folder-plan.js';
import { oneLine } from '../rules/compile-rules.js';
import { printable } from '../log/printable.js';

export interface InfoOptions {
  getSecret: SecretGetter;
  out: NodeJS.WritableStream;
  fsync: boolean;
  /** -f: exact server names. */
  folders?: string[];
}

/** Prints the diagnostics of every account; 0 when every repository could be read, else 1. */
export async function printInfo(accounts: AccountConfig[], opts: InfoOptions): Promise<number> {
  let status = 0;
  for (const account of accounts) {
    if (!(await printAccount(account, opts))) status = 1;
  }
  return status;
}

async function printAccount(account: AccountConfig, opts: InfoOptions): Promise<boolean> {
  // Folder names and capabilities come from the server: controls are made visible.
  const w = (line = '') => opts.out.write(printable(line) + '\n');
  w(`Account ${account.name}`);
  const far = await openSide(account.remote, 'Remote', opts, w);
  const near = await openSide(account.local, 'Local', opts, w);
  try {
    if (!far || !near) return false;
    // The filters were printed above, so the marks need not repeat them.
    const unlabelled = (repo: RepositoryConfig) => ({ ...sideRulesOf(repo), filterLabel: undefined });
    const remote = unlabelled(account.remote), local = unlabelled(account.local);
    const rows = previewFolders({
      farNames: far.entries.filter((f) => !f.noSelect).map((f) => f.name), farAllNames: far.entries.map((f) => f.name),
      nearNames: near.entries.filter((f) => !f.noSelect).map((f) => f.name), farSep: far.store.delimiter, nearSep: near.store.delimiter,
      remote, local, onlyFolders: opts.folders, createOnFar: account.remote.createFolders,
    });
    w(`Folder list (remote -> local; separators '${far.store.delimiter}' -> '${near.store.delimiter}'):`);
    for (const r of rows) {
      const mark = r.problem ? ` (NOT SYNCED: ${r.problem})`
        : !r.synced ? ` (filtered: ${r.reason?.replace(/^filtered /, '')})`
          : r.exists === 'remote' ? ' (new: created locally at the next sync)'
            : r.exists === 'local' ? ' (new: created on the server at the next sync)' : '';
      w(` ${r.remote || '?'} -> ${r.local}${mark}`);
    }
    w();
    return !rows.some((r) => r.problem);
  } finally {
    await Promise.allSettled([far?.store.close(), near?.store.close()]);
  }
}

async function openSide(repo: RepositoryConfig, role: 'Remote' | 'Local', opts: InfoOptions, w: (l?: string) => void):
  Promise<{ store: MailStore; entries: FolderEntry[] } | undefined> {
  const type = repo.type === 'imap' ? (repo.gmail ? 'Gmail' : 'IMAP') : repo.gmail ? 'GmailMaildir' : 'Maildir';
  w(`${role} repository '${repo.name}': type '${type}'`);
  if (repo.type === 'imap') {
    w(`Host: ${repo.host} Port: ${repo.port} SSL: ${repo.ssl ? 'yes' : `no (STARTTLS: ${repo.starttls ? 'yes' : 'no'})`}`);
    w(`Sign-in: ${await signInMethod(repo, opts.getSecret)}`);
    printSources(repo, w);
  } else w(`Root: ${repo.localfolders} Sep: ${repo.sep}`);
  printRules(repo, w);
  if (repo.type === 'maildir' && !fs.existsSync(repo.localfolders)) {
    w('The Maildir root does not exist yet (the first sync creates it).');
    return { store: { delimiter: repo.sep, close: async () => {} } as unknown as MailStore, entries: [] };
  }
  const store = createStore(repo, opts.getSecret, { fsync: opts.fsync });
  try {
    await store.connect();
    if (store instanceof ImapStore) {
      if (store.serverInfo.greeting) w(`Server welcome string: ${store.serverInfo.greeting}`);
      w(`Server capabilities: ${store.serverInfo.capabilities.join(' ')}`);
    }
    return { store, entries: await store.listFolders() };
  } catch (e) {
    w(`Failed to connect: ${(e as Error).message}`);
    await store.close().catch(() => {});
    return undefined;
  }
}

/** Where the password, user and host come from (with the Python they were translated from), and the proxy. */
function printSources(repo: ImapRepositoryConfig, w: (l?: string) => void): void {
  const o = repo.origins ?? {};
  if (o.host) w(`host: ${repo.host} (${o.host})`);
  if (o.port) w(`port: ${repo.port} (${o.port})`);
  w(`user: ${repo.user}${o.user ? ` (${o.user})` : ''}`);
  w(`password: ${o.password ?? describePassword(repo.password)}`);
  w(`proxy: ${repo.proxy ? `${repo.proxy.type.toUpperCase()} ${repo.proxy.host}:${repo.proxy.port} (proxy = ${repo.proxy.written}; never bypassed)` : 'none (direct connection)'}`);
}

function describePassword(p: PasswordSource): string {
  switch (p.kind) {
    case 'inline': return 'remotepass (written in the configuration)';
    case 'env': return `environment variable ${p.name}`;
    case 'file': return `file ${p.path} (first line)`;
    case 'command': return `command "${p.argv.join(' ')}" (first line of its output)`;
    case 'keyring': return `system keyring (service ${p.service}, account ${p.account}), else a prompt on a terminal`;
    case 'netrc': return `${p.file ?? '~/.netrc or /etc/netrc'}, machine ${p.host}${p.user ? ` login ${p.user}` : ''}`;
    case 'prompt': return 'asked on the terminal';
    default: return (p as { kind: string }).kind;
  }
}

const ORIGIN = {
  keyring: 'the refresh token in the system keyring (it rotates there; an oauth2_refresh_token in the file was only its first seed)',
  config: 'oauth2_refresh_token from the file, until the first refresh puts its successor in the system keyring',
  'access-token': 'oauth2_access_token from the file (no refresh token: it works until it expires)',
  none: 'not signed in yet: run satchel login ACCOUNT',
} as const;

/** How a repository logs in, for the person reading --info (never a secret). */
async function signInMethod(repo: ImapRepositoryConfig, getSecret: SecretGetter): Promise<string> {
  const mechs = repo.authMechanisms ? ` (auth_mechanisms ${repo.authMechanisms.join(', ')})` : '';
  if (!repo.oauth2) return `password (${repo.password.kind})${mechs}`;
  const provider = repo.oauth2.provider === 'custom' ? 'another OAuth2 server' : repo.oauth2.provider === 'google' ? 'Google' : 'Microsoft';
  const source = (getSecret as Partial<RepositorySecrets>).tokenSource?.(repo as ImapRepositoryConfig & { oauth2: OAuth2Config });
  const origin = source ? await source.origin().catch((e: Error) => `unknown (${e.message})`) : undefined;
  return `OAuth2 with ${provider}${mechs}${origin ? `, ${origin in ORIGIN ? ORIGIN[origin as keyof typeof ORIGIN] : origin}` : ''}`;
}

function printRules(repo: RepositoryConfig, w: (l?: string) => void): void {
  if (repo.folderfilter) w(`folderfilter = ${oneLine(repo.folderfilter.source)}`);
  else if (repo.rules?.folderfilter) w(`folderfilter = ${JSON.stringify(repo.rules.folderfilter)}`);
  if (repo.folderincludes) w(`folderincludes = ${JSON.stringify(repo.folderincludes)}`);
  if (repo.nametransSource) w(`nametrans = ${oneLine(repo.nametransSource)}`);
  else if (repo.rules?.nametrans) w(`nametrans = ${JSON.stringify(repo.rules.nametrans)}`);
  if (repo.foldersortSource) w(`foldersort = ${oneLine(repo.foldersortSource.source)}`);
  // Each rule as Satchel runs it, and where a pythonfile function was translated from.
  for (const key of ['folderfilter', 'nametrans', 'foldersort'] as const) {
    const rule = repo.rules?.[key];
    if (!rule) continue;
    const note = repo.ruleNotes?.[key];
    w(`${key} translated: ${note ? `${note}; ` : ''}rule ${JSON.stringify(rule)}`);
  }
}
