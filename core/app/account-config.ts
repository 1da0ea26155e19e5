// The app service's use of the one draft → configuration mapping (core/accounts/account-draft.ts):
// a `~` local folder expanded against the user's home, the preferences' schedule and IDLE choice
// applied, rule errors turned into SyncErrors the bridge reports with a code, and the address the
// user typed kept in the summary. Pure: no I/O.

import path from 'node:path';
import type { AccountConfig } from '../config/model.js';
import { SyncError } from '../errors.js';
import { accountFromDraft as mapDraft, DraftError, summaryOf as summaryFromConfig, withRules } from '../accounts/account-draft.js';
import type { AccountDraft, AccountSummary, Preferences, RuleSources } from '../contract/bridge-contract.js';

const draftError = (e: unknown, code: string, account?: string): unknown =>
  e instanceof DraftError ? new SyncError(code, e.message, { scope: 'account', retry: 'needs-user', ...(account ? { account } : {}) }) : e;

/** The account for a draft; `previous` (the saved account of that name) keeps its folder layout and other options. */
export function accountFromDraft(draft: AccountDraft, prefs: Preferences, home: string, previous?: AccountConfig): AccountConfig {
  const expanded = draft.localfolders === '~' || draft.localfolders.startsWith('~/') ? path.join(home, draft.localfolders.slice(1)) : draft.localfolders;
  if (!path.isAbsolute(expanded)) {
    throw new SyncError('bad-local-folder', `The local folder "${draft.localfolders}" must be an absolute path (or start with ~/).`, { scope: 'account', retry: 'needs-user' });
  }
  let account: AccountConfig;
  try {
    account = mapDraft({ ...draft, localfolders: path.resolve(expanded) }, { localSeparator: prefs.localSeparator, previous });
  } catch (e) {
    throw draftError(e, 'bad-rules', draft.name);
  }
  applyPreferences(account, prefs);
  return account;
}

/**
 * The preferences' schedule on an account (in place): autorefresh every syncEveryMinutes (none
 * when 0: only on demand), and IDLE on INBOX only while there is a schedule and idle is on.
 */
export function applyPreferences(account: AccountConfig, prefs: Pick<Preferences, 'syncEveryMinutes' | 'idle'>): void {
  delete account.autorefresh;
  if (prefs.syncEveryMinutes > 0) account.autorefresh = prefs.syncEveryMinutes;
  if (account.remote.type === 'imap') {
    delete account.remote.idleFolders;
    if (!prefs.idle || prefs.syncEveryMinutes <= 0) account.remote.idleFolders = [];
  }
}

/** Sets (or clears) the remote side's folderfilter, nametrans and folderincludes; throws a SyncError naming the rule that does not compile. */
export function applyRules(account: AccountConfig, rules: RuleSources): void {
  try {
    account.remote = withRules(account.remote, rules);
  } catch (e) {
    throw draftError(e, 'bad-rules', account.name);
  }
}

/** The account as listAccounts shows it, with the address the user typed when there is one. */
export function summaryOf(account: AccountConfig, email?: string): AccountSummary {
  const s = summaryFromConfig(account);
  if (email) s.email = email;
  const o = account.remote.type === 'imap' ? account.remote.oauth2 : undefined;
  if (o) {
    s.signIn = { provider: o.provider, ...(o.clientId ? { clientId: o.clientId } : {}),
      ...(o.authorizationUrl && o.tokenUrl ? { server: { authorizationUrl: o.authorizationUrl, tokenUrl: o.tokenUrl, scope: o.scope ?? '', ...(o.deviceUrl ? { deviceUrl: o.deviceUrl } : {}) } } : {}) };
  }
  return s;
}
