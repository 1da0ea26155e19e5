// Parses a whole Python file (an OfflineIMAP `pythonfile`) into statements: imports, module
// assignments, functions (def) with if / try / for / with / return bodies, each with its line.
// Expressions inside are parsed by py-parser.ts. A statement outside the subset becomes
// 'unparsed' with the reason, so only code that a configuration actually uses can fail.
// It only builds syntax trees; it never runs, imports or evaluates anything.

import { parsePython, ParseError, type PyNode } from './py-parser.js';

export type PyStmt = (
  | { k: 'return'; value?: PyNode }
  | { k: 'assign'; targets: PyNode[]; value: PyNode }
  | { k: 'augassign'; target: PyNode; op: string; value: PyNode }
  | { k: 'expr'; value: PyNode }
  | { k: 'if'; test: PyNode; body: PyStmt[]; orelse: PyStmt[] }
  | { k: 'try'; body: PyStmt[]; handlers: Array<{ types: string[]; body: PyStmt[] }>; orelse: PyStmt[]; final: PyStmt[] }
  | { k: 'for'; targets: string[]; iter: PyNode; body: PyStmt[] }
  | { k: 'while'; test: PyNode; body: PyStmt[] }
  | { k: 'with'; items: Array<{ expr: PyNode; name?: string }>; body: PyStmt[] }
  | { k: 'def'; name: string; params: string[]; defaults: Record<string, PyNode>; body: PyStmt[] }
  | { k: 'import'; names: Array<{ module: string; alias: string }> }
  | { k: 'other'; what: string }
  | { k: 'unparsed'; error: string }
) & { line: number };

export interface PyModule {
  text: string;
  body: PyStmt[];
  /** 1-based line of a character offset in text. */
  lineOf(offset: number): number;
}

interface LogicalLine { text: string; offset: number; line: number; indent: number }

/** Splits the file into logical lines: brackets, strings and backslashes continue a line; comments are blanked. */
function logicalLines(src: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let depth = 0, startOffset = -1, buf = '';
  const flush = () => {
    if (startOffset >= 0 && buf.trim() !== '') {
      const lineStart = src.lastIndexOf('\n', startOffset - 1) + 1;
      const indent = src.slice(lineStart, startOffset).replace(/\t/g, '        ').length;
      out.push({ text: buf, offset: startOffset, line: src.slice(0, startOffset).split('\n').length, indent });
    }
    buf = ''; startOffset = -1;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (startOffset < 0) {
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\n') continue;
      if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
      startOffset = i;
    }
    if (c === '#') { while (i + 1 < src.length && src[i + 1] !== '\n') { buf += ' '; i++; } buf += ' '; continue; }
    if (c === '\\' && src[i + 1] === '\n') { buf += '  '; i++; continue; }
    if (c === '\'' || c === '"') {
      const triple = src.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < src.length && !src.startsWith(close, j)) { if (src[j] === '\\') j++; if (!triple && src[j] === '\n') break; j++; }
      j = Math.min(src.length, j + close.length);
      buf += src.slice(i, j);
      i = j - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (c === '\n' && depth === 0) { flush(); continue; }
    buf += c === '\n' || c === '\r' ? ' ' : c;
  }
  flush();
  return out;
}

/** Offsets of top-level occurrences of `chars` (outside brackets and strings). */
function topLevel(text: string, test: (t: string, i: number) => number): number[] {
  const hits: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\'' || c === '"') {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < text.length && !text.startsWith(close, j)) { if (text[j] === '\\') j++; j++; }
      i = j + close.length - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0) { const n = test(text, i); if (n) { hits.push(i); i += n - 1; } }
  }
  return hits;
}

const COMPOUND = /^(def|if|elif|else|try|except|finally|for|while|with|class)\b/;

