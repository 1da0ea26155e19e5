// Loads an OfflineIMAP configuration file (~/.offlineimaprc) into the Satchel model: -k overrides,
// [general], the accounts listed in [general] accounts (or opts.accounts, like -a) and their
// repositories, then warns about every option it does not honour. State directory: when
// [general] metadata is set it is used as is (expanded); otherwise $XDG_STATE_HOME/satchel
// (default ~/.local/state/satchel), never ~/.offlineimap. Nothing from the file is ever evaluated.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, formatIssue, type ConfigWarning } from './config-error.js';
import { getSection, hasSection, isSecretOption, parseIni, setEntry } from './ini.js';
import { validateConfig, UI_NAMES, type AccountConfig, type GeneralConfig, type RepositoryConfig, type SatchelConfig } from './model.js';
import { defaultNetrcFiles } from './netrc.js';
import { warnAboutOptions } from './option-check.js';
import { readMbnames } from './mbnames-reader.js';
import { OptionReader } from './option-reader.js';
import { readRepository } from './repository-reader.js';
import { readProxy } from './proxy-option.js';
import { closest, defaultStateDir, expandUser, parseCommaList, parseInteger } from './values.js';

export interface LoadOptions {
  /** -k [section:]option=value, applied after reading, in order ('_' in the section means ' '). */
  overrides?: string[];
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Base of relative paths (default: the current directory, like OfflineIMAP). */
  cwd?: string;
  /** Replaces [general] accounts, like -a: any defined [Account X] can be chosen. */
  accounts?: string[];
  /** Where to look for netrc entries (default ~/.netrc, /etc/netrc). */
  netrcFiles?: string[];
}

export interface LoadResult {
  config: SatchelConfig;
  warnings: ConfigWarning[];
  /** Accounts that cannot run as written (an option Satchel cannot translate): one line each; the others run. */
  accountErrors: AccountLoadError[];
}

export interface AccountLoadError {
  account: string;
  /** The section and option that could not be translated. */
  section: string;
  option: string;
  message: string;
}

/** OfflineIMAP's lookup: $XDG_CONFIG_HOME/offlineimap/config if it exists, else ~/.offlineimaprc. */
export function findDefaultConfigPath(env: NodeJS.ProcessEnv = process.env, home?: string): string {
  const h = home || env.HOME || os.homedir();
  const xdg = env.XDG_CONFIG_HOME || path.join(h, '.config');
  const candidate = path.join(xdg, 'offlineimap', 'config');
  return fs.existsSync(candidate) ? candidate : path.join(h, '.offlineimaprc');
}

export function loadOfflineImapConfig(file: string, opts: LoadOptions = {}): LoadResult {
  const env = opts.env ?? process.env;
  const home = opts.home || env.HOME || os.homedir();
  const cwd = opts.cwd ?? process.cwd();
  const expanded = expandUser(file, home);
  const absolute = path.resolve(cwd, expanded.ok ? expanded.value : file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new ConfigError([{ file, message: `the configuration file ${why}. Create it, or pass another one with -c FILE.` }], e);
  }
  const r = new OptionReader(parseIni(text, file), { home, env, cwd });
  applyOverrides(r, opts.overrides ?? []);

  const general = readGeneral(r);
  const accounts: AccountConfig[] = [];
  const accountErrors: AccountLoadError[] = [];
  for (const name of accountNames(r, opts.accounts)) {
    const before = r.accountIssues.length;
    const a = readAccount(r, name, general.fsync, opts.netrcFiles ?? defaultNetrcFiles(home));
    const stopped = r.accountIssues.slice(before);
    if (stopped.length) {
      for (const i of stopped) accountErrors.push({ account: name, section: i.section, option: i.option, message: `${formatIssue(i)} Account '${name}' is not synced; the other accounts are.` });
    } else if (a) accounts.push(a);
  }
  warnAboutSharing(r, accounts);
  const mbnames = readMbnames(r);
  warnAboutOptions(r);
  if (r.issues.length) {
    const seen = new Set<string>();
    throw new ConfigError(r.issues.filter((i) => !seen.has(i.message + i.line) && seen.add(i.message + i.line)));
  }

  const config: SatchelConfig = { general, accounts, configFile: absolute, ...(mbnames ? { mbnames } : {}) };
  const problems = validateConfig(config);
  if (problems.length) throw new ConfigError(problems.map((p) => ({ file, message: `${p.path} ${p.message}.` })));
  // A repository shared by two accounts is read twice: report each warning once.
  const warnings = r.warnings.filter((w, i) => r.warnings.findIndex((o) => o.message === w.message) === i);
  return { config, warnings, accountErrors };
}

