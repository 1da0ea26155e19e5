// Reads one [Repository NAME] section of an OfflineIMAP file into the model: the type
// (Maildir, GmailMaildir, IMAP, Gmail) and its options with OfflineIMAP's defaults, and the
// password source (passcmd > remotepasseval > remotepass > remotepassfile > ~/.netrc > OS keyring,
// then a prompt). remote*eval options are translated statically (eval-options.ts) and win over
// their plain twins, as in OfflineIMAP. It never reads a password.

import type { FolderRule, ImapRepositoryConfig, MaildirRepositoryConfig, PasswordSource, RepositoryConfig } from './model.js';
import { lookupNetrc, netrcPermissionWarning } from './netrc.js';
import { compileRules } from '../rules/compile-rules.js';
import type { OptionReader } from './option-reader.js';
import { splitCommandLine } from './shell-words.js';
import { pythonFile, translateEval } from './eval-options.js';
import { SECRET_SERVICE } from '../secrets/secret-store.js';
import { parseCommaList, parsePythonStringList } from './values.js';
import { readRepositoryAuth } from './oauth2-reader.js';

export const REPOSITORY_TYPES = ['Maildir', 'GmailMaildir', 'IMAP', 'Gmail'] as const;
export type RepositoryType = (typeof REPOSITORY_TYPES)[number];

export interface RepositoryContext {
  role: 'local' | 'remote';
  account: string;
  fsync: boolean;
  netrcFiles: string[];
}

/** The repository type as OfflineIMAP spells it, matched case-insensitively; undefined if none. */
export function canonicalType(raw: string | undefined): RepositoryType | undefined {
  const t = raw?.trim().toLowerCase();
  return REPOSITORY_TYPES.find((x) => x.toLowerCase() === t);
}

export function readRepository(r: OptionReader, name: string, ctx: RepositoryContext): RepositoryConfig | undefined {
  const s = `Repository ${name}`;
  const raw = r.str(s, 'type');
  if (raw === undefined || raw.trim() === '') {
    const hint = ctx.role === 'local' ? '"type = Maildir"' : '"type = IMAP" (or "type = Gmail")';
    r.problem(s, 'type', `[${s}] has no 'type'. Add ${hint}.`);
    return undefined;
  }
  const type = canonicalType(raw);
  if (!type) {
    r.problem(s, 'type', `[${s}] type = '${raw}' is not a repository type. Use Maildir, GmailMaildir or IMAP for a localrepository, IMAP or Gmail for a remoterepository.`);
    return undefined;
  }
  if (type !== raw.trim()) r.warn(s, 'type', r.entry(s, 'type'), `type = '${raw.trim()}' is read as '${type}'; OfflineIMAP itself accepts only '${type}'.`);
  if (ctx.role === 'remote' && (type === 'Maildir' || type === 'GmailMaildir')) {
    r.problem(s, 'type', `[${s}] is the remoterepository of account '${ctx.account}', so its type must be IMAP or Gmail, not ${type}. Swap localrepository and remoterepository if they are reversed.`);
    return undefined;
  }
  if (ctx.role === 'local' && type === 'Gmail') {
    r.problem(s, 'type', `[${s}] is the localrepository of account '${ctx.account}', but Gmail is a remote type. Use GmailMaildir (a local Maildir with labels) or Maildir.`);
    return undefined;
  }
  const readonly = r.bool(s, 'readonly', false);
  const common = {
    name,
    readonly,
    createFolders: r.bool(s, 'createfolders', true) && !readonly,
    syncDeletes: r.bool(s, 'sync_deletes', true),
    ...folderRules(r, s),
  };
  if (type === 'Maildir' || type === 'GmailMaildir') return readMaildir(r, s, common, type === 'GmailMaildir', ctx);
  return readImap(r, s, common, type === 'Gmail', ctx);
}

type Rules = Pick<MaildirRepositoryConfig, 'folderfilter' | 'nametransSource' | 'nametransLine' | 'folderincludes' | 'foldersortSource' | 'rules' | 'ruleNotes'>;

