// Maildir file names: OfflineIMAP's exact format, parsing of names written by OfflineIMAP,
// mbsync, mutt and Dovecot, and renames that keep the unique part and unknown flag letters.

import { describe, it, expect } from 'vitest';
import {
  buildName, folderMd5, listedName, newUnique, parseName, safeHostname, withFarUid, withFlags,
} from '../../../core/maildir/filename.js';

const INBOX_MD5 = '7e33429f656f1e6e9d79b29c3f82c57e';

describe('folderMd5', () => {
  it('is the md5 hex of the UTF-8 folder name, as OfflineIMAP computes FMD5', () => {
    expect(folderMd5('INBOX')).toBe(INBOX_MD5);
    expect(folderMd5('[Gmail].Sent Mail')).toBe('e9e253523c24888236328e65ad90fc4f');
  });
});

describe('parseName', () => {
  it('reads an OfflineIMAP name: id, flags and far UID', () => {
    const p = parseName(`1722883669_5.274433.rigter,U=923,FMD5=${INBOX_MD5}:2,S`)!;
    expect(p.unique).toBe('1722883669_5.274433.rigter');
    expect(p.flags).toBe('S');
    expect(p.uid).toBe(923);
    expect(p.fmd5).toBe(INBOX_MD5);
    expect(p.extraFlags).toBe('');
  });

  it('reads mbsync / Dovecot / mutt names', () => {
    const p = parseName('1722883669.M123P456.host,S=1234,W=1300:2,RS')!;
    expect(p.unique).toBe('1722883669.M123P456.host');
    expect(p.flags).toBe('RS');
    expect(p.uid).toBeUndefined();
    expect(parseName('1722883669.M123P456.host')).toMatchObject({ unique: '1722883669.M123P456.host', flags: '', info: null });
    expect(parseName('1722883669.123_4.host:2,')).toMatchObject({ unique: '1722883669.123_4.host', flags: '' });
  });

  it('keeps only DFRST as engine flags, sorted, and remembers the other letters', () => {
    const p = parseName('123.abc:2,SaFbP')!;
    expect(p.flags).toBe('FS');
    expect(p.extraFlags.split('').sort().join('')).toBe('Pab');
  });

  it('skips dot files and empty names', () => {
    expect(parseName('.hidden:2,S')).toBeNull();
    expect(parseName('')).toBeNull();
  });

  it('listedName (the fast path of listing) agrees with parseName', () => {
    const names = [
      `1722883669_5.274433.rigter,U=923,FMD5=${INBOX_MD5}:2,S`, '1722883669.M123P456.host,S=1234,W=1300:2,RS',
      'plain', 'x:2,', 'x:2,TSRFDa', 'x,U=0,FMD5=ab', 'x,S=1,U=7x,FMD5=ab,U=9:2,F', 'x:1,weird', 'a,b,c:2,SS',
      'x,FMD5=:2,', 'x:2,S,U=5',
    ];
    for (const n of names) {
      const p = parseName(n)!;
      expect(listedName(n), n).toEqual({ unique: p.unique, flags: p.flags,
        ...(p.uid !== undefined ? { uid: p.uid } : {}), ...(p.fmd5 !== undefined ? { fmd5: p.fmd5 } : {}) });
    }
    expect(listedName('.x')).toBeNull();
  });

  it('ignores a U= that is not a positive number', () => {
    expect(parseName('x,U=0,FMD5=ab:2,')!.uid).toBeUndefined();
    expect(parseName('x,U=-5,FMD5=ab:2,')!.uid).toBeUndefined();
  });
});

describe('building names', () => {
  it("writes OfflineIMAP's format exactly", () => {
    expect(buildName('1722883669_5.274433.rigter', 'S', { uid: 923, fmd5: INBOX_MD5 }))
      .toBe(`1722883669_5.274433.rigter,U=923,FMD5=${INBOX_MD5}:2,S`);
    expect(buildName('1722883669_6.274433.rigter', 'SRF')).toBe('1722883669_6.274433.rigter:2,FRS');
    expect(buildName('1722883669_7.274433.rigter', '')).toBe('1722883669_7.274433.rigter:2,');
  });

  it('builds unique parts <T>_<N>.<PID>.<HOST> with a counter that never repeats', () => {
    const a = newUnique('host', 1722883669_123, 274433);
    const b = newUnique('host', 1722883669_999, 274433);
    expect(a).toMatch(/^1722883669_\d+\.274433\.host$/);
    expect(b).not.toBe(a);
    expect(newUnique('h')).toMatch(new RegExp(`^\\d{10}_\\d+\\.${process.pid}\\.h$`));
  });

  it('makes the host name safe: / : and , become -', () => {
    expect(safeHostname('a/b:c,d')).toBe('a-b-c-d');
    expect(safeHostname('rigter')).toBe('rigter');
  });

  it('round-trips: a built name parses back to its parts', () => {
    const name = buildName('1722883669_5.274433.rigter', 'ST', { uid: 7, fmd5: INBOX_MD5 });
    expect(parseName(name)).toMatchObject({ unique: '1722883669_5.274433.rigter', flags: 'ST', uid: 7, fmd5: INBOX_MD5 });
  });
});

describe('renames', () => {
  it('withFlags swaps the :2, part, keeps the base and unknown letters, sorts ASCII', () => {
    const p = parseName('1722883669.M1P2.host,S=10:2,Sab')!;
    expect(withFlags(p, 'RS')).toBe('1722883669.M1P2.host,S=10:2,RSab');
    expect(withFlags(p, '')).toBe('1722883669.M1P2.host,S=10:2,ab');
    expect(withFlags(parseName('1722883669.M1P2.host')!, 'F')).toBe('1722883669.M1P2.host:2,F');
  });

  it('withFarUid inserts U= and FMD5= right after the unique part, replacing old ones', () => {
    const p = parseName('1722883669.M1P2.host,S=10,W=12:2,Sa')!;
    expect(withFarUid(p, 42, INBOX_MD5)).toBe(`1722883669.M1P2.host,U=42,FMD5=${INBOX_MD5},S=10,W=12:2,Sa`);
    const q = parseName(withFarUid(p, 42, INBOX_MD5))!;
    expect(withFarUid(q, 43, 'ff')).toBe('1722883669.M1P2.host,U=43,FMD5=ff,S=10,W=12:2,Sa');
    expect(q.unique).toBe(p.unique);
    expect(withFarUid(parseName('abc')!, 1, 'ff')).toBe('abc,U=1,FMD5=ff:2,');
  });
});
