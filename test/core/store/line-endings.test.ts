// Line-end conversion between the wire form (CRLF) and the Maildir form (LF): whole buffers and
// streams cut at every position, so a CR at the end of a chunk is handled like one inside it.

import { describe, expect, it } from 'vitest';
import { crlfToLf, lfToCrlf, toCrlf, toLf } from '../../../core/store/line-endings.js';

async function collect(body: Buffer | AsyncIterable<Buffer>): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString('latin1');
  const parts: Buffer[] = [];
  for await (const b of body) parts.push(b);
  return Buffer.concat(parts).toString('latin1');
}

async function* chunks(s: string, cuts: number[]): AsyncIterable<Buffer> {
  let from = 0;
  for (const c of [...cuts, s.length]) { yield Buffer.from(s.slice(from, c), 'latin1'); from = c; }
}

const b = (s: string) => Buffer.from(s, 'latin1');

describe('line endings', () => {
  it('turns CRLF into LF and keeps a lone CR', () => {
    expect(crlfToLf(b('a\r\nb\r\n\r\nc\rd\r\r\n')).toString('latin1')).toBe('a\nb\n\nc\rd\r\n');
    const plain = b('no line ends at all');
    expect(crlfToLf(plain)).toBe(plain);
  });

  it('turns a bare LF into CRLF and never doubles an existing CR', () => {
    expect(lfToCrlf(b('a\nb\r\nc\n\nd')).toString('latin1')).toBe('a\r\nb\r\nc\r\n\r\nd');
    expect(lfToCrlf(b('\nx')).toString('latin1')).toBe('\r\nx');
    expect(lfToCrlf(b('\nx'), true).toString('latin1')).toBe('\nx');
    const wire = b('already\r\nwire form\r\n');
    expect(lfToCrlf(wire)).toBe(wire);
  });

  it('gives the same bytes for a stream cut anywhere as for the whole buffer', async () => {
    const samples = ['H: 1\r\nH: 2\r\n\r\nbody\r\nlone\rcr\r\r\n\r', 'H: 1\nH: 2\n\nbody\nmixed\r\nend\n', '\r\n\r\n\n\r'];
    for (const s of samples) {
      const lf = crlfToLf(b(s)).toString('latin1');
      const crlf = lfToCrlf(b(s)).toString('latin1');
      for (let i = 0; i <= s.length; i++) {
        for (let j = i; j <= s.length; j += 3) {
          expect(await collect(toLf(chunks(s, [i, j])))).toBe(lf);
          expect(await collect(toCrlf(chunks(s, [i, j])))).toBe(crlf);
        }
      }
    }
  });

  it('round-trips: wire -> Maildir -> wire gives the server bytes back', async () => {
    const wire = 'From: a@x\r\nSubject: s\r\n\r\nline 1\r\n\r\nline 3\r\n';
    expect((toCrlf(toLf(b(wire))) as Buffer).toString('latin1')).toBe(wire);
    expect(await collect(toCrlf(toLf(chunks(wire, [5, 11, 12, 13]))))).toBe(wire);
  });
});
