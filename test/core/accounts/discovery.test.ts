// Discovery against real protocol peers on loopback: an HTTP server serving autoconfig XML at
// both locations, and a tiny DNS server answering SRV queries through node's real resolver.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { discover, parseAutoconfig, type DiscoveryOptions } from '../../../core/accounts/discovery.js';
import { startSrvDnsServer, type SrvDnsServer } from '../../helpers/srv-dns-server.js';

const xml = (servers: string, name = 'Example Mail') => `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.org"><domain>example.org</domain>
<displayName>${name}</displayName>${servers}
<outgoingServer type="smtp"><hostname>smtp.example.org</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>`;
const imap = (host: string, port: number, socket: string, user = '%EMAILADDRESS%') =>
  `<incomingServer type="imap"><hostname>${host}</hostname><port>${port}</port><socketType>${socket}</socketType><username>${user}</username><authentication>password-cleartext</authentication></incomingServer>`;

// path -> body; requests logged with their query
const files = new Map<string, string>();
const requests: string[] = [];
let httpServer: http.Server;
let base: string;
let dnsServer: SrvDnsServer;
let resolver: dns.promises.Resolver;

beforeAll(async () => {
  httpServer = http.createServer((req, res) => {
    requests.push(req.url!);
    if (req.url!.startsWith('/hang/')) return; // never answers: the lookup must time out
    const body = files.get(req.url!.split('?')[0]!);
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  dnsServer = await startSrvDnsServer({
    '_imaps._tcp.srv-tls.test': [
      { priority: 20, weight: 100, port: 993, target: 'backup.srv-tls.test' },
      { priority: 10, weight: 1, port: 993, target: 'light.srv-tls.test' },
      { priority: 10, weight: 50, port: 9993, target: 'Main.SRV-TLS.test' },
    ],
    '_imaps._tcp.srv-plain.test': [{ priority: 0, weight: 0, port: 0, target: '.' }],
    '_imap._tcp.srv-plain.test': [{ priority: 0, weight: 1, port: 143, target: 'mail.srv-plain.test' }],
  });
  resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsServer.address]);
});
afterAll(async () => {
  await new Promise((r) => httpServer.close(r));
  await dnsServer.close();
});

const opts = (): DiscoveryOptions => ({
  noPresets: true, resolver, timeoutMs: 2000,
  autoconfigUrl: (d, e) => `${base}/autoconfig/${d}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(e)}`,
  wellKnownUrl: (d) => `${base}/wellknown/${d}/.well-known/autoconfig/mail/config-v1.1.xml`,
});

describe('discovery', () => {
  it('uses a preset first, without any lookup', async () => {
    const before = requests.length;
    const r = await discover('me@gmail.com', { ...opts(), noPresets: false });
    expect(r).toMatchObject({ source: 'preset', provider: 'Gmail', server: { host: 'imap.gmail.com', port: 993 } });
    expect(requests.length).toBe(before);
  });

  it('reads the autoconfig file, preferring SSL over STARTTLS and substituting the address', async () => {
    files.set('/autoconfig/auto.test/mail/config-v1.1.xml',
      xml(imap('imap.%EMAILDOMAIN%', 143, 'STARTTLS', '%EMAILLOCALPART%') + imap('secure.auto.test', 993, 'SSL')));
    files.set('/wellknown/auto.test/.well-known/autoconfig/mail/config-v1.1.xml', xml(imap('other.auto.test', 993, 'SSL')));
    const r = await discover('jo@auto.test', opts());
    expect(r).toEqual({ source: 'autoconfig', provider: 'Example Mail', server: { host: 'secure.auto.test', port: 993, security: 'tls', user: 'jo@auto.test' } });
    expect(requests).toContain('/autoconfig/auto.test/mail/config-v1.1.xml?emailaddress=jo%40auto.test');
  });

  it('falls back to /.well-known/autoconfig, then SRV records', async () => {
    files.set('/wellknown/wk.test/.well-known/autoconfig/mail/config-v1.1.xml', xml(imap('mx.wk.test', 143, 'STARTTLS', '%EMAILLOCALPART%')));
    expect(await discover('ann@wk.test', opts())).toEqual({ source: 'well-known', provider: 'Example Mail', server: { host: 'mx.wk.test', port: 143, security: 'starttls', user: 'ann' } });

    const tls = await discover('x@srv-tls.test', opts());
    expect(tls).toEqual({ source: 'srv', server: { host: 'main.srv-tls.test', port: 9993, security: 'tls', user: 'x@srv-tls.test' } });
    expect(dnsServer.queries).toContain('_imaps._tcp.srv-tls.test');
  });

  it('treats a "." SRV target as no service and uses _imap._tcp with STARTTLS', async () => {
    expect(await discover('x@srv-plain.test', opts())).toEqual({ source: 'srv', server: { host: 'mail.srv-plain.test', port: 143, security: 'starttls', user: 'x@srv-plain.test' } });
  });

  it('guesses imap.<domain>:993 when nothing answers', async () => {
    expect(await discover('x@nothing.test', opts())).toEqual({ source: 'guess', server: { host: 'imap.nothing.test', port: 993, security: 'tls', user: 'x@nothing.test' } });
  });

  it('gives up on a server that never answers after the short timeout and uses the next step', async () => {
    files.set('/wellknown/slow.test/.well-known/autoconfig/mail/config-v1.1.xml', xml(imap('imap.slow.test', 993, 'SSL')));
    const started = Date.now();
    const r = await discover('x@slow.test', { ...opts(), timeoutMs: 300, autoconfigUrl: (d) => `${base}/hang/${d}` });
    expect(r).toMatchObject({ source: 'well-known', server: { host: 'imap.slow.test' } });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('ignores plain-text servers, documents with entities, and rejects addresses without a domain', async () => {
    expect(parseAutoconfig(xml(imap('plain.test', 143, 'plain')), 'a@b.c')).toBeUndefined();
    expect(parseAutoconfig(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml(imap('h.test', 993, 'SSL'))}`, 'a@b.c')).toBeUndefined();
    expect(parseAutoconfig(xml(imap('bad host;rm', 993, 'SSL')), 'a@b.c')).toBeUndefined();
    await expect(discover('no-domain@', opts())).rejects.toThrow(/domain/);
  });
});
