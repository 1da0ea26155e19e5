// Starts the engine entry in Electron's utility process (utilityProcess.fork): the only file of
// the engine host that imports electron. A thin translation to EngineChild (stderr piped for the
// log, stdout inherited); nothing secret in argv or env (secrets travel only over the protocol).
//
// Exit codes: Electron's 'exit' event carries a code only. Per its sources (UtilityProcessWrapper::
// HandleTermination) a process.exit(n) arrives as n, while a process killed by a signal arrives
// as the waitpid status, i.e. the signal number (kill -9 -> 9, a SIGSEGV crash -> 11, or 139 with
// a core dump), so a real Electron run reports "exit code 9" where plain Node says "SIGKILL".
// Our own kill() sends SIGTERM and Electron turns that exit into code 0. Not verifiable here
// (no Electron binary on the development machines).

import { utilityProcess } from 'electron';
import { readLines, type EngineChild, type SpawnEngine } from '../../core/engine-host/engine-child.js';

export function utilitySpawner(entry: string): SpawnEngine {
  return (): EngineChild => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Satchel engine', stdio: ['ignore', 'inherit', 'pipe'] });
    return {
      get pid() { return child.pid; },
      send: (m) => { child.postMessage(m); },
      onMessage: (fn) => { child.on('message', fn); },
      onExit: (fn) => { child.once('exit', (code) => fn(code, null)); },
      onStderr: (fn) => readLines(child.stderr, fn),
      kill: () => { child.kill(); },
    };
  };
}
