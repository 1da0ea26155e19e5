// The report of an ~/.offlineimaprc import: every option of the file with whether Satchel
// honours it, ignores it (with the reason) or does not know it, plus the accounts it defines.
// It reads the file with the config loader (so the verdicts are the loader's own warnings) and
// the option catalogue; a file the loader rejects becomes `error`, with the options still listed.
// A file that is obviously not an OfflineIMAP configuration (not a small regular file, not INI,
// or no [general]/[Account …]/[Repository …] section) is refused with a reason and nothing of it.
// It never shows an option's value (passwords) or a line of the file, never evaluates anything
// and never writes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportedOption, ImportReport } from '../contract/bridge-contract.js';
import { isConfigError, type ConfigWarning } from '../config/config-error.js';
import { parseIni, type IniDocument } from '../config/ini.js';
import { findDefaultConfigPath, loadOfflineImapConfig } from '../config/offlineimaprc.js';
import { classifyDefaultOption, classifyOption, type OptionClass, type SectionKind } from '../config/option-catalog.js';
import { canonicalType } from '../config/repository-reader.js';
import { expandHome } from './local-folder-check.js';

export interface ImportOptions { env?: NodeJS.ProcessEnv; home?: string }

/** Larger than any real ~/.offlineimaprc by far. */
const MAX_CONFIG_BYTES = 1 << 20;

/** The file's text, or why it is not even a candidate (no content in the reason). */
function readCandidate(file: string): { text: string } | { error: string } {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${file} does not exist.` : `${file} could not be read (${code ?? 'error'}).` };
  }
  if (!st.isFile()) return { error: `${file} is not a regular file, so it is not an OfflineIMAP configuration.` };
  if (st.size > MAX_CONFIG_BYTES) return { error: `${file} is too large to be an OfflineIMAP configuration.` };
  try {
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: `${file} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
}

/** OfflineIMAP reads [general], [Account NAME] and [Repository NAME]; a file with none of them is something else. */
function looksLikeOfflineImap(doc: IniDocument): boolean {
  return [...doc.sections.keys()].some((s) => s === 'general' || /^(Account|Repository) \S/.test(s));
}

export function importOfflineImap(file?: string, opts: ImportOptions = {}): ImportReport {
  const env = opts.env ?? process.env;
  const home = opts.home ?? env.HOME ?? os.homedir();
  const target = path.resolve(file ? expandHome(file, home) : findDefaultConfigPath(env, home));
  const refuse = (why: string): ImportReport => ({ file: target, accounts: [], options: [], error: why });
  const candidate = readCandidate(target);
  if ('error' in candidate) return refuse(candidate.error);
  let doc: IniDocument;
  try {
    doc = parseIni(candidate.text, target);
  } catch (e) {
    // The parser's messages name lines and what was expected, never their text.
    return refuse(isConfigError(e) ? e.message : 'The file could not be read as a configuration.');
  }
  if (!looksLikeOfflineImap(doc)) {
    return refuse(`${target} does not look like an OfflineIMAP configuration (it has no [general], [Account …] or [Repository …] section); nothing was read from it.`);
  }
  let warnings: ConfigWarning[] = [];
  let accounts: string[] = [];
  let error: string | undefined;
  // Options Satchel translated (from Python) say how; options it could not translate say why.
  const verdicts = new Map<string, { status: ImportedOption['status']; note: string }>();
  try {
    const r = loadOfflineImapConfig(target, { env, home, cwd: path.dirname(target), netrcFiles: [] });
    warnings = r.warnings;
    accounts = [...r.config.accounts.map((a) => a.name), ...new Set(r.accountErrors.map((a) => a.account))];
    for (const a of r.config.accounts) {
      for (const repo of [a.local, a.remote]) {
        const s = `Repository ${repo.name}`;
        if (repo.type === 'imap') {
          for (const [field, option] of [['password', 'remotepasseval'], ['user', 'remoteusereval'], ['host', 'remotehosteval'], ['port', 'remoteporteval']] as const) {
            const o = repo.origins?.[field];
            if (o) verdicts.set(`${s}\0${option}`, { status: 'honoured', note: `translated: ${o}` });
          }
          if (repo.proxy) verdicts.set(`Account ${a.name}\0proxy`, { status: 'honoured', note: `connections go through the ${repo.proxy.type.toUpperCase()} proxy ${repo.proxy.host}:${repo.proxy.port}, never directly` });
        }
        for (const [key, note] of Object.entries(repo.ruleNotes ?? {})) verdicts.set(`${s}\0${key}`, { status: 'honoured', note: `translated: ${note}` });
      }
    }
    for (const e of r.accountErrors) verdicts.set(`${e.section}\0${e.option}`, { status: 'not-honoured', note: e.message.replace(/^.*?: \[[^\]]*\] /, '') });
  } catch (e) {
    error = isConfigError(e) ? e.message : `The file could not be read: ${(e as Error).message}`;
  }
  if (error && !accounts.length) accounts = [...doc.sections.keys()].filter((s) => s.startsWith('Account ')).map((s) => s.slice(8));

  const warned = new Map<string, string>();
  for (const w of warnings) {
    const k = `${w.section}\0${w.option}`;
    const note = w.message.replace(/^.*?: \[[^\]]*\] /, '');
    warned.set(k, warned.has(k) ? `${warned.get(k)} ${note}` : note);
  }
  const options: ImportedOption[] = [];
  const add = (section: string, key: string, line: number, c: OptionClass | undefined) => {
    const verdict = verdicts.get(`${section}\0${key}`);
    if (verdict) { options.push({ section, option: key, ...(line ? { line } : {}), ...verdict }); return; }
    const note = warned.get(`${section}\0${key}`) ?? warned.get(`${section}\0`);
    const status: ImportedOption['status'] = c?.status === 'unknown' || (!c && note) ? 'unknown'
      : c?.status === 'honoured' && !note ? 'honoured' : 'not-honoured';
    const why = note ?? (!c ? 'the section is never used: its repository type is missing or unknown' : c.status === 'not-honoured' ? c.reason : c.status === 'elsewhere' ? `it belongs in ${c.where}` : undefined);
    options.push({ section, option: key, ...(line ? { line } : {}), status, ...(why && status !== 'honoured' ? { note: why } : {}) });
  };
  for (const e of doc.defaults.entries.values()) add('DEFAULT', e.key, e.line, classifyDefaultOption(e.key));
  for (const [name, section] of doc.sections) {
    const kind = sectionKind(doc, name);
    for (const e of section.entries.values()) add(name, e.key, e.line, kind ? classifyOption(kind, e.key) : undefined);
  }
  return { file: target, accounts, options, ...(error ? { error } : {}) };
}

function sectionKind(doc: IniDocument, name: string): SectionKind | undefined {
  if (name === 'general') return 'general';
  if (name === 'mbnames') return 'mbnames';
  if (name.startsWith('Account ')) return 'account';
  if (name.startsWith('Repository ')) {
    const type = canonicalType(doc.sections.get(name)?.entries.get('type')?.raw ?? doc.defaults.entries.get('type')?.raw);
    if (!type) return undefined;
    return type === 'Maildir' || type === 'GmailMaildir' ? 'maildir' : 'imap';
  }
  return undefined;
}
