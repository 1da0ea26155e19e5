// The gate of `satchel ui`: the random token (32 bytes, base64url), where a request may carry
// it (query `token`, the HttpOnly SameSite=Strict cookie, or the X-Satchel-Token header), the
// Host check against DNS rebinding (127.0.0.1:PORT or localhost:PORT only) and the WebSocket's
// Origin check (the server's own origin). Pure checks; it never logs the token.

import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'satchel_token';
export const TOKEN_HEADER = 'x-satchel-token';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the request's token came from, or undefined when it carries no valid one. */
export function tokenSource(req: IncomingMessage, url: URL, token: string): 'query' | 'cookie' | 'header' | undefined {
  const q = url.searchParams.get('token');
  if (q !== null && sameSecret(q, token)) return 'query';
  const h = req.headers[TOKEN_HEADER];
  if (typeof h === 'string' && sameSecret(h, token)) return 'header';
  const c = cookieValue(req.headers.cookie, COOKIE_NAME);
  if (c !== undefined && sameSecret(c, token)) return 'cookie';
  return undefined;
}

/** The hosts this server answers to (a DNS-rebinding page names its own host here). */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

/** The WebSocket's Origin must be this server's own: http://127.0.0.1:PORT or http://localhost:PORT, matching the Host. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host?.toLowerCase();
  return typeof origin === 'string' && host !== undefined && allowedHosts(port).includes(host) && origin.toLowerCase() === `http://${host}`;
}

export function tokenCookie(token: string): string {
  return `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Strict headers for every answer: CSP (only this origin and its WebSocket), no framing, no sniffing, no referrer. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'self'", `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`, "img-src 'self' data:",
      "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
