// The one contract between the interface (renderer/) and whatever backs it: the Electron
// preload (IPC to the main process) or browser mode (a WebSocket to `satchel ui`). It names
// every call with a runtime check of its arguments, every pushed event, and the data shapes.
// Pure: no Node, no Electron, no DOM, so it is bundled into the preload and the renderer alike.
// No call ever returns a secret; passwords only travel towards the backend.

type Check = (args: unknown[]) => string | undefined;

// ---- data shapes -------------------------------------------------------------------------

export type AccountState = 'auth-required' | 'error' | 'syncing' | 'offline' | 'paused' | 'idle';
export type HostState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface Progress { messagesDone: number; messagesTotal: number; bytesDone: number; bytesTotal: number }

export interface FolderView {
  name: string;
  state: 'syncing' | 'synced' | 'skipped' | 'error' | 'idle';
  lastSync?: number;
  error?: string;
  progress?: Progress;
}

export interface AccountView {
  account: string;
  state: AccountState;
  lastSync?: number;
  /** The last error's message, which says what to do. */
  error?: string;
  progress?: Progress & { folder?: string };
  folders: FolderView[];
  /** Where the mail lives locally (Maildir root), when it is a Maildir account. */
  localfolders?: string;
}

export interface StatusView {
  host: HostState;
  hostError?: string;
  /** Every account is paused (Pause of all): the tray offers Resume. */
  paused?: boolean;
  accounts: AccountView[];
}

export interface LogLine { time: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string }

export type Security = 'tls' | 'starttls';

export interface ServerSettings { host: string; port: number; security: Security; user: string }

export interface DiscoveryResult {
  /** Where the guess came from; the wizard shows it and lets the user edit the result. */
  source: 'preset' | 'autoconfig' | 'well-known' | 'srv' | 'guess';
  provider?: string;
  server: ServerSettings;
  /** Provider advice shown in the wizard (e.g. Gmail's app passwords). */
  guidance?: string;
  /** The folder-rule preset (rule-presets.ts) that suits this provider, proposed by the wizard. */
  rules?: 'gmail' | 'courier';
  /** The provider's OAuth2 sign-in, offered before the app password. */
  signIn?: SignInOffer;
}

export interface ConnectionDraft extends ServerSettings {
  password: string;
  /** Log in with the access token of this finished sign-in (startSignIn) instead of the password. */
  signIn?: string;
  /** Set by the backend only: `password` is an OAuth2 access token. */
  oauth?: boolean;
  /** A certificate the user chose to trust explicitly (sha256 hex, lowercase, no colons). */
  certFingerprint?: string;
}

export type ConnectionFailure =
  | 'auth-failed' | 'host-not-found' | 'connection-refused' | 'tls-untrusted' | 'starttls-missing' | 'timeout' | 'other';

export type TestResult =
  | { ok: true; capabilities: string[]; folders: string[]; separator: string }
  /** `message` says what went wrong in plain words, `fix` what to do; `fingerprint` for tls-untrusted. */
  | { ok: false; kind: ConnectionFailure; message: string; fix: string; fingerprint?: string };

/** Folder rules as the user writes them (OfflineIMAP's lambda idioms), per repository side. */
export interface RuleSources { folderfilter?: string; nametrans?: string; folderincludes?: string }

export interface PreviewRequest {
  /** The server's folder names (from a test or a saved account's folder list). */
  folders: string[];
  /** The server's hierarchy separator and the local one ('.' for a Maildir by default). */
  separator: string;
  localSeparator: string;
  rules: RuleSources;
}

export interface PreviewRow { remote: string; local: string; synced: boolean; reason?: string; problem?: string }

export interface PreviewResult {
  rows: PreviewRow[];
  /** Rules that do not compile (invalid regex, unsupported idiom), per field. */
  errors: Array<{ field: keyof RuleSources; message: string }>;
}

export interface LocalFolderCheck { ok: boolean; path: string; message: string }

/** The providers the wizard can sign in to; 'custom' is another OAuth2 server described by its endpoints. */
export type SignInProvider = 'google' | 'microsoft' | 'custom';

export interface OAuthServerSettings { authorizationUrl: string; tokenUrl: string; scope: string; deviceUrl?: string }

/** How an account signs in with OAuth2 (never a token; the client secret only travels towards the backend). */
export interface SignInSettings {
  provider: SignInProvider;
  /** "Use your own client ID": overrides the built-in one. */
  clientId?: string;
  /** Goes to the keyring with the account, never to settings. */
  clientSecret?: string;
  /** For 'custom' (required there). */
  server?: OAuthServerSettings;
}

