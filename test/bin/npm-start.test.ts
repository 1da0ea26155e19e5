// `npm start`'s launcher (bin/start.mjs) as a real child process on this machine, where Electron's
// binary is not installed: one line says so (no stack trace) and browser mode starts instead,
// prints its address and stops cleanly on SIGTERM. With a (stand-in) binary it runs that instead.

import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const START = path.resolve('bin/start.mjs');

function run(env: NodeJS.ProcessEnv, args: string[], until: RegExp) {
  const child = spawn(process.execPath, [START, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const seen = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not seen ${until}: ${out} ${err}`)), 20_000);
    const check = () => { if (until.test(out + err)) { clearTimeout(t); resolve(); } };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
  });
  return { child, exited, seen, out: () => out, err: () => err };
}

describe('npm start', () => {
  it('without the Electron binary: one line says so, then browser mode runs and stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state'),
      ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron') };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const r = run(env, ['--no-open', '--port', '0'], /Satchel is running at/);
    await r.seen;
    expect(r.err().split('\n').filter(Boolean)[0]).toBe("satchel: Electron's binary is not installed (npm could not download it here); starting browser mode instead (satchel ui)");
    expect(r.err()).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.out()).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('with the Electron binary installed, it runs that binary on the app', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-start-bin-'));
    const exe = path.join(dir, 'electron');
    fs.writeFileSync(exe, '#!/bin/sh\necho "stand-in electron: $@"\n', { mode: 0o755 });
    const r = run({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dir }, ['--hidden'], /stand-in electron/);
    await r.seen;
    expect(r.out().trim()).toBe(`stand-in electron: ${path.resolve('.')} --hidden`);
    expect(await r.exited).toBe(0);
  });
});
