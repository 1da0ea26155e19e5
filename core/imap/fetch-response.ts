// Reads the attributes of one `* n FETCH (...)` response that body-stream.ts framed: UID, FLAGS,
// INTERNALDATE, RFC822.SIZE and the BODY[] literal; every other attribute (MODSEQ, X-GM-*,
// other sections) is skipped by its syntax. A response is given as its line pieces (latin1 text
// without CRLF; a piece that ends in `{n}` or `~{n}` is followed by the next literal). Anything
// that does not parse as a whole returns null: nothing of a half-read response is used.

export interface FetchedBody {
  uid?: number;
  body?: Buffer;
  flags?: Set<string>;
  internalDate?: Date;
  size?: number;
}

const FETCH_START = /^\* [0-9]+ FETCH \(/i;
const LITERAL_END = /~?\{([0-9]+)\}$/;
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** True for the first piece of an untagged FETCH response. */
export function isFetchLine(first: string): boolean {
  return FETCH_START.test(first);
}

/** The literal size a line announces at its end (`{n}` / `~{n}`), or -1 when it announces none. */
export function announcedLiteral(line: string): number {
  if (line.charCodeAt(line.length - 1) !== 0x7d /* } */) return -1;
  const m = LITERAL_END.exec(line);
  return m ? Number(m[1]) : -1;
}

type Value = string | number | Buffer | Value[] | null;

class Cursor {
  pi = 0;
  at: number;
  private li = 0;

  constructor(private readonly pieces: string[], private readonly literals: Buffer[], start: number) {
    this.at = start;
  }

  private get text(): string {
    return this.pieces[this.pi]!;
  }

  peek(): number {
    return this.at < this.text.length ? this.text.charCodeAt(this.at) : -1;
  }

  skipSpaces(): void {
    while (this.peek() === 0x20) this.at++;
  }

  /** At the end of everything: the last piece is consumed and no literal is left. */
  done(): boolean {
    return this.pi === this.pieces.length - 1 && this.at >= this.text.length;
  }

  /** A literal announced at this position: consumes it and moves to the next piece. */
  literal(): Buffer | undefined {
    if (!/^~?\{[0-9]+\}$/.test(this.text.slice(this.at))) return undefined;
    const lit = this.literals[this.li++];
    if (!lit || this.pi + 1 >= this.pieces.length) return undefined;
    this.pi++;
    this.at = 0;
    return lit;
  }

  /** An attribute name: an atom that may hold a [section] (with spaces) and a <partial>. */
  name(): string | undefined {
    const t = this.text;
    const start = this.at;
    let depth = 0;
    for (; this.at < t.length; this.at++) {
      const c = t.charCodeAt(this.at);
      if (c === 0x5b) depth++; // [
      else if (c === 0x5d) depth--; // ]
      else if (depth === 0 && (c === 0x20 || c === 0x28 || c === 0x29 || c === 0x7b)) break;
      if (depth < 0 || c < 0x20 || c === 0x7f) return undefined;
    }
    return depth === 0 && this.at > start ? t.slice(start, this.at).toUpperCase() : undefined;
  }

  value(depth = 0): Value | undefined {
    this.skipSpaces();
    const c = this.peek();
    if (c === 0x28) { // (
      if (depth > 8) return undefined;
      this.at++;
      const list: Value[] = [];
      for (;;) {
        this.skipSpaces();
        if (this.peek() === 0x29) { this.at++; return list; }
        if (this.peek() === -1) return undefined;
        const v = this.value(depth + 1);
        if (v === undefined) return undefined;
        list.push(v);
      }
    }
    if (c === 0x22) return this.quoted();
    if (c === 0x7b || c === 0x7e) return this.literal();
    const t = this.text;
    const start = this.at;
    while (this.at < t.length) {
      const d = t.charCodeAt(this.at);
      if (d === 0x20 || d === 0x28 || d === 0x29 || d === 0x22 || d < 0x20 || d === 0x7f) break;
      this.at++;
    }
    if (this.at === start) return undefined;
    const atom = t.slice(start, this.at);
    if (atom.toUpperCase() === 'NIL') return null;
    return /^[0-9]+$/.test(atom) ? Number(atom) : atom;
  }

  private quoted(): string | undefined {
    const t = this.text;
    let out = '';
    for (this.at++; this.at < t.length; this.at++) {
      const c = t[this.at]!;
      if (c === '"') { this.at++; return out; }
      if (c === '\\') { this.at++; if (this.at >= t.length) return undefined; out += t[this.at]; continue; }
      out += c;
    }
    return undefined;
  }
}

/**
 * The attributes of one FETCH response, or null when any part of it is malformed (an attribute
 * without a value, an unterminated list, bytes after the closing parenthesis, a literal that is
 * not where the line said it would be).
 */
export function parseFetchResponse(pieces: string[], literals: Buffer[]): FetchedBody | null {
  const m = FETCH_START.exec(pieces[0] ?? '');
  if (!m) return null;
  const cur = new Cursor(pieces, literals, m[0].length);
  const out: FetchedBody = {};
  for (;;) {
    cur.skipSpaces();
    if (cur.peek() === 0x29) { cur.at++; cur.skipSpaces(); return cur.done() ? out : null; }
    const name = cur.name();
    if (!name) return null;
    const value = cur.value();
    if (value === undefined) return null;
    switch (name) {
      case 'UID':
        if (typeof value !== 'number') return null;
        out.uid = value;
        break;
      case 'FLAGS':
        if (!Array.isArray(value) || !value.every((f) => typeof f === 'string')) return null;
        out.flags = new Set(value as string[]);
        break;
      case 'INTERNALDATE':
        if (typeof value !== 'string') return null;
        out.internalDate = parseInternalDate(value);
        break;
      case 'RFC822.SIZE':
        // A size is only a hint (the body's own length wins): a nonsensical one is left out.
        if (typeof value === 'number' && Number.isSafeInteger(value)) out.size = value;
        break;
      case 'BODY[]':
      case 'BINARY[]':
        if (Buffer.isBuffer(value)) out.body = value;
        else if (typeof value === 'string') out.body = Buffer.from(value, 'latin1');
        else if (value === null) out.body = Buffer.alloc(0);
        else return null;
        break;
      default:
        break; // MODSEQ, X-GM-*, other sections: read past by their syntax
    }
  }
}

/** `"17-Jul-1996 02:44:25 -0700"` -> Date; undefined when it is not one. */
export function parseInternalDate(s: string): Date | undefined {
  const m = /^ ?([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  const t = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
  return Number.isNaN(t) ? undefined : new Date(t);
}