export function parseModule(src: string): PyModule {
  const lines = logicalLines(src);
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => { let lo = 0, hi = lineStarts.length - 1; while (lo < hi) { const m = (lo + hi + 1) >> 1; if (lineStarts[m]! <= offset) lo = m; else hi = m - 1; } return lo + 1; };
  let pos = 0;
  const expr = (text: string, offset: number): PyNode => {
    const lead = text.length - text.trimStart().length;
    const t = text.trim();
    const wrap = topLevel(t, (s, i) => (s[i] === ',' ? 1 : 0)).length > 0;
    return parsePython(wrap ? `(${t})` : t, offset + lead - (wrap ? 1 : 0));
  };

  function block(indent: number): PyStmt[] {
    const out: PyStmt[] = [];
    while (pos < lines.length && lines[pos]!.indent >= indent) {
      const l = lines[pos]!;
      if (l.indent > indent) { out.push({ k: 'unparsed', error: 'unexpected indentation', line: l.line }); skipDeeper(l.indent - 1); continue; }
      out.push(...statement(l, indent));
    }
    return out;
  }
  function skipDeeper(indent: number): void { while (pos < lines.length && lines[pos]!.indent > indent) pos++; }

  /** The body of a compound statement: the rest of its line, or the indented lines below it. */
  function suite(l: LogicalLine, after: number, indent: number): PyStmt[] {
    const rest = l.text.slice(after + 1);
    if (rest.trim() !== '') return simple(rest, l.offset + after + 1, l.line);
    if (pos < lines.length && lines[pos]!.indent > indent) return block(lines[pos]!.indent);
    throw new ParseError('expected an indented block', l.offset);
  }

  function statement(l: LogicalLine, indent: number): PyStmt[] {
    pos++;
    const m = COMPOUND.exec(l.text);
    try {
      if (!m) return simple(l.text, l.offset, l.line);
      const colon = topLevel(l.text, (s, i) => (s[i] === ':' ? 1 : 0))[0];
      if (colon === undefined) throw new ParseError(`expected ':' after ${m[1]}`, l.offset);
      const head = l.text.slice(m[1]!.length, colon);
      const headAt = l.offset + m[1]!.length;
      const kw = m[1]!;
      if (kw === 'def') {
        const d = /^\s*(\w+)\s*\(([\s\S]*)\)\s*(->[\s\S]*)?$/.exec(head);
        if (!d) throw new ParseError('expected def NAME(PARAMS):', l.offset);
        const params: string[] = [], defaults: Record<string, PyNode> = {};
        const plist = d[2]!;
        for (const piece of splitTop(plist)) {
          const [name, dflt] = [piece.text.split('=')[0]!.trim().replace(/:.*$/, ''), piece.text.includes('=') ? piece.text.slice(piece.text.indexOf('=') + 1) : undefined];
          if (!/^\w+$/.test(name)) throw new ParseError('*args, **kwargs and annotations are not supported', l.offset);
          params.push(name);
          if (dflt !== undefined) defaults[name] = expr(dflt, headAt + head.indexOf('(') + 1 + piece.at + piece.text.indexOf('=') + 1);
        }
        return [{ k: 'def', name: d[1]!, params, defaults, body: suite(l, colon, indent), line: l.line }];
      }
      if (kw === 'class') { const body = suite(l, colon, indent); void body; return [{ k: 'other', what: 'class', line: l.line }]; }
      if (kw === 'if' || kw === 'while') {
        const test = expr(head, headAt);
        const body = suite(l, colon, indent);
        if (kw === 'while') return [{ k: 'while', test, body, line: l.line }];
        return [{ k: 'if', test, body, orelse: elseChain(indent), line: l.line }];
      }
      if (kw === 'for') {
        const inAt = topLevel(head, (s, i) => (/^\sin\s/.test(s.slice(i, i + 4)) ? 4 : 0))[0];
        if (inAt === undefined) throw new ParseError("expected 'for NAME in ...:'", l.offset);
        const targets = head.slice(0, inAt).replace(/[()]/g, '').split(',').map((x) => x.trim()).filter(Boolean);
        return [{ k: 'for', targets, iter: expr(head.slice(inAt + 4), headAt + inAt + 4), body: suite(l, colon, indent), line: l.line }];
      }
      if (kw === 'with') {
        const items = splitTop(head).map((piece) => {
          const as = / as\s+(\w+)\s*$/.exec(piece.text);
          return { expr: expr(as ? piece.text.slice(0, as.index) : piece.text, headAt + piece.at), ...(as ? { name: as[1] } : {}) };
        });
        return [{ k: 'with', items, body: suite(l, colon, indent), line: l.line }];
      }
      if (kw === 'try') {
        const body = suite(l, colon, indent);
        const handlers: Array<{ types: string[]; body: PyStmt[] }> = [];
        let orelse: PyStmt[] = [], final: PyStmt[] = [];
        while (pos < lines.length && lines[pos]!.indent === indent && /^(except|else|finally)\b/.test(lines[pos]!.text)) {
          const h = lines[pos++]!;
          const hc = topLevel(h.text, (s, i) => (s[i] === ':' ? 1 : 0))[0];
          if (hc === undefined) throw new ParseError("expected ':'", h.offset);
          const hb = suite(h, hc, indent);
          if (h.text.startsWith('except')) handlers.push({ types: h.text.slice(6, hc).replace(/\bas\s+\w+\s*$/, '').replace(/[()]/g, '').split(',').map((x) => x.trim()).filter(Boolean), body: hb });
          else if (h.text.startsWith('else')) orelse = hb;
          else final = hb;
        }
        return [{ k: 'try', body, handlers, orelse, final, line: l.line }];
      }
      throw new ParseError(`'${kw}' without a matching statement before it`, l.offset);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      skipDeeper(indent);
      return [{ k: 'unparsed', error: `${e.message} (line ${lineOf(e.pos)})`, line: l.line }];
    }
  }

  function elseChain(indent: number): PyStmt[] {
    const l = lines[pos];
    if (!l || l.indent !== indent) return [];
    if (/^elif\b/.test(l.text)) {
      const stmts = statement({ ...l, text: l.text.slice(2), offset: l.offset + 2 }, indent);
      return stmts;
    }
    if (/^else\s*:/.test(l.text)) {
      pos++;
      return suite(l, l.text.indexOf(':'), indent);
    }
    return [];
  }

  function simple(text: string, offset: number, line: number): PyStmt[] {
    const out: PyStmt[] = [];
    let start = 0;
    for (const cut of [...topLevel(text, (s, i) => (s[i] === ';' ? 1 : 0)), text.length]) {
      const piece = text.slice(start, cut);
      const at = offset + start;
      start = cut + 1;
      if (piece.trim() !== '') out.push(simpleOne(piece, at, line));
    }
    return out;
  }

  function simpleOne(raw: string, offset: number, line: number): PyStmt {
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const at = offset + lead;
    const word = /^\w+/.exec(text)?.[0];
    if (word === 'return') return { k: 'return', ...(text.length > 6 ? { value: expr(text.slice(6), at + 6) } : {}), line };
    if (word && ['pass', 'break', 'continue', 'global', 'nonlocal', 'raise', 'del', 'assert'].includes(word)) return { k: 'other', what: word, line };
    if (word === 'print' && !/^print\s*\(/.test(text)) return { k: 'other', what: 'print', line };
    if (word === 'import') {
      return { k: 'import', names: text.slice(6).split(',').map((x) => { const [mod, alias] = x.trim().split(/\s+as\s+/); return { module: mod!, alias: alias ?? mod!.split('.')[0]! }; }), line };
    }
    if (word === 'from') {
      const f = /^from\s+([\w.]+)\s+import\s+\(?([^)]*)\)?$/.exec(text);
      if (!f) throw new ParseError('expected from MODULE import NAMES', at);
      if (f[2]!.trim() === '*') return { k: 'import', names: [{ module: `${f[1]}.*`, alias: '*' }], line };
      return { k: 'import', names: f[2]!.split(',').filter((x) => x.trim()).map((x) => { const [n, alias] = x.trim().split(/\s+as\s+/); return { module: `${f[1]}.${n}`, alias: alias ?? n! }; }), line };
    }
    const aug = topLevel(text, (s, i) => (/^(\+|-|\*|\/|%|\|)=/.test(s.slice(i, i + 2)) ? 2 : 0))[0];
    if (aug !== undefined) return { k: 'augassign', target: expr(text.slice(0, aug), at), op: text[aug]!, value: expr(text.slice(aug + 2), at + aug + 2), line };
    const eqs = topLevel(text, (s, i) => (s[i] === '=' && !'=!<>'.includes(s[i - 1] ?? '') && s[i + 1] !== '=' ? 1 : 0));
    if (eqs.length) {
      const targets: PyNode[] = [];
      let from = 0;
      for (const e of eqs) { targets.push(expr(text.slice(from, e), at + from)); from = e + 1; }
      return { k: 'assign', targets, value: expr(text.slice(from), at + from), line };
    }
    return { k: 'expr', value: expr(text, at), line };
  }

  const body = block(0);
  return { text: src, body, lineOf };
}

/** Top-level comma-separated pieces of a text, with their offsets. */
function splitTop(text: string): Array<{ text: string; at: number }> {
  if (text.trim() === '') return [];
  const cuts = topLevel(text, (s, i) => (s[i] === ',' ? 1 : 0));
  const out: Array<{ text: string; at: number }> = [];
  let start = 0;
  for (const c of [...cuts, text.length]) { if (text.slice(start, c).trim()) out.push({ text: text.slice(start, c), at: start }); start = c + 1; }
  return out;
}
