// The typed configuration model: the single source of truth shared by the engine, the CLI and
// (later) the GUI, plus a hand-written runtime validator that returns every problem at once.
// Importers (offlineimaprc.ts) fill it; defaults follow OfflineIMAP's code (see field notes).
// It must never hold anything executable: folder rules are kept as written and as rule data.

export interface SatchelConfig {
  general: GeneralConfig;
  /** The accounts to sync, in the order of [general] accounts. */
  accounts: AccountConfig[];
  /** Absolute path of the file this was read from, for "file:line" in later messages. */
  configFile?: string;
  /** [mbnames] when enabled: the mailbox list file for mutt. */
  mbnames?: MbnamesConfig;
}

/** OfflineIMAP's [mbnames], read without evaluating anything (see mbnames-reader.ts). */
export interface MbnamesConfig {
  /** Expanded and absolute. */
  filename: string;
  header: string;
  /** Template with %(accountname)s, %(foldername)s, %(localfolders)s and %% (kept raw, like OfflineIMAP). */
  peritem: string;
  sep: string;
  footer: string;
  /** Rewrite the file after each account (true) or once after all accounts of a run (false, the default). */
  incremental: boolean;
}

export interface GeneralConfig {
  /** Satchel's state directory: [general] metadata as written (expanded), else $XDG_STATE_HOME/satchel. */
  metadata: string;
  /** OfflineIMAP's metadata directory ([general] metadata, default ~/.offlineimap), for adoption and its lock. */
  offlineimapMetadata?: string;
  /** Default 1. */
  maxSyncAccounts: number;
  /** quiet | basic | syslog | ttyui | blinkenlights | machineui (old dotted names reduced). */
  ui?: string;
  /** Default true. */
  fsync: boolean;
}

export interface AccountConfig {
  name: string;
  local: RepositoryConfig;
  remote: RepositoryConfig;
  /** Minutes between syncs (may be fractional); undefined = sync once. */
  autorefresh?: number;
  /** 0 = never quick (default), -1 = always, N = N quick syncs between full ones. */
  quick?: number;
  /** Days; only messages newer than this are synced. */
  maxage?: number;
  /** maxage written as a date (YYYY-MM-DD): only messages since that day are synced. */
  maxageDate?: string;
  /** startdate (YYYY-MM-DD) of the local or remote repository: messages before that day are not synced. */
  startdate?: string;
  /** Bytes; larger messages are not synced (neither copied nor deleted). */
  maxsize?: number;
  /** Shell commands (run by a shell, like OfflineIMAP). */
  presynchook?: string;
  postsynchook?: string;
}

import type { RepositoryRules } from '../rules/rule-types.js';
import { oauth2Problems, type OAuth2Config } from '../auth/oauth-providers.js';
import { rulesProblem } from '../rules/compile-rules.js';

export type RepositoryConfig = MaildirRepositoryConfig | ImapRepositoryConfig;

/** A folderfilter / nametrans / foldersort expression as written (for messages and the GUI). */
export interface FolderRule {
  source: string;
  line: number;
}

interface RepositoryCommon {
  /** The repository section name (without "Repository "). */
  name: string;
  /** Default false. A read-only repository also never gets folders created. */
  readonly: boolean;
  /** Default true (always false when readonly). */
  createFolders: boolean;
  /** Default true: deletions made in this repository are propagated. */
  syncDeletes: boolean;
  folderfilter?: FolderRule;
  nametransSource?: string;
  nametransLine?: number;
  /** Extra folders always synced (a list of quoted names in the file). */
  folderincludes?: string[];
  foldersortSource?: FolderRule;
  /** The compiled folderfilter / nametrans / foldersort (plain data, see core/rules). */
  rules?: RepositoryRules;
  /** How rules naming pythonfile functions were read (the inlined lambda and where it came from), for --info. */
  ruleNotes?: Partial<Record<'folderfilter' | 'nametrans' | 'foldersort', string>>;
}

export interface MaildirRepositoryConfig extends RepositoryCommon {
  type: 'maildir';
  /** Expanded (~, $VAR) and absolute. */
  localfolders: string;
  /** Folder hierarchy separator on disk; default '.'. */
  sep: string;
  /** [general] fsync (default true). */
  fsync: boolean;
  /** type = GmailMaildir: read as a Maildir (Gmail labels are not synced; see option-catalog.ts). */
  gmail?: boolean;
  /** The account's maildir-windows-compatible: '!' instead of ':' before the flags (default false). */
  windowsCompatible?: boolean;
  /** filename_use_mail_timestamp (repository, or [general] default): names start with the Date: header time. */
  filenameUseMailTimestamp?: boolean;
  /** utime_from_header (repository, or [general] default): downloaded files get the Date: header as mtime. */
  utimeFromHeader?: boolean;
}

