// The pure helpers of the IMAP store: UID set packing/chunking and flag letter mapping.

import { describe, expect, it } from 'vitest';
import { packUids, toUids, uidSetChunks } from '../../../core/imap/uid-sets.js';
import { flagsToLetters, lettersToFlags } from '../../../core/imap/imap-flags.js';
import { parseMessageId } from '../../../core/store/raw-message.js';

describe('uid sets', () => {
  it('parses, sorts, de-duplicates and drops non-UIDs', () => {
    expect(toUids(['5', '1', '3', '3', '0', '-1', 'x', '01', '4294967296', '4294967295'])).toEqual([1, 3, 5, 4294967295]);
  });

  it('packs runs', () => {
    expect(packUids([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
    expect(packUids([])).toBe('');
  });

  it('chunks by count and by length, keeping every UID once', () => {
    const uids = Array.from({ length: 5000 }, (_, i) => i * 2 + 1); // no runs
    const chunks = uidSetChunks(uids, 2000, 8000);
    expect(chunks.flatMap((c) => c.uids)).toEqual(uids);
    for (const c of chunks) {
      expect(c.uids.length).toBeLessThanOrEqual(2000);
      expect(c.set.length).toBeLessThanOrEqual(8000);
    }
    const runs = uidSetChunks(Array.from({ length: 4500 }, (_, i) => i + 1), 2000);
    expect(runs.map((c) => c.set)).toEqual(['1:2000', '2001:4000', '4001:4500']);
  });
});

describe('flags', () => {
  it('maps IMAP flags to sorted letters and back', () => {
    expect(flagsToLetters(new Set(['\\Seen', '\\flagged', '$Junk', '\\Recent', '\\Deleted', '\\Draft', '\\Answered']))).toBe('DFRST');
    expect(lettersToFlags('SFx')).toEqual(['\\Flagged', '\\Seen']);
  });

  it('reads a folded Message-ID header', () => {
    expect(parseMessageId('Message-ID:\r\n <a@b>\r\n\r\n')).toBe('<a@b>');
    expect(parseMessageId('Subject: x\r\n')).toBeNull();
  });
});
