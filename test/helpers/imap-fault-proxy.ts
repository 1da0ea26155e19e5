// Test helper: an IMAP-aware fault proxy in front of a real server (Dovecot). It reads the
// client's command lines (skipping literals) and, the first time a command matches an armed
// fault, misbehaves once in the way the fault says: drops the connection before or after the
// server acted, cuts or stalls the reply mid-way, rewrites or replaces it, or slips unsolicited
// responses in. Every other byte is forwarded unchanged, so the next sync talks to the real
// server. Built on tcp-proxy.ts; loopback only.

import { startTcpProxy, type ProxyLink, type TcpProxy } from './tcp-proxy.js';

export type FaultAction =
  /** Cut the connection instead of forwarding the command: the server never sees it. */
  | { kind: 'drop-before' }
  /** Forward the command and its reply except the tagged completion, then cut: done, never confirmed. */
  | { kind: 'drop-after-reply' }
  /** Forward this many bytes of the reply, then cut. */
  | { kind: 'drop-mid-reply'; afterBytes: number }
  /** Forward this many bytes of the reply, then go silent with the connection open. */
  | { kind: 'stall-mid-reply'; afterBytes: number }
  /** Hold the whole reply (up to its tagged completion) and forward rewrite(reply) instead (latin1). */
  | { kind: 'rewrite'; rewrite: (reply: string, tag: string) => string }
  /** Never forward the command; answer it with this text ("$TAG" is the command's tag), then maybe cut. */
  | { kind: 'replace'; reply: string; thenCut?: boolean }
  /** Forward normally, then send this unsolicited text right after the tagged completion. */
  | { kind: 'inject-after'; text: string };

export interface Fault {
  /** Matched against the command line without its tag, e.g. /^UID FETCH .*BODY\.PEEK\[\]/i. */
  on: RegExp;
  action: FaultAction;
}

export interface FaultProxy extends TcpProxy {
  /** Arms faults; each fires once, on the first matching command of any connection. */
  arm(...faults: Fault[]): void;
  /** Disarms every fault and forgets what fired and what was seen. */
  reset(): void;
  /** The faults that have fired, in order (their command lines, untagged). */
  readonly fired: string[];
  /** Every command line seen (untagged), for a test to learn what a sync sends. */
  readonly commands: string[];
}

interface Watch { tag: string; action: FaultAction; held: Buffer; sent: number }

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const armed: Fault[] = [];
  const fired: string[] = [];
  const commands: string[] = [];

  const hooks = () => {
    let inbuf = Buffer.alloc(0);
    let literal = 0; // client literal bytes still to pass through
    let continuing = false; // the next line continues a command (after a literal)
    let watch: Watch | undefined;
    let swallowing = false; // a replaced command's remaining lines are not forwarded

    const fromClient = (chunk: Buffer, link: ProxyLink) => {
      inbuf = Buffer.concat([inbuf, chunk]);
      while (inbuf.length) {
        if (literal > 0) {
          const n = Math.min(literal, inbuf.length);
          if (!swallowing) link.toServer(inbuf.subarray(0, n));
          inbuf = inbuf.subarray(n);
          literal -= n;
          continue;
        }
        const eol = inbuf.indexOf('\r\n');
        if (eol < 0) return;
        const line = inbuf.subarray(0, eol + 2);
        inbuf = inbuf.subarray(eol + 2);
        const text = line.toString('latin1').slice(0, -2);
        const lit = /\{(\d+)\+?\}$/.exec(text);
        const wasContinuing = continuing;
        literal = lit ? Number(lit[1]) : 0;
        continuing = !!lit;
        if (wasContinuing) { if (!swallowing) link.toServer(line); continue; }
        swallowing = false;
        const m = /^(\S+) (.*)$/.exec(text);
        if (m) commands.push(m[2]!);
        const i = m ? armed.findIndex((f) => f.on.test(m[2]!)) : -1;
        if (!m || i < 0) { link.toServer(line); continue; }
        const fault = armed.splice(i, 1)[0]!;
        fired.push(m[2]!);
        const a = fault.action;
        if (a.kind === 'drop-before') { link.cut(); return; }
        if (a.kind === 'replace') {
          swallowing = true;
          link.toClient(a.reply.replaceAll('$TAG', m[1]!));
          if (a.thenCut) { setTimeout(() => link.cut(), 50); }
          continue;
        }
        watch = { tag: m[1]!, action: a, held: Buffer.alloc(0), sent: 0 };
        link.toServer(line);
      }
    };

    const fromServer = (chunk: Buffer, link: ProxyLink) => {
      const w = watch;
      if (!w) { link.toClient(chunk); return; }
      const a = w.action;
      if (a.kind === 'drop-mid-reply' || a.kind === 'stall-mid-reply') {
        const room = a.afterBytes - w.sent;
        if (room >= chunk.length) { w.sent += chunk.length; link.toClient(chunk); return; }
        link.toClient(chunk.subarray(0, Math.max(0, room)));
        watch = undefined;
        if (a.kind === 'drop-mid-reply') setTimeout(() => link.cut(), 20); else link.stall();
        return;
      }
      w.held = Buffer.concat([w.held, chunk]);
      const text = w.held.toString('latin1');
      const done = new RegExp(`(^|\\r\\n)${escape(w.tag)} (OK|NO|BAD)[^\\r\\n]*\\r\\n`).exec(text);
      if (a.kind === 'drop-after-reply') {
        // Forward everything up to the tagged completion as it comes; keep a possibly split tail.
        const upto = done ? done.index + done[1]!.length : Math.max(w.sent, text.lastIndexOf('\r\n') + 2);
        if (upto > w.sent) { link.toClient(w.held.subarray(w.sent, upto)); w.sent = upto; }
        if (done) { watch = undefined; link.cut(); }
        return;
      }
      if (!done) return;
      const end = done.index + done[0].length;
      watch = undefined;
      const reply = text.slice(0, end), rest = w.held.subarray(end);
      if (a.kind === 'rewrite') link.toClient(Buffer.from(a.rewrite(reply, w.tag), 'latin1'));
      else if (a.kind === 'inject-after') link.toClient(Buffer.concat([Buffer.from(reply, 'latin1'), Buffer.from(a.text, 'latin1')]));
      if (rest.length) link.toClient(rest);
    };
    return { fromClient, fromServer };
  };

  const proxy = await startTcpProxy(targetPort, '127.0.0.1', hooks);
  return Object.assign(proxy, {
    arm: (...faults: Fault[]) => { armed.push(...faults); },
    reset: () => { armed.length = 0; fired.length = 0; commands.length = 0; },
    fired,
    commands,
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
