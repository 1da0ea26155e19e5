// Decides what to do when the engine process dies unexpectedly: restart after an exponential
// backoff, or give up once the crash budget is spent (default 5 crashes in 5 minutes) until the
// user presses "Try again" (reset). Pure: time comes in as arguments; it never spawns or waits.

export interface SupervisorOptions {
  /** Crashes allowed within windowMs before giving up (default 5). */
  budget?: number;
  windowMs?: number;
  /** First restart delay (default 500 ms), doubled per recent crash up to maxDelayMs (30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export type CrashDecision = { action: 'restart'; delayMs: number; attempt: number } | { action: 'fail'; crashes: number };

export interface Supervisor {
  /** Records a crash at time `now` and decides. */
  crashed(now: number): CrashDecision;
  /** Crashes counted in the window ending at `now`. */
  recentCrashes(now: number): number;
  /** "Try again": forget every crash. */
  reset(): void;
}

export function createSupervisor(opts: SupervisorOptions = {}): Supervisor {
  const budget = opts.budget ?? 5;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  let crashes: number[] = [];
  const prune = (now: number) => { crashes = crashes.filter((t) => now - t < windowMs); };

  return {
    crashed(now) {
      prune(now);
      crashes.push(now);
      if (crashes.length >= budget) return { action: 'fail', crashes: crashes.length };
      const attempt = crashes.length;
      return { action: 'restart', attempt, delayMs: Math.min(max, base * 2 ** (attempt - 1)) };
    },
    recentCrashes(now) {
      prune(now);
      return crashes.length;
    },
    reset() {
      crashes = [];
    },
  };
}
