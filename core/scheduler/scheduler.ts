// The sync scheduler of the daemon and the desktop app: per account, a full sync every
// `autorefresh` minutes with `quick` quick syncs in between, sync-now, folder syncs asked by
// IDLE, pause/resume (of everything or of one account), wake (after a suspend or going online)
// and a graceful drain/stop, with exponential backoff while offline. Deadlines are wall-clock
// times checked on a short tick, which also notices a suspend (the wall clock jumped, the
// monotonic one did not). It never syncs by itself: it calls deps.sync, one sync per account
// at a time, and takes clocks as deps.

import type { RetryClass } from '../errors.js';

export interface ScheduledAccount {
  name: string;
  /** Minutes between syncs; none = synced once, then only on request. */
  autorefresh?: number;
  /** 0 = always full, -1 = always quick, N = N quick syncs between full ones. */
  quick?: number;
}

export type SyncOutcome = { ok: true } | { ok: false; offline: boolean; retry: RetryClass; error: string };

export interface SchedulerDeps {
  accounts: ScheduledAccount[];
  sync: (account: string, opts: { quick: boolean; folders?: string[] }) => Promise<SyncOutcome>;
  /** Wall clock (ms since the epoch). */
  now?: () => number;
  /** Monotonic clock (ms); stands still while the machine sleeps. */
  monotonic?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Default 15 s. */
  tickMs?: number;
  log?: (message: string) => void;
  /** Called when a suspend was noticed (before the wake-up syncs): e.g. to reconnect IDLE. */
  onClockJump?: (reason: string) => void;
}

export type ScheduledState = 'waiting' | 'syncing' | 'paused' | 'offline' | 'error' | 'stopped';

export interface AccountSchedule {
  account: string;
  state: ScheduledState;
  lastSync?: number;
  nextSync?: number;
  nextKind?: 'full' | 'quick';
  error?: string;
}

interface Slot {
  cfg: ScheduledAccount;
  nextAt?: number;
  quickSinceFull: number;
  failures: number;
  running?: Promise<void>;
  /** A full/rotation sync asked while one was running. */
  pendingScheduled: boolean;
  pendingFolders: Set<string>;
  lastSync?: number;
  error?: string;
  offline: boolean;
  attempted: boolean;
  /** This account alone is paused (pause(account)); the scheduler's own flag pauses them all. */
  paused: boolean;
}

const OFFLINE_BASE_MS = 15_000;
const OFFLINE_CAP_MS = 10 * 60_000;
/** A wall-clock gap this much larger than the monotonic one means the machine slept. */
const JUMP_MS = 30_000;

