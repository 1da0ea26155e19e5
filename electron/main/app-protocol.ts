// Serves the interface from app://satchel instead of file://, so that the window has a real
// origin and every file arrives with the Content-Security-Policy header. Owns the scheme, its
// origin, the privileged-scheme registration and the request -> response mapping; the path
// check and content types are core/ui-server/static-files.ts, shared with browser mode. It
// never serves anything outside the renderer folder, for another host, or for a write method.

import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { resolveStatic } from '../../core/ui-server/static-files.js';
import { CSP } from './content-security-policy.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'satchel';
/** The window's origin, as its frames report it (and the IPC sender check expects). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Headers of every answer of the app protocol, with the body's content type. */
export function appHeaders(contentType: string): Record<string, string> {
  return { 'Content-Type': contentType, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
}

export type AppRoute =
  | { status: 200; file: string; headers: Record<string, string> }
  | { status: 403 | 404 | 405; body: string; headers: Record<string, string> };

const deny = (status: 403 | 404 | 405, body: string): AppRoute => ({ status, body, headers: appHeaders('text/plain; charset=utf-8') });

/** The URL's path when it is ours (app://satchel, no credentials or port), else undefined. */
export function appUrlPath(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return undefined;
  return u.pathname || '/'; // Chromium writes app://satchel as app://satchel/; WHATWG leaves the path empty
}

/** What to answer to `method url`: a file of `rendererDir` with its headers, or a refusal. */
export function routeAppRequest(method: string, url: string, rendererDir: string): AppRoute {
  if (method !== 'GET' && method !== 'HEAD') return deny(405, 'Method not allowed.');
  const urlPath = appUrlPath(url);
  if (urlPath === undefined) return deny(403, 'Forbidden: not the Satchel app origin.');
  const found = resolveStatic(rendererDir, urlPath);
  if ('refused' in found) return deny(403, 'Forbidden path.');
  if ('missing' in found) return deny(404, 'Not found.');
  return { status: 200, file: found.file, headers: appHeaders(found.type) };
}

/** Before app ready: app:// behaves as a secure standard scheme (origin, 'self', fetch). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** After app ready: answers app:// requests from the files of `rendererDir`. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const route = routeAppRequest(request.method, request.url, rendererDir);
    if (route.status !== 200) return new Response(route.body, { status: route.status, headers: route.headers });
    try {
      const body = request.method === 'HEAD' ? null : await readFile(route.file);
      return new Response(body, { status: 200, headers: route.headers });
    } catch {
      return new Response('Not found.', { status: 404, headers: appHeaders('text/plain; charset=utf-8') });
    }
  });
}
