// Reads OfflineIMAP's [Account] proxy / authproxy ("SOCKS5:localhost:1080", PySocks' names
// SOCKS4, SOCKS5, HTTP and PROXY_TYPE_*; SOCKS4A as Satchel's own) into the model. As in
// OfflineIMAP (PySocks with remote DNS) SOCKS4 sends the host name to the proxy, i.e. SOCKS4a.
// A value it cannot read stops the account (OfflineIMAP warns and connects directly, which
// would expose a Tor user's address). It only parses; it never connects.

import type { ProxyConfig } from './model.js';
import type { OptionReader } from './option-reader.js';

const TYPES: Record<string, ProxyConfig['type']> = {
  SOCKS4: 'socks4a', SOCKS4A: 'socks4a', SOCKS5: 'socks5', HTTP: 'http',
  PROXY_TYPE_SOCKS4: 'socks4a', PROXY_TYPE_SOCKS5: 'socks5', PROXY_TYPE_HTTP: 'http',
};

/** The proxy of `key` in the account section: a ProxyConfig, null for an explicit '' (none), undefined when unset; false when it is wrong (the account is stopped). */
export function readProxy(r: OptionReader, s: string, key: 'proxy' | 'authproxy'): ProxyConfig | null | undefined | false {
  const raw = r.str(s, key);
  if (raw === undefined) return undefined;
  const v = raw.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (v === '') return null;
  const m = /^(\w+):(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(v);
  const type = m ? TYPES[m[1]!.toUpperCase()] : undefined;
  const port = m ? Number(m[3]) : 0;
  if (!m || !type || port < 1 || port > 65535) {
    const why = !m ? 'is not TYPE:HOST:PORT' : !type ? `has the unknown type '${m[1]}' (SOCKS4, SOCKS5 or HTTP)` : 'has a port outside 1-65535';
    r.stop(s, key, `[${s}] ${key} = ${v} ${why}, and Satchel never connects directly instead of through a proxy. Write instead: ${key} = SOCKS5:localhost:1080 (or remove ${key} to connect directly).`);
    return false;
  }
  return { type, host: m[2]!.replace(/^\[|\]$/g, ''), port, written: v };
}