export interface SignInRequest extends SignInSettings {
  /** The address signing in (the provider's login hint). */
  user: string;
  /** The device flow: a code to enter on the provider's page, from any device. */
  device?: boolean;
}

/** A sign-in under way: open `url` (browser) or show `userCode` at `verificationUri` (device). `opened`: the backend opened the system browser. */
export type SignInStart =
  | { id: string; kind: 'browser'; url: string; opened: boolean }
  | { id: string; kind: 'device'; verificationUri: string; userCode: string; opened: boolean };

/** What discovery knows about signing in to a provider's server. */
export interface SignInOffer {
  provider: Exclude<SignInProvider, 'custom'>;
  /** "Google", "Microsoft". */
  name: string;
  /** Whether this copy of Satchel has a client ID for it (else the wizard asks for the user's own). */
  hasClientId: boolean;
  /** How to register an own client ID. */
  registerHelp: string;
}

export interface AccountDraft {
  /** The account name (letters, digits, - and _): also the keyring entry's key. */
  name: string;
  email: string;
  server: ServerSettings;
  /** Goes to the keyring, never to settings. Empty with a sign-in. */
  password: string;
  /** A finished sign-in (startSignIn/finishSignIn): the account signs in with OAuth2, its refresh token goes to the keyring. */
  signIn?: string;
  certFingerprint?: string;
  localfolders: string;
  rules?: RuleSources;
}

export interface ImportedOption {
  section: string;
  option: string;
  line?: number;
  status: 'honoured' | 'not-honoured' | 'unknown';
  note?: string;
}

export interface ImportReport { file: string; accounts: string[]; options: ImportedOption[]; error?: string }

export interface Preferences {
  notifyErrors: boolean;
  notifyNewMail: boolean;
  launchAtLogin: boolean;
  /** Minutes between full syncs (autorefresh) for every account; 0 = only on demand. */
  syncEveryMinutes: number;
  /** Watch INBOX with IDLE for new mail within seconds. */
  idle: boolean;
  /** Local folder layout: '.' (Maildir++ style, OfflineIMAP's default) or '/' (nested directories). */
  localSeparator: '.' | '/';
}

export interface AccountSummary {
  name: string;
  email?: string;
  server?: ServerSettings;
  /** The pinned certificate (sha256 hex) the user trusted, if any. */
  certFingerprint?: string;
  localfolders?: string;
  /** The local folder layout of this account ('.' or '/'), fixed once it has synced. */
  localSeparator?: '.' | '/';
  rules?: RuleSources;
  /** How the account signs in with OAuth2, when it does (the editor offers "Sign in again"). */
  signIn?: Omit<SignInSettings, 'clientSecret'>;
}

/** The bridge object the renderer receives: every method returns a promise. */
export interface SatchelBridge {
  getStatus(): Promise<StatusView>;
  syncNow(account?: string): Promise<void>;
  pause(account?: string): Promise<void>;
  resume(account?: string): Promise<void>;
  listAccounts(): Promise<AccountSummary[]>;
  discover(email: string): Promise<DiscoveryResult>;
  testConnection(draft: ConnectionDraft): Promise<TestResult>;
  checkLocalFolder(path: string, account: string): Promise<LocalFolderCheck>;
  saveAccount(draft: AccountDraft): Promise<void>;
  removeAccount(account: string): Promise<void>;
  accountFolders(account: string): Promise<{ folders: string[]; separator: string }>;
  previewRules(req: PreviewRequest): Promise<PreviewResult>;
  saveRules(account: string, rules: RuleSources): Promise<void>;
  getLog(): Promise<LogLine[]>;
  getPreferences(): Promise<Preferences>;
  setPreferences(prefs: Partial<Preferences>): Promise<Preferences>;
  importOfflineImap(path?: string): Promise<ImportReport>;
  /** Starts an OAuth2 sign-in; the desktop opens the system browser itself, browser mode opens `url` in a new tab. */
  startSignIn(req: SignInRequest): Promise<SignInStart>;
  /** Waits until that sign-in is finished (rejects when it was denied, cancelled or timed out). */
  finishSignIn(id: string): Promise<void>;
  cancelSignIn(id: string): Promise<void>;
  onStatus(fn: (s: StatusView) => void): () => void;
  onLog(fn: (l: LogLine) => void): () => void;
}

// ---- runtime checks ----------------------------------------------------------------------

