// What the engine host needs of a child process, whatever starts it: Electron's
// utilityProcess (utility-process-adapter.ts) or Node's child_process.fork
// (node-process-adapter.ts, for tests and browser mode). Types only.

import type { ToEngine } from '../shared/engine-protocol.js';

export interface EngineChild {
  readonly pid: number | undefined;
  send(m: ToEngine): void;
  onMessage(fn: (m: unknown) => void): void;
  /** Called once when the process is gone (code null when killed by a signal). */
  onExit(fn: (code: number | null, signal: string | null) => void): void;
  /** Ends the process now (no cleanup in the child). */
  kill(): void;
}

export type SpawnEngine = () => EngineChild;
