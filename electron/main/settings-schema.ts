// The desktop app's settings: the configuration model from core/ (accounts, repositories,
// folder rules, schedule) plus UI preferences, with a version number for migrations, the
// defaults, a JSON schema for electron-store and a full validator. Pure. Settings never hold
// a password: the only password sources allowed here point elsewhere (keyring, file, command).

import { validateConfig, type ConfigProblem, type SatchelConfig } from '../../core/config/model.js';

export const SETTINGS_VERSION = 1;

export interface UiPrefs {
  /** Notify on auth-required and on errors that persist. */
  notifyErrors: boolean;
  /** Notify on new mail (opt-in). */
  notifyNewMail: boolean;
  /** The user's wish; the truth is read back from the system (login-item.ts). */
  launchAtLogin: boolean;
  /** Start with the accounts window shown (false after the first successful setup). */
  showWindowOnStart: boolean;
}

export interface AppSettings {
  schemaVersion: number;
  /** null until the first account is set up or a .offlineimaprc is imported. */
  config: SatchelConfig | null;
  ui: UiPrefs;
}

export const DEFAULT_UI: UiPrefs = { notifyErrors: true, notifyNewMail: false, launchAtLogin: false, showWindowOnStart: true };

export function defaultSettings(): AppSettings {
  return { schemaVersion: SETTINGS_VERSION, config: null, ui: { ...DEFAULT_UI } };
}

/** Given to electron-store (ajv) as its `schema`: the envelope strictly, the config by validateConfig. */
export const SETTINGS_JSON_SCHEMA = {
  schemaVersion: { type: 'integer', minimum: 1 },
  config: { anyOf: [{ type: 'null' }, { type: 'object', required: ['general', 'accounts'] }] },
  ui: {
    type: 'object',
    additionalProperties: false,
    required: ['notifyErrors', 'notifyNewMail', 'launchAtLogin', 'showWindowOnStart'],
    properties: {
      notifyErrors: { type: 'boolean' },
      notifyNewMail: { type: 'boolean' },
      launchAtLogin: { type: 'boolean' },
      showWindowOnStart: { type: 'boolean' },
    },
  },
} as const;

/** Every problem with a settings value (empty = valid), with dotted paths. */
export function validateSettings(value: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path: '(root)', message: 'must be an object' }];
  const s = value as Record<string, unknown>;
  if (s.schemaVersion !== SETTINGS_VERSION) problems.push({ path: 'schemaVersion', message: `must be ${SETTINGS_VERSION}` });
  if (s.config !== null) {
    for (const p of validateConfig(s.config)) problems.push({ path: `config.${p.path}`, message: p.message });
    problems.push(...inlinePasswords(s.config));
  }
  const ui = s.ui as Record<string, unknown> | undefined;
  if (!ui || typeof ui !== 'object' || Array.isArray(ui)) problems.push({ path: 'ui', message: 'must be an object' });
  else {
    for (const k of Object.keys(DEFAULT_UI)) if (typeof ui[k] !== 'boolean') problems.push({ path: `ui.${k}`, message: 'must be true or false' });
    for (const k of Object.keys(ui)) if (!(k in DEFAULT_UI)) problems.push({ path: `ui.${k}`, message: 'is not a known preference' });
  }
  return problems;
}

function inlinePasswords(config: unknown): ConfigProblem[] {
  const accounts = (config as { accounts?: unknown }).accounts;
  if (!Array.isArray(accounts)) return [];
  const out: ConfigProblem[] = [];
  accounts.forEach((a, i) => {
    for (const side of ['local', 'remote'] as const) {
      const pw = (a as Record<string, { password?: { kind?: string } } | undefined>)?.[side]?.password;
      if (pw?.kind === 'inline') {
        out.push({ path: `config.accounts[${i}].${side}.password`, message: 'a password must not be stored in settings: keep it in the keyring' });
      }
    }
  });
  return out;
}
