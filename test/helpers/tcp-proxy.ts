// Test helper: a loopback TCP proxy in front of a server port whose connections a test can
// cut at will (to simulate a connection dropped mid-operation) or stall (a server gone silent).
// By default it forwards bytes unchanged; a test may give per-connection hooks that see every
// chunk and decide what to forward (imap-fault-proxy.ts builds IMAP faults on them). It only
// ever listens on 127.0.0.1.

import net from 'node:net';

/** One proxied connection, as the hooks see it. */
export interface ProxyLink {
  toServer(b: Buffer | string): void;
  toClient(b: Buffer | string): void;
  /** Destroys this connection (both sides). */
  cut(): void;
  /** From now on this connection forwards nothing either way but stays open. */
  stall(): void;
}

/** Per-connection hooks: each receives the chunks of one direction and forwards what it wants. */
export interface ProxyHooks {
  fromClient?(chunk: Buffer, link: ProxyLink): void;
  fromServer?(chunk: Buffer, link: ProxyLink): void;
}

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

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1', hooks?: () => ProxyHooks): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let bytesFromServer = 0;
  let connections = 0;
  let stalled = false;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let linkStalled = false;
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    const link: ProxyLink = {
      toServer: (b) => { if (!stalled && !linkStalled && !upstream.destroyed) upstream.write(b); },
      toClient: (b) => { if (!stalled && !linkStalled && !client.destroyed) client.write(b); },
      cut: end,
      stall: () => { linkStalled = true; },
    };
    const h = hooks?.() ?? {};
    upstream.on('data', (d) => { bytesFromServer += d.length; });
    client.on('data', (d) => (h.fromClient ? h.fromClient(d, link) : link.toServer(d)));
    upstream.on('data', (d) => (h.fromServer ? h.fromServer(d, link) : link.toClient(d)));
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
