// Settings migrations keyed on `schemaVersion` (not on the app version, as electron-store's
// own migrations are), run on the JSON file before the store opens it. The pure part turns
// any older value into the current one; the file part keeps a backup of what it replaced,
// moves unreadable files aside instead of deleting them, and refuses files from a newer app.

import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { defaultSettings, DEFAULT_UI, SETTINGS_VERSION, validateSettings, type AppSettings } from './settings-schema.js';
import type { ConfigProblem } from '../../core/config/model.js';

export interface Migration {
  /** The version this migration produces; it receives a value of version `to - 1`. */
  to: number;
  up(value: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Version 0 is an unversioned file: a bare configuration model ({ general, accounts }) as
 * written by hand or by `satchel` tools, or a partial settings object. It becomes
 * { schemaVersion: 1, config, ui } with the default preferences filled in.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    up(v) {
      const bareConfig = 'accounts' in v && 'general' in v && !('config' in v);
      const config = bareConfig ? { general: v.general, accounts: v.accounts, ...(v.configFile ? { configFile: v.configFile } : {}) } : (v.config ?? null);
      const ui = typeof v.ui === 'object' && v.ui !== null ? (v.ui as Record<string, unknown>) : {};
      return { schemaVersion: 1, config, ui: { ...DEFAULT_UI, ...ui } };
    },
  },
];

export class SettingsMigrationError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SettingsMigrationError';
  }
}

export function versionOf(v: Record<string, unknown>): number {
  return typeof v.schemaVersion === 'number' && Number.isInteger(v.schemaVersion) ? v.schemaVersion : 0;
}

/** Applies every migration above the value's version, in order. Throws on a newer version. */
export function migrateSettings(value: Record<string, unknown>, migrations: readonly Migration[] = MIGRATIONS, target = SETTINGS_VERSION): Record<string, unknown> {
  const from = versionOf(value);
  if (from > target) throw new Error(`settings are from a newer Satchel (version ${from}, this one reads up to ${target}); update Satchel or remove the file`);
  let v = value;
  for (const m of [...migrations].sort((a, b) => a.to - b.to)) if (m.to > versionOf(v) && m.to <= target) v = m.up(v);
  return v;
}

export interface MigrateFileResult {
  settings: AppSettings;
  /** What happened: 'created' | 'current' | 'migrated' | 'reset' (unreadable file moved aside). */
  outcome: 'created' | 'current' | 'migrated' | 'reset';
  /** Where the previous file was kept (migrated or reset). */
  backup?: string;
  problems: ConfigProblem[];
}

function writeAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, '\t')}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * Brings the settings file at `file` to the current version. A file that is not JSON or not an
 * object is renamed to `<file>.unreadable-<time>` and replaced by defaults; a migrated file's old
 * text is kept as `<file>.v<N>.bak`. A migrated value that fails validation is not written.
 */
export function migrateSettingsFile(file: string, now = Date.now()): MigrateFileResult {
  if (!existsSync(file)) {
    const settings = defaultSettings();
    writeAtomic(file, settings);
    return { settings, outcome: 'created', problems: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const backup = `${file}.unreadable-${now}`;
    renameSync(file, backup);
    const settings = defaultSettings();
    writeAtomic(file, settings);
    return { settings, outcome: 'reset', backup, problems: [] };
  }
  const from = versionOf(parsed as Record<string, unknown>);
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateSettings(parsed as Record<string, unknown>);
  } catch (e) {
    throw new SettingsMigrationError(file, (e as Error).message);
  }
  const problems = validateSettings(migrated);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new SettingsMigrationError(file, `invalid settings (${list}); fix or remove the file`);
  }
  if (from === SETTINGS_VERSION) return { settings: migrated as unknown as AppSettings, outcome: 'current', problems };
  const backup = `${file}.v${from}.bak`;
  copyFileSync(file, backup);
  writeAtomic(file, migrated);
  return { settings: migrated as unknown as AppSettings, outcome: 'migrated', backup, problems };
}
