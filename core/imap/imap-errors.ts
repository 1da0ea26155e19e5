// Turns what imapflow, Node's net/tls and our own certificate checks throw into SyncErrors
// with a scope, a retry class and a message that names the problem and the fix (in the
// OfflineIMAP option names the user knows: remoteuser, remotepass, remoteport, ssl, ...).
// It only classifies; it never retries, logs or talks to the server, and it must never put
// a password or any other secret into a message.

import { SyncError } from '../errors.js';
import { printable } from '../log/printable.js';

/** Codes our own TLS transport (tls-options.ts) puts on the errors it raises. */
export const CERT_UNTRUSTED = 'SATCHEL_CERT_UNTRUSTED';
export const CERT_FINGERPRINT_MISMATCH = 'SATCHEL_CERT_FINGERPRINT_MISMATCH';

/** What the error carries besides Error: imapflow's extra fields and ours. */
interface Raw {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseStatus?: string;
  responseText?: string;
  response?: unknown;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  fingerprint256?: string;
  reason?: string;
  /** Set by the pool on the socket timeout that closed a connection. */
  timeoutMs?: number;
}

export interface ConnectContext {
  host: string;
  port: number;
  user: string;
  ssl: boolean;
  starttls: boolean;
  /** Signed in with an OAuth2 access token (the messages then speak of the sign-in, not a password). */
  oauth?: boolean;
}

