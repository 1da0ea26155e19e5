// Browser mode in a real Chromium (Debian's, driven by playwright-core): the page opened at the
// printed address (or the opener's one-time launch address) takes its session token with the
// renderer's own session-token.ts and removes it from the address bar and history; the
// WebSocket bridge client (bundled by esbuild into a fixture page) connects under the strict
// CSP, calls the backend and receives pushed log events. A used launch code gives nothing, no
// cookie exists, and a server on another local port receives no trace of the session.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { createLocalAppService } from '../../../core/app/local-app-service.js';
import { startUiServer, type UiServer } from '../../../core/ui-server/ui-server.js';

let dir: string;
let backend: ReturnType<typeof createLocalAppService>;
let server: UiServer;
let browser: Browser;

const APP = `
import { createWsBridge } from ${JSON.stringify(path.resolve('renderer/src/bridge/ws-bridge.ts'))};
import { sessionToken } from ${JSON.stringify(path.resolve('renderer/src/bridge/session-token.ts'))};
const token = await sessionToken();
const bridge = createWsBridge({ token });
const out = (k, v) => { const p = document.createElement('pre'); p.id = k; p.textContent = JSON.stringify(v); document.body.append(p); };
bridge.onLog((l) => out('log', l));
bridge.getPreferences().then((p) => out('prefs', p), (e) => out('error', String(e)));
bridge.saveRules('nobody', {}).catch((e) => out('rejected', { message: e.message, code: e.code }));
`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-ui-chromium-'));
  const root = path.join(dir, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><title>fixture</title><link rel="icon" href="data:,"><body><script type="module" src="/assets/app.js"></script></body>');
  fs.writeFileSync(path.join(dir, 'app.js'), APP);
  await build({ entryPoints: [path.join(dir, 'app.js')], bundle: true, format: 'esm', target: 'es2022', outfile: path.join(root, 'assets', 'app.js'), logLevel: 'silent' });
  backend = createLocalAppService({
    settingsFile: path.join(dir, 'ui-settings.json'), secrets: { get: async () => undefined, set: async () => undefined, delete: async () => false },
    home: dir, env: { HOME: dir, XDG_STATE_HOME: path.join(dir, 'state') },
  });
  server = await startUiServer({ backend, root });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await backend?.close(1_000);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('satchel ui in Chromium', () => {
  it('loads with the token, connects the bridge under the CSP, calls and receives events', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    const prefs = JSON.parse(await page.locator('#prefs').textContent({ timeout: 15_000 }) ?? 'null');
    expect(prefs).toMatchObject({ syncEveryMinutes: 15, localSeparator: '.' });
    const rejected = JSON.parse(await page.locator('#rejected').textContent() ?? 'null');
    expect(rejected).toEqual({ message: 'No account named "nobody".', code: 'unknown-account' });
    await backend.saveAccount({ name: 'work', email: 'me@example.org', password: 'pw-in-browser-test', localfolders: path.join(dir, 'Mail'),
      server: { host: '127.0.0.1', port: 9, security: 'starttls', user: 'me' } });
    const log = JSON.parse(await page.locator('#log').first().textContent({ timeout: 15_000 }) ?? 'null');
    expect(log).toMatchObject({ level: 'info', message: 'work: account saved; first sync starting' });
    expect(await page.content()).not.toContain('pw-in-browser-test');
    // The address bar and the history entry no longer hold the token; a reload keeps the session (sessionStorage).
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    await page.reload();
    await page.locator('#prefs').waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a launch code works once: the first page gets the session, the address loses the code, a replay gets nothing', async () => {
    const launch = server.launchUrl();
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(launch);
    await page.locator('#prefs').waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    // The history holds no entry with the code: back leads to the blank page the tab started on.
    await page.goBack();
    expect(page.url()).toBe('about:blank');
    // Someone who read the code (from history, say) and uses it again gets no session.
    const second = await browser.newContext();
    const replay = await second.newPage();
    const sessionAnswers: number[] = [];
    replay.on('response', (r) => { if (r.url().endsWith('/session')) sessionAnswers.push(r.status()); });
    await replay.goto(launch);
    await expect.poll(() => sessionAnswers).toEqual([403]);
    await replay.waitForTimeout(300);
    expect(await replay.locator('#prefs').count()).toBe(0);
    expect(await replay.evaluate(() => sessionStorage.length)).toBe(0);
    await Promise.all([first.close(), second.close()]);
  });

  it('another server on 127.0.0.1 receives no cookie or token from a signed-in browser, and its page cannot read the session', async () => {
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(JSON.stringify(req.headers) + req.url);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const otherPort = (other.address() as AddressInfo).port;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(server.launchUrl());
      await page.locator('#prefs').waitFor({ timeout: 15_000 });
      expect(await context.cookies()).toEqual([]);
      await page.goto(`http://127.0.0.1:${otherPort}/anything`);
      expect(await page.evaluate(() => [document.cookie, sessionStorage.length, localStorage.length])).toEqual(['', 0, 0]);
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) {
        expect(s).not.toContain(server.token);
        expect(s.toLowerCase()).not.toContain('cookie');
      }
    } finally {
      await context.close();
      other.close();
    }
  });

  it('a fresh browser without the token gets the page but no bridge', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(res?.status()).toBe(200);
    await page.waitForTimeout(500);
    expect(await page.locator('#prefs').count()).toBe(0);
    await context.close();
  });
});
