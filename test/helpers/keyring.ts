// Test helper: a private, real Secret Service for keyring tests: a throwaway D-Bus session bus
// (dbus-daemon --session) and gnome-keyring-daemon (secrets component) unlocked with a random
// password, with its keyrings under a mkdtemp HOME. It sets DBUS_SESSION_BUS_ADDRESS in
// process.env while running (children inherit it) and restores it on stop. It must never touch
// the user's own session bus or keyrings.

import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestKeyring {
  /** The bus address (also in process.env.DBUS_SESSION_BUS_ADDRESS until stop()). */
  address: string;
  /** Environment for child processes that should see this keyring. */
  env: NodeJS.ProcessEnv;
  dir: string;
  stop(): Promise<void>;
}

function firstLine(child: ChildProcess, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let errBuf = '';
    const t = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms: ${errBuf}`)), timeoutMs);
    child.stderr?.on('data', (d) => { errBuf += String(d); });
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const nl = buf.indexOf('\n');
      if (nl >= 0) { clearTimeout(t); resolve(buf.slice(0, nl).trim()); }
    });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`${what} exited (${code}): ${errBuf}`)); });
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.kill('SIGTERM');
  });
}

export async function startKeyring(): Promise<TestKeyring> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-keyring-'));
  const runtime = path.join(dir, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env, HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CACHE_HOME: path.join(dir, 'cache'),
  };
  delete baseEnv.DISPLAY;
  delete baseEnv.DBUS_SESSION_BUS_ADDRESS;
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', '--nopidfile'], { env: baseEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let keyring: ChildProcess | undefined;
  try {
    const address = await firstLine(bus, 'dbus-daemon');
    const env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
    keyring = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    keyring.stdin!.end(crypto.randomBytes(12).toString('hex'));
    let keyringErr = '';
    keyring.stderr!.on('data', (d) => { keyringErr += String(d); });
    keyring.stdout!.resume();
    await waitForSecretService(env, keyring, () => keyringErr);
    const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = address;
    const k = keyring;
    return {
      address, env, dir,
      async stop() {
        if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
        else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
        await stopChild(k);
        await stopChild(bus);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopChild(keyring);
    await stopChild(bus);
    throw e;
  }
}

/** Waits until org.freedesktop.secrets is owned on the bus (gnome-keyring claims it just after start). */
async function waitForSecretService(env: NodeJS.ProcessEnv, daemon: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (${daemon.exitCode}): ${stderr()}`);
    const owned = await new Promise<boolean>((resolve) => {
      const c = spawn('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      c.stdout.on('data', (d) => { out += String(d); });
      c.on('exit', () => resolve(/boolean true/.test(out)));
      c.on('error', () => resolve(false));
    });
    if (owned) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gnome-keyring-daemon did not claim org.freedesktop.secrets within 10 s: ${stderr()}`);
}
