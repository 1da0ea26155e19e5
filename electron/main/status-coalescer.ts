// Coalesces the engine's status snapshots for the tray and windows: state transitions are
// delivered at once, everything else (progress) at most once per interval, always ending with
// the latest snapshot. Pure: the clock and the timer are injected; it never reads the engine.

export interface CoalescerDeps<T> {
  /** Minimum time between two non-transition deliveries (default 250 ms: four a second). */
  intervalMs?: number;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  deliver: (value: T) => void;
}

export interface Coalescer<T> {
  /** A new value; `transition` = a state change that must be delivered immediately. */
  push(value: T, transition: boolean): void;
  /** Cancels a pending delivery (the last value is dropped). */
  dispose(): void;
}

export function createCoalescer<T>(deps: CoalescerDeps<T>): Coalescer<T> {
  const interval = deps.intervalMs ?? 250;
  let last = -Infinity;
  let timer: unknown;
  let pending: { value: T } | undefined;

  const flush = () => {
    if (timer !== undefined) { deps.clearTimer(timer); timer = undefined; }
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    last = deps.now();
    deps.deliver(value);
  };

  return {
    push(value, transition) {
      pending = { value };
      if (transition || deps.now() - last >= interval) return flush();
      if (timer === undefined) {
        timer = deps.setTimer(() => { timer = undefined; flush(); }, Math.max(0, last + interval - deps.now()));
      }
    },
    dispose() {
      if (timer !== undefined) deps.clearTimer(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
