// Browser mode's session: how the page gets the token of `satchel ui` and keeps it. The address
// brings either `#token=…` (printed on the terminal) or `#code=…` (one-time, from the browser
// opener), exchanged at POST /session for the token. Either is removed from the address bar and
// the history entry at once (history.replaceState), before anything else runs. The token is kept
// in sessionStorage, which is scoped to this origin (scheme, host AND port), never in a cookie,
// which browsers would send to every port of 127.0.0.1. It never logs or displays the token.

export const TOKEN_KEY = 'satchel.token';

export interface PageEnv {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  storage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
  fetch: (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials: 'omit'; cache: 'no-store' }) =>
    Promise<{ ok: boolean; json(): Promise<unknown> }>;
}

function browserEnv(): PageEnv {
  return { location: globalThis.location, history: globalThis.history, storage: globalThis.sessionStorage, fetch: (u, i) => globalThis.fetch(u, i) };
}

/** The session token of this page, or undefined when it has none (then it must be opened with the printed address). */
export async function sessionToken(env: PageEnv = browserEnv()): Promise<string | undefined> {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromAddress = params.get('token');
  const code = params.get('code');
  if (fromAddress !== null || code !== null) env.history.replaceState(null, '', env.location.pathname + env.location.search);
  if (fromAddress) {
    env.storage.setItem(TOKEN_KEY, fromAddress);
    return fromAddress;
  }
  if (code) {
    try {
      const res = await env.fetch('/session', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), credentials: 'omit', cache: 'no-store',
      });
      const body = res.ok ? await res.json() as { token?: unknown } : undefined;
      if (typeof body?.token === 'string') {
        env.storage.setItem(TOKEN_KEY, body.token);
        return body.token;
      }
    } catch { /* no server: the stored token, if any, is all there is */ }
  }
  return env.storage.getItem(TOKEN_KEY) ?? undefined;
}
