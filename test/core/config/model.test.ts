// The runtime validator of the configuration model: a valid config passes, and every problem
// of an invalid one is reported at once with its path.
// The validator must never throw, whatever shape it is given.

import { describe, it, expect } from 'vitest';
import { validateConfig, type SatchelConfig } from '../../../core/config/model.js';

const valid = (): SatchelConfig => ({
  general: { metadata: '/state', maxSyncAccounts: 1, fsync: true, ui: 'quiet' },
  accounts: [{
    name: 'a',
    autorefresh: 5,
    local: { type: 'maildir', name: 'l', localfolders: '/m', sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true, folderfilter: { source: 'lambda f: True', line: 3 } },
    remote: {
      type: 'imap', name: 'r', host: 'h', port: 993, user: 'u', password: { kind: 'command', argv: ['pass', 'x'] }, ssl: true, starttls: true,
      maxConnections: 1, readonly: false, createFolders: true, syncDeletes: true, expunge: true, gmail: false, certFingerprints: ['a'.repeat(64)],
    },
  }],
});

describe('validateConfig', () => {
  it('accepts a valid config', () => {
    expect(validateConfig(valid())).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const c = valid() as unknown as { general: Record<string, unknown>; accounts: Record<string, unknown>[] };
    c.general.metadata = 'relative';
    c.general.ui = 'fancy';
    const a = c.accounts[0]!;
    a.autorefresh = 0;
    a.maxage = 1.5;
    (a.remote as Record<string, unknown>).port = 70000;
    (a.remote as Record<string, unknown>).password = { kind: 'command', argv: [] };
    (a.remote as Record<string, unknown>).certFingerprints = ['AB'];
    (a.local as Record<string, unknown>).readonly = true;
    c.accounts.push({ ...a });
    expect(validateConfig(c)).toEqual([
      { path: 'general.metadata', message: 'must be an absolute path' },
      { path: 'general.ui', message: 'must be one of quiet, basic, syslog, ttyui, blinkenlights, machineui' },
      { path: 'accounts[0].local.createFolders', message: 'must be false when readonly is true' },
      { path: 'accounts[0].remote.port', message: 'must be at most 65535' },
      { path: 'accounts[0].remote.password.argv', message: 'must name a command' },
      { path: 'accounts[0].remote.certFingerprints', message: "'AB' is not a lowercase hex SHA-1/224/256/384/512 fingerprint" },
      { path: 'accounts[0].autorefresh', message: 'must be more than 0 minutes (leave it out to sync once)' },
      { path: 'accounts[0].maxage', message: 'must be a whole number' },
      { path: 'accounts[1].name', message: "duplicate account name 'a'" },
      { path: 'accounts[1].local.createFolders', message: 'must be false when readonly is true' },
      { path: 'accounts[1].remote.port', message: 'must be at most 65535' },
      { path: 'accounts[1].remote.password.argv', message: 'must name a command' },
      { path: 'accounts[1].remote.certFingerprints', message: "'AB' is not a lowercase hex SHA-1/224/256/384/512 fingerprint" },
      { path: 'accounts[1].autorefresh', message: 'must be more than 0 minutes (leave it out to sync once)' },
      { path: 'accounts[1].maxage', message: 'must be a whole number' },
    ]);
  });

  it('rejects wrong shapes without throwing', () => {
    expect(validateConfig(null)).toEqual([{ path: '(root)', message: 'must be an object' }]);
    expect(validateConfig({ general: {}, accounts: [{ local: { type: 'mbox' }, remote: { type: 'maildir' } }] }).map((p) => p.path)).toEqual([
      'general.metadata', 'general.maxSyncAccounts', 'general.fsync',
      'accounts[0].name',
      'accounts[0].local.name', 'accounts[0].local.readonly', 'accounts[0].local.createFolders', 'accounts[0].local.syncDeletes', 'accounts[0].local.type',
      'accounts[0].remote.name', 'accounts[0].remote.readonly', 'accounts[0].remote.createFolders', 'accounts[0].remote.syncDeletes',
      'accounts[0].remote.localfolders', 'accounts[0].remote.sep', 'accounts[0].remote.fsync',
      'accounts[0].remote.type',
    ]);
  });
});
