// The wizard's "Test connection": logs in with the draft settings through ImapStore (so TLS
// verification, certificate pins and required STARTTLS behave exactly as in a sync), lists the
// folders and the separator, and turns a failure into one ConnectionFailure kind with a plain
// message and a fix; an untrusted certificate comes back with its sha256 fingerprint so the
// user can trust it explicitly. It never logs, stores or returns the password.

import type { ConnectionDraft, ConnectionFailure, TestResult } from '../contract/bridge-contract.js';
import { SyncError } from '../errors.js';
import { ImapStore } from '../imap/imap-store.js';

export interface ConnectionTestOptions {
  /** Connect and greeting timeout; default 15000 ms. The whole test gets this plus 30 s. */
  timeoutMs?: number;
}

export async function testConnection(draft: ConnectionDraft, opts: ConnectionTestOptions = {}): Promise<TestResult> {
  // An access token is used as it is: a rejected one is not renewed here (the sign-in just made it).
  let renewed = false;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let password: string | undefined = draft.password;
  const store = new ImapStore({
    host: draft.host, port: draft.port, user: draft.user,
    password: async (o) => {
      if (o?.renew && !renewed) { renewed = true; throw new SyncError('auth-failed', 'The server rejected the sign-in.', { scope: 'account', retry: 'needs-user' }); }
      const p = password ?? ''; password = undefined; return p;
    },
    ssl: draft.security === 'tls', starttls: draft.security === 'starttls', ...(draft.oauth ? { oauth: true } : {}),
    ...(draft.certFingerprint ? { certFingerprints: [draft.certFingerprint] } : {}),
    maxConnections: 1, connectTimeoutMs: timeoutMs,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SyncError('timeout', 'the server stopped answering', { scope: 'account', retry: 'later' })), timeoutMs + 30_000);
  });
  try {
    return await Promise.race([deadline, (async (): Promise<TestResult> => {
      await store.connect();
      const folders = (await store.listFolders()).filter((f) => !f.noSelect).map((f) => f.name);
      return { ok: true, capabilities: store.serverInfo.capabilities, folders, separator: store.delimiter };
    })()]);
  } catch (e) {
    return describeFailure(e, draft);
  } finally {
    clearTimeout(timer);
    password = undefined;
    await store.close().catch(() => {});
  }
}

const KIND_BY_CODE: Record<string, ConnectionFailure> = {
  'auth-failed': 'auth-failed',
  'host-not-found': 'host-not-found',
  'connection-refused': 'connection-refused',
  'certificate-untrusted': 'tls-untrusted',
  'certificate-fingerprint-mismatch': 'tls-untrusted',
  'starttls-missing': 'starttls-missing',
  timeout: 'timeout',
};

/** A failed test in the user's words. Exported for the tests of each kind. */
export function describeFailure(e: unknown, d: Pick<ConnectionDraft, 'host' | 'port' | 'security' | 'user'> & { oauth?: boolean }): TestResult {
  const code = e instanceof SyncError ? e.code : 'unexpected';
  const kind = KIND_BY_CODE[code] ?? 'other';
  const where = `${d.host}:${d.port}`;
  const other = d.security === 'tls' ? 'STARTTLS on port 143' : 'TLS on port 993';
  switch (kind) {
    case 'auth-failed':
      if ('oauth' in d && d.oauth) {
        return fail(kind, `The server did not accept the sign-in for the user name "${d.user}".`,
          'The user name must be the address you signed in with; check that IMAP is allowed for the account, then sign in again.');
      }
      return fail(kind, `The server rejected the user name "${d.user}" or the password.`,
        'Check both. Providers that use two-step login (Gmail, iCloud, Yahoo, Fastmail) need an app password instead of your normal password.');
    case 'host-not-found':
      return fail(kind, `The server name "${d.host}" does not exist (or the network is down).`,
        'Check the spelling of the server name and that this computer is online.');
    case 'connection-refused':
      return fail(kind, `Nothing answers on ${where}: the port is closed.`,
        `Check the port and the security setting: IMAP with TLS is usually port 993, with STARTTLS port 143. Try ${other}.`);
    case 'tls-untrusted': {
      const fingerprint = fingerprintOf(e);
      const changed = code === 'certificate-fingerprint-mismatch';
      return fail(kind, changed
        ? `The certificate of ${where} is not the one you chose to trust${fingerprint ? ` (it now has the fingerprint ${fingerprint})` : ''}.`
        : `The certificate of ${where} is not trusted by this computer (${reasonOf(e)}).`,
      changed ? 'If the server really has a new certificate (ask its administrator), trust the new fingerprint; otherwise someone may be intercepting the connection.'
        : 'If this is your own or your organisation\'s server, compare the fingerprint with the one its administrator gives you and trust it. Never trust it for a big provider: that means the connection is being intercepted.',
      fingerprint);
    }
    case 'starttls-missing':
      return fail(kind, `${where} does not offer STARTTLS, so the connection was stopped before the password was sent.`,
        'Choose TLS (usually port 993) instead. Satchel never sends a password unencrypted.');
    case 'timeout':
      return fail(kind, `${where} did not answer in time.`,
        `Check the port and the security setting (${d.security === 'tls' ? 'a port that expects STARTTLS stays silent when spoken TLS to; try STARTTLS on 143' : 'a TLS port stays silent until spoken TLS to; try TLS on 993'}), or a firewall that drops the connection.`);
    default:
      return fail('other', `Connecting to ${where} failed: ${e instanceof Error ? e.message : String(e)}`,
        'Check the server name, port and security setting, and try again later.');
  }
}

function fail(kind: ConnectionFailure, message: string, fix: string, fingerprint?: string): TestResult {
  return { ok: false, kind, message, fix, ...(fingerprint ? { fingerprint } : {}) };
}

/** The sha256 fingerprint our TLS transport put on the error it raised (lowercase hex). */
function fingerprintOf(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e.cause as { fingerprint256?: unknown } | undefined) : undefined;
  const fp = typeof cause?.fingerprint256 === 'string' ? cause.fingerprint256 : /fingerprint (?:is )?([0-9a-f]{64})/.exec(e instanceof Error ? e.message : '')?.[1];
  return fp && /^[0-9a-f]{64}$/.test(fp) ? fp : undefined;
}

function reasonOf(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as { reason?: unknown } | undefined) : undefined;
  const r = typeof cause?.reason === 'string' ? cause.reason : 'unknown reason';
  return r === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'it is self-signed' : r === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || r === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'it is signed by an unknown authority'
    : r === 'CERT_HAS_EXPIRED' ? 'it has expired' : /ERR_TLS_CERT_ALTNAME_INVALID|Hostname/i.test(r) ? 'it is for another server name' : r;
}
