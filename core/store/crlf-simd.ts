// The fast path of CRLF -> LF (line-endings.ts): a 274-byte WebAssembly SIMD module, compiled
// from crlf.wat beside this file, run on a private memory (the body is copied in and converted
// sixteen bytes at a time, about four times the JavaScript loop's speed, then copied out or, for
// a synchronous writer, used in place).
// Returns undefined where WebAssembly SIMD is missing or the body is too large for the scratch
// memory; the caller then converts in JavaScript. Pure: the input buffer is never changed.

/** Compiled from crlf.wat (wabt, SIMD enabled); the test recompiles it and compares. */
export const CRLF_WASM_BASE64 = 'AGFzbQEAAAABCQFgBH9/f38BfwMCAQAFAwEAAQcRAgZtZW1vcnkCAARjcmxmAAAK4AEB3QEBB38gACEEIAIhBSAAIAFqIQYgBkERayEHAkADQCAHIARIDQEgBSAE/QAEAP0LBAAgBP0ABABBDf0P/SP9ZCEIIAhFBEAgBEEQaiEEIAVBEGohBQwBCyAIaCEJIAUgCWohBSAEIAlqIQQgBC0AAUEKRwRAIAVBDToAACAFQQFqIQULIARBAWohBAwACwsCQANAIAQgBk8NASAELQAAIQogBEEBaiEEIApBDUYEQCAEIAZJBEAgBC0AAEEKRg0CBSADDQILCyAFIAo6AAAgBUEBaiEFDAALCyAFIAJrCw==';

/** Bodies larger than this are left to JavaScript, so the scratch memory stays small. */
const MAX_BODY = 8 * 1024 * 1024;
const PAGE = 65536;

interface CrlfModule {
  memory: WebAssembly.Memory;
  crlf(src: number, n: number, dst: number, nextIsLf: number): number;
}

let mod: CrlfModule | null | undefined;
let bytes: Uint8Array | undefined;

function load(): CrlfModule | null {
  if (mod !== undefined) return mod;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(CRLF_WASM_BASE64, 'base64')));
    mod = instance.exports as unknown as CrlfModule;
  } catch {
    mod = null; // no WebAssembly SIMD on this machine
  }
  return mod;
}

/** CRLF -> LF of `buf` into a new Buffer, or undefined when this path cannot take it. */
export function crlfToLfSimd(buf: Buffer): Buffer | undefined {
  return withLfSimd(buf, (lf) => Buffer.from(lf));
}

/**
 * Converts `buf` into the module's scratch memory and hands the result to `use`, which must be
 * done with it before returning (the next conversion overwrites it): no copy out. Undefined when
 * this path cannot take the body.
 */
export function withLfSimd<T>(buf: Buffer, use: (lf: Uint8Array) => T): T | undefined {
  const n = buf.length;
  if (n > MAX_BODY) return undefined;
  const m = load();
  if (!m) return undefined;
  const dst = (n + 15) & ~15;
  const need = dst + n + 32;
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / PAGE));
  if (!bytes || bytes.buffer !== m.memory.buffer) bytes = new Uint8Array(m.memory.buffer);
  bytes.set(buf, 0);
  const len = m.crlf(0, n, dst, 0);
  return use(bytes.subarray(dst, dst + len));
}
