// The engine process's entry: picks the transport to the host (process.parentPort in Electron's
// utility process, process.send / 'message' under plain Node for tests and browser mode) and
// serves the engine protocol over it (core/engine-host/engine-server.ts). Nothing else: no logic,
// no secret from argv or the environment. Bundled to dist/electron/utility/engine-entry.js.

import { serveEngine, type Transport } from '../../core/engine-host/engine-server.js';

interface ParentPortLike {
  postMessage(m: unknown): void;
  on(ev: 'message', fn: (e: { data: unknown }) => void): void;
}

function transport(): Transport {
  const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (port) return { send: (m) => port.postMessage(m), onMessage: (fn) => port.on('message', (e) => fn(e.data)) };
  if (process.send) {
    return {
      send: (m) => { if (process.connected) process.send?.(m); },
      onMessage: (fn) => { process.on('message', fn); },
      onClose: (fn) => { process.on('disconnect', fn); },
    };
  }
  throw new Error('engine-entry must run as a utility process or a forked Node child (no IPC channel)');
}

// The short delay lets the last reply leave the process before it exits.
serveEngine(transport(), { exit: (code) => { setTimeout(() => process.exit(code), 20); } });
