// The scheduler's timing with an injected fake clock (wall + monotonic) and fake timers:
// autorefresh intervals, the quick rotation, sync-now, IDLE folder syncs queued behind a
// running sync, pause/resume (of all and of one account), offline backoff, the suspend (clock
// jump) wake-up and drain.

import { describe, it, expect } from 'vitest';
import { Scheduler, type ScheduledAccount, type SyncOutcome } from '../../../core/scheduler/scheduler.js';

class FakeClock {
  wall = 1_700_000_000_000;
  mono = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  setTimer = (fn: () => void, ms: number) => { const id = ++this.seq; this.timers.push({ at: this.mono + ms, fn, id }); return id; };
  clearTimer = (h: unknown) => { this.timers = this.timers.filter((t) => t.id !== h); };
  /** Advances both clocks, firing due timers in order (and letting promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      await flush();
      this.timers.sort((a, b) => a.at - b.at);
      const t = this.timers[0];
      if (!t || t.at > end) break;
      this.timers.shift();
      this.wall += t.at - this.mono;
      this.mono = t.at;
      t.fn();
    }
    this.wall += end - this.mono;
    this.mono = end;
    await flush();
  }
  /** A suspend: the wall clock moves, the monotonic one does not. */
  sleep(ms: number): void { this.wall += ms; }
}
const flush = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); };

interface Call { account: string; quick: boolean; folders?: string[]; at: number }

function setup(accounts: ScheduledAccount[], outcome: (c: Call) => SyncOutcome | Promise<SyncOutcome> = () => ({ ok: true })) {
  const clock = new FakeClock();
  const calls: Call[] = [];
  const logs: string[] = [];
  const s = new Scheduler({
    accounts, now: () => clock.wall, monotonic: () => clock.mono, setTimer: clock.setTimer, clearTimer: clock.clearTimer,
    tickMs: 15_000, log: (m) => logs.push(m),
    sync: async (account, o) => { const c = { account, ...o, at: clock.wall }; calls.push(c); return outcome(c); },
  });
  return { clock, calls, logs, s, t0: clock.wall };
}

