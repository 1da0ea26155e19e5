// `satchel ui` as a real child process (bin/satchel, compiled): it prints a 127.0.0.1 address
// with a token that serves the interface's index.html (a fixture root through SATCHEL_UI_ROOT),
// refuses the same request without the token, and exits 0 on SIGTERM; without a root it serves
// the built renderer/dist. Bad options exit 2.

import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseUiArgs } from '../../../core/cli/ui-command.js';

const BIN = path.resolve('bin/satchel');
beforeAll(() => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
});

describe('satchel ui', () => {
  it('prints a tokenised address that serves index.html, refuses without the token, and stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-cli-'));
    const root = path.join(dir, 'dist');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ui fixture</title>');
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state'), SATCHEL_UI_ROOT: root };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const child = spawn(process.execPath, [BIN, 'ui', '--no-open', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no address printed: ${out} ${err}`)), 15_000);
        child.stdout!.on('data', () => {
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}/.exec(out);
          if (m) { clearTimeout(t); resolve(m[0]); }
        });
      });
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('ui fixture');
      expect(ok.headers.get('set-cookie')).toContain('HttpOnly');
      const bare = new URL(url);
      bare.search = '';
      expect((await fetch(bare)).status).toBe(403);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toContain('stopping');
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the built interface (renderer/dist) when no root is given, its script too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-cli-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state') };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.SATCHEL_UI_ROOT;
    const child = spawn(process.execPath, [BIN, 'ui', '--no-open'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 15_000);
        child.stdout!.on('data', () => {
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}/.exec(out);
          if (m) { clearTimeout(t); resolve(m[0]); }
        });
      });
      const page = await fetch(url);
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      const js = await fetch(new URL(script!, url.replace(/\?.*$/, '')), { headers: { cookie } });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect((await js.text()).length).toBeGreaterThan(10_000);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with exit code 2 and shows help with 0', () => {
    const bad = spawnSync(process.execPath, [BIN, 'ui', '--port', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port needs a port number');
    const help = spawnSync(process.execPath, [BIN, 'ui', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('satchel ui [--port N] [--no-open] [-c FILE]');
  });

  it('says so when the port is taken', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-cli-'));
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, 'ui', '--no-open', '--port', String(port)], { env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr!.on('data', (d) => { err += d; });
      c.on('exit', (code) => resolve({ code, err }));
    });
    blocker.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('parses its options', () => {
    expect(parseUiArgs(['--port=8123', '--no-open'])).toEqual({ port: 8123, open: false });
    expect(parseUiArgs(['-c', 'rc'])).toMatchObject({ port: 0, open: true, configFile: path.resolve('rc') });
    expect(parseUiArgs(['--port', '70000'])).toHaveProperty('error');
    expect(parseUiArgs(['--bind', '0.0.0.0'])).toEqual({ error: "unknown option '--bind'" });
  });
});
