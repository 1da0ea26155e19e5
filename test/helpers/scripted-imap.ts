// Test helper: scripted IMAP servers on a free loopback port, for faults Dovecot will not
// produce: a server that never offers STARTTLS (records every line it receives, so a test can
// prove no credentials were sent), one that accepts and never speaks, and a minimal mailbox
// server (login, LIST, SELECT, LOGOUT) whose answers to chosen commands a test writes itself.

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

/** The answer to one command: text to send (with "$TAG" for the tag), and whether to hang up after it. */
export interface ScriptedAnswer { text: string; thenClose?: boolean }

export const SCRIPTED_CAPABILITIES = 'IMAP4rev1 LITERAL+ ENABLE CONDSTORE QRESYNC UIDPLUS NAMESPACE';

/**
 * A one-mailbox server (INBOX) that logs anyone in. `answer` may take any command (tag removed,
 * e.g. "SELECT INBOX" or "UID FETCH 1:* (...)"); when it returns nothing, a plain answer is given.
 */
export function startScriptedMailbox(answer: (command: string) => ScriptedAnswer | undefined): Promise<ScriptedServer> {
  return startScriptedServer((sock, received) => {
    sock.write(`* OK [CAPABILITY ${SCRIPTED_CAPABILITIES}] scripted\r\n`);
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let eol: number;
      while ((eol = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, eol);
        buf = buf.slice(eol + 2);
        received.push(line);
        const m = /^(\S+) (.*)$/.exec(line);
        if (!m || sock.destroyed) continue;
        const [, tag, command] = m as unknown as [string, string, string];
        const a = answer(command) ?? plainAnswer(command);
        sock.write(a.text.replaceAll('$TAG', tag));
        if (a.thenClose) sock.end();
      }
    });
  });
}

function plainAnswer(command: string): ScriptedAnswer {
  const verb = command.split(' ')[0]!.toUpperCase();
  switch (verb) {
    case 'CAPABILITY': return { text: `* CAPABILITY ${SCRIPTED_CAPABILITIES}\r\n$TAG OK done\r\n` };
    case 'LOGIN': return { text: `$TAG OK [CAPABILITY ${SCRIPTED_CAPABILITIES}] logged in\r\n` };
    case 'ID': return { text: '* ID NIL\r\n$TAG OK done\r\n' };
    case 'NAMESPACE': return { text: '* NAMESPACE (("" "/")) NIL NIL\r\n$TAG OK done\r\n' };
    case 'ENABLE': return { text: '* ENABLED CONDSTORE QRESYNC\r\n$TAG OK done\r\n' };
    case 'LIST': return { text: '* LIST (\\HasNoChildren) "/" INBOX\r\n$TAG OK done\r\n' };
    case 'SELECT': case 'EXAMINE': return { text: '* 0 EXISTS\r\n* OK [UIDVALIDITY 1] v\r\n* OK [UIDNEXT 1] n\r\n$TAG OK [READ-WRITE] done\r\n' };
    case 'LOGOUT': return { text: '* BYE bye\r\n$TAG OK done\r\n', thenClose: true };
    case 'NOOP': return { text: '$TAG OK done\r\n' };
    default: return { text: '$TAG BAD not scripted\r\n' };
  }
}
