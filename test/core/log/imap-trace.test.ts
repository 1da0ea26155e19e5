// The -d imap trace redactor: fed real imapflow log entries (LOGIN with quoted and literal
// arguments, SASL PLAIN with and without an initial response, AUTH=LOGIN continuations, raw
// socket frames), and driving a real imapflow client against Dovecot with every login method
// and raw logging on: the password, plain or base64, never appears; the commands still do.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ImapFlow } from 'imapflow';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { createImapTraceLogger, ImapRedactor } from '../../../core/log/imap-trace.js';

const PASSWORD = 'Tr4ce"pw\\x9';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const forms = (user: string) => [PASSWORD, JSON.stringify(PASSWORD), b64(PASSWORD), b64(`\0${user}\0${PASSWORD}`), 'pw\\x9', 'Tr4ce'];

describe('ImapRedactor', () => {
  it('redacts LOGIN arguments after the user, quoted or as literals, and keeps other commands', () => {
    const r = new ImapRedactor();
    expect(r.line('1', 'c', '2 LOGIN carol "Tr4ce\\"pw\\\\x9"')).toBe('2 LOGIN carol <redacted>');
    expect(r.line('1', 'c', 'a1 login "dana smith" secretpw')).toBe('a1 login "dana smith" <redacted>');
    expect(r.line('1', 'c', '3 SELECT INBOX')).toBe('3 SELECT INBOX');
    // password as a synchronising literal: the continuation frame is secret until the tagged reply
    expect(r.line('2', 'c', '4 LOGIN dana {11}')).toBe('4 LOGIN dana <redacted>');
    expect(r.line('2', 's', '+ Ready for literal data')).toBe('+ Ready for literal data');
    expect(r.line('2', 'c', PASSWORD)).toBe('<redacted>');
    expect(r.line('2', 's', '4 OK Logged in')).toBe('4 OK Logged in');
    expect(r.line('2', 'c', '5 LIST "" "*"')).toBe('5 LIST "" "*"');
  });

  it('redacts AUTHENTICATE initial responses and every client continuation until the tagged reply', () => {
    const r = new ImapRedactor();
    expect(r.line('c', 'c', `2 AUTHENTICATE PLAIN ${b64(`\0dana\0${PASSWORD}`)}`)).toBe('2 AUTHENTICATE PLAIN <redacted>');
    expect(r.line('c', 's', '2 OK Logged in')).toBe('2 OK Logged in');
    expect(r.line('c', 'c', '3 AUTHENTICATE LOGIN')).toBe('3 AUTHENTICATE LOGIN');
    expect(r.line('c', 's', '+ VXNlcm5hbWU6')).toBe('+ VXNlcm5hbWU6');
    expect(r.line('c', 'c', b64('dana'))).toBe('<redacted>');
    expect(r.line('c', 's', '* CAPABILITY IMAP4rev1')).toBe('* CAPABILITY IMAP4rev1');
    expect(r.line('c', 'c', b64(PASSWORD))).toBe('<redacted>');
    expect(r.line('c', 's', '3 NO [AUTHENTICATIONFAILED] Authentication failed.')).toMatch(/^3 NO/);
    expect(r.line('c', 'c', '4 LOGOUT')).toBe('4 LOGOUT');
    // connections are independent
    r.line('x', 'c', '1 AUTHENTICATE XOAUTH2');
    expect(r.line('y', 'c', '1 NOOP')).toBe('1 NOOP');
    expect(r.line('x', 'c', 'dXNlcj1kYW5h')).toBe('<redacted>');
  });

  it('turns imapflow log entries into trace lines, raw socket frames decoded and redacted', () => {
    const lines: string[] = [];
    const log = createImapTraceLogger((l) => lines.push(l));
    log.info({ msg: 'Established TCP connection', cid: 'k1', host: '127.0.0.1' });
    log.debug({ src: 's', msg: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.', cid: 'k1' });
    log.debug({ src: 'c', msg: '2 LOGIN "dana" "(* value hidden *)"', cid: 'k1' });
    log.trace!({ src: 'c', msg: 'write to socket', data: b64(`3 LOGIN dana ${JSON.stringify(PASSWORD)}\r\n`), cid: 'k1' });
    log.trace!({ src: 'c', msg: 'write to socket', data: b64(`4 AUTHENTICATE PLAIN\r\n`), cid: 'k1' });
    log.trace!({ src: 's', msg: 'read from socket', data: b64('+ \r\n'), cid: 'k1' });
    log.trace!({ src: 'c', msg: 'write to socket', data: b64(`${b64(`\0dana\0${PASSWORD}`)}\r\n`), cid: 'k1' });
    log.trace!({ src: 's', msg: 'read from socket', data: b64('4 OK Logged in\r\n* 1 EXISTS\r\n'), cid: 'k1' });
    log.error({ msg: 'Failed to connect', err: new Error('ECONNRESET'), cid: 'k1' });
    expect(lines).toEqual([
      'imap[k1] Established TCP connection',
      'imap[k1] S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.',
      'imap[k1] C: 2 LOGIN "dana" <redacted>',
      'imap[k1] C: 3 LOGIN dana <redacted>',
      'imap[k1] C: 4 AUTHENTICATE PLAIN',
      'imap[k1] S: + ',
      'imap[k1] C: <redacted>',
      'imap[k1] S: 4 OK Logged in',
      'imap[k1] S: * 1 EXISTS',
      'imap[k1] Failed to connect: ECONNRESET',
    ]);
  });
});

describe('imapflow with the trace logger against Dovecot', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot({ users: [] });
    await server.addUser('erin', PASSWORD);
  });
  afterAll(async () => { await server?.stop(); });

  for (const loginMethod of ['LOGIN', 'AUTH=LOGIN', 'AUTH=PLAIN']) {
    for (const logRaw of [false, true]) {
      it(`${loginMethod}${logRaw ? ' with raw socket logging' : ''}: commands traced, password nowhere`, async () => {
        const lines: string[] = [];
        const client = new ImapFlow({
          host: '127.0.0.1', port: server.port, secure: false, doSTARTTLS: false, logRaw,
          auth: { user: 'erin', pass: PASSWORD, loginMethod }, logger: createImapTraceLogger((l) => lines.push(l)),
        });
        await client.connect();
        await client.mailboxOpen('INBOX');
        await client.logout();
        const text = lines.join('\n');
        const verb = loginMethod === 'LOGIN' ? /C: \S+ LOGIN "?erin"? <redacted>/ : new RegExp(`C: \\S+ AUTHENTICATE ${loginMethod.slice(5)}`);
        expect(text).toMatch(verb);
        expect(text).toMatch(/C: \S+ SELECT INBOX/);
        expect(text).toMatch(/S: \S+ OK .*Logged in/);
        for (const f of forms('erin')) expect(text).not.toContain(f);
      });
    }
  }
});
