// Test helper: a tiny authoritative DNS server on a loopback UDP port that answers SRV queries
// from a table (name -> records) and NXDOMAIN for everything else, so discovery tests use a
// real resolver (dns.promises.Resolver with setServers) against a real protocol peer.
// It owns only its socket; it never forwards queries anywhere.

import dgram from 'node:dgram';

export interface SrvAnswer { priority: number; weight: number; port: number; target: string }

export interface SrvDnsServer { address: string; queries: string[]; close(): Promise<void> }

function encodeName(name: string): Buffer {
  if (name === '.' || name === '') return Buffer.from([0]);
  const parts = name.replace(/\.$/, '').split('.');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

export async function startSrvDnsServer(table: Record<string, SrvAnswer[]>): Promise<SrvDnsServer> {
  const sock = dgram.createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, rinfo) => {
    let i = 12;
    const labels: string[] = [];
    while (msg[i]! !== 0) { labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString('ascii')); i += msg[i]! + 1; }
    const qEnd = i + 5;
    const qtype = msg.readUInt16BE(i + 1);
    const name = labels.join('.').toLowerCase();
    queries.push(name);
    const answers = qtype === 33 ? table[name] : undefined;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    header.writeUInt16BE(answers ? 0x8580 : 0x8583, 2); // response, authoritative, RD+RA; rcode 0 or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers?.length ?? 0, 6);
    const rrs = (answers ?? []).map((a) => {
      const target = encodeName(a.target);
      const rdata = Buffer.alloc(6);
      rdata.writeUInt16BE(a.priority, 0); rdata.writeUInt16BE(a.weight, 2); rdata.writeUInt16BE(a.port, 4);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0); fixed.writeUInt16BE(33, 2); fixed.writeUInt16BE(1, 4); fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(6 + target.length, 10);
      return Buffer.concat([fixed, rdata, target]);
    });
    sock.send(Buffer.concat([header, msg.subarray(12, qEnd), ...rrs]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${sock.address().port}`,
    queries,
    close: () => new Promise((resolve) => sock.close(() => resolve())),
  };
}
