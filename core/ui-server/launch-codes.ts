// One-time launch codes of `satchel ui`: what the browser opener and a page's address carry
// instead of the session token. A code is 32 random bytes, valid once and for a short time;
// presenting it (right or wrong, in time or late) uses it up. Codes are kept only as SHA-256
// digests, so a lookup never compares the secret itself. It never logs a code.

import crypto from 'node:crypto';

export interface LaunchCodes {
  /** A fresh code, valid once within the time to live. */
  issue(): string;
  /** True when `code` was issued, is unused and has not expired; it is used up either way. */
  redeem(code: unknown): boolean;
}

/** Codes alive at once; the oldest is dropped beyond this (each `satchel ui` opens one or two). */
const MAX_LIVE = 32;
export const LAUNCH_CODE_TTL_MS = 120_000;

const digest = (code: string) => crypto.createHash('sha256').update(code).digest('hex');

export function createLaunchCodes(opts: { ttlMs?: number; now?: () => number } = {}): LaunchCodes {
  const ttl = opts.ttlMs ?? LAUNCH_CODE_TTL_MS;
  const now = opts.now ?? Date.now;
  const live = new Map<string, number>(); // digest → expiry (ms)
  return {
    issue() {
      const t = now();
      for (const [d, exp] of live) if (exp < t) live.delete(d);
      while (live.size >= MAX_LIVE) live.delete(live.keys().next().value!);
      const code = crypto.randomBytes(32).toString('base64url');
      live.set(digest(code), t + ttl);
      return code;
    },
    redeem(code) {
      if (typeof code !== 'string' || code.length === 0 || code.length > 128) return false;
      const d = digest(code);
      const exp = live.get(d);
      live.delete(d);
      return exp !== undefined && now() <= exp;
    },
  };
}
