// One-time launch codes with a controlled clock: a code works once, a late code never, a code
// never issued never, and a wrong-typed presentation is refused without throwing.

import { describe, it, expect } from 'vitest';
import { createLaunchCodes } from '../../../core/ui-server/launch-codes.js';

describe('launch codes', () => {
  it('a code is redeemed once; a second use, an unknown code or a non-string fails', () => {
    const codes = createLaunchCodes();
    const a = codes.issue(), b = codes.issue();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(codes.redeem(a)).toBe(true);
    expect(codes.redeem(a)).toBe(false);
    expect(codes.redeem(b.slice(0, -1) + (b.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(codes.redeem(b)).toBe(true);
    for (const bad of [undefined, null, 42, {}, '', 'x'.repeat(500)]) expect(codes.redeem(bad)).toBe(false);
  });

  it('a code presented after its time to live fails, and is used up by that attempt', () => {
    let t = 1_000;
    const codes = createLaunchCodes({ ttlMs: 100, now: () => t });
    const late = codes.issue();
    const inTime = codes.issue();
    t += 100;
    expect(codes.redeem(inTime)).toBe(true);
    t += 1;
    expect(codes.redeem(late)).toBe(false);
    t = 1_000;
    expect(codes.redeem(late)).toBe(false);
  });
});
