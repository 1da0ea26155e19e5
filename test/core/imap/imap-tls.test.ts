// How ImapStore secures and authenticates its connection, against a real private Dovecot:
// implicit TLS with a pinned fingerprint or a CA file, an untrusted certificate, required
// STARTTLS (including a server that does not offer it), and the connect errors users see.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { ImapStore, type ImapStoreOptions } from '../../../core/imap/imap-store.js';
import { buildConnectionOptions, normalizeFingerprint } from '../../../core/imap/tls-options.js';
import { SyncError } from '../../../core/errors.js';
import { startServerWithoutStarttls, startSilentServer } from '../../helpers/scripted-imap.js';
import { freePort, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';

let server: DovecotServer;
beforeAll(async () => { server = await startDovecot(); });
afterAll(async () => { await server?.stop(); });

function store(over: Partial<ImapStoreOptions>): ImapStore {
  return new ImapStore({
    host: server.host, port: server.tlsPort, user: 'alice', password: async () => 'alicepw', ssl: true, starttls: false,
    connectTimeoutMs: 5000, ...over,
  });
}

async function connectError(over: Partial<ImapStoreOptions>): Promise<SyncError> {
  const s = store(over);
  try {
    await s.connect();
  } catch (e) {
    expect(e).toBeInstanceOf(SyncError);
    return e as SyncError;
  } finally {
    await s.close();
  }
  throw new Error('connect() unexpectedly succeeded');
}

async function connects(over: Partial<ImapStoreOptions>): Promise<void> {
  const s = store(over);
  await s.connect();
  const f = await s.openFolder('INBOX');
  expect(f.state.uidValidity).toBeGreaterThan(0);
  await f.release();
  await s.close();
}

describe('TLS', () => {
  it('accepts the self-signed certificate when its fingerprint is pinned (sha256, or sha1 with colons)', async () => {
    await connects({ certFingerprints: [server.certFingerprint] });
    const sha1Colons = server.certFingerprintSha1.toUpperCase().match(/../g)!.join(':');
    await connects({ certFingerprints: ['00'.repeat(32), sha1Colons] });
  });

  it('rejects an untrusted certificate with its fingerprint and the fix in the message', async () => {
    const e = await connectError({});
    expect(e).toMatchObject({ code: 'certificate-untrusted', scope: 'account', retry: 'needs-user' });
    expect(e.message).toContain(server.certFingerprint);
    expect(e.message).toMatch(/sslcacertfile|cert_fingerprint/);
  });

  it('rejects a certificate whose fingerprint is not pinned', async () => {
    const e = await connectError({ certFingerprints: ['ab'.repeat(32)] });
    expect(e).toMatchObject({ code: 'certificate-fingerprint-mismatch', scope: 'account', retry: 'needs-user' });
    expect(e.message).toContain(server.certFingerprint);
  });

  it('trusts a certificate from caFile (which replaces the system store)', async () => {
    await connects({ caFile: server.certPath });
  });

  it('refuses malformed fingerprints and unreadable CA files', async () => {
    expect(() => normalizeFingerprint('xyz')).toThrow(SyncError);
    expect(normalizeFingerprint('AB:cd:' + 'ef'.repeat(18))).toBe('abcd' + 'ef'.repeat(18));
    expect((await connectError({ caFile: '/nonexistent/ca.pem' })).code).toBe('ca-file-unreadable');
  });

  it('upgrades with required STARTTLS on the plain port, verifying the certificate', async () => {
    await connects({ port: server.port, ssl: false, starttls: true, caFile: server.certPath });
    const e = await connectError({ port: server.port, ssl: false, starttls: true });
    expect(e.code).toBe('certificate-untrusted');
    const client = new ImapFlow({
      ...buildConnectionOptions({ host: server.host, port: server.port, ssl: false, starttls: true, certFingerprints: [server.certFingerprint] }),
      auth: { user: 'alice', pass: 'alicepw' }, logger: false,
    });
    await client.connect();
    expect(client.secureConnection).toBe(true);
    await client.logout();
  });

  it('fails with starttls-missing, before sending credentials, when the server does not offer STARTTLS', async () => {
    const fake = await startServerWithoutStarttls();
    try {
      const e = await connectError({ port: fake.port, ssl: false, starttls: true });
      expect(e).toMatchObject({ code: 'starttls-missing', scope: 'account', retry: 'needs-user' });
      expect(fake.received.some((l) => /LOGIN|AUTHENTICATE/i.test(l))).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('allows plaintext when neither ssl nor starttls is set', async () => {
    await connects({ port: server.port, ssl: false, starttls: false });
  });
});

describe('connect errors', () => {
  it('reports a wrong password as auth-failed without the password in the message', async () => {
    const e = await connectError({ port: server.port, ssl: false, password: async () => 'wrong-secret-pw' });
    expect(e).toMatchObject({ code: 'auth-failed', scope: 'account', retry: 'needs-user' });
    expect(e.message).toMatch(/remoteuser\/remotepass/);
    expect(e.message).not.toContain('wrong-secret-pw');
  });

  it('reports a closed port as connection-refused', async () => {
    const e = await connectError({ port: await freePort(), ssl: false });
    expect(e).toMatchObject({ code: 'connection-refused', scope: 'account', retry: 'later' });
  });

  it('reports an unknown host as host-not-found', async () => {
    const e = await connectError({ host: 'no-such-host.invalid', ssl: false });
    expect(e).toMatchObject({ code: 'host-not-found', scope: 'account', retry: 'later' });
  });

  it('reports TLS against the plain port as a TLS failure, not a hang', async () => {
    const e = await connectError({ port: server.port, ssl: true, certFingerprints: [server.certFingerprint] });
    expect(['tls-failed', 'timeout']).toContain(e.code);
    expect(e.scope).toBe('account');
  });

  it('reports a server that never greets as timeout', async () => {
    const silent = await startSilentServer();
    try {
      const e = await connectError({ port: silent.port, ssl: false, connectTimeoutMs: 500 });
      expect(e).toMatchObject({ code: 'timeout', scope: 'account', retry: 'later' });
    } finally {
      await silent.close();
    }
  });
});
