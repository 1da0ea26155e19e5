// The desktop's settings storage (electron/main/settings-store.ts: electron-store on a real JSON
// file, only the `electron` module substituted) read and written through the one settings model
// of core/app/settings.ts: defaults, owner-only file, the first desktop format carried over,
// a broken or password-holding file refused with its path, never reset.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SatchelConfig } from '../../core/config/model.js';
import { DEFAULT_PREFERENCES, settingsFromValue } from '../../core/app/settings.js';

let dir: string;
vi.mock('electron', () => ({
  default: {
    app: { getPath: () => dir, getVersion: () => '0.1.0', getName: () => 'Satchel' },
    ipcMain: { on: () => undefined },
    shell: { openPath: async () => '' },
  },
}));
const { electronSettingsStorage } = await import('../../electron/main/settings-store.js');

const config = (): SatchelConfig => ({
  general: { metadata: '/home/al/.local/state/satchel', maxSyncAccounts: 1, fsync: true },
  accounts: [{
    name: 'work', autorefresh: 5,
    local: { name: 'work-local', type: 'maildir', localfolders: '/home/al/Mail/work', sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true },
    remote: {
      name: 'work-remote', type: 'imap', host: 'imap.example.org', port: 993, user: 'al', password: { kind: 'keyring', service: 'Satchel', account: 'work' },
      ssl: true, starttls: true, maxConnections: 1, expunge: true, gmail: false, readonly: false, createFolders: true, syncDeletes: true,
    },
  }],
});

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'satchel-settings-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const file = () => join(dir, 'settings.json');

describe('desktop settings storage', () => {
  it('reads nothing at first (the defaults), writes an owner-only file, reads it back', () => {
    const storage = electronSettingsStorage(dir);
    expect(storage.where).toBe(file());
    expect(settingsFromValue(storage.read(), storage.where)).toEqual({ config: null, prefs: DEFAULT_PREFERENCES, emails: {} });
    storage.write({ config: config(), prefs: { ...DEFAULT_PREFERENCES, localSeparator: '/' }, emails: { work: 'al@example.org' } });
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const again = settingsFromValue(electronSettingsStorage(dir).read(), file());
    expect(again.prefs.localSeparator).toBe('/');
    expect(again.config?.accounts[0]?.name).toBe('work');
    expect(again.emails).toEqual({ work: 'al@example.org' });
  });

  it("carries the first desktop format over (config kept, known preferences kept, others dropped)", () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 1, config: config(), ui: { notifyErrors: false, notifyNewMail: true, launchAtLogin: true, showWindowOnStart: true } }));
    const s = settingsFromValue(electronSettingsStorage(dir).read(), file());
    expect(s.config?.accounts[0]?.remote).toMatchObject({ host: 'imap.example.org' });
    expect(s.prefs).toEqual({ ...DEFAULT_PREFERENCES, notifyErrors: false, notifyNewMail: true, launchAtLogin: true });
  });

  it('a file with an inline password or a bad preference is refused with its path, and left as it is', () => {
    const bad = config();
    (bad.accounts[0]!.remote as { password: unknown }).password = { kind: 'inline', value: 'hunter2' };
    const text = JSON.stringify({ config: bad, prefs: {}, emails: {} });
    writeFileSync(file(), text);
    expect(() => settingsFromValue(electronSettingsStorage(dir).read(), file())).toThrow(new RegExp(`${file()}.*password must not be stored`));
    expect(readFileSync(file(), 'utf8')).toBe(text);
    writeFileSync(file(), JSON.stringify({ config: null, prefs: { syncEveryMinutes: 'often' } }));
    expect(() => settingsFromValue(electronSettingsStorage(dir).read(), file())).toThrow(/syncEveryMinutes'? has a value of the wrong kind/);
  });

  it('refuses to write settings that hold a password', () => {
    const bad = config();
    (bad.accounts[0]!.remote as { password: unknown }).password = { kind: 'inline', value: 'hunter2' };
    const storage = electronSettingsStorage(dir);
    expect(() => storage.write({ config: bad, prefs: DEFAULT_PREFERENCES, emails: {} })).toThrow(/password must not be stored/);
  });
});