function applyOverrides(r: OptionReader, overrides: string[]): void {
  for (const arg of overrides) {
    const eq = arg.indexOf('=');
    const head = eq < 0 ? arg : arg.slice(0, eq);
    const colon = head.indexOf(':');
    const rawSection = colon < 0 ? 'general' : head.slice(0, colon);
    const key = (colon < 0 ? head : head.slice(colon + 1)).trim().toLowerCase();
    const origin = `-k ${isSecretOption(key) ? `${head}=(hidden)` : arg}`;
    if (eq < 0 || key === '') {
      r.issues.push({ file: r.doc.file, origin, message: 'expected [SECTION:]OPTION=VALUE, e.g. -k Account_Personal:autorefresh=30.' });
      continue;
    }
    const wanted = rawSection.replace(/_/g, ' ');
    const candidates = hasSection(r.doc, wanted) ? [wanted]
      : [...new Set([`Repository ${wanted}`, `Account ${wanted}`, `Repository ${rawSection}`, `Account ${rawSection}`])].filter((s) => hasSection(r.doc, s));
    if (candidates.length !== 1) {
      const problem = candidates.length ? `[${wanted}] is ambiguous (${candidates.map((c) => `[${c}]`).join(', ')}); write the full name, e.g. ${candidates[0]!.replace(/ /g, '_')}:${key}=...`
        : `there is no [${wanted}] section. Sections: ${[...r.doc.sections.keys()].map((s) => `[${s}]`).join(', ') || 'none'}.`;
      r.issues.push({ file: r.doc.file, origin, message: problem });
      continue;
    }
    setEntry(r.doc, candidates[0]!, key, arg.slice(eq + 1).trim(), origin);
  }
}

function readGeneral(r: OptionReader): GeneralConfig {
  if (!r.doc.sections.has('general')) {
    r.issues.push({ file: r.doc.file, message: 'there is no [general] section. Add one with "accounts = NAME" naming an [Account NAME] section.' });
  }
  const explicit = r.nonEmpty('general', 'metadata') !== undefined ? r.path('general', 'metadata') : undefined;
  const general: GeneralConfig = {
    metadata: explicit ?? defaultStateDir(r.ctx.env, r.ctx.home),
    offlineimapMetadata: explicit ?? path.join(r.ctx.home, '.offlineimap'),
    maxSyncAccounts: r.int('general', 'maxsyncaccounts', { min: 1 }) ?? 1,
    fsync: r.bool('general', 'fsync', true),
  };
  const ui = r.nonEmpty('general', 'ui')?.trim();
  if (ui !== undefined) {
    const name = ui.split('.').pop()!.toLowerCase();
    const entry = r.entry('general', 'ui');
    if (!(UI_NAMES as readonly string[]).includes(name)) {
      r.warn('general', 'ui', entry, `ui = '${ui}' is not a known interface and is ignored. Use one of: ${UI_NAMES.join(', ')}.`);
    } else {
      if (name !== ui) r.warn('general', 'ui', entry, `ui = '${ui}' is an old interface name; it is read as '${name}'.`);
      general.ui = name;
    }
  }
  return general;
}

