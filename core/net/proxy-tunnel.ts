// Connections through the account's proxy (OfflineIMAP's `proxy`): opens the tunnel with
// imapflow's own proxy code (SOCKS4/4a/5 through the `socks` package, HTTP CONNECT), then hands
// the tunnelled socket to the same verifying transport as a direct connection, so TLS,
// STARTTLS and certificate pins work unchanged. A proxy that cannot be reached is an error:
// it never falls back to a direct connection.

import type net from 'node:net';
import type { ImapTransport } from 'imapflow';
import { proxyConnection } from 'imapflow/lib/proxy-connection.js';
import { SyncError } from '../errors.js';

export interface ProxySettings {
  type: 'socks4' | 'socks4a' | 'socks5' | 'http';
  host: string;
  port: number;
  /** As written in the configuration, for messages. */
  written?: string;
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {}, trace() {} };

/** A connected socket to host:port through the proxy; a SyncError naming the proxy otherwise. */
export async function openProxyTunnel(proxy: ProxySettings, host: string, port: number, timeoutMs?: number): Promise<net.Socket> {
  const url = `${proxy.type}://${proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host}:${proxy.port}`;
  try {
    const socket = await proxyConnection(SILENT as never, url, host, port, { connectionTimeout: timeoutMs });
    if (!socket) throw new Error(`unknown proxy type ${proxy.type}`);
    return socket;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { _err?: NodeJS.ErrnoException };
    // The socks package reports socket errors in its message only ("connect ECONNREFUSED ...").
    const code = [err.code, err._err?.code, /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\b/.exec(String(err.message))?.[1]].find((c) => c && c !== 'ProxyError');
    const what = `${proxy.type.toUpperCase()} proxy ${proxy.host}:${proxy.port}${proxy.written ? ` (proxy = ${proxy.written})` : ''}`;
    const why = code === 'ECONNREFUSED' ? 'nothing listens there'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'its host name cannot be resolved'
        : code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT' ? 'it did not answer in time'
          : `it refused or failed the connection to ${host}:${port} (${err.message.replace(/\s+/g, ' ')})`;
    throw new SyncError('proxy-unreachable', `Cannot connect through the ${what}: ${why}. Start the proxy (e.g. tor or ssh -D), or remove proxy from the account; Satchel never connects directly while a proxy is set.`,
      { scope: 'account', retry: 'later', cause: e });
  }
}

/** A transport that uses an already tunnelled socket: plain as it is, TLS through `base`'s verified upgrade. */
export function tunnelledTransport(base: ImapTransport, tunnel: net.Socket): ImapTransport {
  return {
    connect(options, onConnect) {
      if (!options.secure) { setImmediate(onConnect); return tunnel; }
      return base.upgrade!(tunnel, options, onConnect);
    },
    upgrade: base.upgrade,
  };
}
