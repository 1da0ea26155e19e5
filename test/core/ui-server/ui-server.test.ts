// The gate of `satchel ui` against real sockets: the public interface files without a token but
// never a cookie, a foreign Host (DNS rebinding), directory traversal (raw paths, encoded,
// symlinks), request targets URL parsing rejects (raw TCP, plain and WebSocket upgrade: 400, the
// server lives on), the one-time launch-code exchange, the WebSocket without token, with a
// cookie, with a foreign or missing Origin, and malformed or badly typed messages, which get
// error replies while the connection and the server keep working.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createLocalAppService } from '../../../core/app/local-app-service.js';
import type { SecretStore } from '../../../core/secrets/secret-store.js';
import { startUiServer, type UiServer } from '../../../core/ui-server/ui-server.js';

// The keyring is not what these tests are about: an in-memory store.
class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async set(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { return this.map.delete(k); }
}

let dir: string;
let root: string;
let backend: ReturnType<typeof createLocalAppService>;
let server: UiServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-uiserver-'));
  root = path.join(dir, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Satchel test</title><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'assets', 'style.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  backend = createLocalAppService({
    settingsFile: path.join(dir, 'config', 'satchel', 'ui-settings.json'), secrets: new MemorySecrets(),
    env: { HOME: dir, XDG_STATE_HOME: path.join(dir, 'state') }, home: dir,
  });
  server = await startUiServer({ backend, root });
});
afterAll(async () => {
  await server?.close();
  await backend?.close(2_000);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }
function get(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `raw` bytes on a fresh TCP connection and returns everything the server answers until it closes. */
function rawRequest(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.write(raw));
    let got = '';
    s.on('data', (d) => { got += String(d); });
    s.on('close', () => resolve(got));
    s.on('error', reject);
    s.setTimeout(5_000, () => s.destroy());
  });
}

function exchange(code: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: '/session', method: 'POST', headers: {
      host: `127.0.0.1:${server.port}`, origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ code }));
  });
}
const codeOf = (launchUrl: string) => new URL(launchUrl).hash.replace('#code=', '');

