// Starts the engine entry as a plain Node child (child_process.fork) for tests and browser mode;
// the desktop app uses electron/main/utility-process-adapter.ts instead. stderr is piped and
// read line by line for the log; stdout is discarded. Nothing secret is ever put in the child's
// argv or environment: secrets travel only over the protocol, on demand.

import { fork } from 'node:child_process';
import { readLines, type EngineChild, type SpawnEngine } from './engine-child.js';

export interface NodeSpawnOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  /** Arguments of the entry script (tests' fake engines take their behaviour here). */
  args?: string[];
}

export function nodeSpawner(entry: string, opts: NodeSpawnOptions = {}): SpawnEngine {
  return (): EngineChild => {
    const child = fork(entry, opts.args ?? [], {
      env: opts.env ?? process.env, execArgv: opts.execArgv ?? [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    return {
      get pid() { return child.pid; },
      send: (m) => { if (child.connected) child.send(m); },
      onMessage: (fn) => { child.on('message', fn); },
      onExit: (fn) => { child.once('exit', (code, signal) => fn(code, signal)); },
      onStderr: (fn) => readLines(child.stderr, fn),
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}