function folderRules(r: OptionReader, s: string): Rules {
  const out: Rules = {};
  const filter = r.nonEmpty(s, 'folderfilter');
  if (filter !== undefined) out.folderfilter = { source: filter, line: r.entry(s, 'folderfilter')!.line };
  const nametrans = r.nonEmpty(s, 'nametrans');
  if (nametrans !== undefined) {
    out.nametransSource = nametrans;
    out.nametransLine = r.entry(s, 'nametrans')!.line;
  }
  const sort = r.nonEmpty(s, 'foldersort');
  if (sort !== undefined) out.foldersortSource = { source: sort, line: r.entry(s, 'foldersort')!.line };
  if (r.nonEmpty(s, 'folderincludes') !== undefined) {
    const list = r.parsed(s, 'folderincludes', parsePythonStringList);
    if (list) out.folderincludes = list;
  }
  const pf = pythonFile(r);
  const compiled = compileRules({ folderfilter: filter, nametrans, foldersort: sort }, pf.module && pf.path ? { module: pf.module, path: pf.path } : undefined);
  // A rule that cannot be translated would change which folders sync: it stops the account.
  for (const p of compiled.problems) r.stop(s, p.key, `${p.message.replace(/\.$/, '')}.`);
  for (const w of compiled.warnings) r.warn(s, w.key, r.entry(s, w.key), w.message);
  if (!compiled.problems.length && Object.keys(compiled.rules).length) out.rules = compiled.rules;
  if (Object.keys(compiled.notes).length) out.ruleNotes = compiled.notes;
  return out;
}

type Common = Omit<MaildirRepositoryConfig, 'type' | 'localfolders' | 'sep' | 'fsync'>;

function readMaildir(r: OptionReader, s: string, common: Common, gmail: boolean, ctx: RepositoryContext): MaildirRepositoryConfig | undefined {
  const has = r.nonEmpty(s, 'localfolders') !== undefined;
  const localfolders = has ? r.path(s, 'localfolders') : undefined;
  if (!has) r.problem(s, 'localfolders', `[${s}] (type ${gmail ? 'GmailMaildir' : 'Maildir'}) has no 'localfolders'. Add "localfolders = ~/Mail" naming the Maildir root directory.`);
  const sep = (r.str(s, 'sep') ?? '.').trim();
  if (sep === '') r.problem(s, 'sep', `[${s}] sep is empty. Use "sep = ." (the default) or "sep = /" for nested directories.`);
  if (localfolders === undefined || sep === '') return undefined;
  // Repository options whose [general] value is the default, as in OfflineIMAP.
  const withGeneral = (key: string) => r.optBool(s, key) ?? r.bool('general', key, false);
  const stamp = withGeneral('filename_use_mail_timestamp');
  const utime = withGeneral('utime_from_header');
  return { type: 'maildir', ...common, localfolders, sep, fsync: ctx.fsync, ...(gmail ? { gmail: true } : {}),
    ...(stamp ? { filenameUseMailTimestamp: true } : {}), ...(utime ? { utimeFromHeader: true } : {}) };
}

