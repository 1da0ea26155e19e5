// Test helper: a loopback TCP proxy in front of a server port whose connections a test can
// cut at will (to simulate a connection dropped mid-operation) or stall (a server gone silent). It forwards bytes unchanged
// and never inspects or alters them; it only ever listens on 127.0.0.1.

import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every connection currently open through the proxy (new ones still work). */
  cut(): void;
  /** From now on forwards nothing either way but keeps the connections open: a server gone silent. */
  stall(): void;
  /** Bytes forwarded from the server to clients so far. */
  readonly bytesFromServer: number;
  /** Client connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let bytesFromServer = 0;
  let connections = 0;
  let stalled = false;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    upstream.on('data', (d) => { bytesFromServer += d.length; });
    client.on('data', (d) => { if (!stalled) upstream.write(d); });
    upstream.on('data', (d) => { if (!stalled) client.write(d); });
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => { for (const s of sockets) s.destroy(); sockets.clear(); },
    stall: () => { stalled = true; },
    get bytesFromServer() { return bytesFromServer; },
    get connections() { return connections; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
