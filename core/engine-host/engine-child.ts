// What the engine host needs of a child process, whatever starts it: Electron's utilityProcess
// (electron/main/utility-process-adapter.ts) or Node's child_process.fork (node-process-adapter.ts,
// for tests and browser mode). Types, plus the one helper both adapters use to read the child's
// stderr line by line. It never interprets what the child says and never spawns anything.

import readline from 'node:readline';
import type { ToEngine } from './engine-protocol.js';

export interface EngineChild {
  readonly pid: number | undefined;
  send(m: ToEngine): void;
  onMessage(fn: (m: unknown) => void): void;
  /**
   * Called once when the process is gone. `signal` names the signal that killed it when the
   * platform tells (Node does; Electron's utility process reports a code only, signal null).
   */
  onExit(fn: (code: number | null, signal: string | null) => void): void;
  /** Each line the process writes to stderr (uncaught exceptions, warnings, native crashes). */
  onStderr?(fn: (line: string) => void): void;
  /** Ends the process now (no cleanup in the child). */
  kill(): void;
}

export type SpawnEngine = () => EngineChild;

/** Longest stderr line passed on; the rest of a longer one is cut (a runaway dump stays readable). */
const MAX_LINE = 2_000;

/** Calls fn with each line read from a child's stderr stream (nothing when the stream is null). */
export function readLines(stream: NodeJS.ReadableStream | null | undefined, fn: (line: string) => void): void {
  if (!stream) return;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    fn(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
  });
}