function accountNames(r: OptionReader, selected: string[] | undefined): string[] {
  const listed = r.str('general', 'accounts');
  const defined = [...r.doc.sections.keys()].filter((s) => s.startsWith('Account ')).map((s) => s.slice('Account '.length));
  if (listed === undefined && !selected) {
    if (r.doc.sections.has('general')) r.problem('general', undefined, `[general] has no 'accounts' option. Add "accounts = NAME" listing the [Account NAME] sections to sync, separated by commas.`);
    return [];
  }
  const fromFile = listed === undefined ? [] : parseCommaList(listed);
  if (listed !== undefined && fromFile.length === 0 && !selected) {
    r.problem('general', 'accounts', '[general] accounts is empty. List the [Account NAME] sections to sync, e.g. "accounts = personal, work".');
  }
  const names: string[] = [];
  for (const n of selected ?? fromFile) {
    if (names.includes(n)) {
      if (!selected) r.warn('general', 'accounts', r.entry('general', 'accounts'), `account '${n}' is listed twice in accounts; it is synced once.`);
    } else names.push(n);
  }
  for (const d of defined) {
    if (!fromFile.includes(d) && !selected) {
      r.warn(`Account ${d}`, '', undefined, `is not listed in [general] accounts, so it is not synced. Add '${d}' to accounts (or select it with -a) to sync it.`);
    }
  }
  return names.filter((n) => {
    if (defined.includes(n)) return true;
    const hint = closest(n, defined);
    const where = selected ? { file: r.doc.file, origin: '-a' } : undefined;
    const message = `account '${n}' is ${selected ? 'selected' : 'listed in accounts'} but there is no [Account ${n}] section. ${selected ? 'Choose' : 'Add the section, or remove it from accounts; the defined accounts are'} ${defined.join(', ') || 'none'}${hint ? ` (did you mean '${hint}'?)` : ''}.`;
    if (where) r.issues.push({ ...where, message });
    else r.problem('general', 'accounts', message);
    return false;
  });
}

function readAccount(r: OptionReader, name: string, fsync: boolean, netrcFiles: string[]): AccountConfig | undefined {
  const s = `Account ${name}`;
  const repos: Partial<Record<'local' | 'remote', RepositoryConfig>> = {};
  for (const role of ['local', 'remote'] as const) {
    const key = `${role}repository`;
    const repo = r.nonEmpty(s, key)?.trim();
    if (repo === undefined) {
      const hint = role === 'local' ? 'usually of type Maildir' : 'of type IMAP or Gmail';
      r.problem(s, key, `[${s}] has no '${key}'. Add "${key} = NAME" naming a [Repository NAME] section (${hint}).`);
    } else if (!hasSection(r.doc, `Repository ${repo}`)) {
      const hint = closest(repo, [...r.doc.sections.keys()].filter((x) => x.startsWith('Repository ')).map((x) => x.slice(11)));
      r.problem(s, key, `[${s}] ${key} = ${repo}, but there is no [Repository ${repo}] section. Add that section or fix the name${hint ? ` (did you mean '${hint}'?)` : ''}.`);
    } else {
      const rc = readRepository(r, repo, { role, account: name, fsync, netrcFiles });
      if (rc) repos[role] = rc;
    }
  }
  const account: Partial<AccountConfig> = {
    name,
    quick: Math.max(-1, r.int(s, 'quick') ?? 0),
  };
  const autorefresh = r.number(s, 'autorefresh', { min: 0 });
  if (autorefresh) account.autorefresh = autorefresh;
  readMaxage(r, s, account);
  const maxsize = r.int(s, 'maxsize', { min: 1 });
  if (maxsize !== undefined) account.maxsize = maxsize;
  for (const hook of ['presynchook', 'postsynchook'] as const) {
    const v = r.nonEmpty(s, hook);
    if (v !== undefined) account[hook] = v;
  }
  // OfflineIMAP's IMAPServer takes the account's proxy for every IMAP repository of the account.
  const proxy = readProxy(r, s, 'proxy');
  const authProxy = readProxy(r, s, 'authproxy');
  if (proxy === false || authProxy === false) return undefined;
  for (const repo of [repos.local, repos.remote]) {
    if (repo?.type !== 'imap') continue;
    if (proxy) repo.proxy = proxy;
    const auth = authProxy === undefined ? proxy : authProxy;
    if (auth) repo.authProxy = auth;
  }
  if (!repos.local || !repos.remote) return undefined;
  if (!readStartdate(r, s, repos.local.name, repos.remote.name, account)) return undefined;
  if (r.bool(s, 'maildir-windows-compatible', false) && repos.local.type === 'maildir') repos.local.windowsCompatible = true;
  if ((account.maxage !== undefined || account.maxageDate !== undefined) && repos.local.type !== 'maildir') {
    r.problem(s, 'maxage', `[${s}] maxage works only when the localrepository is a Maildir (here it is IMAP). Remove maxage.`);
    return undefined;
  }
  return { ...account, local: repos.local, remote: repos.remote } as AccountConfig;
}