export class Scheduler {
  private readonly slots = new Map<string, Slot>();
  private readonly now: () => number;
  private readonly mono: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (h: unknown) => void;
  private readonly tickMs: number;
  private timer: unknown;
  private lastWall = 0;
  private lastMono = 0;
  private paused = false;
  private stopped = false;
  private started = false;
  private firstRound?: () => void;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.now ?? Date.now;
    this.mono = deps.monotonic ?? (() => performance.now());
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
    this.tickMs = deps.tickMs ?? 15_000;
    for (const a of deps.accounts) {
      this.slots.set(a.name, { cfg: a, quickSinceFull: 0, failures: 0, pendingScheduled: false, pendingFolders: new Set(), offline: false, attempted: false, paused: false });
    }
  }

  /**
   * Syncs every account at once (full), then keeps the schedule until drain(). The promise
   * resolves when every account's first sync has finished (or drain() was called).
   */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    const first = new Promise<void>((resolve) => { this.firstRound = resolve; });
    this.lastWall = this.now();
    this.lastMono = this.mono();
    const t = this.now();
    for (const s of this.slots.values()) s.nextAt = t;
    this.tick();
    this.checkFirstRound();
    return first;
  }

  /** Sync now (SIGUSR1, "sync now" in the tray): the next sync of the rotation, at once. */
  syncNow(account?: string): void {
    for (const s of this.select(account)) s.nextAt = this.now();
    this.tick(false);
  }

  /** A sync of just these folders (IDLE saw a change); queued behind a running sync. */
  syncFolders(account: string, folders: string[]): void {
    const s = this.slots.get(account);
    if (!s || this.stopped) return;
    for (const f of folders) s.pendingFolders.add(f);
    if (!s.running && !this.isPaused(s)) this.run(s);
  }

  /** Interrupts every wait: after a resume from suspend or when the network came back. */
  wake(reason: string): void {
    if (this.stopped) return;
    this.deps.log?.(`waking up (${reason}): syncing every account now`);
    const t = this.now();
    for (const s of this.slots.values()) { s.nextAt = t; s.failures = 0; s.quickSinceFull = Infinity; }
    this.tick(false);
  }

  /**
   * Without an account: holds every sync. With one: holds only that account's syncs (scheduled,
   * sync-now, IDLE folder syncs); the others go on. A sync under way is never interrupted; what
   * falls due meanwhile runs on resume. An account runs only when neither it nor all are paused.
   */
  pause(account?: string): void {
    if (account === undefined) this.paused = true;
    else for (const s of this.select(account)) s.paused = true;
    this.checkFirstRound();
  }

  /** Undoes pause(account) or pause(): resuming one account leaves a pause of all in force, and the reverse. */
  resume(account?: string): void {
    if (account === undefined) {
      if (!this.paused) return;
      this.paused = false;
    } else {
      const slots = this.select(account).filter((s) => s.paused);
      if (!slots.length) return;
      for (const s of slots) s.paused = false;
    }
    this.tick(false);
    // Folder syncs IDLE asked for meanwhile, where no scheduled sync (which covers them) started.
    for (const s of this.select(account)) if (!s.running && !this.isPaused(s) && s.pendingFolders.size) this.run(s);
  }

  /** Schedules nothing more and resolves when the syncs under way have finished. */
  async drain(): Promise<void> {
    this.stopped = true;
    this.firstRound?.();
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    for (const s of this.slots.values()) { s.pendingScheduled = false; s.pendingFolders.clear(); }
    await Promise.allSettled([...this.slots.values()].map((s) => s.running));
  }

  get idle(): boolean {
    return [...this.slots.values()].every((s) => !s.running);
  }

  status(): AccountSchedule[] {
    return [...this.slots.values()].map((s) => ({
      account: s.cfg.name,
      state: s.running ? 'syncing' : this.stopped ? 'stopped' : this.isPaused(s) ? 'paused' : s.offline ? 'offline' : s.error ? 'error' : 'waiting',
      ...(s.lastSync !== undefined ? { lastSync: s.lastSync } : {}),
      ...(s.nextAt !== undefined && !this.stopped ? { nextSync: s.nextAt, nextKind: this.quickNext(s) ? 'quick' as const : 'full' as const } : {}),
      ...(s.error ? { error: s.error } : {}),
    }));
  }

  private select(account?: string): Slot[] {
    return [...this.slots.values()].filter((s) => !account || s.cfg.name === account);
  }

  private isPaused(s: Slot): boolean {
    return this.paused || s.paused;
  }

  /** start() resolves once every account has had its first sync or is paused. */
  private checkFirstRound(): void {
    if ([...this.slots.values()].every((x) => x.attempted || this.isPaused(x))) this.firstRound?.();
  }

  /** Runs what is due and re-arms the timer; also notices a clock jump (suspend). */
  private tick(checkJump = true): void {
    if (this.stopped) return;
    const wall = this.now(), mono = this.mono();
    const gap = (wall - this.lastWall) - (mono - this.lastMono);
    if (checkJump && gap > JUMP_MS) {
      this.lastWall = wall;
      this.lastMono = mono;
      const reason = `the wall clock jumped ${Math.round(gap / 1000)} s ahead of the monotonic one: the machine slept`;
      this.deps.onClockJump?.(reason);
      this.wake(reason);
      return;
    }
    this.lastWall = wall;
    this.lastMono = mono;
    for (const s of this.slots.values()) {
      if (this.isPaused(s) || s.nextAt === undefined || s.nextAt > wall) continue;
      if (s.running) { s.pendingScheduled = true; continue; }
      this.run(s);
    }
    if (this.timer !== undefined) this.clearTimer(this.timer);
    const due = [...this.slots.values()].filter((s) => !this.isPaused(s)).map((s) => s.nextAt).filter((t): t is number => t !== undefined);
    const wait = Math.max(0, Math.min(this.tickMs, ...due.map((t) => t - wall)));
    this.timer = this.setTimer(() => { this.timer = undefined; this.tick(); }, wait);
  }

  private quickNext(s: Slot): boolean {
    const q = s.cfg.quick ?? 0;
    if (s.lastSync === undefined) return false; // the first sync is always full
    return q === -1 || (q > 0 && s.quickSinceFull < q);
  }

  private run(s: Slot): void {
    const scheduled = s.nextAt !== undefined && s.nextAt <= this.now();
    const folders = scheduled ? undefined : [...s.pendingFolders];
    // A folder sync (IDLE saw EXISTS/EXPUNGE/FETCH) is a full sync of just those folders: a
    // quick one could skip the flag change that woke it.
    const quick = scheduled ? this.quickNext(s) : false;
    if (scheduled) { s.nextAt = undefined; s.pendingFolders.clear(); } else s.pendingFolders.clear();
    s.running = (async () => {
      let outcome: SyncOutcome;
      try {
        outcome = await this.deps.sync(s.cfg.name, { quick, ...(folders ? { folders } : {}) });
      } catch (e) {
        outcome = { ok: false, offline: false, retry: 'later', error: (e as Error).message };
      }
      this.after(s, outcome, scheduled, quick);
    })().finally(() => {
      s.running = undefined;
      if (this.stopped) return;
      if (s.pendingScheduled) {
        // A sync asked while this one ran is due now; if the account was paused meanwhile, on
        // resume (tick skips a paused account), not at the next interval.
        s.pendingScheduled = false;
        s.nextAt = Math.min(s.nextAt ?? Infinity, this.now());
        if (!this.isPaused(s)) this.tick(false);
      } else if (s.pendingFolders.size && !this.isPaused(s)) this.run(s);
    });
  }

  private after(s: Slot, o: SyncOutcome, scheduled: boolean, quick: boolean): void {
    const t = this.now();
    const interval = s.cfg.autorefresh ? s.cfg.autorefresh * 60_000 : undefined;
    s.attempted = true;
    this.checkFirstRound();
    if (o.ok) {
      s.lastSync = t;
      s.error = undefined;
      s.offline = false;
      s.failures = 0;
      if (scheduled) s.quickSinceFull = quick ? s.quickSinceFull + 1 : 0;
    } else {
      s.error = o.error;
      s.offline = o.offline;
      s.failures++;
    }
    if (!scheduled && s.nextAt !== undefined) return; // a folder sync leaves the schedule alone
    if (!o.ok && (o.offline || o.retry === 'now')) {
      const backoff = Math.min(OFFLINE_CAP_MS, OFFLINE_BASE_MS * 2 ** (s.failures - 1), interval ?? OFFLINE_CAP_MS);
      s.nextAt = t + backoff;
      this.deps.log?.(`${s.cfg.name}: ${o.offline ? 'offline' : 'failed'}; retrying in ${Math.round(backoff / 1000)} s`);
    } else if (interval !== undefined) {
      s.nextAt = (scheduled ? t : s.nextAt ?? t) + interval;
    } else {
      s.nextAt = undefined;
    }
    if (!this.stopped) this.tick(false);
  }
}
