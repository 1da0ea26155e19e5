// The account wizard's state and rules, without React: the steps and when each may be left,
// the account name and local folder suggested from the address, field checks with messages a
// person understands, the plain-words title of each connection failure, and the AccountDraft
// that is finally saved. Pure: no DOM, no bridge calls; the password is only carried, never shown.

import { RULE_PRESETS } from '../rules/rules-model.js';
import type {
  AccountDraft, AccountSummary, ConnectionFailure, DiscoveryResult, RuleSources, Security, ServerSettings, SignInSettings, TestResult,
} from '../../../core/contract/bridge-contract.js';

export const STEPS = ['address', 'server', 'folders', 'local', 'review'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_TITLES: Record<Step, string> = {
  address: 'Your address',
  server: 'Server and password',
  folders: 'Folders',
  local: 'Local folder',
  review: 'Review',
};

export interface WizardState {
  step: Step;
  email: string;
  name: string;
  server: ServerSettings;
  password: string;
  /** Log in with a password (or app password), or sign in with OAuth2. */
  auth: 'password' | 'oauth';
  /** The OAuth2 provider and, where needed, the user's own client ID or another server's endpoints. */
  oauth: SignInSettings;
  /** The sign-in under way or finished (its tokens stay in the backend). */
  signIn?: { id: string; done: boolean; url?: string; device?: { uri: string; code: string } };
  certFingerprint?: string;
  discovery?: DiscoveryResult;
  /** The last "Test connection" result for the current server settings and password. */
  test?: TestResult;
  rules: RuleSources;
  localfolders: string;
  localOk?: boolean;
  /** What the last check of the local folder said. */
  localMessage?: string;
}

export function initialState(): WizardState {
  return {
    step: 'address', email: '', name: '', password: '', rules: {}, localfolders: '', auth: 'password', oauth: { provider: 'custom' },
    server: { host: '', port: 993, security: 'tls', user: '' },
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | undefined {
  const e = email.trim();
  if (!e) return 'Type your e-mail address.';
  if (!EMAIL.test(e)) return 'That does not look like an e-mail address (name@example.org).';
  return undefined;
}

/** A name of letters, digits, - and _ from the address (work-example), unique among `taken`. */
export function suggestAccountName(email: string, taken: readonly string[]): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  const first = domain.split('.')[0] ?? '';
  const base = [local, first].map((s) => s.replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')).filter(Boolean).join('-').slice(0, 48).replace(/-+$/, '') || 'mail';
  let name = base;
  for (let n = 2; taken.includes(name); n++) name = `${base}-${n}`;
  return name;
}

export function accountNameProblem(name: string, taken: readonly string[]): string | undefined {
  if (!name) return 'Give the account a name.';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) return 'Use only letters, digits, - and _ (at most 64).';
  if (taken.includes(name)) return `There is already an account named "${name}".`;
  return undefined;
}

export const defaultLocalFolder = (name: string) => `~/Mail/${name}`;

export const DEFAULT_PORTS: Record<Security, number> = { tls: 993, starttls: 143 };

/** Per field, what is wrong with the server settings (empty when they can be tested). */
export function serverProblems(s: ServerSettings, password: string | undefined): Partial<Record<keyof ServerSettings | 'password', string>> {
  const p: Partial<Record<keyof ServerSettings | 'password', string>> = {};
  if (!s.host.trim()) p.host = 'Type the IMAP server name, e.g. imap.example.org.';
  else if (/[\s/:]/.test(s.host.trim())) p.host = 'A server name has no spaces, slashes or colons (put the port in its own field).';
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) p.port = 'A port is a number from 1 to 65535 (TLS: 993, STARTTLS: 143).';
  if (!s.user.trim()) p.user = 'Type your user name (usually your address).';
  // undefined: the account signs in with OAuth2 and needs no password.
  if (password === '') p.password = 'Type your password.';
  return p;
}

/** Plain-words titles for each failure kind; the message and fix come from the backend. */
export const FAILURE_TITLES: Record<ConnectionFailure, string> = {
  'auth-failed': 'Wrong user name or password',
  'host-not-found': 'Server not found',
  'connection-refused': 'Port closed',
  'tls-untrusted': 'Certificate not trusted',
  'starttls-missing': 'STARTTLS missing',
  timeout: 'No answer (timeout)',
  other: 'Could not connect',
};

/** A sha256 fingerprint as the user compares it: AB:CD:… in groups. */
export function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

/** Applies a discovery result: the server (the user edits it afterwards), the user name, and where it came from.
 *  The provider's folder-rule preset (Gmail's) is proposed, unless the user already wrote rules. */
export function applyDiscovery(s: WizardState, d: DiscoveryResult): WizardState {
  const preset = d.rules && !Object.values(s.rules).some((r) => r?.trim()) ? RULE_PRESETS.find((p) => p.id === d.rules) : undefined;
  const signIn = d.signIn ? { auth: 'oauth' as const, oauth: { provider: d.signIn.provider } } : { auth: 'password' as const, oauth: { provider: 'custom' as const } };
  return { ...s, discovery: d, server: { ...d.server }, test: undefined, certFingerprint: undefined, signIn: undefined, ...signIn, ...(preset ? { rules: { ...preset.rules } } : {}) };
}

export const DISCOVERY_SOURCES: Record<DiscoveryResult['source'], string> = {
  preset: 'built-in settings for this provider',
  autoconfig: "the provider's autoconfig file",
  'well-known': "the domain's /.well-known/autoconfig file",
  srv: "the domain's DNS SRV records (RFC 6186)",
  guess: 'a guess (imap.<domain>, TLS on 993): check it',
};

/** Changing the server, the password or the pin invalidates an earlier test. */
export function editServer(s: WizardState, change: Partial<ServerSettings> & { password?: string }): WizardState {
  const { password, ...server } = change;
  const next = { ...s, server: { ...s.server, ...server }, test: undefined };
  if (password !== undefined) next.password = password;
  // A pinned certificate belongs to the host and port it was seen on.
  if (server.host !== undefined || server.port !== undefined) delete next.certFingerprint;
  return next;
}

export function testedFolders(s: WizardState): { folders: string[]; separator: string } | undefined {
  return s.test?.ok ? { folders: s.test.folders, separator: s.test.separator } : undefined;
}

/** Whether the user may go on from this step, and if not, why (shown next to the Next button). */
export function blockedReason(s: WizardState, taken: readonly string[], rulesErrors = 0): string | undefined {
  switch (s.step) {
    case 'address': return emailProblem(s.email) ?? accountNameProblem(s.name, taken);
    case 'server': return s.test?.ok ? undefined : s.auth === 'oauth' && !s.signIn?.done ? 'Sign in first.' : 'Test the connection first: it must succeed.';
    case 'folders': return rulesErrors ? 'Fix the folder rules marked in red first.' : undefined;
    case 'local': return s.localOk ? undefined : 'Check the local folder first.';
    case 'review': return undefined;
  }
}

/** Editing a saved account: its name and local folder stay, so only these steps are shown. */
export const EDIT_STEPS: readonly Step[] = ['server', 'folders', 'review'];

export function nextStep(step: Step, steps: readonly Step[] = STEPS): Step {
  return steps[Math.min(steps.indexOf(step) + 1, steps.length - 1)]!;
}
export function previousStep(step: Step, steps: readonly Step[] = STEPS): Step {
  return steps[Math.max(steps.indexOf(step) - 1, 0)]!;
}

/** The wizard on a saved account: its server, rules and pinned certificate filled in; the password must be typed again
 *  (it is tested before it replaces the one in the keyring). */
export function editState(a: AccountSummary): WizardState {
  return {
    ...initialState(), step: 'server', name: a.name, email: a.email ?? a.server?.user ?? '',
    ...(a.server ? { server: { ...a.server } } : {}), rules: { ...a.rules }, localfolders: a.localfolders ?? '', localOk: true,
    ...(a.certFingerprint ? { certFingerprint: a.certFingerprint } : {}),
    ...(a.signIn ? { auth: 'oauth' as const, oauth: { ...a.signIn } } : {}),
  };
}

/** The user's own client ID (and secret) or another server's settings: what the sign-in still needs, if anything. */
export function signInProblem(s: WizardState, hasClientId: boolean): string | undefined {
  const o = s.oauth;
  if (o.provider === 'custom') {
    if (!o.server?.authorizationUrl || !o.server.tokenUrl || !o.server.scope) return 'Type the authorization URL, the token URL and the scope of the OAuth2 server.';
    if (!o.clientId) return 'Type the client ID the OAuth2 server registered for Satchel.';
    return undefined;
  }
  return hasClientId || o.clientId ? undefined : 'Type your own client ID (see the instructions above).';
}

/** Only the rules the user wrote (empty ones left out). */
export function cleanRules(r: RuleSources): RuleSources {
  const out: RuleSources = {};
  for (const k of ['folderfilter', 'nametrans', 'folderincludes'] as const) {
    const v = r[k]?.trim();
    if (v) out[k] = v;
  }
  return out;
}

export function toDraft(s: WizardState): AccountDraft {
  const rules = cleanRules(s.rules);
  return {
    name: s.name, email: s.email.trim(), password: s.auth === 'oauth' ? '' : s.password, localfolders: s.localfolders.trim(),
    ...(s.auth === 'oauth' && s.signIn?.done ? { signIn: s.signIn.id } : {}),
    server: { ...s.server, host: s.server.host.trim(), user: s.server.user.trim() },
    ...(s.certFingerprint ? { certFingerprint: s.certFingerprint } : {}),
    // Always sent, empty too: saving an edited account with its rules cleared clears them.
    rules,
  };
}
