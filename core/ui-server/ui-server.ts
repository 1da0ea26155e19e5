// The HTTP and WebSocket server of `satchel ui`, on 127.0.0.1 only: static files of the
// interface, the bridge WebSocket at /bridge (calls in, `status`/`log` events out), every
// request gated by ui-auth.ts (token, Host, Origin) and answered with strict security headers.
// It owns no state of its own beyond connections; it never logs the token or a message body.

import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppService } from '../app/app-service.js';
import { hostAllowed, newToken, originAllowed, securityHeaders, tokenCookie, tokenSource } from './ui-auth.js';
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
}

export interface UiServer {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/?token=... */
  url: string;
  close(): Promise<void>;
}

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>Satchel</title><p>The interface is not built. Run <code>npm run build</code> (it builds renderer/dist), or set SATCHEL_UI_ROOT.</p>';

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  const sockets = new Set<WebSocket>();

  const deny = (res: ServerResponse, code: number, text: string) => {
    res.writeHead(code, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text + '\n');
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, port)) return deny(res, 403, 'Forbidden: unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const source = tokenSource(req, url, token);
    if (!source) return deny(res, 403, `Forbidden: open the address with its token, as printed by "satchel ui".`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');
    const headers: Record<string, string> = { ...securityHeaders(port) };
    if (source === 'query') headers['Set-Cookie'] = tokenCookie(token);
    const found = resolveStatic(opts.root, url.pathname);
    if ('refused' in found) return deny(res, 403, 'Forbidden path.');
    if ('missing' in found) {
      if (url.pathname === '/') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
        return void res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      }
      return deny(res, 404, 'Not found.');
    }
    const size = fs.statSync(found.file).size;
    res.writeHead(200, { ...headers, 'Content-Type': found.type, 'Content-Length': String(size) });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  };

  const server = http.createServer(onRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok = url.pathname === '/bridge' && hostAllowed(req, port) && originAllowed(req, port) && tokenSource(req, url, token) !== undefined;
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  const onSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const send = (m: unknown) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m)); };
    const offStatus = opts.backend.onStatus((payload) => send({ event: 'status', payload }));
    const offLog = opts.backend.onLog((payload) => send({ event: 'log', payload }));
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      void dispatchMessage(opts.backend, raw).then(send);
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
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const ws of sockets) ws.close(1001, 'server stopping');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