function readImap(r: OptionReader, s: string, common: Common, gmail: boolean, ctx: RepositoryContext): ImapRepositoryConfig | undefined {
  let ok = true;
  const origins: NonNullable<ImapRepositoryConfig['origins']> = {};
  // As in OfflineIMAP, a remote*eval option wins over its plain twin.
  const evaluated = (key: 'remotehosteval' | 'remoteusereval' | 'remoteporteval', field: 'host' | 'user' | 'port'): string | undefined | false => {
    if (r.nonEmpty(s, key) === undefined) return undefined;
    const t = translateEval(r, s, key, ctx.netrcFiles);
    if (!t) return false;
    origins[field] = t.origin;
    return t.value;
  };
  const hostEval = evaluated('remotehosteval', 'host');
  if (hostEval === false) return undefined;
  const host = hostEval ?? r.nonEmpty(s, 'remotehost')?.trim() ?? (gmail ? 'imap.gmail.com' : undefined);
  if (!host) {
    r.problem(s, 'remotehost', `[${s}] (type IMAP) has no 'remotehost'. Add "remotehost = imap.example.org".`);
    ok = false;
  }
  const ssl = r.optBool(s, 'ssl') ?? true;
  if (gmail && !ssl && host === 'imap.gmail.com') {
    r.warn(s, 'ssl', r.entry(s, 'ssl'), 'ssl = no cannot work with Gmail: imap.gmail.com accepts only TLS on port 993. Remove ssl = no.');
  }
  const starttls = r.bool(s, 'starttls', true);
  const portEval = evaluated('remoteporteval', 'port');
  if (portEval === false) return undefined;
  const portSet = r.has(s, 'remoteport');
  const port = portEval !== undefined ? Number(portEval) : portSet ? r.int(s, 'remoteport', { min: 1, max: 65535 }) : gmail || ssl ? 993 : 143;
  if (port === undefined) ok = false;
  const caRaw = r.nonEmpty(s, 'sslcacertfile');
  const caFile = caRaw === undefined || caRaw.trim() === 'OS-DEFAULT' ? undefined : r.path(s, 'sslcacertfile');
  const certFingerprints = fingerprints(r, s);
  const maxConnections = r.int(s, 'maxconnections', { min: 1 }) ?? 1;
  const expunge = r.bool(s, 'expunge', true);
  const idleFolders = r.nonEmpty(s, 'idlefolders') !== undefined ? r.parsed(s, 'idlefolders', parsePythonStringList) : undefined;

  const userEval = evaluated('remoteusereval', 'user');
  if (userEval === false) return undefined;
  let user = userEval ?? r.nonEmpty(s, 'remoteuser');
  if (user === undefined && host) user = lookupNetrc(ctx.netrcFiles, host)?.login;
  if (user === undefined && host) {
    r.problem(s, 'remoteuser', `[${s}] has no 'remoteuser', and ~/.netrc has no login for ${host}. Add "remoteuser = you@example.org".`);
    ok = false;
  }
  const auth = host ? readRepositoryAuth(r, s, { host, gmail, account: ctx.account }) : {};
  const password = host ? passwordSource(r, s, host, user, ctx, origins) : undefined;
  if (!ok || !host || user === undefined || port === undefined || !password) return undefined;
  return {
    type: 'imap', ...common, host, port, user, password, ssl, starttls,
    ...(Object.keys(origins).length ? { origins } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
    ...(certFingerprints ? { certFingerprints } : {}),
    maxConnections, expunge, gmail,
    ...(idleFolders ? { idleFolders } : {}),
    ...auth,
  };
}

function fingerprints(r: OptionReader, s: string): string[] | undefined {
  const raw = r.nonEmpty(s, 'cert_fingerprint');
  if (raw === undefined) return undefined;
  const list = parseCommaList(raw).map((f) => f.toLowerCase().replace(/:/g, ''));
  const bad = list.filter((f) => !/^[0-9a-f]+$/.test(f) || ![40, 56, 64, 96, 128].includes(f.length));
  if (bad.length) {
    r.problem(s, 'cert_fingerprint', `[${s}] cert_fingerprint '${bad[0]}' is not a hex SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512 fingerprint. Write the certificate's fingerprint in hex (colons allowed), several separated by commas.`);
    return undefined;
  }
  return list.length ? list : undefined;
}

function passwordSource(r: OptionReader, s: string, host: string, user: string | undefined, ctx: RepositoryContext,
  origins: NonNullable<ImapRepositoryConfig['origins']>): PasswordSource | undefined {
  const ignored = (key: string, because: string) => {
    if (r.has(s, key)) r.warn(s, key, r.entry(s, key), `option '${key}' is ignored because ${because} is set (it takes precedence).`);
  };
  const cmd = r.nonEmpty(s, 'passcmd');
  if (cmd !== undefined) {
    ignored('remotepass', 'passcmd');
    ignored('remotepassfile', 'passcmd');
    const split = splitCommandLine(cmd, { env: r.ctx.env, home: r.ctx.home });
    if (!split.ok) {
      r.problem(s, 'passcmd', `[${s}] passcmd: ${split.error}.`);
      return undefined;
    }
    ignored('remotepasseval', 'passcmd');
    return { kind: 'command', argv: split.argv };
  }
  if (r.nonEmpty(s, 'remotepasseval') !== undefined) {
    ignored('remotepass', 'remotepasseval');
    ignored('remotepassfile', 'remotepasseval');
    const t = translateEval(r, s, 'remotepasseval', ctx.netrcFiles);
    if (t) origins.password = t.origin;
    return t?.value;
  }
  const inline = r.str(s, 'remotepass');
  if (inline !== undefined) {
    ignored('remotepassfile', 'remotepass');
    return { kind: 'inline', value: inline };
  }
  if (r.nonEmpty(s, 'remotepassfile') !== undefined) {
    const path = r.path(s, 'remotepassfile');
    return path === undefined ? undefined : { kind: 'file', path };
  }
  const netrc = lookupNetrc(ctx.netrcFiles, host, user);
  if (netrc) {
    const exposed = netrcPermissionWarning(netrc.file);
    if (exposed) r.warn(s, 'remotepass', undefined, `the password comes from ${exposed}`);
    return { kind: 'netrc', host, ...(user !== undefined ? { user } : {}) };
  }
  // Like OfflineIMAP 3: the keyring after netrc, before the prompt. The key is the account name.
  return { kind: 'keyring', service: SECRET_SERVICE, account: ctx.account };
}
