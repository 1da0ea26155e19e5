// The WebAssembly CRLF -> LF path: its committed bytes are what crlf.wat compiles to, and it gives
// exactly what the JavaScript loop gives on random bodies dense in CR, LF and CRLF at every
// alignment (the sixteen-byte blocks and the byte-by-byte tail both get CRs at their edges).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { CRLF_WASM_BASE64, crlfToLfSimd } from '../../../core/store/crlf-simd.js';
import { crlfToLf, crlfToLfScalar } from '../../../core/store/line-endings.js';

function reference(buf: Buffer): string {
  return buf.toString('latin1').replace(/\r\n/g, '\n');
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('CRLF -> LF with WebAssembly SIMD', () => {
  it('is the module crlf.wat compiles to', async () => {
    const wabt = await wabtInit();
    const source = fs.readFileSync(path.join(__dirname, '../../../core/store/crlf.wat'), 'utf8');
    const compiled = Buffer.from(wabt.parseWat('crlf.wat', source, { simd: true }).toBinary({}).buffer).toString('base64');
    expect(CRLF_WASM_BASE64, `crlf.wat changed: set CRLF_WASM_BASE64 in core/store/crlf-simd.ts to '${compiled}'`).toBe(compiled);
  });

  it('runs here and matches the JavaScript loop on random bodies of every length', () => {
    const r = seeded(42);
    const alphabet = ['\r', '\n', '\r\n', 'a', 'b', '\r\r', 'x'.repeat(15), 'y'.repeat(17)];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const parts = Math.floor(r() * 40);
      for (let p = 0; p < parts; p++) s += alphabet[Math.floor(r() * alphabet.length)];
      const buf = Buffer.from(s, 'latin1');
      const fast = crlfToLfSimd(buf);
      expect(fast, 'WebAssembly SIMD is available in Node 20').toBeDefined();
      expect(fast!.toString('latin1')).toBe(reference(buf));
      expect(crlfToLfScalar(Buffer.from(buf)).toString('latin1')).toBe(reference(buf));
    }
  });

  it('converts a multi-megabyte body, leaves its input alone and returns a body without CRLF as it is', () => {
    const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit \u00e9\r\n';
    const big = Buffer.from(line.repeat(60_000), 'latin1');
    const copy = Buffer.from(big);
    const out = crlfToLf(big);
    expect(out.length).toBe(big.length - 60_000);
    expect(out.toString('latin1')).toBe(reference(big));
    expect(big.equals(copy)).toBe(true);
    const plain = Buffer.from('a\rb\nc'.repeat(100), 'latin1');
    expect(crlfToLf(plain)).toBe(plain);
  });

  it('leaves bodies above its scratch limit to JavaScript', () => {
    const huge = Buffer.alloc(9 * 1024 * 1024, 0x61);
    huge.write('\r\n', 100, 'latin1');
    expect(crlfToLfSimd(huge)).toBeUndefined();
    expect(crlfToLf(huge).length).toBe(huge.length - 1);
  });
});
