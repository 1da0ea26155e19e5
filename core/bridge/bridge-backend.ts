// Browser mode's backend: every SatchelBridge method, in process. It owns the settings file
// (ui-settings.ts), the passwords in a SecretStore (the keyring), one engine built from the
// settings (reconfigured on every change, scheduled per the preferences), the status view and
// the redacted log. Network and rules-compiler tools come in through AccountTools. It never
// returns, logs or saves a password, and never deletes mail (removing an account keeps its Maildir).

import os from 'node:os';
import type { ImapRepositoryConfig, SatchelConfig } from '../config/model.js';
import { resolvePassword } from '../config/secrets.js';
import { defaultStateDir } from '../config/values.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { SyncError } from '../errors.js';
import { SECRET_SERVICE, type SecretStore } from '../secrets/secret-store.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { Preferences, SatchelBridge } from '../contract/bridge-contract.js';
import { accountFromDraft, applyRules, scheduleOf, summaryOf } from './account-config.js';
import { LogRing } from './log-ring.js';
import { createAccountTools, type AccountTools } from '../accounts/account-tools.js';
import { StatusAggregator } from './status-aggregator.js';
import { loadSettings, saveSettings, type UiSettings } from './ui-settings.js';

export type { AccountTools };

export interface BackendDeps {
  settingsFile: string;
  secrets: SecretStore;
  /** Default: the real ones of core/accounts, on this backend's configuration and secrets. */
  tools?: AccountTools;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** `satchel ui -c FILE`: the accounts come from this OfflineIMAP configuration and cannot be edited here. */
  fixedConfig?: SatchelConfig;
  statusIntervalMs?: number;
}

export interface BridgeBackend extends Omit<SatchelBridge, 'onStatus' | 'onLog'> {
  onStatus: SatchelBridge['onStatus'];
  onLog: SatchelBridge['onLog'];
  /** Starts the schedule (a first sync of every account, then every syncEveryMinutes). */
  start(): Promise<void>;
  /** Stops the engine at a safe point (waits up to deadlineMs). */
  close(deadlineMs?: number): Promise<void>;
  readonly engine: Engine;
}

