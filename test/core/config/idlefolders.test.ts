// idlefolders: a Python list of quoted remote folder names, parsed like folderincludes (never
// evaluated); absent means INBOX in daemon mode, an empty list means no IDLE at all.

import { describe, it, expect } from 'vitest';
import { fixture, MINIMAL } from './config-fixture.js';

const remoteOf = (text: string) => {
  const r = fixture(text).load().config.accounts[0]!.remote;
  if (r.type !== 'imap') throw new Error('expected an IMAP remote');
  return r;
};

describe('idlefolders', () => {
  it('reads the list, keeps it absent when unset and empty when empty, with no warning', () => {
    const f = fixture(MINIMAL + "idlefolders = ['INBOX', \"Lists/dev x\"]\n");
    const loaded = f.load();
    expect(loaded.warnings).toEqual([]);
    const r = loaded.config.accounts[0]!.remote;
    expect(r.type === 'imap' && r.idleFolders).toEqual(['INBOX', 'Lists/dev x']);
    expect(remoteOf(MINIMAL).idleFolders).toBeUndefined();
    expect(remoteOf(MINIMAL + 'idlefolders = []\n').idleFolders).toEqual([]);
  });

  it('refuses an expression, naming the line', () => {
    expect(() => fixture(MINIMAL + "idlefolders = ['INBOX'] + more\n").load()).toThrow(/:17: \[Repository personal-remote\] idlefolders: expected a list of quoted folder names/);
  });
});