const isStr = (x: unknown, max = 4096): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;
const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isPort = (x: unknown) => Number.isInteger(x) && (x as number) > 0 && (x as number) < 65536;

const none: Check = (a) => (a.length === 0 ? undefined : 'takes no arguments');
const optAccount: Check = (a) =>
  a.length === 0 || (a.length === 1 && (a[0] === undefined || isStr(a[0], 256))) ? undefined : 'takes an optional account name';
const account: Check = (a) => (a.length === 1 && isStr(a[0], 256) ? undefined : 'takes an account name');
const email: Check = (a) => (a.length === 1 && isStr(a[0], 320) && a[0].includes('@') ? undefined : 'takes an e-mail address');

function server(x: unknown): string | undefined {
  if (!isObj(x)) return 'needs server settings';
  if (!isStr(x.host, 253)) return 'needs a host name';
  if (!isPort(x.port)) return 'needs a port between 1 and 65535';
  if (x.security !== 'tls' && x.security !== 'starttls') return "needs security 'tls' or 'starttls'";
  if (!isStr(x.user, 320)) return 'needs a user name';
  return undefined;
}

function rules(x: unknown): string | undefined {
  if (!isObj(x)) return 'needs folder rules';
  for (const [k, v] of Object.entries(x)) {
    if (!['folderfilter', 'nametrans', 'folderincludes'].includes(k)) return `'${k}' is not a folder rule`;
    if (v !== undefined && (typeof v !== 'string' || v.length > 8192)) return `${k} must be text`;
  }
  return undefined;
}

const SIGN_IN_ID = /^[A-Za-z0-9_-]{16,64}$/;

