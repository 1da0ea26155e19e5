// The status coalescer with a fake clock and timer: transitions are delivered at once, progress
// at most once per interval, and the last value is never lost.

import { describe, it, expect } from 'vitest';
import { createCoalescer } from '../../electron/main/status-coalescer.js';

function fake() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const out: string[] = [];
  const c = createCoalescer<string>({
    intervalMs: 250, now: () => t,
    setTimer: (fn, ms) => { const id = nextId++; timers.push({ at: t + ms, fn, id }); return id; },
    clearTimer: (id) => { const i = timers.findIndex((x) => x.id === id); if (i >= 0) timers.splice(i, 1); },
    deliver: (v) => out.push(`${t}:${v}`),
  });
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      t = next.at;
      next.fn();
    }
    t = end;
  };
  return { c, out, advance, timers };
}

describe('status coalescer', () => {
  it('delivers the first value at once, then at most one per interval, ending with the latest', () => {
    const { c, out, advance } = fake();
    c.push('p1', false);
    for (let i = 2; i <= 40; i++) { advance(10); c.push(`p${i}`, false); }
    advance(1000);
    // 400 ms of progress every 10 ms: the first at 0, then one per 250 ms, and the last one.
    expect(out).toEqual(['0:p1', '250:p25', '500:p40']);
  });

  it('delivers a transition immediately and drops the pending progress it supersedes', () => {
    const { c, out, advance, timers } = fake();
    c.push('progress1', false);
    advance(50);
    c.push('progress2', false);
    expect(timers).toHaveLength(1);
    advance(10);
    c.push('idle', true);
    expect(out).toEqual(['0:progress1', '60:idle']);
    expect(timers).toHaveLength(0);
    advance(1000);
    expect(out).toEqual(['0:progress1', '60:idle']);
  });

  it('never delivers more than 5 values a second for a flood of progress', () => {
    const { c, out, advance } = fake();
    for (let i = 0; i < 1000; i++) { c.push(`p${i}`, false); advance(1); }
    advance(500);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out.at(-1)).toMatch(/:p999$/);
  });

  it('dispose cancels the pending delivery', () => {
    const { c, out, advance } = fake();
    c.push('a', false);
    c.push('b', false);
    c.dispose();
    advance(1000);
    expect(out).toEqual(['0:a']);
  });
});
