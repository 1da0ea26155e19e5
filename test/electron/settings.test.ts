// Settings: migrations and validation on real JSON files in a temp dir (settings-migrations.ts,
// settings-schema.ts), then the electron-store adapter (settings-store.ts) on a real file with
// only the `electron` module substituted (electron-store asks it for paths and the version).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SatchelConfig } from '../../core/config/model.js';
import { migrateSettings, migrateSettingsFile, SettingsMigrationError, type Migration } from '../../electron/main/settings-migrations.js';
import { DEFAULT_UI, SETTINGS_VERSION, validateSettings } from '../../electron/main/settings-schema.js';

let dir: string;
vi.mock('electron', () => ({
  default: {
    app: { getPath: () => dir, getVersion: () => '0.1.0' },
    ipcMain: { on: () => undefined },
    shell: { openPath: async () => '' },
  },
}));

const config = (): SatchelConfig => ({
  general: { metadata: '/home/al/.local/state/satchel', maxSyncAccounts: 1, fsync: true },
  accounts: [
    {
      name: 'work',
      utf8foldernames: false,
      autorefresh: 5,
      local: { name: 'work-local', type: 'maildir', localfolders: '/home/al/Mail/work', sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true },
      remote: {
        name: 'work-remote', type: 'imap', host: 'imap.example.org', port: 993, user: 'al', password: { kind: 'keyring', service: 'Satchel', account: 'work' },
        ssl: true, starttls: true, maxConnections: 1, expunge: true, gmail: false, readonly: false, createFolders: true, syncDeletes: true,
        folderfilter: { source: "lambda f: f != 'Trash'", line: 0 },
      },
    },
  ],
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'satchel-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = () => join(dir, 'settings.json');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;

describe('settings migrations on real files', () => {
  it('creates defaults when there is no file (owner-only permissions)', () => {
    const r = migrateSettingsFile(file());
    expect(r.outcome).toBe('created');
    expect(readJson(file())).toEqual({ schemaVersion: SETTINGS_VERSION, config: null, ui: DEFAULT_UI });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('migrates an unversioned bare configuration model, keeping a backup of the old file', () => {
    const old = JSON.stringify(config());
    writeFileSync(file(), old);
    const r = migrateSettingsFile(file());
    expect(r.outcome).toBe('migrated');
    expect(r.backup).toBe(`${file()}.v0.bak`);
    expect(readFileSync(r.backup!, 'utf8')).toBe(old);
    expect(readJson(file())).toEqual({ schemaVersion: 1, config: config(), ui: DEFAULT_UI });
    expect(r.settings.config?.accounts[0]?.remote).toMatchObject({ host: 'imap.example.org', folderfilter: { source: "lambda f: f != 'Trash'", line: 0 } });
  });

  it('migrates an unversioned partial settings object, keeping known preferences', () => {
    writeFileSync(file(), JSON.stringify({ ui: { notifyNewMail: true } }));
    const r = migrateSettingsFile(file());
    expect(r.settings).toEqual({ schemaVersion: 1, config: null, ui: { ...DEFAULT_UI, notifyNewMail: true } });
  });

  it('leaves a current file alone', () => {
    const text = JSON.stringify({ schemaVersion: 1, config: config(), ui: DEFAULT_UI });
    writeFileSync(file(), text);
    expect(migrateSettingsFile(file()).outcome).toBe('current');
    expect(readFileSync(file(), 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('moves an unreadable file aside (never deletes it) and starts from defaults', () => {
    writeFileSync(file(), '{ "schemaVersion": 1, oops');
    const r = migrateSettingsFile(file(), 1234);
    expect(r.outcome).toBe('reset');
    expect(r.backup).toBe(`${file()}.unreadable-1234`);
    expect(readFileSync(r.backup!, 'utf8')).toBe('{ "schemaVersion": 1, oops');
    expect(readJson(file()).config).toBeNull();
  });

  it('refuses a file from a newer Satchel and leaves it untouched', () => {
    const text = JSON.stringify({ schemaVersion: 99, config: null, ui: DEFAULT_UI });
    writeFileSync(file(), text);
    expect(() => migrateSettingsFile(file())).toThrow(SettingsMigrationError);
    expect(() => migrateSettingsFile(file())).toThrow(/newer Satchel \(version 99/);
    expect(readFileSync(file(), 'utf8')).toBe(text);
  });

  it('refuses to migrate into invalid settings, naming each problem, and writes nothing', () => {
    const bad = config();
    (bad.accounts[0]!.remote as { port: number }).port = 70000;
    (bad.accounts[0]!.remote as { password: unknown }).password = { kind: 'inline', value: 'hunter2' };
    const text = JSON.stringify(bad);
    writeFileSync(file(), text);
    expect(() => migrateSettingsFile(file())).toThrow(/config\.accounts\[0\]\.remote\.port must be at most 65535/);
    expect(() => migrateSettingsFile(file())).toThrow(/password must not be stored in settings/);
    expect(readFileSync(file(), 'utf8')).toBe(text);
    expect(existsSync(`${file()}.v0.bak`)).toBe(false);
  });

  it('applies migrations in version order, only those above the value', () => {
    const steps: Migration[] = [
      { to: 3, up: (v) => ({ ...v, schemaVersion: 3, trail: [...(v.trail as number[]), 3] }) },
      { to: 2, up: (v) => ({ ...v, schemaVersion: 2, trail: [...(v.trail as number[]), 2] }) },
    ];
    expect(migrateSettings({ schemaVersion: 1, trail: [] }, steps, 3)).toEqual({ schemaVersion: 3, trail: [2, 3] });
    expect(migrateSettings({ schemaVersion: 2, trail: [] }, steps, 3)).toEqual({ schemaVersion: 3, trail: [3] });
    expect(migrateSettings({ schemaVersion: 1, trail: [] }, steps, 2)).toEqual({ schemaVersion: 2, trail: [2] });
  });

  it('validateSettings catches unknown preferences and wrong types', () => {
    expect(validateSettings({ schemaVersion: 1, config: null, ui: { ...DEFAULT_UI, theme: 'dark' } })).toEqual([{ path: 'ui.theme', message: 'is not a known preference' }]);
    expect(validateSettings({ schemaVersion: 1, config: null, ui: { ...DEFAULT_UI, notifyErrors: 'yes' } })).toEqual([{ path: 'ui.notifyErrors', message: 'must be true or false' }]);
    expect(validateSettings([])).toEqual([{ path: '(root)', message: 'must be an object' }]);
  });
});

describe('SettingsStore (electron-store) on a real file', () => {
  it('opens a migrated file, validates writes, persists them and reports changes', async () => {
    writeFileSync(file(), JSON.stringify(config()));
    const { SettingsStore, SettingsError } = await import('../../electron/main/settings-store.js');
    const store = new SettingsStore(dir);
    expect(store.path).toBe(file());
    expect(store.get().config?.accounts.map((a) => a.name)).toEqual(['work']);

    const changes: string[] = [];
    store.onChange((s, what) => changes.push(`${what}:${s.ui.notifyNewMail}`));
    expect(store.setPrefs({ notifyNewMail: true })).toEqual({ ...DEFAULT_UI, notifyNewMail: true });
    const next = config();
    next.accounts[0]!.autorefresh = 15;
    store.setConfig(next);
    expect(changes).toEqual(['ui:true', 'config:true']);
    expect(readJson(file())).toMatchObject({ schemaVersion: 1, ui: { notifyNewMail: true }, config: { accounts: [{ autorefresh: 15 }] } });

    const inline = config();
    (inline.accounts[0]!.remote as { password: unknown }).password = { kind: 'inline', value: 'hunter2' };
    expect(() => store.setConfig(inline)).toThrow(SettingsError);
    expect(readFileSync(file(), 'utf8')).not.toContain('hunter2');
    expect(changes).toHaveLength(2);

    // A second store on the same file sees what was written.
    expect(new SettingsStore(dir).get().config?.accounts[0]?.autorefresh).toBe(15);
  });

  it("electron-store's JSON schema refuses a bad preference type on its own", async () => {
    const { SettingsStore } = await import('../../electron/main/settings-store.js');
    const store = new SettingsStore(dir);
    expect(() => store.setPrefs({ notifyErrors: 'no' as unknown as boolean })).toThrow(/notifyErrors/);
    expect(readJson(file()).ui).toEqual(DEFAULT_UI);
  });
});