export function createBridgeBackend(deps: BackendDeps): BridgeBackend {
  const env = deps.env ?? process.env;
  const home = deps.home ?? env.HOME ?? os.homedir();
  const settings: UiSettings = loadSettings(deps.settingsFile);
  const log = new LogRing();
  const noTerminal = { isTTY: false } as NodeJS.ReadableStream & { isTTY: boolean };

  const emptyConfig = (): SatchelConfig => ({ general: { metadata: defaultStateDir(env, home), maxSyncAccounts: 1, fsync: true }, accounts: [] });
  const currentConfig = (): SatchelConfig => deps.fixedConfig ?? settings.config ?? emptyConfig();

  const getSecret = async (repo: ImapRepositoryConfig): Promise<string> => {
    const src = repo.password;
    const store = src.kind === 'keyring' && src.service !== SECRET_SERVICE ? new KeyringSecretStore({ service: src.service }) : deps.secrets;
    const secret = await resolvePassword(src, { env, home, secretStore: store, input: noTerminal, label: `repository "${repo.name}"` });
    log.addSecret(secret);
    return secret;
  };
  const tools: AccountTools = deps.tools ?? createAccountTools({ config: currentConfig, getSecret, home, importing: { env, home } });


  const engine = createEngine({ config: currentConfig(), getSecret });
  const status = new StatusAggregator(engine, { intervalMs: deps.statusIntervalMs });
  engine.on('log', (e) => log.push(e.level, e.account ? `${e.account}: ${e.message}` : e.message));
  engine.on('error', (e) => log.push('error', `${e.account ? `${e.account}: ` : ''}${e.folder ? `${e.folder}: ` : ''}${e.message}`));

  const showAccounts = () => {
    const cfg = currentConfig();
    status.setAccounts(cfg.accounts.map((a) => a.name),
      Object.fromEntries(cfg.accounts.map((a) => [a.name, a.local.type === 'maildir' ? a.local.localfolders : undefined])));
  };
  showAccounts();

  let started = false;
  let closed = false;
  let scheduling: Promise<void> = Promise.resolve();
  /** The engine restarts its running schedule on the new accounts (the current syncs finish first); IDLE follows. */
  const reschedule = () => {
    engine.reconfigure(currentConfig());
    showAccounts();
    if (!started) return;
    scheduling = scheduling.then(async () => {
      if (closed) return;
    }).catch((e: unknown) => { log.push('error', `rescheduling failed: ${(e as Error).message}`); });
  };

  const editable = (): SatchelConfig => {
    if (deps.fixedConfig) {
      throw new SyncError('config-file-managed', `The accounts come from ${deps.fixedConfig.configFile ?? 'a configuration file'} (satchel ui -c): ` +
        'edit that file and restart satchel ui.', { scope: 'fatal', retry: 'needs-user' });
    }
    return settings.config ?? emptyConfig();
  };
  const persist = (config: SatchelConfig) => {
    const next: UiSettings = { ...settings, config };
    saveSettings(deps.settingsFile, next);
    settings.config = config;
  };
  const findAccount = (cfg: SatchelConfig, name: string) => {
    const a = cfg.accounts.find((x) => x.name === name);
    if (!a) throw new SyncError('unknown-account', `No account named "${name}".`, { scope: 'fatal', retry: 'needs-user' });
    return a;
  };

  const backend: BridgeBackend = {
    engine,
    async start() {
      if (started) return;
      started = true;
      status.setHost('ready');
      scheduling = scheduling.then(async () => {
        if (closed) return;
        void engine.start().catch((e: unknown) => log.push('error', (e as Error).message));
      }).catch((e: unknown) => { log.push('error', `starting the schedule failed: ${(e as Error).message}`); });
      await scheduling;
    },
    async close(deadlineMs = 10_000) {
      if (closed) return;
      closed = true;
      // Stop first (aborts the syncs under way at a safe point), so a pending reschedule's drain does not wait for them.
      await engine.stop(deadlineMs);
      await scheduling;
      await engine.stop(deadlineMs);
      status.setHost('stopped');
      status.dispose();
    },
    async getStatus() { return status.view(); },
    async syncNow(account) { await engine.syncNow(account ? { account } : {}); },
    async pause(account) { engine.pause(account); },
    async resume(account) { engine.resume(account); },
    async listAccounts() { return currentConfig().accounts.map((a) => summaryOf(a, settings.emails[a.name])); },
    discover: (email) => tools.discover(email),
    testConnection: (draft) => tools.testConnection(draft),
    checkLocalFolder: (path, account) => tools.checkLocalFolder(path, account),
    accountFolders: (account) => tools.accountFolders(account),
    previewRules: (req) => tools.previewRules(req),
    importOfflineImap: (path) => tools.importOfflineImap(path),
    async saveAccount(draft) {
      const cfg = structuredClone(editable());
      const i = cfg.accounts.findIndex((a) => a.name === draft.name);
      // An existing account keeps its folder layout (another separator would download everything again) and options.
      const account = accountFromDraft(draft, settings.prefs, home, i >= 0 ? cfg.accounts[i] : undefined);
      if (i >= 0) cfg.accounts[i] = account; else cfg.accounts.push(account);
      // The password first: a saved account without its password would fail its first sync.
      if (draft.password) await deps.secrets.set(draft.name, draft.password);
      log.addSecret(draft.password);
      const emails = { ...settings.emails, [draft.name]: draft.email };
      saveSettings(deps.settingsFile, { ...settings, config: cfg, emails });
      settings.config = cfg;
      settings.emails = emails;
      log.push('info', `${draft.name}: account saved; first sync starting`);
      reschedule();
      if (!started) void engine.syncNow({ account: draft.name }).catch((e: unknown) => log.push('error', (e as Error).message));
    },
    async removeAccount(name) {
      const cfg = structuredClone(editable());
      findAccount(cfg, name);
      cfg.accounts = cfg.accounts.filter((a) => a.name !== name);
      persist(cfg);
      const emails = { ...settings.emails };
      delete emails[name];
      settings.emails = emails;
      saveSettings(deps.settingsFile, settings);
      await deps.secrets.delete(name).catch((e: unknown) => log.push('warn', (e as Error).message));
      log.push('info', `${name}: account removed (its local mail is kept)`);
      reschedule();
    },
    async saveRules(name, rules) {
      const cfg = structuredClone(editable());
      applyRules(findAccount(cfg, name), rules);
      persist(cfg);
      log.push('info', `${name}: folder rules saved`);
      reschedule();
    },
    async getLog() { return log.all(); },
    async getPreferences() { return { ...settings.prefs }; },
    async setPreferences(p) {
      const prefs: Preferences = { ...settings.prefs, ...p };
      let config = settings.config;
      if (config && !deps.fixedConfig && p.syncEveryMinutes !== undefined) {
        config = structuredClone(config);
        for (const a of config.accounts) {
          delete a.autorefresh;
          Object.assign(a, scheduleOf(prefs));
        }
      }
      saveSettings(deps.settingsFile, { ...settings, config, prefs });
      settings.prefs = prefs;
      settings.config = config;
      if (p.syncEveryMinutes !== undefined || p.idle !== undefined) reschedule();
      return { ...prefs };
    },
    onStatus: (fn) => status.onStatus(fn),
    onLog: (fn) => log.onLine(fn),
  };
  return backend;
}
