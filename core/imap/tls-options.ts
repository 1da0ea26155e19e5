// Builds the imapflow connection options that decide how a connection is secured: implicit
// TLS, required STARTTLS, or plaintext when the user asked for it; certificates verified
// against the system store or a CA file (which replaces it), or pinned by fingerprint
// (OfflineIMAP's cert_fingerprint). It owns the socket transport that checks the server
// certificate before imapflow sends a single byte over TLS. It must never fall back to
// plaintext when TLS was asked for, and never accept an unverified certificate.

import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { ImapFlowOptions, ImapTransport, ImapTransportSocket } from 'imapflow';
import { SyncError } from '../errors.js';
import { CERT_FINGERPRINT_MISMATCH, CERT_UNTRUSTED } from './imap-errors.js';

export interface TlsSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (IMAPS). */
  ssl: boolean;
  /** Require STARTTLS on a plain connection; never continue without it. */
  starttls: boolean;
  /** PEM file of trusted CAs; replaces the system store. */
  caFile?: string;
  /** Accepted certificate fingerprints (hex, sha1/224/256/384/512, colons optional). */
  certFingerprints?: string[];
}

export type ConnectionOptions = Pick<ImapFlowOptions, 'host' | 'port' | 'secure' | 'doSTARTTLS' | 'transport'>;

const HASH_BY_HEX_LENGTH: Record<number, string> = { 40: 'sha1', 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** "AB:CD:..." or "abcd..." -> "abcd..."; throws a needs-user SyncError for anything else. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || !HASH_BY_HEX_LENGTH[hex.length]) {
    throw new SyncError('invalid-fingerprint', `cert_fingerprint "${fp}" is not a hex sha1, sha224, sha256, sha384 ` +
      'or sha512 fingerprint.', { scope: 'account', retry: 'needs-user' });
  }
  return hex;
}

/** The hex fingerprint of a DER certificate with the given hash. */
export function certFingerprint(der: Buffer, algorithm = 'sha256'): string {
  return createHash(algorithm).update(der).digest('hex');
}

function readCaFile(caFile: string): Buffer {
  try {
    const pem = fs.readFileSync(caFile);
    new X509Certificate(pem); // fails early on a file that holds no certificate
    return pem;
  } catch (e) {
    throw new SyncError('ca-file-unreadable', `sslcacertfile "${caFile}" cannot be read as a PEM certificate file ` +
      `(${(e as Error).message}).`, { scope: 'account', retry: 'needs-user', cause: e });
  }
}

interface Verifier {
  ca?: Buffer;
  pins: string[];
}

/**
 * Checks the certificate of a finished handshake: pinned -> a fingerprint must match (chain
 * and host name do not matter then); otherwise Node's chain and host name verification must
 * have succeeded. Returns the error to destroy the socket with, or null.
 */
function verify(socket: tls.TLSSocket, v: Verifier): Error | null {
  const cert = socket.getPeerCertificate();
  const der = cert && cert.raw;
  if (!der || !der.length) return Object.assign(new Error('The server sent no certificate'), { code: CERT_UNTRUSTED, reason: 'no certificate', fingerprint256: '(none)' });
  const fingerprint256 = certFingerprint(der);
  if (v.pins.length) {
    const ok = v.pins.some((pin) => certFingerprint(der, HASH_BY_HEX_LENGTH[pin.length]) === pin);
    if (ok) return null;
    return Object.assign(new Error(`Certificate fingerprint ${fingerprint256} is not pinned`),
      { code: CERT_FINGERPRINT_MISMATCH, fingerprint256 });
  }
  if (socket.authorized) return null;
  const reason = String(socket.authorizationError ?? 'unknown verification error');
  return Object.assign(new Error(`Certificate not trusted: ${reason}`), { code: CERT_UNTRUSTED, reason, fingerprint256 });
}

/**
 * A TLS connect whose 'secure' callback only runs once the certificate passed verify().
 * rejectUnauthorized is off so that we, not Node, decide, and can report the fingerprint.
 */
function secureConnect(opts: tls.ConnectionOptions, v: Verifier, onSecure: () => void): tls.TLSSocket {
  const socket: tls.TLSSocket = tls.connect({ ...opts, ca: v.ca, rejectUnauthorized: false }, () => {
    const err = verify(socket, v);
    if (err) socket.destroy(err);
    else onSecure();
  });
  return socket;
}

function servernameOf(host: string, servername?: string): string | undefined {
  if (servername) return servername;
  return net.isIP(host) ? undefined : host;
}

/** imapflow transport: plain TCP or TLS, STARTTLS upgrades, each TLS handshake verified by us. */
export function verifyingTransport(v: Verifier): ImapTransport {
  return {
    connect(options, onConnect): ImapTransportSocket {
      if (!options.secure) return net.connect({ host: options.host, port: options.port }, onConnect);
      return secureConnect({ host: options.host, port: options.port, servername: servernameOf(options.host, options.servername) },
        v, onConnect);
    },
    upgrade(socket, options, onSecure): ImapTransportSocket {
      return secureConnect({ socket: socket as net.Socket, host: options.host,
        servername: servernameOf(options.host, options.servername) }, v, onSecure);
    },
  };
}

/** The imapflow options for host, port and how the connection is secured. */
export function buildConnectionOptions(s: TlsSettings): ConnectionOptions {
  const pins = (s.certFingerprints ?? []).map(normalizeFingerprint);
  const ca = s.caFile ? readCaFile(s.caFile) : undefined;
  const transport = verifyingTransport({ ca, pins });
  if (s.ssl) return { host: s.host, port: s.port, secure: true, transport };
  // doSTARTTLS true: imapflow fails the connect when STARTTLS is not offered or fails.
  // doSTARTTLS false: plaintext, as configured (ssl = no, starttls = no).
  return { host: s.host, port: s.port, secure: false, doSTARTTLS: s.starttls, transport };
}
