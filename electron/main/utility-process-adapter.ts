// Starts the engine entry in Electron's utility process (utilityProcess.fork): the only file
// of the engine host that imports electron. It must stay a thin translation to EngineChild;
// nothing secret in argv or env (secrets travel only over the protocol, on demand).

import { utilityProcess } from 'electron';
import type { EngineChild, SpawnEngine } from './engine-child.js';

export function utilitySpawner(entry: string): SpawnEngine {
  return (): EngineChild => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Satchel engine', stdio: 'inherit' });
    return {
      get pid() { return child.pid; },
      send: (m) => { child.postMessage(m); },
      onMessage: (fn) => { child.on('message', fn); },
      onExit: (fn) => { child.once('exit', (code) => fn(code, null)); },
      kill: () => { child.kill(); },
    };
  };
}