const LOST_CODES = new Set(['NoConnection', 'EConnectionClosed', 'StateLogout', 'ECONNRESET', 'EPIPE',
  'ECONNABORTED', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS', 'ERR_STREAM_DESTROYED']);
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT']);
/** imapflow's codes for a response it refused to read (and closed the connection over). */
const UNREADABLE_CODES = new Set(['ParserError', 'LiteralTooLarge', 'LineTooLarge', 'ResponseTooLarge', 'TooManyTokens',
  'TooManyResponses', 'UnexpectedTag', 'ResponseProcessingFailed']);

function raw(e: unknown): Raw {
  return (e && typeof e === 'object' ? e : { message: String(e) }) as Raw;
}

/** Server text of a failed command, without the tag; never contains what we sent. */
function serverText(r: Raw): string {
  const text = r.responseText ?? (typeof r.response === 'string' ? r.response : '');
  return text ? ` (server said: ${text.trim().slice(0, 200)})` : '';
}

/** True when the error means the connection is gone (closed, reset, timed out). */
export function isConnectionLost(e: unknown): boolean {
  const r = raw(e);
  if (r.code && (LOST_CODES.has(r.code) || TIMEOUT_CODES.has(r.code))) return true;
  return /connection (not available|closed)|socket (closed|hang up)/i.test(r.message ?? '');
}

/** Classifies a failure to connect, secure the connection or log in. Scope: account. */
export function mapConnectError(e: unknown, ctx: ConnectContext): SyncError {
  if (e instanceof SyncError) return e;
  const r = raw(e);
  const where = `${ctx.host}:${ctx.port}`;
  const mk = (code: string, message: string, retry: 'later' | 'needs-user') =>
    new SyncError(code, message, { scope: 'account', retry, cause: e });

  if (r.code === CERT_FINGERPRINT_MISMATCH) {
    return mk('certificate-fingerprint-mismatch', `The TLS certificate of ${where} has the sha256 fingerprint ` +
      `${r.fingerprint256}, which matches none of the configured cert_fingerprint values. The certificate changed ` +
      'or someone is intercepting the connection. If the server really has a new certificate, update cert_fingerprint.',
    'needs-user');
  }
  if (r.code === CERT_UNTRUSTED) {
    return mk('certificate-untrusted', `The TLS certificate of ${where} is not trusted (${r.reason}). Its sha256 ` +
      `fingerprint is ${r.fingerprint256}. If this is the right server, add sslcacertfile = <the CA or certificate ` +
      `file> or cert_fingerprint = ${r.fingerprint256} to the repository.`, 'needs-user');
  }
  if (/^UNAVAILABLE/i.test(r.serverResponseCode ?? '')) {
    return mk('server-unavailable', `${where} could not check the login of "${ctx.user}" just now${serverText(r)}. ` +
      'This is a temporary failure of the server; Satchel tries again later.', 'later');
  }
  if (ctx.oauth && (r.authenticationFailed || /^AUTHENTICATIONFAILED|^AUTHORIZATIONFAILED/i.test(r.serverResponseCode ?? ''))) {
    return mk('auth-failed', `${where} rejected the OAuth2 sign-in of "${ctx.user}"${serverText(r)}, also with a renewed access token. ` +
      'Check that the user name is the address you signed in with, that IMAP is allowed for it, then sign in again.', 'needs-user');
  }
  if (r.authenticationFailed || /^AUTHENTICATIONFAILED|^AUTHORIZATIONFAILED/i.test(r.serverResponseCode ?? '')) {
    return mk('auth-failed', `Login to ${where} as "${ctx.user}" failed${serverText(r)}. ` +
      'Check remoteuser/remotepass (or the password in the keyring).', 'needs-user');
  }
  if (r.tlsFailed && /STARTTLS/i.test(r.message ?? '') && !/injection/i.test(r.message ?? '')) {
    return mk('starttls-missing', `${where} does not offer STARTTLS, and starttls is required, so the connection ` +
      'was not used (nothing was sent in plaintext). Use the server\'s TLS port with ssl = yes, or ask the provider.',
    'needs-user');
  }
  if (r.code === 'STARTTLS_INJECTION') {
    return mk('starttls-injection', `${where} sent data right after STARTTLS: someone may be tampering with the ` +
      'connection. Use ssl = yes on the TLS port instead.', 'needs-user');
  }
  if (r.code === 'ENOTFOUND' || r.code === 'EAI_AGAIN' || r.code === 'EAI_NONAME') {
    return mk('host-not-found', `The server name "${ctx.host}" could not be resolved (${r.code}). Check remotehost ` +
      'and the network connection.', 'later');
  }
  if (r.code === 'ECONNREFUSED') {
    return mk('connection-refused', `${where} refused the connection: nothing listens on that port. Check ` +
      `remoteport and ssl (IMAPS is usually 993 with ssl = yes, plain IMAP 143 with ssl = no).`, 'later');
  }
  if (r.code === 'EHOSTUNREACH' || r.code === 'ENETUNREACH') {
    return mk('host-unreachable', `${where} cannot be reached (${r.code}). Check the network connection.`, 'later');
  }
  if (r.code && TIMEOUT_CODES.has(r.code)) {
    const hint = r.code === 'GREETING_TIMEOUT' && !ctx.ssl ? ' If that port expects TLS right away, set ssl = yes.'
      : r.code === 'CONNECT_TIMEOUT' && ctx.ssl ? ' If that port expects plain IMAP first, set ssl = no.' : '';
    return mk('timeout', `Connecting to ${where} timed out (${r.code}).${hint}`, 'later');
  }
  if (r.code === 'EPROTO' || /^ERR_SSL_|^ERR_TLS_/.test(r.code ?? '') || r.tlsFailed) {
    // A protocol mismatch (TLS spoken to a plain port, no common version) will not go away by itself.
    const mismatch = /WRONG_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS|VERSION_TOO_LOW|HANDSHAKE_FAILURE/.test(r.code ?? '');
    return mk('tls-failed', `The TLS handshake with ${where} failed (${r.code ?? r.message}). Check that ssl ` +
      `matches the port (ssl = ${ctx.ssl ? 'yes' : 'no'} now) and that the server supports a current TLS version.`,
    mismatch ? 'needs-user' : 'later');
  }
  if (isConnectionLost(e)) {
    return mk('connection-lost', `${where} closed the connection during login${serverText(r)}. ` +
      'Check remoteport and ssl; try again later.', 'later');
  }
  return mk('connect-failed', `Connecting to ${where} failed: ${r.message ?? String(e)}`, 'later');
}

/** A response Satchel could not read (or refused to). Scope: folder; the next run tries again. */
export function unreadableResponse(what: string, folder: string | undefined, detail: string, cause?: unknown): SyncError {
  return new SyncError('server-response-unreadable', `The server sent a response Satchel could not read while ${what}` +
    `${folder ? ` in "${folder}"` : ''} (${detail}), so none of it was used. It will be retried on the next run.`,
  { scope: 'folder', retry: 'later', cause, folder });
}

/** Classifies a failure of a command on an open connection. Scope: folder. */
export function mapCommandError(e: unknown, what: string, folder?: string): SyncError {
  if (e instanceof SyncError) return e;
  const r = raw(e);
  const where = folder ? ` in "${folder}"` : '';
  if (r.code === 'ETIMEOUT') {
    const secs = r.timeoutMs ? ` for ${+(r.timeoutMs / 1000).toFixed(1)} s` : '';
    return new SyncError('timeout', `The server did not answer${secs} while ${what}${where}; the connection was ` +
      'given up. It will be retried on the next run.', { scope: 'folder', retry: 'later', cause: e, folder });
  }
  if (r.code && UNREADABLE_CODES.has(r.code)) return unreadableResponse(what, folder, printable(String(r.message ?? r.code).slice(0, 120)), e);
  if (isConnectionLost(e)) {
    return new SyncError('connection-lost', `The connection to the server was lost while ${what}` +
      `${folder ? ` in "${folder}"` : ''}. It will be retried on the next run.`,
    { scope: 'folder', retry: 'later', cause: e, folder });
  }
  if (r.mailboxMissing) {
    return new SyncError('folder-not-found', `The server has no folder "${folder}"${serverText(r)}.`,
      { scope: 'folder', retry: 'needs-user', cause: e, folder });
  }
  return new SyncError('command-failed', `The server refused ${what}${folder ? ` in "${folder}"` : ''}` +
    `${serverText(r) || `: ${r.message ?? String(e)}`}.`, { scope: 'folder', retry: 'later', cause: e, folder });
}
