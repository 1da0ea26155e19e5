// The one app service: every SatchelBridge method, for the desktop window (over Electron IPC),
// browser mode (over a WebSocket) and the tests alike, plus what the tray and the shell ask
// (status snapshot, notifications, wake, retry, the mail folder to open). It owns the settings
// (through a SettingsStorage), the passwords (in a SecretStore: the keyring), the status fold,
// the redacted log and the preferences; the engine is reached only through an EnginePort,
// in-process or in a child process. It never returns, logs or saves a password or token, never
// sends a saved password to a server the user did not confirm, and never deletes mail. OAuth2
// sign-ins (sign-ins.ts) are started here; their refresh tokens go to the keyring on save.

import fs from 'node:fs';
import os from 'node:os';
import type { AccountConfig, ImapRepositoryConfig, SatchelConfig } from '../config/model.js';
import { createRepositorySecrets } from '../config/repository-secret.js';
import { defaultStateDir } from '../config/values.js';
import type { SecretGetter } from '../engine/store-factory.js';
import { SyncError } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { AccountDraft, Preferences, SatchelBridge, StatusView } from '../contract/bridge-contract.js';
import { accountFromDraft, applyPreferences, applyRules, summaryOf } from './account-config.js';
import { createSignIns, oauth2ConfigOf } from './sign-ins.js';
import { clientSecretKey, refreshTokenKey } from '../auth/token-source.js';
import type { OAuth2Config } from '../auth/oauth-providers.js';
import type { EnginePort } from './engine-port.js';
import { LogRing } from './log-ring.js';
import { NotificationPolicy, noticesOf, type DesktopNotification } from './notification-policy.js';
import { checkSettings, settingsFromValue, type SettingsStorage, type UiSettings } from './settings.js';
import { StatusAggregator } from './status-aggregator.js';

export interface AppServiceDeps {
  storage: SettingsStorage;
  secrets: SecretStore;
  /** The engine, on the service's secret getter and the configuration at start: in process or in a child. */
  createPort(getSecret: SecretGetter, config: SatchelConfig): EnginePort;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** `satchel ui -c FILE`: the accounts come from this OfflineIMAP configuration and cannot be edited here. */
  fixedConfig?: SatchelConfig;
  /** Where a first account's status databases go; default $XDG_STATE_HOME/satchel. */
  stateDir?: string;
  /** The system's launch-at-login switch (desktop); without one the preference is only kept. */
  loginItem?: { get(): boolean; set(on: boolean): void };
  statusIntervalMs?: number;
  now?: () => number;
  /** Opens a sign-in page in the system browser (desktop); without it the interface opens it (browser mode: a new tab). */
  openUrl?: (url: string) => Promise<void> | void;
}

export interface AppService extends SatchelBridge {
  readonly port: EnginePort;
  /** Starts the engine and its schedule (a first sync of every account, then every syncEveryMinutes, IDLE). */
  start(): Promise<void>;
  /** Stops the engine at a safe point (waits up to deadlineMs). */
  close(deadlineMs?: number): Promise<void>;
  /** The machine resumed or came back online: sync now, reconnect IDLE, quiet notifications for a while. */
  wake(reason: 'resume' | 'online'): Promise<void>;
  /** "Try again" after the engine crashed too often. */
  retry(): Promise<void>;
  /** The status now (the tray reads the same view as the window). */
  status(): StatusView;
  /** An account's Maildir root, checked to be a directory (never a file or a link to one), for "Open mail folder". */
  mailFolder(account: string): Promise<string>;
  /** Desktop notifications the policy lets through. */
  onNotify(fn: (n: DesktopNotification) => void): () => void;
  /** A line for the log the user sees, from the shell (e.g. a folder that could not be opened). */
  note(level: 'info' | 'warn' | 'error', message: string): void;
}

/** The server a password is sent to: changing any of it needs the password again. */
const destination = (a: AccountConfig | undefined) => {
  const r = a?.remote.type === 'imap' ? a.remote : undefined;
  return r ? JSON.stringify([r.host, r.port, r.ssl, r.starttls, r.user, [...(r.certFingerprints ?? [])].sort()]) : undefined;
};

