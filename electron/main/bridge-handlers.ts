// The SatchelBridge as the desktop main process answers it: status from the engine port's
// snapshot, accounts and rules saved into the settings (passwords into the keyring only), the
// six account-setup tools forwarded to the engine process, preferences split between the
// settings, the login item and the configuration. Dependencies come in; it owns no state but
// the pause flag's reader. It never returns a password and never logs one.

import os from 'node:os';
import path from 'node:path';
import type { AccountView, LogLine, Preferences, SatchelBridge, StatusView } from '../../core/contract/bridge-contract.js';
import { accountFromDraft, summaryOf, withRules } from '../../core/accounts/account-draft.js';
import type { SatchelConfig } from '../../core/config/model.js';
import type { SecretStore } from '../../core/secrets/secret-store.js';
import type { EnginePort, EngineSnapshot } from '../shared/engine-port.js';
import type { BridgeChannel } from '../shared/ipc-contract.js';
import type { Handlers } from './ipc-handlers.js';
import type { LogRing } from '../../core/bridge/log-ring.js';
import type { SettingsStore } from './settings-store.js';

export interface BridgeDeps {
  port: EnginePort;
  settings: Pick<SettingsStore, 'get' | 'setConfig' | 'setPrefs'>;
  secrets: SecretStore;
  log: Pick<LogRing, 'all' | 'addSecret'>;
  loginItem: { get(): boolean; set(on: boolean): void };
  paused(): boolean;
  setPaused(p: boolean): void;
  /** Where a first account's sync state goes (the config's [general] metadata). */
  stateDir: string;
  /** Re-send the status after pause/resume. */
  refresh(): void;
}

/** The engine snapshot and the configuration as the interface shows them. */
export function statusView(s: EngineSnapshot, config: SatchelConfig | null, paused: boolean): StatusView {
  const accounts: AccountView[] = s.accounts.map((a) => {
    const acc = config?.accounts.find((c) => c.name === a.account);
    return {
      account: a.account, state: paused && a.state === 'idle' ? 'paused' : a.state, folders: [],
      ...(a.lastSync !== undefined ? { lastSync: a.lastSync } : {}), ...(a.error ? { error: a.error } : {}),
      ...(a.progress ? { progress: { ...a.progress } } : {}),
      ...(acc?.local.type === 'maildir' ? { localfolders: acc.local.localfolders } : {}),
    };
  });
  return { host: s.host, ...(s.hostError ? { hostError: s.hostError } : {}), accounts };
}

const expand = (p: string) => (p === '~' ? os.homedir() : p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p);

export function createBridgeHandlers(d: BridgeDeps): Pick<Handlers, BridgeChannel> {
  let localSeparator: '.' | '/' | undefined;
  const config = () => d.settings.get().config;
  const withConfig = (fn: (c: SatchelConfig) => SatchelConfig) => {
    const c = config() ?? { general: { metadata: d.stateDir, maxSyncAccounts: 1, fsync: true }, accounts: [] };
    d.settings.setConfig(fn(c));
  };
  const preferences = (): Preferences => {
    const c = config();
    const ui = d.settings.get().ui;
    const first = c?.accounts[0];
    const imap = c?.accounts.map((a) => a.remote).filter((r) => r.type === 'imap') ?? [];
    return {
      notifyErrors: ui.notifyErrors, notifyNewMail: ui.notifyNewMail, launchAtLogin: d.loginItem.get(),
      syncEveryMinutes: first?.autorefresh ?? 0,
      idle: imap.length ? imap.some((r) => r.type === 'imap' && (r.idleFolders === undefined || r.idleFolders.length > 0)) : true,
      localSeparator: localSeparator ?? (first?.local.type === 'maildir' && first.local.sep === '/' ? '/' : '.'),
    };
  };
  const bridge: SatchelBridge = {
    getStatus: async () => statusView(d.port.snapshot(), config(), d.paused()),
    syncNow: (account) => d.port.syncNow(account),
    // The pause flag (tray) is the pause of all; one account's pause shows in its own state.
    pause: async (account) => { if (!account) d.setPaused(true); await d.port.pause(account); d.refresh(); },
    resume: async (account) => { if (!account) d.setPaused(false); await d.port.resume(account); d.refresh(); },
    listAccounts: async () => (config()?.accounts ?? []).map(summaryOf),
    discover: (email) => d.port.tool('discover', email),
    testConnection: (draft) => { if (draft.password) d.log.addSecret(draft.password); return d.port.tool('testConnection', draft); },
    checkLocalFolder: (p, account) => d.port.tool('checkLocalFolder', p, account),
    saveAccount: async (draft) => {
      const previous = config()?.accounts.find((a) => a.name === draft.name);
      const account = accountFromDraft({ ...draft, localfolders: expand(draft.localfolders) }, { localSeparator: preferences().localSeparator, previous });
      if (draft.password) {
        d.log.addSecret(draft.password);
        await d.secrets.set(draft.name, draft.password);
      }
      withConfig((c) => ({ ...c, accounts: previous ? c.accounts.map((a) => (a.name === draft.name ? account : a)) : [...c.accounts, account] }));
    },
    removeAccount: async (name) => {
      withConfig((c) => ({ ...c, accounts: c.accounts.filter((a) => a.name !== name) }));
      await d.secrets.delete(name);
    },
    accountFolders: (account) => d.port.tool('accountFolders', account),
    previewRules: (req) => d.port.tool('previewRules', req),
    saveRules: async (name, rules) => {
      const acc = config()?.accounts.find((a) => a.name === name);
      if (!acc) throw new Error(`There is no account "${name}".`);
      const side = acc.remote.type === 'imap' ? 'remote' : 'local';
      withConfig((c) => ({ ...c, accounts: c.accounts.map((a) => (a.name === name ? { ...a, [side]: withRules(a[side], rules) } : a)) }));
    },
    getLog: async () => d.log.all() as LogLine[],
    getPreferences: async () => preferences(),
    setPreferences: async (p) => {
      if (p.launchAtLogin !== undefined) d.loginItem.set(p.launchAtLogin);
      const ui: Record<string, boolean> = {};
      if (p.notifyErrors !== undefined) ui.notifyErrors = p.notifyErrors;
      if (p.notifyNewMail !== undefined) ui.notifyNewMail = p.notifyNewMail;
      if (p.launchAtLogin !== undefined) ui.launchAtLogin = p.launchAtLogin;
      if (Object.keys(ui).length) d.settings.setPrefs(ui);
      if (p.localSeparator) localSeparator = p.localSeparator;
      if ((p.syncEveryMinutes !== undefined || p.idle !== undefined) && config()?.accounts.length) {
        withConfig((c) => ({ ...c, accounts: c.accounts.map((a) => ({
          ...a,
          ...(p.syncEveryMinutes !== undefined ? { autorefresh: p.syncEveryMinutes || undefined } : {}),
          ...(p.idle !== undefined && a.remote.type === 'imap' ? { remote: { ...a.remote, idleFolders: p.idle ? undefined : [] } } : {}),
        })) }));
      }
      return preferences();
    },
    importOfflineImap: (file) => d.port.tool('importOfflineImap', file),
    onStatus: () => () => {},
    onLog: () => () => {},
  };
  const out: Record<string, unknown> = {};
  for (const [m, fn] of Object.entries(bridge)) if (m !== 'onStatus' && m !== 'onLog') out[`bridge:${m}`] = fn;
  return out as Pick<Handlers, BridgeChannel>;
}