export interface ImapRepositoryConfig extends RepositoryCommon {
  type: 'imap';
  host: string;
  /** Default 993 when ssl (and always for Gmail), else 143. */
  port: number;
  user: string;
  password: PasswordSource;
  /** Implicit TLS; default true. */
  ssl: boolean;
  /** Default true (OfflineIMAP's default); only used when ssl is false. */
  starttls: boolean;
  /** CA bundle path; undefined = the system trust store (also for "OS-DEFAULT"). */
  caFile?: string;
  /** Lowercase hex without colons (SHA-1/224/256/384/512 of the certificate). */
  certFingerprints?: string[];
  /** Default 1. */
  maxConnections: number;
  /** Default true. */
  expunge: boolean;
  /** type = Gmail. */
  gmail: boolean;
  /** Folders watched with IDLE in daemon mode (remote names); undefined = INBOX, [] = none. */
  idleFolders?: string[];
  /** Sign in with OAuth2 instead of the password (core/auth); `password` is then unused. */
  oauth2?: OAuth2Config;
  /** auth_mechanisms: the SASL mechanisms allowed, in order of preference (XOAUTH2, OAUTHBEARER, PLAIN, LOGIN). */
  authMechanisms?: string[];
  /** The account's proxy (OfflineIMAP's [Account] proxy): never bypassed. */
  proxy?: ProxyConfig;
  /** [Account] authproxy (default: proxy) for OAuth2 token requests; none when written as ''. */
  authProxy?: ProxyConfig;
  /** Where the password, user, host and port come from when translated from Python, for --info. */
  origins?: Partial<Record<'password' | 'user' | 'host' | 'port', string>>;
}

/** A SOCKS or HTTP CONNECT proxy; `written` is the option as in the file (for messages). */
export interface ProxyConfig {
  type: 'socks4' | 'socks4a' | 'socks5' | 'http';
  host: string;
  port: number;
  written: string;
}

export type PasswordSource =
  | { kind: 'inline'; value: string }
  /** An environment variable of the running process (remotepasseval os.environ[...]). */
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'command'; argv: string[] }
  | { kind: 'keyring'; service: string; account: string }
  /** `file` (default ~/.netrc, /etc/netrc): an authinfo/netrc file, decrypted by gpg when it ends in .gpg. */
  | { kind: 'netrc'; host: string; user?: string; file?: string }
  | { kind: 'prompt' };

export interface ConfigProblem {
  /** Dotted path, e.g. "accounts[0].remote.port". */
  path: string;
  message: string;
}

export const UI_NAMES = ['quiet', 'basic', 'syslog', 'ttyui', 'blinkenlights', 'machineui'] as const;
const FINGERPRINT_LENGTHS = new Set([40, 56, 64, 96, 128]);

