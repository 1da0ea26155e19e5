// The HTTP and WebSocket server of `satchel ui`, on 127.0.0.1 only: static files of the
// interface (public code, no data: served to any request with the right Host), the launch-code
// exchange POST /session (code in, session token out), and the bridge WebSocket at /bridge
// (token + Origin; calls in, `status`/`log` events out). Every request is gated by ui-auth.ts
// and answered with strict security headers; a malformed request gets 400, never a crash.
// It sets no cookie, owns no state beyond connections and codes, never logs a token or a body.

import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppService } from '../app/app-service.js';
import { createLaunchCodes } from './launch-codes.js';
import { hostAllowed, newToken, originAllowed, requestUrl, securityHeaders, tokenSource } from './ui-auth.js';
import { resolveStatic } from './static-files.js';
import { dispatchMessage } from './ws-dispatch.js';

export interface UiServerOptions {
  backend: AppService;
  /** Folder of the built interface (renderer/dist). */
  root: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Tests only: a fixed token. */
  token?: string;
  /** Life of a launch code (default 2 minutes). */
  launchCodeTtlMs?: number;
}

export interface UiServer {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/#token=... — the address printed on the terminal (the fragment never reaches a server). */
  url: string;
  /** http://127.0.0.1:PORT/#code=... with a fresh one-time launch code, for the browser opener. */
  launchUrl(): string;
  close(): Promise<void>;
}

/** The launch-code exchange: POST a JSON {code} here, get {token}. */
export const SESSION_PATH = '/session';
const MAX_SESSION_BODY = 1024;

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>Satchel</title><p>The interface is not built. Run <code>npm run build</code> (it builds renderer/dist), or set SATCHEL_UI_ROOT.</p>';

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = opts.token ?? newToken();
  const codes = createLaunchCodes({ ttlMs: opts.launchCodeTtlMs });
  let port = 0;
  const sockets = new Set<WebSocket>();

  const answer = (res: ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { ...securityHeaders(port), 'Content-Type': type });
    res.end(body);
  };
  const deny = (res: ServerResponse, code: number, text: string) => answer(res, code, 'text/plain; charset=utf-8', text + '\n');

  const exchange = (req: IncomingMessage, res: ServerResponse) => {
    if (!originAllowed(req, port)) return deny(res, 403, 'Forbidden: foreign origin.');
    if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) return deny(res, 415, 'Expected application/json.');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_SESSION_BODY) { deny(res, 413, 'Too large.'); req.destroy(); } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let code: unknown;
      try { code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: unknown } | null)?.code; } catch { return deny(res, 400, 'Not JSON.'); }
      if (!codes.redeem(code)) return deny(res, 403, 'Forbidden: this launch code is unknown, used or expired. Open the address printed by "satchel ui".');
      answer(res, 200, 'application/json; charset=utf-8', JSON.stringify({ token }));
    });
    req.on('error', () => res.destroy());
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const found = resolveStatic(opts.root, url.pathname);
    if ('refused' in found) return deny(res, 403, 'Forbidden path.');
    if ('missing' in found) {
      if (url.pathname !== '/') return deny(res, 404, 'Not found.');
      return answer(res, 200, 'text/html; charset=utf-8', req.method === 'HEAD' ? '' : NOT_BUILT);
    }
    const size = fs.statSync(found.file).size;
    res.writeHead(200, { ...securityHeaders(port), 'Content-Type': found.type, 'Content-Length': String(size) });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, port)) return deny(res, 403, 'Forbidden: unexpected Host header.');
    const url = requestUrl(req, port);
    if (!url) return deny(res, 400, 'Bad request target.');
    if (url.pathname === SESSION_PATH) return req.method === 'POST' ? exchange(req, res) : deny(res, 405, 'Method not allowed.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');
    serveStatic(req, res, url);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      route(req, res);
    } catch {
      // Whatever went wrong belongs to this request only; the server and its syncs keep running.
      if (!res.headersSent) deny(res, 500, 'Internal error.');
      else res.destroy();
    }
  };

  const refuse = (socket: Duplex, status: string) => {
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      const url = requestUrl(req, port);
      if (!url) return refuse(socket, '400 Bad Request');
      const ok = url.pathname === '/bridge' && hostAllowed(req, port) && originAllowed(req, port) && tokenSource(req, url, token) !== undefined;
      if (!ok) return refuse(socket, '403 Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
    } catch {
      socket.destroy();
    }
  };

  const server = http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', onUpgrade);

  const onSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const send = (m: unknown) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m)); };
    const offStatus = opts.backend.onStatus((payload) => send({ event: 'status', payload }));
    const offLog = opts.backend.onLog((payload) => send({ event: 'log', payload }));
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      void dispatchMessage(opts.backend, raw).then(send, () => ws.terminate());
    });
    ws.on('close', () => { offStatus(); offLog(); sockets.delete(ws); });
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    launchUrl: () => `http://127.0.0.1:${port}/#code=${codes.issue()}`,
    async close() {
      for (const ws of sockets) ws.close(1001, 'server stopping');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
