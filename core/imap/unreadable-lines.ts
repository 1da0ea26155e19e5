// Notices the server lines imapflow could not parse. imapflow skips such a line, logs it and
// goes on, so a listing or a fetch that ran while one arrived may be silently incomplete (a
// message missing from a listing looks deleted). This watches imapflow's log for them, so a
// command can fail instead of trusting a partial answer. It only counts; it never changes or
// drops a log entry (the lean body reader reports its own through note()), and it keeps at most a short, bounded sample of the offending line.

import type { Logger } from 'imapflow';
import { printable } from '../log/printable.js';

const SAMPLE_CHARS = 60;
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

interface Entry { src?: unknown; msg?: unknown; err?: unknown }

export class UnreadableLines {
  /** Lines skipped as unparseable (or failing to be processed) since the connection opened. */
  count = 0;
  /** The start of the last such line, control characters escaped. */
  sample = '';

  /**
   * A logger for imapflow that counts unreadable lines and passes every entry on to `inner`.
   * Without `inner` it offers only warn and error, so imapflow formats nothing else.
   */
  logger(inner?: Logger): Logger {
    const pass = (level: (typeof LEVELS)[number], entry: unknown) => {
      const fn = inner?.[level as keyof Logger] as ((e: unknown) => void) | undefined;
      fn?.call(inner, entry);
    };
    const watch = (level: 'warn' | 'error') => (entry: unknown) => {
      this.observe(level, entry);
      pass(level, entry);
    };
    if (!inner) return { warn: watch('warn'), error: watch('error') } as unknown as Logger;
    const out: Record<string, (e: unknown) => void> = {};
    for (const level of LEVELS) out[level] = level === 'warn' || level === 'error' ? watch(level) : (e) => pass(level, e);
    return out as unknown as Logger;
  }

  /** A line the lean body reader (body-stream.ts) could not read. */
  note(line: string): void {
    this.count++;
    this.sample = printable(line.slice(0, SAMPLE_CHARS).replace(/\t/g, ' '));
  }

  private observe(level: 'warn' | 'error', entry: unknown): void {
    const e = (entry && typeof entry === 'object' ? entry : {}) as Entry;
    // imapflow: error {src:'s', msg:<the line>, err} for a line it could not parse;
    // warn 'Failed to process untagged response' for one it parsed but could not apply.
    const unparsed = level === 'error' && e.src === 's' && !!e.err;
    const unprocessed = level === 'warn' && e.msg === 'Failed to process untagged response';
    if (!unparsed && !unprocessed) return;
    this.count++;
    if (unparsed && typeof e.msg === 'string') this.sample = printable(e.msg.slice(0, SAMPLE_CHARS).replace(/\t/g, ' '));
  }
}

