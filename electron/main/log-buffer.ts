// The in-memory log behind "Show log": a ring buffer of the last N lines, redacted on the way
// in (passwords, tokens, AUTHENTICATE payloads and any secret registered with it), so nothing
// the renderer or a bug report sees can hold a credential. It never writes to disk.

export interface LogLine {
  time: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

const MASK = '••••';

/** Patterns whose captured value is a secret: key=value forms, IMAP LOGIN/AUTHENTICATE, bearer tokens. */
const PATTERNS: RegExp[] = [
  /\b(\w*(?:pass(?:word|wd)?|secret|token|api[_-]?key)\w*\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
  // IMAP commands as sent (upper case, after a tag), so prose like "login failed for" is left alone.
  /(\S+ LOGIN\s+(?:"(?:[^"\\]|\\.)*"|\S+)\s+)("(?:[^"\\]|\\.)*"|\{\d+\+?\}|\S+)/g,
  /(\S+ AUTHENTICATE\s+(?:PLAIN|XOAUTH2|OAUTHBEARER|LOGIN)\s+)(\S+)/g,
  /\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)/g,
  /\b(auth=Bearer\s+)(\S+)/gi,
];

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(MASK);
  for (const re of PATTERNS) out = out.replace(re, (_m, head: string) => `${head}${MASK}`);
  return out;
}

export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private start = 0;
  private readonly secrets = new Set<string>();
  private readonly listeners = new Set<(l: LogLine) => void>();

  constructor(private readonly capacity = 2000) {
    if (capacity < 1) throw new RangeError('LogBuffer capacity must be at least 1');
  }

  /** A secret in use (a password just read from the keyring): masked wherever it appears. */
  addSecret(secret: string): void {
    if (secret) this.secrets.add(secret);
  }

  push(level: LogLine['level'], message: string, time = Date.now()): LogLine {
    const line: LogLine = { time, level, message: redact(message, this.secrets) };
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