/** Checks any value against the model; returns every problem (empty = valid). */
export function validateConfig(value: unknown): ConfigProblem[] {
  const v = new Validator();
  if (!v.obj(value, '')) return v.problems;
  const cfg = value as Record<string, unknown>;
  if (cfg.configFile !== undefined) v.str(cfg.configFile, 'configFile');
  if (cfg.mbnames !== undefined && v.obj(cfg.mbnames, 'mbnames')) {
    const m = cfg.mbnames as Record<string, unknown>;
    v.absPath(m.filename, 'mbnames.filename');
    for (const k of ['header', 'peritem', 'sep', 'footer'] as const) v.str(m[k], `mbnames.${k}`);
    v.bool(m.incremental, 'mbnames.incremental');
  }
  if (v.obj(cfg.general, 'general')) {
    const g = cfg.general as Record<string, unknown>;
    v.absPath(g.metadata, 'general.metadata');
    if (g.offlineimapMetadata !== undefined) v.absPath(g.offlineimapMetadata, 'general.offlineimapMetadata');
    v.int(g.maxSyncAccounts, 'general.maxSyncAccounts', 1);
    if (g.ui !== undefined && v.str(g.ui, 'general.ui') && !(UI_NAMES as readonly string[]).includes(g.ui as string)) {
      v.add('general.ui', `must be one of ${UI_NAMES.join(', ')}`);
    }
    v.bool(g.fsync, 'general.fsync');
  }
  if (!Array.isArray(cfg.accounts)) {
    v.add('accounts', 'must be a list');
  } else {
    const names = new Set<string>();
    cfg.accounts.forEach((a, i) => {
      const p = `accounts[${i}]`;
      if (!v.obj(a, p)) return;
      const acc = a as Record<string, unknown>;
      if (v.str(acc.name, `${p}.name`, true)) {
        if (names.has(acc.name as string)) v.add(`${p}.name`, `duplicate account name '${acc.name as string}'`);
        names.add(acc.name as string);
      }
      validateRepository(v, acc.local, `${p}.local`);
      validateRepository(v, acc.remote, `${p}.remote`);
      const remote = acc.remote as Record<string, unknown> | undefined;
      if (remote && typeof remote === 'object' && remote.type === 'maildir') v.add(`${p}.remote.type`, 'the remote repository must be IMAP');
      if (acc.autorefresh !== undefined && v.num(acc.autorefresh, `${p}.autorefresh`) && !((acc.autorefresh as number) > 0)) {
        v.add(`${p}.autorefresh`, 'must be more than 0 minutes (leave it out to sync once)');
      }
      if (acc.quick !== undefined) v.int(acc.quick, `${p}.quick`, -1);
      if (acc.maxage !== undefined) v.int(acc.maxage, `${p}.maxage`, 1);
      if (acc.maxageDate !== undefined && v.str(acc.maxageDate, `${p}.maxageDate`) && !isIsoDate(acc.maxageDate as string)) {
        v.add(`${p}.maxageDate`, 'must be a date YYYY-MM-DD');
      }
      if (acc.maxage !== undefined && acc.maxageDate !== undefined) v.add(`${p}.maxage`, 'set maxage or maxageDate, not both');
      if (acc.startdate !== undefined && v.str(acc.startdate, `${p}.startdate`) && !isIsoDate(acc.startdate as string)) {
        v.add(`${p}.startdate`, 'must be a date YYYY-MM-DD');
      }
      if (acc.startdate !== undefined && (acc.maxage !== undefined || acc.maxageDate !== undefined)) v.add(`${p}.startdate`, 'cannot be combined with maxage');
      if (acc.maxsize !== undefined) v.int(acc.maxsize, `${p}.maxsize`, 1);
      const local = acc.local as Record<string, unknown> | undefined;
      if ((acc.maxage !== undefined || acc.maxageDate !== undefined) && local && typeof local === 'object' && local.type !== 'maildir') {
        v.add(`${p}.maxage`, 'works only with a Maildir local repository');
      }
      if (acc.presynchook !== undefined) v.str(acc.presynchook, `${p}.presynchook`, true);
      if (acc.postsynchook !== undefined) v.str(acc.postsynchook, `${p}.postsynchook`, true);
    });
  }
  return v.problems;
}

