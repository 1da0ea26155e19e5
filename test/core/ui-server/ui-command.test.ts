// `satchel ui` as a real child process (bin/satchel, compiled): it prints a 127.0.0.1 address
// with a token in its fragment; the interface's index.html (a fixture root through
// SATCHEL_UI_ROOT) is served, the bridge needs the token, a raw `GET //[` gets 400 and the
// process lives on, and it exits 0 on SIGTERM. The browser opener (a fake xdg-open on PATH
// recording its argv, i.e. what `ps` shows) gets only a private launch page's path, whose
// one-time code is exchanged once. Without a root it serves renderer/dist. Bad options exit 2.

import { describe, it, expect, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { parseUiArgs } from '../../../core/cli/ui-command.js';
import { launchPageHtml, openerCommand } from '../../../core/cli/browser-launch.js';

const ADDRESS = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}/;

function waitForAddress(child: import('node:child_process').ChildProcess, output: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no address printed: ${output()}`)), 15_000);
    const look = () => {
      const m = ADDRESS.exec(output());
      if (m) { clearTimeout(t); resolve(m[0]); }
    };
    child.stdout!.on('data', look);
    look();
  });
}

/** Opens the bridge WebSocket of `base` with `token` (or none) from the page's own origin: 'open' or the refusal status. */
function bridge(base: URL, token: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${base.host}/bridge${token ? `?token=${token}` : ''}`, { origin: base.origin });
    ws.once('open', () => { ws.close(); resolve('open'); });
    ws.once('unexpected-response', (_q, res) => resolve(String(res.statusCode)));
    ws.once('error', (e) => resolve(e.message));
  });
}

function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(raw));
    let got = '';
    s.on('data', (d) => { got += String(d); });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

const BIN = path.resolve('bin/satchel');
beforeAll(() => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
});

describe('satchel ui', () => {
  it('prints a tokenised address; serves index.html, the bridge only with the token, survives a raw GET //[, and stops on SIGTERM', async () => {
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
      const url = new URL(await waitForAddress(child, () => out + err));
      const token = url.hash.replace('#token=', '');
      const ok = await fetch(url);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('ui fixture');
      expect(ok.headers.get('set-cookie')).toBeNull();
      expect(await bridge(url, undefined)).toBe('403');
      expect(await bridge(url, token)).toBe('open');
      // What any web page can make a browser send (an <img> pointing at it): 400, and the process lives on.
      const raw = await rawRequest(Number(url.port), `GET //[ HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(child.exitCode).toBeNull();
      expect((await fetch(url)).status).toBe(200);
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
      const url = await waitForAddress(child, () => out);
      const page = await fetch(url);
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const js = await fetch(new URL(script!, url.replace(/#.*$/, '')));
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect((await js.text()).length).toBeGreaterThan(10_000);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens the browser with a private launch page: the opener\'s argv holds no token or code, the page\'s code works once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-open-'));
    const bin = path.join(dir, 'bin');
    const runtime = path.join(dir, 'run');
    fs.mkdirSync(bin);
    fs.mkdirSync(runtime, { mode: 0o700 });
    const argvLog = path.join(dir, 'opener-argv');
    // The opener records its argv (exactly what `ps` shows every local user) and the mode of what it was given.
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${argvLog}.tmp"\nstat -c %a "$1" "$(dirname "$1")" >> "${argvLog}.tmp"\nmv "${argvLog}.tmp" "${argvLog}"\n`, { mode: 0o755 });
    const root = path.join(dir, 'dist');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ui fixture</title>');
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_STATE_HOME: path.join(dir, 'state'), XDG_RUNTIME_DIR: runtime, SATCHEL_UI_ROOT: root };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const child = spawn(process.execPath, [BIN, 'ui', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    try {
      const url = new URL(await waitForAddress(child, () => out));
      const token = url.hash.replace('#token=', '');
      for (let i = 0; i < 100 && !fs.existsSync(argvLog); i++) await new Promise((r) => setTimeout(r, 50));
      const [arg, ...rest] = fs.readFileSync(argvLog, 'utf8').trim().split('\n');
      expect(rest).toEqual(['600', '700']); // the page 0600, its folder 0700
      expect(path.dirname(path.dirname(arg!))).toBe(runtime);
      expect(arg).not.toContain(token);
      expect(arg).not.toMatch(/code|token|[A-Za-z0-9_-]{40}/);
      const html = fs.readFileSync(arg!, 'utf8');
      expect(html).not.toContain(token);
      const launch = new URL(/url=([^"]+)"/.exec(html)![1]!);
      expect(launch.origin).toBe(url.origin);
      const code = launch.hash.replace('#code=', '');
      const exchange = () => fetch(new URL('/session', url), { method: 'POST', headers: { origin: url.origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      const first = await exchange();
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ token });
      expect((await exchange()).status).toBe(403);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      expect(fs.existsSync(arg!)).toBe(false); // the launch page is removed on exit
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the opener command from the launch page path only, and the page escapes its address', () => {
    expect(openerCommand('linux', '/run/user/1000/satchel-ui-x/open.html')).toEqual({ cmd: 'xdg-open', args: ['/run/user/1000/satchel-ui-x/open.html'] });
    expect(openerCommand('darwin', '/tmp/satchel-ui-x/open.html')).toEqual({ cmd: 'open', args: ['/tmp/satchel-ui-x/open.html'] });
    expect(launchPageHtml('http://127.0.0.1:1/#code="><script>')).not.toContain('"><script>');
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