describe('HTTP gate', () => {
  it('prints a 127.0.0.1 address with a 43-character base64url token in the fragment (never sent to a server)', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[A-Za-z0-9_-]{43}$`));
    expect(server.launchUrl()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#code=[A-Za-z0-9_-]{43}$`));
  });

  it('serves the interface files (public code, no data) and never sets a cookie, whatever token is sent', async () => {
    for (const [p, headers] of [['/', {}], [`/?token=${server.token}`, {}], ['/index.html', { 'x-satchel-token': server.token }]] as const) {
      const r = await get(p, headers);
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('Satchel test');
      expect(r.headers['set-cookie'], p).toBeUndefined();
    }
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app")');
    expect((await get('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/nothing.js')).status).toBe(404);
    expect((await get('/', {}, 'POST')).status).toBe(405);
  });

  it('answers request targets that URL parsing rejects with 400 over raw TCP, plain and as a WebSocket upgrade, and keeps serving', async () => {
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    const upgrade = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      `Origin: http://127.0.0.1:${server.port}\r\n`;
    for (const target of ['//[', '//[/bridge', `//[/bridge?token=${server.token}`, 'http://[', 'http://evil.example/', '*']) {
      expect(await rawRequest(`GET ${target} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`), target).toMatch(/^HTTP\/1\.1 400 /);
      expect(await rawRequest(`GET ${target} HTTP/1.1\r\n${host}${upgrade}\r\n`), `upgrade ${target}`).toMatch(/^HTTP\/1\.1 400 /);
    }
    // Without a Host the Host check answers first (403); the process is still there either way.
    expect(await rawRequest('GET //[ HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|403) /);
    expect((await get('/')).status).toBe(200);
  });

  it('exchanges a launch code for the session token once; a used, unknown, cross-origin or non-JSON exchange is refused', async () => {
    const code = codeOf(server.launchUrl());
    expect((await exchange(code, { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await exchange(code, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await exchange(code, { 'content-type': 'text/plain' })).status).toBe(415);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ token: server.token });
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await exchange(code);
    expect(again.status).toBe(403);
    expect(again.body).not.toContain(server.token);
    for (const bad of ['x'.repeat(43), '', 42, null, { code }]) expect((await exchange(bad)).status).toBe(403);
    expect((await get('/session')).status).toBe(405);
  });

  it('sends strict security headers', async () => {
    const r = await get('/');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token, accepts localhost:PORT', async () => {
    for (const host of [`evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      const r = await get(`/?token=${server.token}`, { host });
      expect(r.status, host).toBe(403);
      expect(r.body).not.toContain('Satchel test');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('never serves a file outside the static root', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00index.html', '/%E0%A4%A']) {
      const r = await get(p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body, p).not.toContain('TOP-SECRET');
    }
    expect((await get('/assets/')).status).toBe(404);
  });
});

function open(opts: { token?: string | null; origin?: string | null; path?: string; cookie?: boolean } = {}): Promise<WebSocket> {
  const token = opts.token === undefined ? server.token : opts.token;
  const q = token ? `?token=${token}` : '';
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = `satchel_token=${server.token}`;
  const origin = opts.origin === undefined ? `http://127.0.0.1:${server.port}` : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${opts.path ?? '/bridge'}${q}`, { headers, ...(origin ? { origin } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function ask(ws: WebSocket, raw: string): Promise<{ id: unknown; ok: boolean; result?: unknown; error?: { message: string; code?: string } }> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d));
      if (m.event) return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(raw);
  });
}

describe('setPreferences over the socket (a client holding the token)', () => {
  it('refuses inherited or malformed keys and sub-minute intervals, writes none of them, and keeps serving', async () => {
    const ws = await open();
    const settings = path.join(dir, 'config', 'satchel', 'ui-settings.json');
    let id = 100;
    const set = (json: string) => ask(ws, `{"id":${++id},"method":"setPreferences","args":[${json}]}`);
    for (const json of ['{"constructor":1}', '{"toString":true}', '{"__proto__":{"polluted":true}}', '{"hasOwnProperty":false}',
      '{"idle\\u001b[2J":true}', '{"":1}', `{"${'x'.repeat(5000)}":1}`]) {
      const r = await set(json);
      expect(r, json).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
      expect(r.error!.message).toContain('is not a preference');
      expect(r.error!.message).not.toContain('\u001b');
    }
    for (const minutes of [0.0001, 0.5, -1, 1441, 1.5, 'NaN', 1e999]) {
      expect((await set(`{"syncEveryMinutes":${minutes}}`)).ok, String(minutes)).toBe(false);
    }
    for (const minutes of [0, 1, 1440]) expect((await set(`{"syncEveryMinutes":${minutes}}`))).toMatchObject({ ok: true, result: { syncEveryMinutes: minutes } });
    const written = fs.readFileSync(settings, 'utf8');
    expect(written).not.toMatch(/constructor|__proto__|polluted|toString/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await ask(ws, JSON.stringify({ id: 1, method: 'getPreferences', args: [] }))).toMatchObject({ ok: true, result: { syncEveryMinutes: 1440 } });
    ws.close();
  });
});

describe('WebSocket gate', () => {
  it('refuses a socket without the token, with a wrong one, with a foreign or missing Origin, or on another path', async () => {
    await expect(open({ token: null })).rejects.toThrow('refused 403');
    await expect(open({ token: 'x'.repeat(43) })).rejects.toThrow('refused 403');
    await expect(open({ origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(open({ origin: `http://127.0.0.1:${server.port + 1}` })).rejects.toThrow('refused 403');
    await expect(open({ origin: `https://127.0.0.1:${server.port}` })).rejects.toThrow('refused 403');
    await expect(open({ origin: null })).rejects.toThrow('refused 403');
    await expect(open({ path: '/other' })).rejects.toThrow('refused 403');
  });

  it('accepts the token in the query with the own origin; a cookie is no credential', async () => {
    const a = await open();
    expect((await ask(a, JSON.stringify({ id: 1, method: 'getPreferences', args: [] }))).ok).toBe(true);
    await expect(open({ token: null, cookie: true })).rejects.toThrow('refused 403');
    // The token replayed by a page of another local port (its own Origin) is refused too.
    await expect(open({ origin: `http://localhost:${server.port + 7}` })).rejects.toThrow('refused 403');
    a.close();
  });

  it('answers malformed messages, unknown methods and bad arguments with errors, and keeps working', async () => {
    const ws = await open();
    const notJson = await ask(ws, '{nope');
    expect(notJson).toMatchObject({ id: null, ok: false, error: { code: 'bad-request' } });
    expect(await ask(ws, '[1,2]')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await ask(ws, JSON.stringify({ method: 'getStatus', args: [] }))).toMatchObject({ id: null, ok: false });
    expect(await ask(ws, JSON.stringify({ id: 2, method: 'getStatus', args: 'x' }))).toMatchObject({ id: 2, ok: false, error: { message: 'args must be a list' } });
    const unknown = await ask(ws, JSON.stringify({ id: 3, method: 'constructor', args: [] }));
    expect(unknown).toMatchObject({ id: 3, ok: false, error: { code: 'bad-arguments' } });
    expect(unknown.error!.message).toContain('unknown method');
    const bad = await ask(ws, JSON.stringify({ id: 4, method: 'saveAccount', args: [{ name: '../etc', email: 'a@b', password: 'hunter22' }] }));
    expect(bad).toMatchObject({ id: 4, ok: false, error: { code: 'bad-arguments' } });
    expect(bad.error!.message).toContain('saveAccount needs a name');
    expect(bad.error!.message).not.toContain('hunter22');
    const prefs = await ask(ws, JSON.stringify({ id: 5, method: 'setPreferences', args: [{ syncEveryMinutes: 'often' }] }));
    expect(prefs.error!.message).toContain("'syncEveryMinutes' has a value of the wrong kind");
    // The account tools are the real ones of core/accounts: the rules preview answers over the socket.
    const preview = await ask(ws, JSON.stringify({ id: 6, method: 'previewRules', args: [{ folders: ['INBOX', 'INBOX.Sent'], separator: '.', localSeparator: '.',
      rules: { nametrans: "lambda f: re.sub('^INBOX\\.', '', f)" } }] }));
    expect(preview).toMatchObject({ id: 6, ok: true, result: { errors: [], rows: [{ remote: 'INBOX', local: 'INBOX', synced: true }, { remote: 'INBOX.Sent', local: 'Sent', synced: true }] } });
    const unknownAccount = await ask(ws, JSON.stringify({ id: 7, method: 'syncNow', args: ['nobody'] }));
    expect(unknownAccount).toMatchObject({ id: 7, ok: false, error: { code: 'unknown-account' } });
    const binary = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send(Buffer.from([0xff, 0x00]), { binary: true });
    expect(await binary).toMatchObject({ id: null, ok: false, error: { code: 'bad-request' } });
    const ok = await ask(ws, JSON.stringify({ id: 8, method: 'getStatus', args: [] }));
    expect(ok).toMatchObject({ id: 8, ok: true, result: { host: 'starting', accounts: [] } });
    ws.close();
  });
});