function readMaxage(r: OptionReader, s: string, account: Partial<AccountConfig>): void {
  const raw = r.nonEmpty(s, 'maxage')?.trim();
  if (raw === undefined) return;
  const days = parseInteger(raw);
  if (days.ok) {
    if (days.value >= 1) account.maxage = days.value;
    else r.problem(s, 'maxage', `[${s}] maxage = ${raw} must be at least 1 day. Remove it to sync all messages.`);
    return;
  }
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const date = m ? new Date(+m[1]!, +m[2]! - 1, +m[3]!) : undefined;
  if (!m || !date || date.getMonth() !== +m[2]! - 1 || date.getDate() !== +m[3]! || +m[1]! < 1900) {
    r.problem(s, 'maxage', `[${s}] maxage = '${raw}' is neither a number of days nor a date YYYY-MM-DD.`);
  } else if (date.getTime() > Date.now()) {
    r.problem(s, 'maxage', `[${s}] maxage = ${raw} is in the future. Use a past date, or a number of days.`);
  } else {
    account.maxageDate = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  }
}

/** startdate of the local or the remote repository (one of them); false when it is invalid. */
function readStartdate(r: OptionReader, s: string, local: string, remote: string, account: Partial<AccountConfig>): boolean {
  const set = [local, remote].map((n) => `Repository ${n}`).filter((sec) => r.nonEmpty(sec, 'startdate') !== undefined);
  if (!set.length) return true;
  if (set.length > 1) {
    r.problem(set[1]!, 'startdate', `[${set[1]}] startdate is set on both repositories of account '${account.name}'. Keep it on one of them.`);
    return false;
  }
  const sec = set[0]!;
  const raw = r.nonEmpty(sec, 'startdate')!.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const date = m ? new Date(+m[1]!, +m[2]! - 1, +m[3]!) : undefined;
  if (!m || !date || date.getMonth() !== +m[2]! - 1 || date.getDate() !== +m[3]!) {
    r.problem(sec, 'startdate', `[${sec}] startdate = '${raw}' is not a date YYYY-MM-DD (e.g. 2024-01-31).`);
    return false;
  }
  if (account.maxage !== undefined || account.maxageDate !== undefined) {
    r.problem(sec, 'startdate', `[${sec}] startdate cannot be combined with maxage on [${s}]. Remove one of them.`);
    return false;
  }
  account.startdate = raw;
  return true;
}

function warnAboutSharing(r: OptionReader, accounts: AccountConfig[]): void {
  const seenRepo = new Map<string, string>();
  const seenDir = new Map<string, string>();
  for (const a of accounts) {
    for (const repo of [a.local, a.remote]) {
      const other = seenRepo.get(repo.name);
      if (other !== undefined && other !== a.name) {
        r.warn(`Repository ${repo.name}`, '', undefined, `is used by accounts '${other}' and '${a.name}'. Give each account its own repositories, or their folder state gets mixed up.`);
      }
      seenRepo.set(repo.name, a.name);
    }
    if (a.local.type === 'maildir') {
      const other = seenDir.get(a.local.localfolders);
      if (other !== undefined && other !== a.name) {
        r.warn(`Repository ${a.local.name}`, 'localfolders', getSection(r.doc, `Repository ${a.local.name}`)?.entries.get('localfolders'), `localfolders ${a.local.localfolders} is also used by account '${other}'. Give each account its own Maildir root, or messages get uploaded to the wrong server.`);
      }
      seenDir.set(a.local.localfolders, a.name);
    }
  }
}
