// The gate of `satchel ui`: the random session token (32 bytes, base64url), where a request may
// carry it (query `token` of the WebSocket address, or the X-Satchel-Token header; never a
// cookie, because browsers send cookies to every port of 127.0.0.1), the request target check
// (origin-form only: anything URL parsing rejects is refused, never thrown), the Host check
// against DNS rebinding and the Origin check of the WebSocket and of the launch-code exchange.
// Pure checks; it never logs the token.

import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-satchel-token';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two secrets (false for different lengths). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * The request's target as a URL, or undefined when it is not a plain path ("origin-form": starts
 * with one '/') or when URL parsing rejects it (e.g. `GET //[ HTTP/1.1`). Never throws.
 */
export function requestUrl(req: IncomingMessage, port: number): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//') || target.length > 8192) return undefined;
  try {
    return new URL(target, `http://127.0.0.1:${port}`);
  } catch {
    return undefined;
  }
}

/** Where the request's token came from, or undefined when it carries no valid one. */
export function tokenSource(req: IncomingMessage, url: URL, token: string): 'query' | 'header' | undefined {
  const q = url.searchParams.get('token');
  if (q !== null && sameSecret(q, token)) return 'query';
  const h = req.headers[TOKEN_HEADER];
  if (typeof h === 'string' && sameSecret(h, token)) return 'header';
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

/** The Origin must be this server's own: http://127.0.0.1:PORT or http://localhost:PORT, matching the Host. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host?.toLowerCase();
  return typeof origin === 'string' && host !== undefined && allowedHosts(port).includes(host) && origin.toLowerCase() === `http://${host}`;
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
