// Browser mode in a real Chromium (Debian's, driven by playwright-core): the page opened at the
// printed address gets its cookie, the renderer's WebSocket bridge client (bundled by esbuild
// into a fixture page) connects under the strict CSP with the page's own origin, calls the
// backend and receives pushed log events; without the token the page gets nothing.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { createLocalAppService } from '../../../core/app/local-app-service.js';
import type { AppService } from '../../../core/app/app-service.js';
import { startUiServer, type UiServer } from '../../../core/ui-server/ui-server.js';

let dir: string;
let backend: ReturnType<typeof createLocalAppService>;
let server: UiServer;
let browser: Browser;

const APP = `
import { createWsBridge } from ${JSON.stringify(path.resolve('renderer/src/bridge/ws-bridge.ts'))};
const bridge = createWsBridge();
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
  await build({ entryPoints: [path.join(dir, 'app.js')], bundle: true, format: 'esm', outfile: path.join(root, 'assets', 'app.js'), logLevel: 'silent' });
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
    // The cookie alone (no token in the address) is enough for later loads of this origin.
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.locator('#prefs').waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a fresh browser without the token gets a 403 and no bridge', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('#prefs').count()).toBe(0);
    await context.close();
  });
});
