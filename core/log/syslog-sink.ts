// `-s`: the log sent to syslog. Node has no syslog API, so entries are piped, one per line,
// into util-linux's `logger` (tag "satchel", user facility, priority per line). It fails with
// a clear message when `logger` or the syslog socket is missing; it never passes a secret
// on logger's command line (entries go through stdin only).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { LogLevel, LogSink } from './log-sink.js';
import { printable } from './printable.js';

// facility user (1) * 8 + severity
const PRIORITY: Record<LogLevel, number> = { error: 11, warning: 12, info: 14, debug: 15 };

export interface SyslogOptions {
  /** Unix socket of the syslog daemon; default /dev/log. */
  socket?: string;
  /** Called once if logger stops with an error (for one line on stderr). */
  onError?: (message: string) => void;
  /** The logger program; default `logger` from $PATH. */
  command?: string;
}

export async function openSyslog(opts: SyslogOptions = {}): Promise<LogSink> {
  const socket = opts.socket ?? '/dev/log';
  if (!fs.existsSync(socket)) {
    throw new Error(`cannot log to syslog: there is no syslog socket at ${socket} (is a syslog daemon or systemd-journald running?). Drop -s (or -u syslog), or use -l FILE.`);
  }
  const child = spawn(opts.command ?? 'logger', ['--socket-errors=on', '--prio-prefix', '-t', 'satchel', '--id=' + process.pid, '-u', socket],
    { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (e) => reject(new Error((e as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'cannot log to syslog: the "logger" command is not installed (Debian/Ubuntu: bsdutils; Fedora: util-linux). Install it, drop -s or use -l FILE.'
      : `cannot log to syslog: ${e.message}`)));
  });
  let failed = false;
  void exited.then((code) => {
    if (code !== 0 && !failed) { failed = true; opts.onError?.(`syslog logging stopped: ${stderr.trim() || `logger exited with ${code}`}`); }
  });
  child.stdin.on('error', () => { /* reported through the exit code above */ });
  return {
    write(level, text) {
      if (failed || !child.stdin.writable) return;
      child.stdin.write(`<${PRIORITY[level]}>${printable(text.replace(/\r?\n/g, ' '))}\n`);
    },
    async close() {
      child.stdin.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    },
  };
}
