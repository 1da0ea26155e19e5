// A token request through the account's proxy (OfflineIMAP's authproxy): one POST over a tunnel
// opened by core/net/proxy-tunnel.ts, with TLS verified against the endpoint's host name as on a
// direct request. An unreachable proxy is the tunnel's SyncError: the request is never sent
// directly instead. It follows no redirect, logs nothing, and never puts the body in an error.

import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { openProxyTunnel, type ProxySettings } from '../net/proxy-tunnel.js';

export interface PostAnswer { ok: boolean; status: number; text(): Promise<string> }

export async function postThroughProxy(via: ProxySettings, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostAnswer> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const tunnel = await openProxyTunnel(via, host, Number(u.port) || (secure ? 443 : 80), timeoutMs);
  const socket = secure ? tls.connect({ socket: tunnel, host, ...(net.isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'] }) : tunnel;
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = http.request(u, {
      method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, createConnection: () => socket, timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: status >= 200 && status < 300, status, text: async () => text });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => { socket.destroy(); reject(Object.assign(new Error(e.message), { cause: e })); });
    req.end(body);
  });
}
