// Wakes the engine when the machine comes back: power resume / screen unlock → wake('resume'),
// network back online (polled, as Electron's main process has no online event) → wake('online').
// Sources are injected (powerMonitor, net.isOnline), so this is testable without Electron.
// It never syncs by itself; it only tells the app service, and swallows nothing silently (onError).

export interface PowerEvents {
  on(event: 'resume' | 'unlock-screen', fn: () => void): unknown;
  removeListener(event: 'resume' | 'unlock-screen', fn: () => void): unknown;
}

export interface WakeDeps {
  /** The app service's wake (sync now, reconnect IDLE, quiet notifications after a resume). */
  wake(reason: 'resume' | 'online'): Promise<void>;
  power: PowerEvents;
  isOnline: () => boolean;
  onError?: (e: unknown) => void;
  pollMs?: number;
}

/** Edge detector: true exactly when the network goes from offline to online. */
export function onlineEdge(): (online: boolean) => boolean {
  let last: boolean | undefined;
  return (online) => {
    const rose = last === false && online;
    last = online;
    return rose;
  };
}

export function watchWake(d: WakeDeps): () => void {
  const fail = d.onError ?? (() => {});
  const wake = (reason: 'resume' | 'online') => d.wake(reason).catch(fail);
  const onResume = () => { void wake('resume'); };
  d.power.on('resume', onResume);
  d.power.on('unlock-screen', onResume);
  const edge = onlineEdge();
  edge(d.isOnline());
  const timer = setInterval(() => {
    if (edge(d.isOnline())) void wake('online');
  }, d.pollMs ?? 5000);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    d.power.removeListener('resume', onResume);
    d.power.removeListener('unlock-screen', onResume);
  };
}
