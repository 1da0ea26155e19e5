// The one-shot loopback listener of the authorization-code flow (RFC 8252 §7.3): an HTTP server
// on 127.0.0.1 and a random port that takes exactly one request to its path, answers it with a
// short page, and closes; it also closes after a timeout or on cancel. It checks nothing of the
// OAuth2 answer itself (browser-flow.ts does) and never logs the query, which holds the code.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SyncError } from '../errors.js';

export interface LoopbackListener {
  port: number;
  /** The query of the first request to `/`; rejects on timeout or cancel. */
  query: Promise<URLSearchParams>;
  close(): void;
}

const page = (title: string, text: string) => `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function listenOnce(timeoutMs: number, accept: (q: URLSearchParams) => { ok: boolean; text: string }): Promise<LoopbackListener> {
  const server = http.createServer();
  let settle: { resolve: (q: URLSearchParams) => void; reject: (e: unknown) => void };
  const query = new Promise<URLSearchParams>((resolve, reject) => { settle = { resolve, reject }; });
  query.catch(() => undefined);
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };
  const finish = (f: () => void) => {
    if (done) return;
    done = true;
    f();
  };
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Browsers also ask for /favicon.ico: only the redirect path counts.
    if (url.pathname !== '/' || req.method !== 'GET' || done) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const verdict = accept(url.searchParams);
    res.writeHead(verdict.ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(page(verdict.ok ? 'Signed in' : 'Sign-in failed', verdict.text), () => {
      finish(() => settle.resolve(url.searchParams));
      close();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  timer = setTimeout(() => {
    finish(() => settle.reject(new SyncError('sign-in-timeout', `Nobody finished signing in within ${Math.round(timeoutMs / 60_000)} minutes. Start the sign-in again.`,
      { scope: 'account', retry: 'needs-user' })));
    close();
  }, timeoutMs);
  timer.unref();
  return {
    port: (server.address() as AddressInfo).port,
    query,
    close() {
      finish(() => settle.reject(new SyncError('sign-in-cancelled', 'The sign-in was cancelled.', { scope: 'account', retry: 'needs-user' })));
      close();
    },
  };
}
