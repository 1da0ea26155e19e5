// Folder pairing between the server's hierarchy and the local one (no rules): separators,
// collisions, local-only folders, and adoption of folders an earlier tool stored in modified UTF-7.

import { describe, it, expect } from 'vitest';
import { planFolders } from '../../../core/sync/folder-plan.js';
import { encodeMutf7 } from '../../../core/sync/mutf7.js';

const pair = (far: string[], near: string[], farSep: string, nearSep: string) => {
  const rows = planFolders({ farNames: far, nearNames: near, farSep, nearSep });
  return {
    pairs: rows.filter((r) => r.onFar && r.synced).map((r) => ({ farName: r.farName, nearName: r.nearName })),
    nearOnly: rows.filter((r) => !r.onFar && r.synced).map((r) => ({ nearName: r.nearName, farName: r.farName })),
    collisions: rows.filter((r) => r.problem?.code === 'folder-name-collision').map((r) => [r.farName, r.nearName]),
  };
};

describe('folder pairing', () => {
  it('maps the server separator to the local one and back for local-only folders', () => {
    const p = pair(['INBOX', 'Archive/2024'], ['INBOX', 'Outbox.Later'], '/', '.');
    expect(p.pairs).toEqual([{ farName: 'INBOX', nearName: 'INBOX' }, { farName: 'Archive/2024', nearName: 'Archive.2024' }]);
    expect(p.nearOnly).toEqual([{ nearName: 'Outbox.Later', farName: 'Outbox/Later' }]);
    expect(p.collisions).toEqual([]);
  });

  it('reports two server folders that would share one local name', () => {
    const p = pair(['a/b', 'a.b'], [], '/', '.');
    expect(p.collisions).toEqual([['a/b', 'a.b'], ['a.b', 'a.b']]);
    expect(p.pairs).toEqual([]);
  });

  it('adopts a local folder named in modified UTF-7 instead of creating a UTF-8 twin', () => {
    expect(encodeMutf7('Entwürfe')).toBe('Entw&APw-rfe');
    expect(encodeMutf7('R&D 日本')).toBe('R&-D &ZeVnLA-');
    const p = pair(['Entwürfe', 'Archive/Ümlaut'], ['Entw&APw-rfe'], '/', '.');
    expect(p.pairs).toEqual([{ farName: 'Entwürfe', nearName: 'Entw&APw-rfe' }, { farName: 'Archive/Ümlaut', nearName: 'Archive.Ümlaut' }]);
    expect(p.nearOnly).toEqual([]);
  });
});