function validateRepository(v: Validator, value: unknown, p: string): void {
  if (!v.obj(value, p)) return;
  const r = value as Record<string, unknown>;
  v.str(r.name, `${p}.name`, true);
  v.bool(r.readonly, `${p}.readonly`);
  v.bool(r.createFolders, `${p}.createFolders`);
  v.bool(r.syncDeletes, `${p}.syncDeletes`);
  if (r.readonly === true && r.createFolders === true) v.add(`${p}.createFolders`, 'must be false when readonly is true');
  if (r.folderfilter !== undefined && v.obj(r.folderfilter, `${p}.folderfilter`)) {
    const f = r.folderfilter as Record<string, unknown>;
    v.str(f.source, `${p}.folderfilter.source`, true);
    v.int(f.line, `${p}.folderfilter.line`, 0);
  }
  if (r.nametransSource !== undefined) v.str(r.nametransSource, `${p}.nametransSource`, true);
  if (r.nametransLine !== undefined) v.int(r.nametransLine, `${p}.nametransLine`, 0);
  if (r.folderincludes !== undefined) v.strList(r.folderincludes, `${p}.folderincludes`);
  if (r.rules !== undefined) {
    const bad = rulesProblem(r.rules);
    if (bad) v.add(`${p}.rules`, bad);
  }
  if (r.type === 'maildir') {
    v.absPath(r.localfolders, `${p}.localfolders`);
    v.str(r.sep, `${p}.sep`, true);
    v.bool(r.fsync, `${p}.fsync`);
    if (r.gmail !== undefined) v.bool(r.gmail, `${p}.gmail`);
    if (r.windowsCompatible !== undefined) v.bool(r.windowsCompatible, `${p}.windowsCompatible`);
    if (r.filenameUseMailTimestamp !== undefined) v.bool(r.filenameUseMailTimestamp, `${p}.filenameUseMailTimestamp`);
    if (r.utimeFromHeader !== undefined) v.bool(r.utimeFromHeader, `${p}.utimeFromHeader`);
  } else if (r.type === 'imap') {
    v.str(r.host, `${p}.host`, true);
    if (v.int(r.port, `${p}.port`, 1) && (r.port as number) > 65535) v.add(`${p}.port`, 'must be at most 65535');
    v.str(r.user, `${p}.user`, true);
    validatePassword(v, r.password, `${p}.password`);
    v.bool(r.ssl, `${p}.ssl`);
    v.bool(r.starttls, `${p}.starttls`);
    if (r.caFile !== undefined) v.absPath(r.caFile, `${p}.caFile`);
    if (r.certFingerprints !== undefined && v.strList(r.certFingerprints, `${p}.certFingerprints`)) {
      for (const f of r.certFingerprints as string[]) {
        if (!/^[0-9a-f]+$/.test(f) || !FINGERPRINT_LENGTHS.has(f.length)) {
          v.add(`${p}.certFingerprints`, `'${f}' is not a lowercase hex SHA-1/224/256/384/512 fingerprint`);
        }
      }
    }
    v.int(r.maxConnections, `${p}.maxConnections`, 1);
    v.bool(r.expunge, `${p}.expunge`);
    v.bool(r.gmail, `${p}.gmail`);
    if (r.idleFolders !== undefined) v.strList(r.idleFolders, `${p}.idleFolders`);
    if (r.oauth2 !== undefined) for (const [k, m] of oauth2Problems(r.oauth2)) v.add(`${p}.oauth2${k}`, m);
    if (r.authMechanisms !== undefined) v.strList(r.authMechanisms, `${p}.authMechanisms`);
  } else {
    v.add(`${p}.type`, "must be 'maildir' or 'imap'");
  }
}

function validatePassword(v: Validator, value: unknown, p: string): void {
  if (!v.obj(value, p)) return;
  const s = value as Record<string, unknown>;
  switch (s.kind) {
    case 'inline': v.str(s.value, `${p}.value`); break;
    case 'env': v.str(s.name, `${p}.name`, true); break;
    case 'file': v.absPath(s.path, `${p}.path`); break;
    case 'command':
      if (v.strList(s.argv, `${p}.argv`) && ((s.argv as string[]).length === 0 || (s.argv as string[])[0] === '')) v.add(`${p}.argv`, 'must name a command');
      break;
    case 'keyring': v.str(s.service, `${p}.service`, true); v.str(s.account, `${p}.account`, true); break;
    case 'netrc': v.str(s.host, `${p}.host`, true); if (s.user !== undefined) v.str(s.user, `${p}.user`, true); if (s.file !== undefined) v.absPath(s.file, `${p}.file`); break;
    case 'prompt': break;
    default: v.add(`${p}.kind`, 'must be inline, env, file, command, keyring, netrc or prompt');
  }
}

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

class Validator {
  readonly problems: ConfigProblem[] = [];
  add(path: string, message: string): void { this.problems.push({ path: path || '(root)', message }); }
  obj(x: unknown, p: string): boolean {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) return true;
    this.add(p, 'must be an object');
    return false;
  }
  str(x: unknown, p: string, nonEmpty = false): boolean {
    if (typeof x !== 'string') { this.add(p, 'must be a string'); return false; }
    if (nonEmpty && x === '') { this.add(p, 'must not be empty'); return false; }
    return true;
  }
  bool(x: unknown, p: string): boolean {
    if (typeof x === 'boolean') return true;
    this.add(p, 'must be true or false');
    return false;
  }
  num(x: unknown, p: string): boolean {
    if (typeof x === 'number' && Number.isFinite(x)) return true;
    this.add(p, 'must be a number');
    return false;
  }
  int(x: unknown, p: string, min: number): boolean {
    if (typeof x !== 'number' || !Number.isInteger(x)) { this.add(p, 'must be a whole number'); return false; }
    if (x < min) { this.add(p, `must be at least ${min}`); return false; }
    return true;
  }
  strList(x: unknown, p: string): boolean {
    if (Array.isArray(x) && x.every((s) => typeof s === 'string')) return true;
    this.add(p, 'must be a list of strings');
    return false;
  }
  absPath(x: unknown, p: string): boolean {
    if (!this.str(x, p, true)) return false;
    if ((x as string).startsWith('/') || /^[A-Za-z]:[\\/]/.test(x as string)) return true;
    this.add(p, 'must be an absolute path');
    return false;
  }
}
