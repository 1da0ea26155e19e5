// The log behind the interface's "Show log" (browser mode and the desktop app): a ring buffer of the last N lines,
// redacted on the way in (key=value secrets, IMAP LOGIN/AUTHENTICATE arguments, bearer tokens
// and every password registered with addSecret), with listeners for the pushed `log` event.
// It never writes to disk. The desktop app's main process uses it too, for "Show log".

import type { LogLine } from '../contract/bridge-contract.js';

const MASK = '••••';

const PATTERNS: RegExp[] = [
  /\b(\w*(?:pass(?:word|wd)?|secret|token|api[_-]?key)\w*\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
  /(\S+ LOGIN\s+(?:"(?:[^"\\]|\\.)*"|\S+)\s+)("(?:[^"\\]|\\.)*"|\{\d+\+?\}|\S+)/g,
  /(\S+ AUTHENTICATE\s+(?:PLAIN|XOAUTH2|OAUTHBEARER|LOGIN)\s+)(\S+)/g,
  /\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)/g,
  /\b(auth=Bearer\s+)(\S+)/gi,
];

export function redactLine(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(MASK);
  for (const re of PATTERNS) out = out.replace(re, (_m, head: string) => `${head}${MASK}`);
  return out;
}

export class LogRing {
  private readonly lines: LogLine[] = [];
  private start = 0;
  private readonly secrets = new Set<string>();
  private readonly listeners = new Set<(l: LogLine) => void>();

  constructor(private readonly capacity = 2000, private readonly clock: () => number = Date.now) {
    if (capacity < 1) throw new RangeError('LogRing capacity must be at least 1');
  }

  /** A secret in use (a password read from the keyring): masked wherever it appears later. */
  addSecret(secret: string): void {
    if (secret) this.secrets.add(secret);
  }

  push(level: LogLine['level'], message: string): LogLine {
    const line: LogLine = { time: this.clock(), level, message: redactLine(message, this.secrets) };
    if (this.lines.length < this.capacity) this.lines.push(line);
    else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
    for (const fn of this.listeners) fn(line);
    return line;
  }

  /** Oldest first. */
  all(): LogLine[] {
    return [...this.lines.slice(this.start), ...this.lines.slice(0, this.start)];
  }

  onLine(fn: (l: LogLine) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