export function createAppService(deps: AppServiceDeps): AppService {
  const env = deps.env ?? process.env;
  const home = deps.home ?? env.HOME ?? os.homedir();
  const now = deps.now ?? Date.now;
  const settings: UiSettings = settingsFromValue(deps.storage.read(), deps.storage.where);
  const log = new LogRing();
  const noTerminal = { isTTY: false } as NodeJS.ReadableStream & { isTTY: boolean };

  const emptyConfig = (): SatchelConfig => ({ general: { metadata: deps.stateDir ?? defaultStateDir(env, home), maxSyncAccounts: 1, fsync: true }, accounts: [] });
  const currentConfig = (): SatchelConfig => deps.fixedConfig ?? settings.config ?? emptyConfig();

  const getSecret = createRepositorySecrets({ env, home, secretStore: deps.secrets, input: noTerminal,
    labelOf: (repo: ImapRepositoryConfig) => `repository "${repo.name}"`, onSecret: (s) => log.addSecret(s) });

  const signIns = createSignIns({ openUrl: deps.openUrl, onSecret: (s) => log.addSecret(s) });
  const port = deps.createPort(getSecret, currentConfig());
  const status = new StatusAggregator(port, { intervalMs: deps.statusIntervalMs, clock: now });
  port.on('log', (e) => log.push(e.level, e.account ? `${e.account}: ${e.message}` : e.message));
  port.on('error', (e) => log.push('error', `${e.account ? `${e.account}: ` : ''}${e.folder ? `${e.folder}: ` : ''}${e.message}`));
  port.on('host', (e) => { if (e.error) log.push(e.state === 'ready' ? 'info' : 'error', `engine ${e.state}: ${e.error}`); });

  const policy = new NotificationPolicy({ errors: settings.prefs.notifyErrors, newMail: settings.prefs.notifyNewMail }, now());
  const notifyFns = new Set<(n: DesktopNotification) => void>();
  const notify = (n: DesktopNotification | undefined) => {
    if (!n) return;
    log.push(n.kind === 'new-mail' ? 'info' : 'warn', `${n.title}: ${n.body}`);
    for (const fn of notifyFns) fn(n);
  };
  noticesOf(port, (n) => notify(policy.onNotice(n, now())));
  status.onStatus((v) => { for (const n of policy.onSnapshot(v, now())) notify(n); });

  const showAccounts = () => {
    const cfg = currentConfig();
    status.setAccounts(cfg.accounts.map((a) => a.name),
      Object.fromEntries(cfg.accounts.map((a) => [a.name, a.local.type === 'maildir' ? a.local.localfolders : undefined])));
  };
  showAccounts();

  let started = false;
  let closed = false;
  /** The engine follows every saved change (a running schedule restarts on the new accounts; IDLE follows). */
  const reconfigure = () => {
    showAccounts();
    port.reconfigure(currentConfig()).catch((e: unknown) => log.push('error', `applying the settings failed: ${(e as Error).message}`));
  };

  const editable = (): SatchelConfig => {
    if (deps.fixedConfig) {
      throw new SyncError('config-file-managed', `The accounts come from ${deps.fixedConfig.configFile ?? 'a configuration file'} (satchel ui -c): ` +
        'edit that file and restart satchel ui.', { scope: 'fatal', retry: 'needs-user' });
    }
    return settings.config ?? emptyConfig();
  };
  /** Stores the next settings (checked first), then makes them current. */
  const persist = (next: Partial<UiSettings>) => {
    const s: UiSettings = { ...settings, ...next };
    checkSettings(s);
    deps.storage.write(s);
    Object.assign(settings, s);
  };
  const findAccount = (cfg: SatchelConfig, name: string) => {
    const a = cfg.accounts.find((x) => x.name === name);
    if (!a) throw new SyncError('unknown-account', `No account named "${name}".`, { scope: 'fatal', retry: 'needs-user' });
    return a;
  };
  const preferences = (): Preferences => ({ ...settings.prefs, launchAtLogin: deps.loginItem ? deps.loginItem.get() : settings.prefs.launchAtLogin });

  const saveAccount = async (draft: AccountDraft) => {
    const cfg = structuredClone(editable());
    const i = cfg.accounts.findIndex((a) => a.name === draft.name);
    const previous = i >= 0 ? cfg.accounts[i] : undefined;
    // An existing account keeps its folder layout (another separator would download everything again) and options.
    const account = accountFromDraft(draft, settings.prefs, home, previous);
    const signIn = draft.signIn ? signIns.take(draft.signIn) : undefined;
    const remote = account.remote.type === 'imap' ? account.remote : undefined;
    if (remote && signIn) remote.oauth2 = oauth2ConfigOf(signIn.settings, draft.name);
    else if (remote && draft.password) delete remote.oauth2;
    if (!draft.password && !signIn && (!previous || destination(previous) !== destination(account))) {
      throw new SyncError('password-required', previous
        ? `The server, port, security, user name or trusted certificate of "${draft.name}" changed: enter the password again ` +
          '(the saved password is only ever sent to the server it was saved for).'
        : `The new account "${draft.name}" needs its password.`, { scope: 'account', retry: 'needs-user', account: draft.name });
    }
    if (i >= 0) cfg.accounts[i] = account; else cfg.accounts.push(account);
    // The password (or the sign-in's refresh token) first: a saved account without it would fail its first sync.
    if (remote?.oauth2 && signIn) {
      if (signIn.settings.clientSecret) await deps.secrets.set(clientSecretKey(draft.name), signIn.settings.clientSecret);
      await getSecret.tokenSource(remote as typeof remote & { oauth2: OAuth2Config }).signedIn(signIn.tokens);
    } else if (draft.password) {
      log.addSecret(draft.password);
      await deps.secrets.set(draft.name, draft.password);
    }
    persist({ config: cfg, emails: { ...settings.emails, [draft.name]: draft.email } });
    log.push('info', `${draft.name}: account saved; first sync starting`);
    reconfigure();
    if (!started) void port.syncNow(draft.name).catch((e: unknown) => log.push('error', (e as Error).message));
  };

  const service: AppService = {
    port,
    async start() {
      if (started || closed) return;
      started = true;
      await port.start(currentConfig()).catch((e: unknown) => { log.push('error', `the engine did not start: ${(e as Error).message}`); });
    },
    async close(deadlineMs = 10_000) {
      if (closed) return;
      closed = true;
      await port.stop(deadlineMs);
      status.dispose();
      signIns.close();
    },
    async wake(reason) {
      if (reason === 'resume') policy.resumed(now());
      await port.wake(reason === 'resume' ? 'the computer woke up' : 'the network is back');
    },
    retry: () => port.retry(),
    status: () => status.view(),
    async mailFolder(account) {
      const a = findAccount(currentConfig(), account);
      const dir = a.local.type === 'maildir' ? a.local.localfolders : undefined;
      if (!dir) throw new SyncError('no-mail-folder', `${account} keeps its mail on another IMAP server, not in a local folder.`, { scope: 'account', retry: 'needs-user', account });
      const st = fs.lstatSync(dir, { throwIfNoEntry: false });
      if (!st?.isDirectory()) throw new SyncError('no-mail-folder', `${dir} is not a folder (yet): sync ${account} first.`, { scope: 'account', retry: 'later', account });
      return dir;
    },
    onNotify(fn) { notifyFns.add(fn); return () => { notifyFns.delete(fn); }; },
    note: (level, message) => { log.push(level, message); },

    async getStatus() { return status.view(); },
    async syncNow(account) { await port.syncNow(account); },
    async pause(account) {
      await port.pause(account);
      if (!account) status.setPaused(true);
    },
    async resume(account) {
      await port.resume(account);
      if (!account) status.setPaused(false);
    },
    async listAccounts() { return currentConfig().accounts.map((a) => summaryOf(a, settings.emails[a.name])); },
    discover: (email) => port.tool('discover', email),
    testConnection: (draft) => {
      if (draft.password) log.addSecret(draft.password);
      const { signIn, ...rest } = draft;
      return port.tool('testConnection', signIn ? { ...rest, password: signIns.accessToken(signIn), oauth: true } : rest);
    },
    startSignIn: (req) => signIns.start(req),
    finishSignIn: (id) => signIns.finish(id),
    async cancelSignIn(id) { signIns.cancel(id); },
    checkLocalFolder: (path, account) => port.tool('checkLocalFolder', path, account),
    accountFolders: (account) => port.tool('accountFolders', account),
    previewRules: (req) => port.tool('previewRules', req),
    importOfflineImap: (path) => (path === undefined ? port.tool('importOfflineImap') : port.tool('importOfflineImap', path)),
    saveAccount,
    async removeAccount(name) {
      const cfg = structuredClone(editable());
      findAccount(cfg, name);
      cfg.accounts = cfg.accounts.filter((a) => a.name !== name);
      const emails = { ...settings.emails };
      delete emails[name];
      persist({ config: cfg, emails });
      for (const key of [name, refreshTokenKey(name), clientSecretKey(name)]) await deps.secrets.delete(key).catch((e: unknown) => log.push('warn', (e as Error).message));
      log.push('info', `${name}: account removed (its local mail is kept)`);
      reconfigure();
    },
    async saveRules(name, rules) {
      const cfg = structuredClone(editable());
      applyRules(findAccount(cfg, name), rules);
      persist({ config: cfg });
      log.push('info', `${name}: folder rules saved`);
      reconfigure();
    },
    async getLog() { return log.all(); },
    async getPreferences() { return preferences(); },
    async setPreferences(p) {
      const prefs: Preferences = { ...settings.prefs, ...p };
      const schedule = p.syncEveryMinutes !== undefined || p.idle !== undefined;
      let config = settings.config;
      if (config && !deps.fixedConfig && schedule) {
        config = structuredClone(config);
        for (const a of config.accounts) applyPreferences(a, prefs);
      }
      persist({ config, prefs });
      if (p.launchAtLogin !== undefined) deps.loginItem?.set(p.launchAtLogin);
      policy.setPrefs({ errors: prefs.notifyErrors, newMail: prefs.notifyNewMail });
      if (schedule) reconfigure();
      return preferences();
    },
    onStatus: (fn) => status.onStatus(fn),
    onLog: (fn) => log.onLine(fn),
  };
  return service;
}
