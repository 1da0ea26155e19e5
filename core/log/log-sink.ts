// Where the command line's log goes besides the UI: `-l FILE` (appended, one timestamped line
// per entry) and `-s` (syslog, see syslog-sink.ts). A sink receives text that is already free
// of secrets (the IMAP trace is redacted before it gets here); it never formats events itself.

import fs from 'node:fs';
import { printable } from './printable.js';

export type LogLevel = 'error' | 'warning' | 'info' | 'debug';

export interface LogSink {
  write(level: LogLevel, text: string): void;
  close(): Promise<void>;
}

/** "2026-11-22T01:52:00.123Z INFO  text" — one line per entry (newlines inside become spaces, other controls visible escapes). */
export function formatLogLine(level: LogLevel, text: string, now = new Date()): string {
  return `${now.toISOString()} ${level.toUpperCase().padEnd(7)} ${printable(text.replace(/\r?\n/g, ' '))}\n`;
}

/**
 * Appends to FILE (created 0600: traces name folders and servers). Writes are synchronous so
 * that the last lines before an exit or a crash are on disk. Throws a one-line message when
 * the file cannot be opened.
 */
export function openLogFile(file: string, clock: () => Date = () => new Date()): LogSink {
  let fd: number;
  try {
    fd = fs.openSync(file, 'a', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code;
    throw new Error(`cannot write the log file ${file} (${why}). Pass another path to -l.`);
  }
  return {
    write(level, text) {
      if (fd < 0) return;
      try { fs.writeSync(fd, formatLogLine(level, text, clock())); } catch { /* a full disk must not stop the sync */ }
    },
    async close() {
      if (fd >= 0) fs.closeSync(fd);
      fd = -1;
    },
  };
}

/** Fans entries out to several sinks. */
export function teeSinks(sinks: LogSink[]): LogSink {
  return {
    write: (level, text) => { for (const s of sinks) s.write(level, text); },
    close: async () => { await Promise.all(sinks.map((s) => s.close())); },
  };
}
