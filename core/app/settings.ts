// The app's settings, one model for browser mode and the desktop app: the configuration model
// (validated with validateConfig), the interface preferences and each account's e-mail address,
// read from and written to a SettingsStorage (here: a JSON file written atomically, mode 0600 in
// a 0700 folder; the desktop's electron-store adapter is another). It never holds a password:
// a config with an inline password is refused on load and on save.

import fs from 'node:fs';
import path from 'node:path';
import { validateConfig, type SatchelConfig } from '../config/model.js';
import { checkCall, type Preferences } from '../contract/bridge-contract.js';
import { makePrivateDir, writeFileAtomic } from '../files/private-files.js';
import { SyncError } from '../errors.js';

export interface UiSettings {
  config: SatchelConfig | null;
  prefs: Preferences;
  /** Account name → the e-mail address given in the wizard (the model has no place for it). */
  emails: Record<string, string>;
}

export const DEFAULT_PREFERENCES: Preferences = {
  notifyErrors: true, notifyNewMail: false, launchAtLogin: false, syncEveryMinutes: 15, idle: true, localSeparator: '.',
};

/** $XDG_CONFIG_HOME/satchel/ui-settings.json, or ~/.config/satchel/ui-settings.json. */
export function defaultSettingsFile(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'satchel', 'ui-settings.json');
}

/** Every problem of a settings value, as "path: message" lines (empty = valid). */
export function settingsProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['(root): must be an object'];
  const s = value as Record<string, unknown>;
  const out: string[] = [];
  if (s.config !== null) {
    out.push(...validateConfig(s.config).map((p) => `config.${p.path}: ${p.message}`));
    const accounts = (s.config as { accounts?: unknown } | undefined)?.accounts;
    if (Array.isArray(accounts)) {
      accounts.forEach((a, i) => {
        for (const side of ['local', 'remote']) {
          const repo = (a as Record<string, { password?: { kind?: string }; oauth2?: Record<string, unknown> }>)?.[side];
          if (repo?.password?.kind === 'inline') {
            out.push(`config.accounts[${i}].${side}.password: a password must not be stored in settings; it belongs in the keyring`);
          }
          for (const k of ['clientSecret', 'refreshTokenSeed', 'accessToken']) {
            if (repo?.oauth2?.[k] !== undefined) out.push(`config.accounts[${i}].${side}.oauth2.${k}: a token or client secret must not be stored in settings; it belongs in the keyring`);
          }
        }
      });
    }
  }
  const prefs = s.prefs as Record<string, unknown> | undefined;
  if (!prefs || typeof prefs !== 'object') out.push('prefs: must be an object');
  else {
    // The same schema as the interface's setPreferences (own keys only, whole-minute interval).
    const why = checkCall('setPreferences', [prefs]);
    if (why) out.push(`prefs: ${why.replace(/^setPreferences /, '')}`);
  }
  if (s.emails !== undefined && (typeof s.emails !== 'object' || s.emails === null)) out.push('emails: must be an object');
  return out;
}

/** Where the settings are kept: raw values in, raw values out; the model's checks are done here, not there. */
export interface SettingsStorage {
  /** The stored value, or undefined when nothing was stored yet. */
  read(): unknown;
  write(value: UiSettings): void;
  /** Where it is (a file path), for error messages. */
  readonly where: string;
}

/**
 * The settings from a stored value: the defaults when there is none, the desktop app's first
 * format ({ schemaVersion: 1, config, ui }) carried over, anything else invalid an error naming
 * the place and the problem.
 */
export function settingsFromValue(value: unknown, where: string): UiSettings {
  if (value === undefined) return { config: null, prefs: { ...DEFAULT_PREFERENCES }, emails: {} };
  const legacy = value as { schemaVersion?: unknown; ui?: Record<string, unknown>; config?: unknown } | null;
  if (legacy && typeof legacy === 'object' && legacy.schemaVersion === 1 && legacy.ui && typeof legacy.ui === 'object' && !('prefs' in legacy)) {
    const known = Object.fromEntries(Object.entries(legacy.ui).filter(([k, v]) => k in DEFAULT_PREFERENCES && typeof v === typeof DEFAULT_PREFERENCES[k as keyof Preferences]));
    value = { config: legacy.config ?? null, prefs: known, emails: {} };
  }
  const problems = settingsProblems(value);
  if (problems.length) {
    throw new SyncError('settings-invalid', `${where} is not valid: ${problems.join('; ')}. Fix it, or move it away to start over.`, { scope: 'fatal', retry: 'needs-user' });
  }
  const s = value as { config: SatchelConfig | null; prefs: Partial<Preferences>; emails?: Record<string, string> };
  return { config: s.config, prefs: { ...DEFAULT_PREFERENCES, ...s.prefs }, emails: { ...(s.emails ?? {}) } };
}

/** Refuses settings that must not be stored (invalid, or holding a password), naming each problem. */
export function checkSettings(settings: UiSettings): void {
  const problems = settingsProblems(settings);
  if (problems.length) throw new SyncError('settings-invalid', `Not saved: ${problems.join('; ')}.`, { scope: 'fatal', retry: 'needs-user' });
}

/** A JSON file as the settings' storage (browser mode, and the tests of the app service). */
export function fileSettingsStorage(file: string): SettingsStorage {
  return {
    where: file,
    read() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new SyncError('settings-unreadable', `Cannot read ${file}: ${(e as Error).message}.`, { scope: 'fatal', retry: 'needs-user' });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new SyncError('settings-invalid', `${file} is not valid JSON (${(e as Error).message}). Fix it, or move it away to start over.`, { scope: 'fatal', retry: 'needs-user' });
      }
    },
    write: (value) => writeSettingsFile(file, value),
  };
}

/** The settings in `file`; the defaults when it does not exist. A broken file is an error naming the file and the problem. */
export function loadSettings(file: string): UiSettings {
  return settingsFromValue(fileSettingsStorage(file).read(), file);
}

/** Validates, then writes `file` atomically with mode 0600 (its folder 0700). */
export function saveSettings(file: string, settings: UiSettings): void {
  fileSettingsStorage(file).write(settings);
}

function writeSettingsFile(file: string, settings: UiSettings): void {
  checkSettings(settings);
  makePrivateDir(path.dirname(file));
  writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n');
}
