// The command line's daemon mode (some account has autorefresh, no -o): runs the engine's
// schedule (which watches each idlefolder with IDLE, INBOX by default), and answers signals as
// OfflineIMAP documents them: USR1 syncs now, USR2 finishes the current syncs and exits,
// TERM/INT/HUP stop after the current folder (a second one exits at once), QUIT dumps every
// account's state to stderr. It never prints a password and resolves with the exit code.

import type { Engine } from '../engine/engine.js';
import type { IdleWatcher } from '../scheduler/idle-watcher.js';
import { printable } from '../log/printable.js';

export interface DaemonIo {
  err: NodeJS.WritableStream;
  /** Default: the process; tests may pass an EventEmitter. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  exit?: (code: number) => void;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

export async function runDaemon(engine: Engine, io: DaemonIo): Promise<number> {
  const sig = io.signals ?? process;
  const exit = io.exit ?? ((code: number) => process.exit(code));
  const say = (line: string) => io.err.write(printable(`satchel: ${line}`) + '\n');

  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => { finish = resolve; });
  let stopping = false;
  const shutdown = async (how: 'drain' | 'stop', code: number) => {
    if (how === 'drain') await engine.drain();
    else await engine.stop(30_000);
    finish(code);
  };

  const handlers: Record<string, () => void> = {
    SIGUSR1: () => {
      if (stopping) return;
      say('SIGUSR1: syncing every account now');
      engine.wake('SIGUSR1');
    },
    SIGUSR2: () => {
      if (stopping) return;
      stopping = true;
      say('SIGUSR2: finishing the current syncs, then exiting');
      void shutdown('drain', 0);
    },
    SIGQUIT: () => io.err.write(printable(dump(engine, engine.idleWatchers()), { multiline: true })),
  };
  for (const s of STOP_SIGNALS) {
    handlers[s] = () => {
      if (stopping) {
        say(`${s} again: exiting now`);
        exit(1);
        return;
      }
      stopping = true;
      say(`${s}: stopping after the current folder (send it again to exit at once)`);
      void shutdown('stop', 0);
    };
  }
  for (const [s, fn] of Object.entries(handlers)) sig.on(s as NodeJS.Signals, fn);
  try {
    // IDLE errors and wake-ups reach stderr, as OfflineIMAP prints them.
    const offLog = engine.on('log', (l) => { if (!l.account && (l.level === 'error' || /waking up|IDLE/.test(l.message))) say(l.message); });
    void engine.start();
    try { return await finished; } finally { offLog(); }
  } finally {
    for (const [s, fn] of Object.entries(handlers)) sig.off(s as NodeJS.Signals, fn);
  }
}

/** SIGQUIT: one block per account (state, last and next sync, error) and per IDLE watcher. */
export function dump(engine: Engine, watchers: readonly IdleWatcher[]): string {
  const states = engine.accountStates();
  const iso = (t?: number) => (t === undefined ? 'never' : new Date(t).toISOString());
  const lines = [`satchel: state at ${new Date().toISOString()} (pid ${process.pid})`];
  for (const s of engine.schedule()) {
    lines.push(`  account ${s.account}: ${states[s.account] ?? s.state} (scheduler: ${s.state}); last sync ${iso(s.lastSync)}; ` +
      `next ${s.nextSync !== undefined ? `${s.nextKind} sync ${iso(s.nextSync)}` : 'on request'}` +
      `${s.error ? `; error: ${s.error}` : ''}`);
  }
  for (const w of watchers) {
    lines.push(`  IDLE ${w.account}/${w.folder}: ${w.state}${w.lastError ? `; last error: ${w.lastError}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
