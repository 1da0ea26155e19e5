// The FETCH attribute reader of the lean path: what it takes from a row, what it reads past, and
// that a row it cannot read as a whole gives nothing at all.

import { describe, expect, it } from 'vitest';
import { announcedLiteral, parseFetchResponse, parseInternalDate } from '../../../core/imap/fetch-response.js';

const lit = (s: string) => Buffer.from(s, 'latin1');

describe('FETCH rows of the lean reader', () => {
  it('reads UID, FLAGS, INTERNALDATE, RFC822.SIZE and the body literal in any order, past other items', () => {
    const r = parseFetchResponse([
      '* 12 FETCH (MODSEQ (77) FLAGS (\\Seen $Junk \\Flagged) X-GM-LABELS ("a b" \\Inbox) UID 345 INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 5 BODY[] {5}',
      ')',
    ], [lit('a\r\nb)')]);
    expect(r).toEqual({ uid: 345, flags: new Set(['\\Seen', '$Junk', '\\Flagged']), internalDate: new Date('1996-07-17T09:44:25Z'), size: 5, body: lit('a\r\nb)') });
  });

  it('reads past sections with spaces and extra literals, and takes quoted and NIL bodies', () => {
    expect(parseFetchResponse(['* 1 FETCH (BODY[HEADER.FIELDS (MESSAGE-ID DATE)] {3}', ' UID 9 BODY[] "x\\"y")'], [lit('abc')]))
      .toEqual({ uid: 9, body: lit('x"y') });
    expect(parseFetchResponse(['* 1 FETCH (UID 9 BODY[] NIL)'], [])).toEqual({ uid: 9, body: Buffer.alloc(0) });
    expect(parseFetchResponse(['* 3 FETCH (FLAGS (\\Seen))'], [])).toEqual({ flags: new Set(['\\Seen']) });
  });

  it('gives nothing for a row that is not whole', () => {
    for (const [pieces, lits] of [
      [['* 1 FETCH (UID 5 BODY[] {'], []],
      [['* 4 FETCH ((( UID 5)'], []],
      [['* 1 FETCH (UID -4 FLAGS ())'], []],
      [['* 1 FETCH (UID 5 BODY[] {4}', 'garbage after the literal'], [lit('abcd')]],
      [['* 1 FETCH (UID 5) trailing'], []],
      [['* 1 FETCH (UID 5 FLAGS (\\Seen)'], []],
      [['* 1 FETCH (UID 5 BODY[] {4}'], []],
      [['* 1 FETCH (UID)'], []],
    ] as Array<[string[], Buffer[]]>) {
      expect(parseFetchResponse(pieces, lits), pieces.join(' | ')).toBeNull();
    }
  });

  it('leaves a nonsensical size out instead of trusting it', () => {
    expect(parseFetchResponse(['* 1 FETCH (UID 5 RFC822.SIZE -5)'], [])).toEqual({ uid: 5 });
    expect(parseFetchResponse(['* 1 FETCH (UID 5 RFC822.SIZE 999999999999999999999999999)'], [])).toEqual({ uid: 5 });
  });

  it('finds the literal a line announces', () => {
    expect(announcedLiteral('* 1 FETCH (UID 5 BODY[] {1234}')).toBe(1234);
    expect(announcedLiteral('* 1 FETCH (UID 5 BINARY[] ~{7}')).toBe(7);
    expect(announcedLiteral('* 1 FETCH (UID 5 FLAGS ())')).toBe(-1);
    expect(announcedLiteral('* OK {not a literal}')).toBe(-1);
  });

  it('reads INTERNALDATE with its zone', () => {
    expect(parseInternalDate(' 1-Feb-2024 10:30:00 +0000')).toEqual(new Date('2024-02-01T10:30:00Z'));
    expect(parseInternalDate('01-Feb-2024 10:30:00 +0130')).toEqual(new Date('2024-02-01T09:00:00Z'));
    expect(parseInternalDate('01-Foo-2024 10:30:00 +0000')).toBeUndefined();
  });
});
