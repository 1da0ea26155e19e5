// `proxy` in an [Account]: a real SOCKS server (dante) between satchel and the private Dovecot.
// A sync goes through it (dante's log shows the connection, TLS with a pinned certificate works
// through the tunnel); with the proxy stopped the sync fails with one clear line and the server
// side (a counting TCP relay in front of Dovecot) sees no connection at all: never direct.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { requireBuiltCli, SATCHEL_BIN, writeRc, type CliResult } from '../../helpers/cli-run.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { startDante, type DanteServer } from '../../helpers/dante.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { tempDir } from '../engine/engine-fixtures.js';

let server: DovecotServer;
let dante: DanteServer;
let tlsRelay: TcpProxy;
let plainRelay: TcpProxy;
beforeAll(async () => {
  requireBuiltCli();
  server = await startDovecot({ users: ['paula'] });
  dante = await startDante();
  tlsRelay = await startTcpProxy(server.tlsPort);
  plainRelay = await startTcpProxy(server.port);
  await server.appendMessage('paula', 'INBOX', makeMessage({ subject: 'through the proxy' }));
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([dante?.stop(), tlsRelay?.close(), plainRelay?.close()]);
  await server?.stop();
});

/** bin/satchel without blocking this process: the relay in front of Dovecot runs in it. */
function runSatchel(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SATCHEL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => { clearTimeout(kill); resolve({ code, out, err }); });
  });
}

const files = (dir: string) => ['cur', 'new'].flatMap((d) => {
  const p = path.join(dir, 'Mail', 'INBOX', d);
  return fs.existsSync(p) ? fs.readdirSync(p) : [];
});

describe('proxy', () => {
  it('syncs through SOCKS5 with TLS verified against the pinned certificate, and --info shows the proxy', async () => {
    const dir = tempDir();
    const rc = writeRc(dir, {
      port: tlsRelay.port, user: 'paula', password: 'paulapw',
      remote: { ssl: 'yes', cert_fingerprint: server.certFingerprint },
      account: `proxy = SOCKS5:127.0.0.1:${dante.port}`,
    });
    const info = await runSatchel(['-c', rc, '--info']);
    expect(info.err).toBe('');
    expect(info.out).toContain(`proxy: SOCKS5 127.0.0.1:${dante.port} (proxy = SOCKS5:127.0.0.1:${dante.port}; never bypassed)`);
    const before = tlsRelay.connections;
    const r = await runSatchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(files(dir)).toHaveLength(1);
    expect(tlsRelay.connections).toBeGreaterThan(before);
    // dante logged the CONNECT to the relay in front of Dovecot's TLS port.
    expect(dante.log()).toMatch(new RegExp(`tcp/connect .*127\\.0\\.0\\.1\\.${tlsRelay.port}`));
  });

  it("PySocks' spelling PROXY_TYPE_SOCKS4 works too (read as SOCKS4a, like PySocks with remote DNS)", async () => {
    const dir = tempDir();
    const rc = writeRc(dir, { port: plainRelay.port, user: 'paula', password: 'paulapw', account: `proxy = PROXY_TYPE_SOCKS4:127.0.0.1:${dante.port}` });
    const r = await runSatchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(files(dir)).toHaveLength(1);
    expect(dante.log()).toMatch(new RegExp(`tcp/connect .*127\\.0\\.0\\.1\\.${plainRelay.port}`));
  });

  it('with the proxy stopped the sync fails with one clear line, and no connection goes to the server directly', async () => {
    const dir = tempDir();
    const rc = writeRc(dir, { port: plainRelay.port, user: 'paula', password: 'paulapw', account: `proxy = SOCKS5:127.0.0.1:${dante.port}` });
    await dante.stop();
    const before = plainRelay.connections;
    const r = await runSatchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Cannot connect through the SOCKS5 proxy 127.0.0.1:${dante.port} (proxy = SOCKS5:127.0.0.1:${dante.port}): nothing listens there. Start the proxy (e.g. tor or ssh -D), or remove proxy from the account; Satchel never connects directly while a proxy is set.`);
    expect(plainRelay.connections).toBe(before);
    expect(files(dir)).toHaveLength(0);
  });

  it('a proxy it cannot read stops that account with one line; the other account syncs', async () => {
    const dir = tempDir();
    const rc = writeRc(dir, { port: plainRelay.port, user: 'paula', password: 'paulapw' });
    fs.appendFileSync(rc, `\n[Account tor]\nlocalrepository = local2\nremoterepository = remote\nproxy = TOR:127.0.0.1:9050\n\n[Repository local2]\ntype = Maildir\nlocalfolders = ${dir}/Mail2\n`);
    fs.writeFileSync(rc, fs.readFileSync(rc, 'utf8').replace('accounts = main', 'accounts = main, tor'));
    const r = await runSatchel(['-c', rc, '-o', '-u', 'quiet']);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(
      /offlineimaprc:\d+: \[Account tor\] proxy = TOR:127\.0\.0\.1:9050 has the unknown type 'TOR' \(SOCKS4, SOCKS5 or HTTP\), and Satchel never connects directly instead of through a proxy\. Write instead: proxy = SOCKS5:localhost:1080 \(or remove proxy to connect directly\)\. Account 'tor' is not synced; the other accounts are\.$/)]);
    expect(files(dir)).toHaveLength(1);
  });
});
