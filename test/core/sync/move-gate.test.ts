// The server-move gate (move-gate.ts) on the situations of an ordinary change batch: new mail,
// flag changes and local deletions not yet on the server prove that nothing left a folder;
// a message gone from the server, a top UID deleted earlier, or a missing state do not.

import { describe, expect, it } from 'vitest';
import { farGate } from '../../../core/sync/move-gate.js';
import type { MessageRow, PairRow } from '../../../core/status/status-db.js';

const pair: PairRow = { id: 1, farName: 'X', nearName: 'X', farUidValidity: 7, nearUidValidity: 1, farModseq: '10', nearModseq: null, nearToken: null, farToken: null };
const rows = (uids: number[], extra: MessageRow[] = []): MessageRow[] =>
  [...uids.map((u) => ({ farId: String(u), nearId: `n${u}`, flags: '', msgidHash: null })), ...extra];
const one2ten = Array.from({ length: 10 }, (_, i) => i + 1);

describe('farGate', () => {
  it('flag changes only: nothing can be gone, nothing new', () => {
    expect(farGate(pair, rows(one2ten), { uidValidity: 7, uidNext: 11, messages: 10 })).toEqual({ canLose: false, canGain: false });
  });
  it('new mail only: a destination, not a source', () => {
    expect(farGate(pair, rows(one2ten), { uidValidity: 7, uidNext: 14, messages: 13 })).toEqual({ canLose: false, canGain: true });
  });
  it('a local deletion not yet on the server (row kept, far copy there): no source', () => {
    const kept = rows(one2ten);
    expect(farGate(pair, kept, { uidValidity: 7, uidNext: 11, messages: 10 }).canLose).toBe(false);
    // rows kept on one side on purpose: far id null (far copy gone, never counted) or near id null
    const oneSided = rows(one2ten.slice(0, 9), [{ farId: null, nearId: 'n0', flags: '', msgidHash: null }, { farId: '10', nearId: null, flags: '', msgidHash: null }]);
    expect(farGate(pair, oneSided, { uidValidity: 7, uidNext: 11, messages: 10 }).canLose).toBe(false);
  });
  it('a message gone from the server (moved away): a source, even when new mail arrived too', () => {
    expect(farGate(pair, rows(one2ten), { uidValidity: 7, uidNext: 11, messages: 9 }).canLose).toBe(true);
    expect(farGate(pair, rows(one2ten), { uidValidity: 7, uidNext: 13, messages: 11 })).toEqual({ canLose: true, canGain: true });
  });
  it('the top UID deleted by an earlier sync: UIDs above the rows may be new, so nothing is proved', () => {
    expect(farGate(pair, rows(one2ten.slice(0, 9)), { uidValidity: 7, uidNext: 11, messages: 9 })).toEqual({ canLose: true, canGain: true });
  });
  it('no state, no counts, another UIDVALIDITY or non-numeric ids: anything is possible', () => {
    const open = { canLose: true, canGain: true };
    expect(farGate(pair, rows(one2ten), undefined)).toEqual(open);
    expect(farGate(pair, rows(one2ten), { uidValidity: 7, uidNext: 11 })).toEqual(open);
    expect(farGate(pair, rows(one2ten), { uidValidity: 8, uidNext: 11, messages: 10 })).toEqual(open);
    expect(farGate(pair, rows([], [{ farId: 'abc', nearId: 'n', flags: '', msgidHash: null }]), { uidValidity: 7, uidNext: 11, messages: 10 })).toEqual(open);
  });
});
