// Test helper: a private, real SOCKS server (Debian's dante-server, `danted`) on a free loopback
// port with its own configuration and log, run as the unprivileged test user (satcheltest, the
// Dovecot helper's user) when the tests run as root. It accepts SOCKS4/4a/5 CONNECT from
// 127.0.0.0/8 without authentication and logs every connection. It never touches the system's
// danted service or its configuration.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureMailUser, freePort, waitForPort } from './dovecot.js';

export interface DanteServer {
  port: number;
  /** The connection log (dante's "logoutput"). */
  log(): string;
  stop(): Promise<void>;
}

export const DANTED = '/usr/sbin/danted';

export async function startDante(): Promise<DanteServer> {
  if (!fs.existsSync(DANTED)) throw new Error(`${DANTED} is missing: install the Debian package dante-server`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-dante-'));
  const port = await freePort();
  const logFile = path.join(dir, 'danted.log');
  const conf = path.join(dir, 'danted.conf');
  fs.writeFileSync(conf, `logoutput: ${logFile}
internal: 127.0.0.1 port = ${port}
external: 127.0.0.1
socksmethod: none
clientmethod: none
client pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
  log: connect disconnect error
}
socks pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
  command: connect
  log: connect disconnect error
}
`);
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? await ensureMailUser() : undefined;
  if (ids) fs.chownSync(dir, ids.uid, ids.gid);
  const child: ChildProcess = spawn(DANTED, ['-f', conf, '-p', path.join(dir, 'danted.pid'), '-N', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'], ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  if (!(await waitForPort(port, 10_000, false))) {
    child.kill('SIGKILL');
    throw new Error(`danted did not start: ${stderr}${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`);
  }
  return {
    port,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
