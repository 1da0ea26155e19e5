// Starts the engine entry as a plain Node child (child_process.fork) for tests and browser
// mode; the desktop app uses utility-process-adapter.ts instead. Nothing secret is ever put in
// the child's argv or environment: secrets travel only over the protocol, on demand.

import { fork } from 'node:child_process';
import type { EngineChild, SpawnEngine } from './engine-child.js';

export function nodeSpawner(entry: string, opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): SpawnEngine {
  return (): EngineChild => {
    const child = fork(entry, [], {
      env: opts.env ?? process.env, execArgv: opts.execArgv ?? [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return {
      get pid() { return child.pid; },
      send: (m) => { if (child.connected) child.send(m); },
      onMessage: (fn) => { child.on('message', fn); },
      onExit: (fn) => { child.once('exit', (code, signal) => fn(code, signal)); },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}