function signInSettings(d: Record<string, unknown>): string | undefined {
  if (!['google', 'microsoft', 'custom'].includes(d.provider as string)) return "needs provider 'google', 'microsoft' or 'custom'";
  if (d.clientId !== undefined && !isStr(d.clientId, 512)) return 'clientId must be text';
  if (d.clientSecret !== undefined && !isStr(d.clientSecret, 512)) return 'clientSecret must be text';
  if (d.provider === 'custom' || d.server !== undefined) {
    const s = d.server;
    if (!isObj(s)) return 'another OAuth2 server needs its authorization URL, token URL and scope';
    for (const k of ['authorizationUrl', 'tokenUrl'] as const) if (!isStr(s[k], 2048) || !/^https?:\/\//.test(s[k] as string)) return `${k} must be an http(s) URL`;
    if (s.deviceUrl !== undefined && (!isStr(s.deviceUrl, 2048) || !/^https?:\/\//.test(s.deviceUrl))) return 'deviceUrl must be an http(s) URL';
    if (!isStr(s.scope, 1024)) return 'needs a scope';
    if (d.provider === 'custom' && !isStr(d.clientId, 512)) return 'another OAuth2 server needs a client ID';
  }
  return undefined;
}

const signInRequest: Check = (a) => {
  if (a.length !== 1 || !isObj(a[0])) return 'takes a sign-in request';
  const d = a[0];
  if (!isStr(d.user, 320)) return 'needs the user name';
  if (d.device !== undefined && typeof d.device !== 'boolean') return 'device must be true or false';
  return signInSettings(d);
};
const signInId: Check = (a) => (a.length === 1 && typeof a[0] === 'string' && SIGN_IN_ID.test(a[0]) ? undefined : 'takes a sign-in id');

const connection: Check = (a) => {
  if (a.length !== 1) return 'takes connection settings';
  const why = server(a[0]);
  if (why) return why;
  const d = a[0] as Record<string, unknown>;
  if (d.signIn !== undefined && !(typeof d.signIn === 'string' && SIGN_IN_ID.test(d.signIn))) return 'signIn must be a sign-in id';
  if (typeof d.password !== 'string' || d.password.length > 16384) return 'needs a password';
  if (d.certFingerprint !== undefined && !(typeof d.certFingerprint === 'string' && /^[0-9a-f]{64}$/.test(d.certFingerprint))) {
    return 'certFingerprint must be 64 lowercase hex digits';
  }
  return undefined;
};

const localCheck: Check = (a) => (a.length === 2 && isStr(a[0]) && isStr(a[1], 256) ? undefined : 'takes a folder path and an account name');

const accountDraft: Check = (a) => {
  if (a.length !== 1 || !isObj(a[0])) return 'takes an account';
  const d = a[0];
  if (!isStr(d.name, 64) || !/^[A-Za-z0-9_-]+$/.test(d.name)) return 'needs a name of letters, digits, - and _';
  if (!isStr(d.email, 320)) return 'needs an e-mail address';
  const why = server(d.server);
  if (why) return why;
  if (typeof d.password !== 'string' || d.password.length > 16384) return 'needs a password';
  if (d.signIn !== undefined && !(typeof d.signIn === 'string' && SIGN_IN_ID.test(d.signIn))) return 'signIn must be a sign-in id';
  if (!isStr(d.localfolders)) return 'needs a local folder';
  if (d.rules !== undefined) return rules(d.rules);
  return undefined;
};

const preview: Check = (a) => {
  if (a.length !== 1 || !isObj(a[0])) return 'takes a preview request';
  const r = a[0];
  if (!Array.isArray(r.folders) || r.folders.length > 10000 || !r.folders.every((f) => isStr(f, 1024))) return 'needs the folder names';
  if (typeof r.separator !== 'string' || r.separator.length > 1) return 'needs the server separator';
  if (r.localSeparator !== '.' && r.localSeparator !== '/') return "needs the local separator '.' or '/'";
  return rules(r.rules);
};

const saveRules: Check = (a) => (a.length === 2 && isStr(a[0], 256) ? rules(a[1]) : 'takes an account name and folder rules');

const PREF_TYPES: Record<keyof Preferences, (v: unknown) => boolean> = {
  notifyErrors: (v) => typeof v === 'boolean',
  notifyNewMail: (v) => typeof v === 'boolean',
  launchAtLogin: (v) => typeof v === 'boolean',
  // 0 = only on demand; otherwise whole minutes, at least 1 (a fraction would be a busy loop), at most a day.
  syncEveryMinutes: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1440,
  idle: (v) => typeof v === 'boolean',
  localSeparator: (v) => v === '.' || v === '/',
};
const prefs: Check = (a) => {
  if (a.length !== 1 || !isObj(a[0])) return 'takes an object of preferences';
  for (const [k, v] of Object.entries(a[0])) {
    // Own keys of the schema only: 'constructor', '__proto__' or 'toString' are inherited, not preferences.
    if (!/^[A-Za-z]{1,40}$/.test(k) || !Object.hasOwn(PREF_TYPES, k)) return `'${k.slice(0, 40).replace(/[^\x20-\x7e]/g, '?')}' is not a preference`;
    const ok = PREF_TYPES[k as keyof Preferences];
    if (!ok(v)) return `'${k}' has a value of the wrong kind`;
  }
  return undefined;
};

const optPath: Check = (a) => (a.length === 0 || (a.length === 1 && (a[0] === undefined || isStr(a[0]))) ? undefined : 'takes an optional file path');

/** Method → argument check. One entry per SatchelBridge method (on* events excepted). */
export const BRIDGE_METHODS = {
  getStatus: none,
  syncNow: optAccount,
  pause: optAccount,
  resume: optAccount,
  listAccounts: none,
  discover: email,
  testConnection: connection,
  checkLocalFolder: localCheck,
  saveAccount: accountDraft,
  removeAccount: account,
  accountFolders: account,
  previewRules: preview,
  saveRules,
  getLog: none,
  getPreferences: none,
  setPreferences: prefs,
  importOfflineImap: optPath,
  startSignIn: signInRequest,
  finishSignIn: signInId,
  cancelSignIn: signInId,
} as const satisfies { [K in Exclude<keyof SatchelBridge, 'onStatus' | 'onLog'>]: Check };

export type BridgeMethod = keyof typeof BRIDGE_METHODS;

/** The account-setup tools among the methods: they run beside the engine (network, rules, import). */
export const ACCOUNT_TOOL_NAMES = ['discover', 'testConnection', 'checkLocalFolder', 'accountFolders', 'previewRules', 'importOfflineImap'] as const satisfies readonly BridgeMethod[];
export type AccountToolName = (typeof ACCOUNT_TOOL_NAMES)[number];

/** Events the backend pushes; the bridge offers onStatus / onLog. */
export const BRIDGE_EVENTS = { status: 'onStatus', log: 'onLog' } as const;
export type BridgeEvent = keyof typeof BRIDGE_EVENTS;

export function isBridgeMethod(m: unknown): m is BridgeMethod {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(BRIDGE_METHODS, m);
}

/** undefined when the call is acceptable, else why not (names the method). */
export function checkCall(method: unknown, args: unknown[]): string | undefined {
  if (!isBridgeMethod(method)) return `unknown method ${JSON.stringify(method)}`;
  const why = BRIDGE_METHODS[method](args);
  return why ? `${method} ${why}` : undefined;
}
