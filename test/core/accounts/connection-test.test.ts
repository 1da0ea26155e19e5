// "Test connection" against a real private Dovecot and real TCP peers on loopback: success with
// the folder list, then each failure kind with its plain message, fix and (TLS) fingerprint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionDraft, TestResult } from '../../../core/contract/bridge-contract.js';
import { testConnection } from '../../../core/accounts/connection-test.js';
import { startServerWithoutStarttls, startSilentServer } from '../../helpers/scripted-imap.js';
import { freePort, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';

let server: DovecotServer;
beforeAll(async () => {
  server = await startDovecot();
  const c = await server.client('alice');
  await c.mailboxCreate('Archive');
  await c.mailboxCreate('Archive/2024');
  await c.logout();
});
afterAll(async () => { await server?.stop(); });

const draft = (over: Partial<ConnectionDraft> = {}): ConnectionDraft => ({
  host: server.host, port: server.tlsPort, security: 'tls', user: 'alice', password: 'alicepw', certFingerprint: server.certFingerprint, ...over,
});
const failed = (r: TestResult) => {
  if (r.ok) throw new Error('the test unexpectedly succeeded');
  expect(r.message.length).toBeGreaterThan(10);
  expect(r.fix.length).toBeGreaterThan(10);
  return r;
};

describe('testConnection', () => {
  it('succeeds with the pinned certificate, listing the folders, separator and capabilities', async () => {
    const r = await testConnection(draft());
    if (!r.ok) throw new Error(r.message);
    expect(r.folders).toEqual(expect.arrayContaining(['INBOX', 'Archive', 'Archive/2024']));
    expect(['/', '.']).toContain(r.separator);
    expect(r.capabilities).toContain('IMAP4rev1');
  });

  it('reports an untrusted self-signed certificate with its sha256 fingerprint, then succeeds with it pinned', async () => {
    const r = failed(await testConnection(draft({ certFingerprint: undefined })));
    expect(r).toMatchObject({ kind: 'tls-untrusted', fingerprint: server.certFingerprint });
    expect(r.message).toMatch(/self-signed/);
    const again = await testConnection(draft({ certFingerprint: r.fingerprint }));
    expect(again.ok).toBe(true);
  });

  it('reports a changed certificate (another pin) as tls-untrusted with the new fingerprint', async () => {
    const r = failed(await testConnection(draft({ certFingerprint: 'ab'.repeat(32) })));
    expect(r).toMatchObject({ kind: 'tls-untrusted', fingerprint: server.certFingerprint });
  });

  it('works with STARTTLS on the plain port', async () => {
    expect((await testConnection(draft({ port: server.port, security: 'starttls' }))).ok).toBe(true);
  });

  it('reports a wrong password as auth-failed, never echoing it', async () => {
    const r = failed(await testConnection(draft({ password: 'wrong-secret-pw' })));
    expect(r.kind).toBe('auth-failed');
    expect(JSON.stringify(r)).not.toContain('wrong-secret-pw');
    expect(r.fix).toMatch(/app password/);
  });

  it('reports a closed port, an unknown host', async () => {
    expect(failed(await testConnection(draft({ port: await freePort() }))).kind).toBe('connection-refused');
    const r = failed(await testConnection(draft({ host: 'no-such-host.invalid' })));
    expect(r.kind).toBe('host-not-found');
    expect(r.message).toContain('no-such-host.invalid');
  });

  it('reports a server without STARTTLS as starttls-missing, before any login is sent', async () => {
    const fake = await startServerWithoutStarttls();
    try {
      const r = failed(await testConnection(draft({ port: fake.port, security: 'starttls' })));
      expect(r.kind).toBe('starttls-missing');
      expect(fake.received.some((l) => /LOGIN|AUTHENTICATE/i.test(l))).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('reports a silent server as timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const r = failed(await testConnection(draft({ port: silent.port, security: 'starttls' }), { timeoutMs: 700 }));
      expect(r.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await silent.close();
    }
  });
});
