// The real command line (bin/satchel, compiled) as a child process against a real Dovecot:
// an OfflineIMAP-style config syncs both ways, --dry-run writes nothing anywhere, TLS is
// verified (pins, CA file, STARTTLS), and failures exit non-zero with a one-line reason.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireBuiltCli, runSatchel, writeRc as writeRcFile } from '../../helpers/cli-run.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { imapSnapshot, maildirSnapshot, tempDir } from '../engine/engine-fixtures.js';

let server: DovecotServer;
beforeAll(async () => {
  requireBuiltCli();
  server = await startDovecot({ users: ['carol'] });
});
afterAll(async () => { await server?.stop(); });

function writeRc(dir: string, remote: Record<string, string | number> = {}, extraGeneral = ''): string {
  return writeRcFile(dir, { port: server.port, user: 'carol', password: 'carolpw', remote, general: extraGeneral });
}

function satchel(...args: string[]) {
  return runSatchel(args);
}

/** Every byte of a directory tree: names, contents and mtimes. */
function treeHash(dir: string): string {
  const h = crypto.createHash('sha256');
  if (!fs.existsSync(dir)) return 'absent';
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const p = path.join(e.parentPath, e.name);
    h.update(p);
    if (e.isFile()) h.update(fs.readFileSync(p)).update(String(fs.statSync(p).mtimeMs));
  }
  return h.digest('hex');
}

/** The server's message files (not Dovecot's own index and cache files). */
function serverMailHash(): string {
  const h = crypto.createHash('sha256');
  const root = server.mailDir('carol');
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\/(cur|new)$/.test(e.parentPath))
    .map((e) => path.join(e.parentPath, e.name)).sort()) {
    h.update(e).update(fs.readFileSync(e));
  }
  return h.digest('hex');
}

const msg = (n: number) => makeMessage({ subject: `cli ${n}`, messageId: `<cli${n}@test>`, body: `cli body ${n}\r\n` });

describe('satchel command line', () => {
  it('syncs an OfflineIMAP-style account both ways with -o, sep "." by default', async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1), ['\\Seen']);
    await server.appendMessage('carol', 'Archive/2024', msg(2), []);
    const dir = tempDir();
    const rc = writeRc(dir, {});
    const first = satchel('-c', rc, '-o', '-u', 'quiet');
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(fs.existsSync(path.join(dir, 'Mail', 'Archive.2024', 'new'))).toBe(true);
    fs.writeFileSync(path.join(dir, 'Mail', 'INBOX', 'new', '1700000000.M9P9.host'), msg(3));
    const second = satchel('-c', rc, '-o');
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/main: INBOX: 1 uploaded/);
    expect((await imapSnapshot(server, 'carol')).INBOX).toEqual(['S|<cli1@test>', '|<cli3@test>'].sort());
    expect(maildirSnapshot(path.join(dir, 'Mail'))).toEqual(await imapSnapshot(server, 'carol'));
    expect(fs.readdirSync(path.join(dir, 'state'))).toContain('main.sqlite');
  });

  it('--dry-run prints the plan and leaves every byte on both sides unchanged', async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1), ['\\Seen']);
    const dir = tempDir();
    const rc = writeRc(dir, {});
    expect(satchel('-c', rc, '-o', '-u', 'quiet').code).toBe(0);
    await server.appendMessage('carol', 'INBOX', msg(4), []);
    await server.appendMessage('carol', 'Projects', msg(5), []);
    fs.writeFileSync(path.join(dir, 'Mail', 'INBOX', 'new', '1700000000.M8P8.host'), msg(6));
    const imapBefore = await imapSnapshot(server, 'carol');
    const before = { local: treeHash(dir), server: serverMailHash(), imap: imapBefore };
    const r = satchel('-c', rc, '-o', '--dry-run');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/INBOX -> INBOX: 1 downloaded, 1 uploaded/);
    expect(r.out).toMatch(/Projects: would create/);
    const after = { local: treeHash(dir), server: serverMailHash() };
    expect({ ...after, imap: await imapSnapshot(server, 'carol') }).toEqual(before);
  });

  it('--dry-run before the first sync creates no folder, no state and no Maildir', async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1), []);
    const dir = tempDir();
    const rc = writeRc(dir, {});
    const before = treeHash(dir);
    const r = satchel('-c', rc, '-o', '--dry-run');
    expect(r.code).toBe(0);
    expect(treeHash(dir)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'Mail'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'state'))).toBe(false);
  });

  it('verifies TLS: a pinned self-signed certificate works, an unknown one is refused with its fingerprint', async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1), []);
    const pinned = tempDir();
    const ok = satchel('-c', writeRc(pinned, { ssl: 'yes', remoteport: server.tlsPort, cert_fingerprint: server.certFingerprint }), '-o', '-u', 'quiet');
    expect(ok).toMatchObject({ code: 0, err: '' });
    const withCa = tempDir();
    expect(satchel('-c', writeRc(withCa, { ssl: 'yes', remoteport: server.tlsPort, sslcacertfile: server.certPath }), '-o', '-u', 'quiet').code).toBe(0);
    const starttls = tempDir();
    expect(satchel('-c', writeRc(starttls, { ssl: 'no', starttls: 'yes', sslcacertfile: server.certPath }), '-o', '-u', 'quiet').code).toBe(0);
    const untrusted = tempDir();
    const bad = satchel('-c', writeRc(untrusted, { ssl: 'yes', remoteport: server.tlsPort }), '-o', '-u', 'quiet');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain(server.certFingerprint);
    expect(bad.err.toLowerCase()).toMatch(/certificate/);
    expect(bad.err).toMatch(/cert_fingerprint|sslcacertfile/);
    expect(fs.existsSync(path.join(untrusted, 'Mail', 'INBOX'))).toBe(false);
  });

  it('fails with one line naming the problem: wrong password, closed port, malformed config', async () => {
    const dir = tempDir();
    const wrong = satchel('-c', writeRc(dir, { remotepass: 'nope' }), '-o', '-u', 'quiet');
    expect(wrong.code).toBe(1);
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
    expect(wrong.err).toMatch(/password|authentication/i);
    expect(wrong.err).not.toContain('nope');

    const closed = satchel('-c', writeRc(tempDir(), { remoteport: 1 }), '-o', '-u', 'quiet');
    expect(closed.code).toBe(1);
    expect(closed.err).toMatch(/refused|port/i);

    const bad = path.join(dir, 'bad.rc');
    fs.writeFileSync(bad, '[general]\naccounts = main\n\n[Account main]\nlocalrepository = local\n');
    const malformed = satchel('-c', bad, '-o');
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/bad\.rc:\d+/);
    expect(malformed.err).toMatch(/remoterepository/);
  });
});
