// Browser mode's settings file and the wizard's account model: atomic 0600 writes that never
// hold a password, clear errors for a broken file, drafts that become valid configurations
// (TLS or STARTTLS, pinned certificate, keyring source, the preference's separator), rules.

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PREFERENCES, defaultSettingsFile, loadSettings, saveSettings } from '../../../core/app/settings.js';
import { accountFromDraft, applyRules, summaryOf } from '../../../core/app/account-config.js';
import { validateConfig, type SatchelConfig } from '../../../core/config/model.js';
import type { AccountDraft } from '../../../core/contract/bridge-contract.js';
import { createLocalAppService } from '../../../core/app/local-app-service.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-settings-'));
const draft = (over: Partial<AccountDraft> = {}): AccountDraft => ({
  name: 'work', email: 'me@example.org', password: 'pw-never-saved', localfolders: '~/Mail/work',
  server: { host: 'imap.example.org', port: 143, security: 'starttls', user: 'me' }, ...over,
});
const configWith = (dir: string, a = accountFromDraft(draft(), DEFAULT_PREFERENCES, dir)): SatchelConfig =>
  ({ general: { metadata: path.join(dir, 'state'), maxSyncAccounts: 1, fsync: true }, accounts: [a] });

describe('ui-settings', () => {
  it('lives in $XDG_CONFIG_HOME/satchel (absolute only), else ~/.config/satchel', () => {
    expect(defaultSettingsFile({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/satchel/ui-settings.json');
    expect(defaultSettingsFile({ XDG_CONFIG_HOME: 'rel' }, '/home/u')).toBe('/home/u/.config/satchel/ui-settings.json');
  });

  it('defaults when missing; round-trips with mode 0600 in a 0700 folder and leaves no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'cfg', 'satchel', 'ui-settings.json');
    expect(loadSettings(file)).toEqual({ config: null, prefs: DEFAULT_PREFERENCES, emails: {} });
    const s = { config: configWith(dir), prefs: { ...DEFAULT_PREFERENCES, idle: false }, emails: { work: 'me@example.org' } };
    saveSettings(file, s);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['ui-settings.json']);
    expect(loadSettings(file)).toEqual(s);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('pw-never-saved');
  });

  it('refuses to save or load an inline password, and names the file and the problem of a broken one', () => {
    const dir = tmp();
    const file = path.join(dir, 'ui-settings.json');
    const cfg = configWith(dir);
    (cfg.accounts[0]!.remote as { password: unknown }).password = { kind: 'inline', value: 'secret1' };
    expect(() => saveSettings(file, { config: cfg, prefs: DEFAULT_PREFERENCES, emails: {} })).toThrow(/must not be stored in settings/);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, JSON.stringify({ config: cfg, prefs: {} }));
    expect(() => loadSettings(file)).toThrow(/ui-settings\.json is not valid: .*password/);
    fs.writeFileSync(file, '{oops');
    expect(() => loadSettings(file)).toThrow(`${file} is not valid JSON`);
    fs.writeFileSync(file, JSON.stringify({ config: { general: {}, accounts: [] }, prefs: {} }));
    expect(() => loadSettings(file)).toThrow(/config\.general\.metadata/);
  });
});

describe('account-config', () => {
  it('builds a valid configuration from a draft', () => {
    const a = accountFromDraft(draft({ certFingerprint: 'ab'.repeat(32) }), { ...DEFAULT_PREFERENCES, localSeparator: '/', syncEveryMinutes: 5 }, '/home/u');
    expect(validateConfig(configWith('/tmp', a))).toEqual([]);
    expect(a.local).toMatchObject({ type: 'maildir', localfolders: '/home/u/Mail/work', sep: '/' });
    expect(a.remote).toMatchObject({ type: 'imap', host: 'imap.example.org', port: 143, ssl: false, starttls: true, certFingerprints: ['ab'.repeat(32)],
      password: { kind: 'keyring', service: 'Satchel', account: 'work' } });
    expect(a.autorefresh).toBe(5);
    expect(JSON.stringify(a)).not.toContain('pw-never-saved');
    const tls = accountFromDraft(draft({ server: { host: 'h', port: 993, security: 'tls', user: 'u' } }), { ...DEFAULT_PREFERENCES, syncEveryMinutes: 0 }, '/h');
    expect(tls.remote).toMatchObject({ ssl: true, starttls: false });
    expect(tls.autorefresh).toBeUndefined();
    expect(() => accountFromDraft(draft({ localfolders: 'Mail' }), DEFAULT_PREFERENCES, '/h')).toThrow(/absolute path/);
  });

  it('applies and summarises folder rules, refusing ones that do not compile', () => {
    const a = accountFromDraft(draft({ rules: { folderfilter: "lambda f: f not in ['Trash']", folderincludes: "['Extra']" } }), DEFAULT_PREFERENCES, '/h');
    expect(a.remote.rules?.folderfilter).toBeTruthy();
    expect(a.remote.folderincludes).toEqual(['Extra']);
    expect(summaryOf(a, 'me@example.org')).toMatchObject({ name: 'work', email: 'me@example.org', rules: { folderfilter: "lambda f: f not in ['Trash']", folderincludes: "['Extra']" } });
    expect(() => applyRules(a, { nametrans: 'lambda f: os.system(f)' })).toThrow(/cannot translate nametrans/);
    expect(a.remote.rules?.folderfilter).toBeTruthy();
    expect(() => applyRules(a, { folderincludes: '[open("x")]' })).toThrow(/folderincludes/);
    applyRules(a, {});
    expect(a.remote.rules).toBeUndefined();
    expect(summaryOf(a).rules).toBeUndefined();
  });
});

describe('satchel ui -c FILE (accounts from an OfflineIMAP configuration)', () => {
  it('lists those accounts and refuses to edit them', async () => {
    const dir = tmp();
    const backend = createLocalAppService({
      settingsFile: path.join(dir, 'ui-settings.json'), secrets: { get: async () => undefined, set: async () => undefined, delete: async () => false },
      home: dir, env: { HOME: dir }, fixedConfig: { ...configWith(dir), configFile: '/etc/rc' },
    });
    expect((await backend.listAccounts()).map((a) => a.name)).toEqual(['work']);
    expect((await backend.getStatus()).accounts.map((a) => a.account)).toEqual(['work']);
    await expect(backend.saveAccount(draft({ name: 'other' }))).rejects.toMatchObject({ code: 'config-file-managed' });
    await expect(backend.removeAccount('work')).rejects.toThrow('/etc/rc');
    expect(fs.existsSync(path.join(dir, 'ui-settings.json'))).toBe(false);
    await backend.close(1_000);
  });
});
