// `-d imap`: imapflow's protocol log turned into readable trace lines ("imap[3] C: 2 SELECT
// INBOX"), with credentials always replaced by <redacted>: the arguments after the user name
// of LOGIN (quoted strings and literals), AUTHENTICATE's initial response and every client
// line of the exchange that follows (SASL PLAIN, AUTH=LOGIN, XOAUTH2 payloads). imapflow
// masks these itself; this is a second, independent guard. It never sees the password value.

import type { Logger } from 'imapflow';

export const REDACTED = '<redacted>';

/** Per-connection state: the tag of a LOGIN/AUTHENTICATE whose client lines are secret. */
export class ImapRedactor {
  private readonly secretTag = new Map<string, string>();

  /** One protocol line of connection `cid`, from the client ('c') or the server ('s'). */
  line(cid: string, src: 'c' | 's', text: string): string {
    const pending = this.secretTag.get(cid);
    if (src === 's') {
      // any tagged reply ends the exchange ("* " is untagged, "+" asks for more)
      if (pending && !text.startsWith('*') && !text.startsWith('+')) this.secretTag.delete(cid);
      return text;
    }
    const login = /^(\S+) (LOGIN) (.*)$/i.exec(text);
    if (login) {
      const [, tag, verb, args] = login;
      const user = /^("(?:[^"\\]|\\.)*"|\{\d+\+?\}|[^\s{]+)/.exec(args!)?.[1] ?? '';
      // the user name or the password sent as a literal: the next client frames are secret
      if (/\{\d+\+?\}\s*$/.test(args!) || user.startsWith('{')) this.secretTag.set(cid, tag!);
      return `${tag} ${verb} ${user.startsWith('{') ? REDACTED : user} ${REDACTED}`;
    }
    const auth = /^(\S+) (AUTHENTICATE) (\S+)(?: (.*))?$/i.exec(text);
    if (auth) {
      const [, tag, verb, mech, initial] = auth;
      this.secretTag.set(cid, tag!);
      return `${tag} ${verb} ${mech}${initial !== undefined ? ` ${REDACTED}` : ''}`;
    }
    if (pending) return REDACTED;
    return text;
  }
}

interface LogEntry {
  msg?: unknown;
  src?: unknown;
  cid?: unknown;
  data?: unknown;
  err?: unknown;
  hidden?: unknown;
}

/**
 * An imapflow Logger that writes trace lines through `write` (debug level and above; trace
 * only carries raw socket data, which is decoded into lines and redacted the same way).
 */
export function createImapTraceLogger(write: (line: string) => void, redactor = new ImapRedactor()): Logger {
  const log = (entry: LogEntry) => {
    if (!entry || typeof entry !== 'object') return;
    const cid = String(entry.cid ?? '-');
    const src = entry.src === 'c' || entry.src === 's' ? entry.src : undefined;
    if (src && typeof entry.data === 'string') {
      const text = entry.hidden ? REDACTED : Buffer.from(entry.data, 'base64').toString('latin1');
      for (const l of text.split(/\r?\n/)) if (l) write(`imap[${cid}] ${src === 'c' ? 'C' : 'S'}: ${redactor.line(cid, src, l)}`);
      return;
    }
    const msg = typeof entry.msg === 'string' ? entry.msg : '';
    if (src) {
      for (const l of msg.split(/\r?\n/)) if (l) write(`imap[${cid}] ${src === 'c' ? 'C' : 'S'}: ${redactor.line(cid, src, l)}`);
      return;
    }
    const err = entry.err instanceof Error ? `: ${entry.err.message}` : '';
    if (msg || err) write(`imap[${cid}] ${msg}${err}`);
  };
  return { debug: log, info: log, warn: log, error: log, trace: log, fatal: log };
}
