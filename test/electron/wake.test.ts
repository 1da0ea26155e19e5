// Power resume and network-back wake the engine (wake.ts), with a real EventEmitter as the
// power monitor and a switchable online flag polled on a short real interval.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { onlineEdge, watchWake } from '../../electron/main/wake.js';

describe('wake', () => {
  it('onlineEdge fires only on offline → online', () => {
    const e = onlineEdge();
    expect([true, true, false, false, true, true, false, true].map(e)).toEqual([false, false, false, false, true, false, false, true]);
  });

  it('resume and unlock wake with "resume"; the network coming back wakes with "online"; dispose stops both', async () => {
    const power = new EventEmitter();
    const woken: string[] = [];
    let online = false;
    const stop = watchWake({
      wake: async (r) => { woken.push(r); },
      power: power as never,
      isOnline: () => online,
      pollMs: 10,
    });
    power.emit('resume');
    power.emit('unlock-screen');
    await sleep(30);
    online = true;
    await sleep(40);
    expect(woken).toEqual(['resume', 'resume', 'online']);
    stop();
    power.emit('resume');
    online = false;
    await sleep(20);
    online = true;
    await sleep(30);
    expect(woken).toEqual(['resume', 'resume', 'online']);
  });

  it('a failing wake is reported, not thrown', async () => {
    const power = new EventEmitter();
    const errors: string[] = [];
    const stop = watchWake({ wake: async () => { throw new Error('engine gone'); }, power: power as never, isOnline: () => true, onError: (e) => errors.push((e as Error).message), pollMs: 1000 });
    power.emit('resume');
    await sleep(5);
    expect(errors).toEqual(['engine gone']);
    stop();
  });
});
