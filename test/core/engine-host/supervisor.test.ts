// The engine supervisor with explicit times: exponential restart backoff, the crash budget
// (5 crashes in 5 minutes -> give up), old crashes leaving the window, and "Try again".

import { describe, it, expect } from 'vitest';
import { createSupervisor } from '../../../core/engine-host/supervisor.js';

describe('supervisor', () => {
  it('restarts with a doubling backoff, then gives up at the fifth crash within five minutes', () => {
    const s = createSupervisor();
    expect(s.crashed(0)).toEqual({ action: 'restart', attempt: 1, delayMs: 500 });
    expect(s.crashed(1_000)).toEqual({ action: 'restart', attempt: 2, delayMs: 1_000 });
    expect(s.crashed(3_000)).toEqual({ action: 'restart', attempt: 3, delayMs: 2_000 });
    expect(s.crashed(6_000)).toEqual({ action: 'restart', attempt: 4, delayMs: 4_000 });
    expect(s.crashed(11_000)).toEqual({ action: 'fail', crashes: 5 });
  });

  it('forgets crashes older than the window, so rare crashes never spend the budget', () => {
    const s = createSupervisor();
    for (let i = 0; i < 20; i++) expect(s.crashed(i * 80_000).action).toBe('restart');
    expect(s.recentCrashes(19 * 80_000)).toBe(4);
    expect(s.recentCrashes(19 * 80_000 + 300_000)).toBe(0);
  });

  it('caps the delay and resets on "Try again"', () => {
    const s = createSupervisor({ budget: 100, baseDelayMs: 1_000, maxDelayMs: 5_000 });
    let last = 0;
    for (let i = 0; i < 10; i++) { const d = s.crashed(i); if (d.action === 'restart') last = d.delayMs; }
    expect(last).toBe(5_000);
    s.reset();
    expect(s.recentCrashes(10)).toBe(0);
    expect(s.crashed(11)).toEqual({ action: 'restart', attempt: 1, delayMs: 1_000 });
  });

  it('honours a custom budget and window', () => {
    const s = createSupervisor({ budget: 2, windowMs: 1_000 });
    expect(s.crashed(0).action).toBe('restart');
    expect(s.crashed(1_500).action).toBe('restart');
    expect(s.crashed(2_000)).toEqual({ action: 'fail', crashes: 2 });
  });
});