describe('scheduler', () => {
  it('syncs at start, then every autorefresh minutes with `quick` quick syncs between full ones', async () => {
    const { clock, calls, s, t0 } = setup([{ name: 'a', autorefresh: 5, quick: 2 }, { name: 'b' }]);
    s.start();
    await clock.advance(31 * 60_000);
    expect(calls.filter((c) => c.account === 'b').length).toBe(1); // no autorefresh: once
    const a = calls.filter((c) => c.account === 'a');
    expect(a.map((c) => (c.at - t0) / 60_000)).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(a.map((c) => c.quick)).toEqual([false, true, true, false, true, true, false]);
  });

  it('quick = -1 is always quick after the first full sync; quick = 0 never', async () => {
    const { clock, calls, s } = setup([{ name: 'q', autorefresh: 1, quick: -1 }, { name: 'f', autorefresh: 1 }]);
    s.start();
    await clock.advance(3 * 60_000);
    expect(calls.filter((c) => c.account === 'q').map((c) => c.quick)).toEqual([false, true, true, true]);
    expect(calls.filter((c) => c.account === 'f').map((c) => c.quick)).toEqual([false, false, false, false]);
  });

  it('sync-now runs at once and restarts the interval from there', async () => {
    const { clock, calls, s, t0 } = setup([{ name: 'a', autorefresh: 10 }]);
    s.start();
    await clock.advance(3 * 60_000);
    s.syncNow();
    await clock.advance(0);
    expect(calls.map((c) => (c.at - t0) / 60_000)).toEqual([0, 3]);
    await clock.advance(10 * 60_000);
    expect(calls.map((c) => (c.at - t0) / 60_000)).toEqual([0, 3, 13]);
  });

  it('folder syncs (IDLE) are full syncs of only those folders, queued behind a running sync and never lost', async () => {
    let release!: () => void;
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 30 }],
      (c) => c.folders ? { ok: true } : new Promise<SyncOutcome>((r) => { release = () => r({ ok: true }); }));
    s.start();
    await clock.advance(0);
    s.syncFolders('a', ['INBOX']);
    s.syncFolders('a', ['Lists/x']);
    await clock.advance(1000);
    expect(calls.length).toBe(1); // the full sync is still running
    release();
    await clock.advance(0);
    expect(calls[1]).toMatchObject({ quick: false, folders: ['INBOX', 'Lists/x'] });
    expect(s.status()[0]!.nextSync).toBe(calls[0]!.at + 1000 + 30 * 60_000);
  });

  it('pause holds every sync until resume', async () => {
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 1 }]);
    s.start();
    await clock.advance(0);
    s.pause();
    await clock.advance(5 * 60_000);
    expect(calls.length).toBe(1);
    expect(s.status()[0]!.state).toBe('paused');
    s.resume();
    await clock.advance(0);
    expect(calls.length).toBe(2);
  });

  it('pausing one account holds its scheduled, sync-now and folder syncs while the others go on', async () => {
    const { clock, calls, s, t0 } = setup([{ name: 'a', autorefresh: 1 }, { name: 'b', autorefresh: 1 }]);
    s.start();
    await clock.advance(0);
    s.pause('a');
    s.syncFolders('a', ['INBOX']);
    s.syncNow();
    await clock.advance(3 * 60_000);
    const at = (n: string) => calls.filter((c) => c.account === n).map((c) => (c.at - t0) / 60_000);
    expect(at('a')).toEqual([0]);
    expect(at('b')).toEqual([0, 0, 1, 2, 3]);
    expect(s.status().map((x) => x.state)).toEqual(['paused', 'waiting']);
    s.resume('a');
    await clock.advance(0);
    expect(at('a')).toEqual([0, 3]); // what fell due meanwhile runs at once
    expect(s.status()[0]!.state).toBe('waiting');
  });

  it('a folder sync asked while its account was paused runs on resume', async () => {
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 30 }, { name: 'b', autorefresh: 30 }]);
    s.start();
    await clock.advance(0);
    s.pause('a');
    s.syncFolders('a', ['INBOX']);
    await clock.advance(60_000);
    expect(calls.length).toBe(2);
    s.resume('a');
    await clock.advance(0);
    expect(calls[2]).toMatchObject({ account: 'a', folders: ['INBOX'] });
  });

  it('syncs asked behind a running sync (IDLE folders, sync-now) do not start once its account is paused; they run on resume', async () => {
    let release!: () => void;
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 30 }, { name: 'b', autorefresh: 30 }],
      (c) => (calls.length === 1 /* a's first sync */ ? new Promise<SyncOutcome>((r) => { release = () => r({ ok: true }); }) : { ok: true }));
    s.start();
    await clock.advance(0);
    s.syncFolders('a', ['INBOX']); // IDLE's catch-up, queued behind a's first sync
    s.syncNow('a'); // queued as well
    s.pause('a'); // the sync under way runs to its end; nothing queued starts
    expect(s.status()[0]!.state).toBe('syncing');
    release();
    await clock.advance(10 * 60_000);
    expect(calls.map((c) => c.account)).toEqual(['a', 'b']);
    expect(s.status()[0]!.state).toBe('paused');
    s.resume('a');
    await clock.advance(0);
    // On resume, at once: the sync-now asked meanwhile, a full sync that covers the IDLE folder.
    expect(calls.slice(2)).toMatchObject([{ account: 'a', quick: false }]);
    expect(calls[2]!.folders).toBeUndefined();
    await clock.advance(60_000);
    expect(calls).toHaveLength(3);
  });

  it('the two pause levels are independent: an account runs only when neither holds it', async () => {
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 1 }, { name: 'b', autorefresh: 1 }]);
    s.start();
    await clock.advance(0);
    s.pause('a');
    s.pause();
    s.resume('a');
    await clock.advance(2 * 60_000);
    expect(calls.length).toBe(2); // resuming one account under a pause of all runs nothing
    expect(s.status().map((x) => x.state)).toEqual(['paused', 'paused']);
    s.pause('b');
    s.resume();
    await clock.advance(0);
    expect(calls.slice(2).map((c) => c.account)).toEqual(['a']);
    expect(s.status()[1]!.state).toBe('paused');
  });

  it('start() resolves when every account not paused has had its first sync', async () => {
    const { clock, calls, s } = setup([{ name: 'a' }, { name: 'b' }]);
    s.pause('a');
    let done = false;
    void s.start().then(() => { done = true; });
    await clock.advance(0);
    expect(calls.map((c) => c.account)).toEqual(['b']);
    expect(done).toBe(true);
  });

  it('offline: exponential backoff capped by the interval; a needs-user error waits the normal interval', async () => {
    let offline = true;
    const { clock, calls, s, t0 } = setup([{ name: 'a', autorefresh: 2 }],
      () => offline ? { ok: false, offline: true, retry: 'later', error: 'connection refused' } : { ok: true });
    s.start();
    await clock.advance(4 * 60_000);
    expect(calls.map((c) => (c.at - t0) / 1000)).toEqual([0, 15, 45, 105, 225]); // 15, 30, 60, then the 2 min cap
    expect(s.status()[0]).toMatchObject({ state: 'offline', error: 'connection refused' });
    offline = false;
    await clock.advance(2 * 60_000);
    expect(s.status()[0]).toMatchObject({ state: 'waiting' });
    const { clock: c2, calls: calls2, s: s2 } = setup([{ name: 'a', autorefresh: 2 }],
      () => ({ ok: false, offline: false, retry: 'needs-user', error: 'bad password' }));
    s2.start();
    await c2.advance(5 * 60_000);
    expect(calls2.length).toBe(3); // 0, 2, 4 minutes
  });

  it('a suspend (wall clock jumps, monotonic does not) wakes every account at once with a full sync', async () => {
    const { clock, calls, logs, s } = setup([{ name: 'a', autorefresh: 60, quick: -1 }, { name: 'b', autorefresh: 60, quick: 5 }]);
    s.start();
    await clock.advance(60_000);
    expect(calls.length).toBe(2);
    clock.sleep(3 * 3600_000);
    await clock.advance(15_000);
    expect(calls.length).toBe(4);
    expect(calls.slice(2).find((c) => c.account === 'b')!.quick).toBe(false);
    expect(logs.join('\n')).toMatch(/machine slept/);
    // no false alarm on an ordinary tick
    await clock.advance(10 * 60_000);
    expect(calls.length).toBe(4);
  });

  it('drain waits for the running sync and schedules nothing more', async () => {
    let release!: () => void;
    const { clock, calls, s } = setup([{ name: 'a', autorefresh: 1 }], () => new Promise<SyncOutcome>((r) => { release = () => r({ ok: true }); }));
    s.start();
    await clock.advance(0);
    let drained = false;
    const d = s.drain().then(() => { drained = true; });
    await clock.advance(0);
    expect(drained).toBe(false);
    release();
    await d;
    await clock.advance(10 * 60_000);
    expect(calls.length).toBe(1);
    expect(s.status()[0]!.state).toBe('stopped');
  });
});
