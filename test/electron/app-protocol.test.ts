// app-protocol.ts: app://satchel URLs mapped to files of a real renderer folder (with a
// symlink pointing out of it), refusals, headers; and the two Electron calls it makes, against
// a substituted `protocol` object that records the registration and runs the handler.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, appUrlPath, handleAppProtocol, registerAppScheme, routeAppRequest,
} from '../../electron/main/app-protocol.js';
import { CSP } from '../../electron/main/content-security-policy.js';

let top: string;
let dir: string;
beforeAll(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), 'satchel-app-protocol-')));
  dir = join(top, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Satchel</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(top, 'secret.txt'), 'outside');
  symlinkSync(join(top, 'secret.txt'), join(dir, 'link.txt'));
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('app origin', () => {
  it('is app://satchel, and the window loads its index.html', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ORIGIN).toBe('app://satchel');
    expect(APP_INDEX_URL).toBe('app://satchel/index.html');
  });

  it('takes the path of our URLs only, without query or fragment', () => {
    expect(appUrlPath('app://satchel/index.html?x=1#/log')).toBe('/index.html');
    expect(appUrlPath('app://satchel')).toBe('/');
    expect(appUrlPath('app://other/index.html')).toBeUndefined();
    expect(appUrlPath('app://satchel:8080/index.html')).toBeUndefined();
    expect(appUrlPath('app://user:pw@satchel/index.html')).toBeUndefined();
    expect(appUrlPath('file:///etc/passwd')).toBeUndefined();
    expect(appUrlPath('https://satchel/index.html')).toBeUndefined();
    expect(appUrlPath('not a url')).toBeUndefined();
  });
});

describe('routeAppRequest', () => {
  it('serves files of the renderer folder with their content type and the CSP', () => {
    expect(routeAppRequest('GET', 'app://satchel/index.html', dir)).toEqual({
      status: 200, file: join(dir, 'index.html'),
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
    });
    const js = routeAppRequest('GET', 'app://satchel/assets/index-abc.js', dir);
    expect(js).toMatchObject({ status: 200, file: join(dir, 'assets', 'index-abc.js') });
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(routeAppRequest('HEAD', 'app://satchel/assets/index-abc.css', dir).headers['Content-Type']).toBe('text/css; charset=utf-8');
  });

  it('answers a directory with its index.html, and 404 when it has none', () => {
    expect(routeAppRequest('GET', 'app://satchel/', dir)).toMatchObject({ status: 200, file: join(dir, 'index.html') });
    expect(routeAppRequest('GET', 'app://satchel', dir)).toMatchObject({ status: 200, file: join(dir, 'index.html') });
    expect(routeAppRequest('GET', 'app://satchel/empty/', dir).status).toBe(404);
  });

  it('answers 404 for unknown paths, with the CSP on the refusal too', () => {
    const r = routeAppRequest('GET', 'app://satchel/nope.js', dir);
    expect(r).toMatchObject({ status: 404, body: 'Not found.' });
    expect(r.headers['Content-Security-Policy']).toBe(CSP);
    expect(r.headers['Content-Type']).toBe('text/plain; charset=utf-8');
  });

  it('never leaves the renderer folder', () => {
    // The URL parser already folds literal and %2e dot segments, so these stay inside (and miss).
    expect(routeAppRequest('GET', 'app://satchel/../secret.txt', dir).status).toBe(404);
    expect(routeAppRequest('GET', 'app://satchel/assets/%2e%2e/%2e%2e/secret.txt', dir).status).toBe(404);
    expect(routeAppRequest('GET', 'app://satchel/assets%2f..%2f..%2fsecret.txt', dir).status).toBe(403);
    expect(routeAppRequest('GET', 'app://satchel/assets%5c..%5c..%5csecret.txt', dir).status).toBe(403);
    expect(routeAppRequest('GET', 'app://satchel/index.html%00.js', dir).status).toBe(403);
    expect(routeAppRequest('GET', 'app://satchel/%E0%A4%A', dir).status).toBe(403);
    expect(routeAppRequest('GET', 'app://satchel/link.txt', dir).status).toBe(403);
  });

  it('refuses other hosts and schemes, and every method but GET and HEAD', () => {
    expect(routeAppRequest('GET', 'app://evil/index.html', dir).status).toBe(403);
    expect(routeAppRequest('GET', `file://${dir}/index.html`, dir).status).toBe(403);
    expect(routeAppRequest('POST', 'app://satchel/index.html', dir).status).toBe(405);
    expect(routeAppRequest('PUT', 'app://satchel/index.html', dir).status).toBe(405);
  });
});

describe('Electron protocol calls', () => {
  it('registers app as a secure standard scheme with fetch, before ready', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => void calls.push(s) });
    expect(calls).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
  });

  it('handles app:// by answering with the file and its headers, or the refusal', async () => {
    let scheme = '';
    let handler: ((r: Request) => Response | Promise<Response>) | undefined;
    handleAppProtocol({ handle: (s, h) => { scheme = s; handler = h as never; } }, dir);
    expect(scheme).toBe('app');

    const ok = await handler!(new Request('app://satchel/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect(await ok.text()).toBe('<!doctype html><title>Satchel</title>');

    const head = await handler!(new Request('app://satchel/assets/index-abc.js', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const missing = await handler!(new Request('app://satchel/missing.html'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CSP);
    expect((await handler!(new Request('app://satchel/link.txt'))).status).toBe(403);
  });
});
