// Turns what the wizard and the rules editor send (AccountDraft, RuleSources) into the
// configuration model, and a saved account back into an AccountSummary: rule text compiled
// with core/rules (refused when it does not compile), folderincludes read as a list literal,
// the password referenced in the keyring by the account name, never stored. Dependency-free
// (the desktop main process imports it); it never touches the disk, the network or a secret.

import type { AccountDraft, AccountSummary, RuleSources } from '../contract/bridge-contract.js';
import type { AccountConfig, ImapRepositoryConfig, MaildirRepositoryConfig, RepositoryConfig } from '../config/model.js';
import { compileRules } from '../rules/compile-rules.js';
import { parsePython, ParseError } from '../rules/py-parser.js';

/** The keyring service under which the desktop app keeps account passwords. */
export const KEYRING_SERVICE = 'Satchel';

export class DraftError extends Error {
  override name = 'DraftError';
}

/** folderincludes as written (['a', "b"]) → the names; throws DraftError naming the problem. */
export function parseIncludes(text: string): string[] {
  let node;
  try {
    node = parsePython(text.trim());
  } catch (e) {
    throw new DraftError(`folderincludes: ${e instanceof ParseError ? e.message : String(e)}. Write a list of quoted folder names, e.g. ['INBOX', 'Sent'].`);
  }
  if (node.k !== 'list' || !node.items.every((i) => i.k === 'str')) {
    throw new DraftError("folderincludes must be a list of quoted folder names, e.g. ['INBOX', 'Sent'].");
  }
  return node.items.map((i) => (i as { v: string }).v);
}

/** The repository with these rule texts compiled and recorded (an empty text removes the rule). */
export function withRules<R extends RepositoryConfig>(repo: R, src: RuleSources): R {
  const text = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
  const folderfilter = text(src.folderfilter), nametrans = text(src.nametrans), includes = text(src.folderincludes);
  const { rules, problems } = compileRules({ folderfilter, nametrans, foldersort: repo.foldersortSource?.source });
  if (problems.length) throw new DraftError(problems.map((p) => p.message).join(' '));
  const out: R = { ...repo };
  delete out.folderfilter; delete out.nametransSource; delete out.nametransLine; delete out.folderincludes; delete out.rules;
  if (folderfilter) out.folderfilter = { source: folderfilter, line: 0 };
  if (nametrans) out.nametransSource = nametrans;
  if (includes) out.folderincludes = parseIncludes(includes);
  if (Object.keys(rules).length) out.rules = rules;
  return out;
}

/** The rule texts of a repository, as the editor shows them. */
export function ruleSourcesOf(repo: RepositoryConfig): RuleSources {
  return {
    ...(repo.folderfilter ? { folderfilter: repo.folderfilter.source } : {}),
    ...(repo.nametransSource ? { nametrans: repo.nametransSource } : {}),
    ...(repo.folderincludes ? { folderincludes: `[${repo.folderincludes.map((f) => `'${f.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]` } : {}),
  };
}

/**
 * The account for a draft. `previous` (the saved account of that name) keeps its schedule and
 * other options; the local folder layout of a new account is `localSeparator`.
 */
export function accountFromDraft(d: AccountDraft, opts: { localSeparator: '.' | '/'; previous?: AccountConfig }): AccountConfig {
  if (!d.localfolders.startsWith('/')) throw new DraftError(`The local folder "${d.localfolders}" must be an absolute path.`);
  const prev = opts.previous;
  const prevLocal = prev?.local.type === 'maildir' ? prev.local : undefined;
  const prevRemote = prev?.remote.type === 'imap' ? prev.remote : undefined;
  const local: MaildirRepositoryConfig = {
    name: prevLocal?.name ?? `${d.name}-local`, type: 'maildir', readonly: false, createFolders: true, syncDeletes: true,
    sep: prevLocal?.sep ?? opts.localSeparator, fsync: prevLocal?.fsync ?? true, ...prevLocal, localfolders: d.localfolders,
  };
  let remote: ImapRepositoryConfig = {
    name: `${d.name}-remote`, readonly: false, createFolders: true, syncDeletes: true, maxConnections: 1, expunge: true,
    gmail: d.server.host === 'imap.gmail.com', ...prevRemote, type: 'imap',
    host: d.server.host, port: d.server.port, user: d.server.user, ssl: d.server.security === 'tls', starttls: d.server.security === 'starttls',
    password: { kind: 'keyring', service: KEYRING_SERVICE, account: d.name },
  };
  delete remote.certFingerprints;
  if (d.certFingerprint) remote.certFingerprints = [d.certFingerprint];
  if (d.rules) remote = withRules(remote, d.rules);
  return { ...prev, name: d.name, local, remote };
}

/** The first SHA-256 pin (the form the wizard trusts and the bridge accepts back), if any. */
export function sha256Pin(pins: string[] | undefined): string | undefined {
  return pins?.find((f) => /^[0-9a-f]{64}$/.test(f));
}

export function summaryOf(a: AccountConfig): AccountSummary {
  const r = a.remote.type === 'imap' ? a.remote : a.local.type === 'imap' ? a.local : undefined;
  const local = a.local.type === 'maildir' ? a.local : undefined;
  const rules = r ? ruleSourcesOf(r) : {};
  const pin = sha256Pin(r?.certFingerprints);
  return {
    name: a.name,
    ...(r?.user.includes('@') ? { email: r.user } : {}),
    ...(r ? { server: { host: r.host, port: r.port, security: r.ssl ? 'tls' : 'starttls', user: r.user } } : {}),
    ...(pin ? { certFingerprint: pin } : {}),
    ...(local ? { localfolders: local.localfolders } : {}),
    ...(local && (local.sep === '.' || local.sep === '/') ? { localSeparator: local.sep } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
  };
}
