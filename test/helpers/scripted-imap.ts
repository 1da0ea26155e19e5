// Test helper: scripted IMAP servers on a free loopback port, for faults Dovecot will not
// produce: a server that never offers STARTTLS (records every line it receives, so a test can
// prove no credentials were sent), or one that accepts and never speaks.

import net from 'node:net';

export interface ScriptedServer {
  port: number;
  /** Every command line received, in order. */
  received: string[];
  close(): Promise<void>;
}

export async function startScriptedServer(onConnection: (s: net.Socket, received: string[]) => void): Promise<ScriptedServer> {
  const received: string[] = [];
  const srv = net.createServer((s) => { s.on('error', () => {}); onConnection(s, received); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}

/** Greets as IMAP4rev1 with AUTH=PLAIN and no STARTTLS; answers CAPABILITY and LOGOUT, OK to the rest. */
export function startServerWithoutStarttls(): Promise<ScriptedServer> {
  return startScriptedServer((sock, received) => {
    sock.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no STARTTLS here\r\n');
    sock.on('data', (d) => {
      for (const line of d.toString().split('\r\n').filter(Boolean)) {
        received.push(line);
        const [tag, cmd] = line.split(' ');
        if (cmd?.toUpperCase() === 'CAPABILITY') sock.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
        else if (cmd?.toUpperCase() === 'LOGOUT') sock.end(`* BYE\r\n${tag} OK bye\r\n`);
        else sock.write(`${tag} OK whatever\r\n`);
      }
    });
  });
}

/** Accepts connections and never says a word (for timeouts). */
export function startSilentServer(): Promise<ScriptedServer> {
  return startScriptedServer(() => { /* accepts, never greets */ });
}
