// A small tokenizer and parser for the subset of Python expressions that OfflineIMAP users
// write in folderfilter / nametrans / foldersort lambdas. It only builds a syntax tree (with
// source positions for messages); it never evaluates anything. Anything outside the subset
// is a ParseError naming what was found.

export type PyNode = (
  | { k: 'name'; id: string }
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'const'; v: boolean | null }
  | { k: 'list'; items: PyNode[] }
  | { k: 'dict'; entries: Array<[PyNode, PyNode]> }
  | { k: 'attr'; obj: PyNode; name: string }
  | { k: 'call'; fn: PyNode; args: PyNode[]; kwargs: Record<string, PyNode> }
  | { k: 'index'; obj: PyNode; index: PyNode }
  | { k: 'slice'; obj: PyNode; lo?: PyNode; hi?: PyNode }
  | { k: 'unary'; op: 'not' | '-'; x: PyNode }
  | { k: 'bin'; op: 'and' | 'or' | '+' | '|' | '%'; a: PyNode; b: PyNode }
  | { k: 'cmp'; op: string; a: PyNode; b: PyNode }
  | { k: 'ifexp'; then: PyNode; test: PyNode; else: PyNode }
  | { k: 'lambda'; params: string[]; body: PyNode }
  /** f'...': literal text and {expression} parts (conversions and format specs refused). */
  | { k: 'fstr'; parts: Array<string | PyNode> }
  /** [elt for targets in iter if cond], {key: elt for ...}, (elt for ...) */
  | { k: 'comp'; kind: 'list' | 'dict' | 'gen'; elt: PyNode; key?: PyNode; targets: string[]; iter: PyNode; cond?: PyNode }
) & { start: number; end: number };

export class ParseError extends Error {
  constructor(message: string, readonly pos: number) { super(message); }
}

interface Token { t: 'name' | 'str' | 'fstr' | 'num' | 'op' | 'end'; v: string; start: number; end: number; raw?: boolean; parts?: Array<string | { src: string; pos: number }> }

const KEYWORDS = new Set(['lambda', 'if', 'else', 'and', 'or', 'not', 'in', 'is', 'True', 'False', 'None']);
const OPS = ['==', '!=', '<=', '>=', '**', '//', '(', ')', '[', ']', '{', '}', ',', ':', '.', '+', '-', '*', '/', '%', '|', '&', '<', '>', '=', '~', '^', ';'];

function tokenize(src: string, base = 0): Token[] {
  try {
    return tokenizeAt(src, base);
  } catch (e) {
    if (e instanceof ParseError && base) throw new ParseError(e.message, e.pos + base);
    throw e;
  }
}

function tokenizeAt(src: string, base: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c) || (c === '\\' && src[i + 1] === '\n')) { i += c === '\\' ? 2 : 1; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const start = i;
    const strPrefix = /^([rRuUbBfF]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (strPrefix && (strPrefix[1] === '' || /^[A-Za-z]/.test(c))) {
      const prefix = strPrefix[1]!.toLowerCase();
      if (prefix.includes('b')) throw new ParseError('byte strings are not supported', start);
      i += prefix.length;
      const q = src[i]!;
      const triple = src.slice(i, i + 3) === q.repeat(3);
      const close = triple ? q.repeat(3) : q;
      i += close.length;
      let body = '';
      while (i < src.length && src.slice(i, i + close.length) !== close) {
        if (src[i] === '\\' && i + 1 < src.length) { body += src[i]! + src[i + 1]!; i += 2; continue; }
        if (!triple && src[i] === '\n') throw new ParseError('a string is not closed on its line', start);
        body += src[i++];
      }
      if (i >= src.length) throw new ParseError('a string is not closed', start);
      i += close.length;
      const raw = prefix.includes('r');
      const bodyStart = start + prefix.length + close.length;
      if (prefix.includes('f')) out.push({ t: 'fstr', v: '', start, end: i, parts: fstringParts(body, raw, bodyStart) });
      else out.push({ t: 'str', v: raw ? body : unescape(body, start), start, end: i, raw });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /\w/.test(src[i]!)) i++;
      out.push({ t: 'name', v: src.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < src.length && /[0-9_]/.test(src[i]!)) i++;
      if (/[.eExXjJ]/.test(src[i] ?? '')) throw new ParseError('only whole numbers are supported', start);
      out.push({ t: 'num', v: src.slice(start, i).replace(/_/g, ''), start, end: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ParseError(`unexpected character '${c}'`, start);
    i += op.length;
    out.push({ t: 'op', v: op, start, end: i });
  }
  out.push({ t: 'end', v: '', start: src.length, end: src.length });
  if (!base) return out;
  const shift = (x: string | { src: string; pos: number }) => (typeof x === 'string' ? x : { ...x, pos: x.pos + base });
  return out.map((t) => ({ ...t, start: t.start + base, end: t.end + base, ...(t.parts ? { parts: t.parts.map(shift) } : {}) }));
}

/** The parts of an f-string body: text (escapes applied unless raw) and {expression} sources. */
function fstringParts(body: string, raw: boolean, pos: number): Array<string | { src: string; pos: number }> {
  const parts: Array<string | { src: string; pos: number }> = [];
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if ((c === '{' || c === '}') && body[i + 1] === c) { text += c; i++; continue; }
    if (c === '}') throw new ParseError("a single '}' in an f-string", pos + i);
    if (c !== '{') { text += c; continue; }
    let depth = 1, j = i + 1;
    while (j < body.length && depth) { if (body[j] === '{') depth++; else if (body[j] === '}') depth--; j++; }
    if (depth) throw new ParseError('an f-string {expression} is not closed', pos + i);
    const inner = body.slice(i + 1, j - 1);
    if (/![rsa]$|:[^\]\)]*$/.test(inner) && !/^[^:]*\blambda\b/.test(inner)) throw new ParseError('f-string conversions and format specifications are not supported', pos + i);
    if (text) parts.push(raw ? text : unescape(text, pos));
    text = '';
    parts.push({ src: inner, pos: pos + i + 1 });
    i = j - 1;
  }
  if (text) parts.push(raw ? text : unescape(text, pos));
  return parts;
}

/** Python string-literal escapes (non-raw); unknown escapes keep their backslash, like Python. */
function unescape(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { out += c; continue; }
    const n = body[++i] ?? '';
    const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (n in simple) { out += simple[n]; continue; }
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += m.length - 1;
      continue;
    }
    const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hex) {
      const h = body.slice(i + 1, i + 1 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(h)) throw new ParseError(`bad \\${n} escape in a string`, pos);
      out += String.fromCodePoint(parseInt(h, 16));
      i += hex;
      continue;
    }
    if (n === 'N') throw new ParseError('\\N{...} escapes are not supported', pos);
    out += '\\' + n;
  }
  return out;
}

/** Parses one expression; `base` shifts every position (for expressions taken out of a larger text). */
export function parsePython(src: string, base = 0): PyNode {
  const toks = tokenize(src, base);
  let p = 0;
  const peek = () => toks[p]!;
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isKw = (v: string) => peek().t === 'name' && peek().v === v;
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new ParseError(`expected '${v}' but found ${describe(peek())}`, peek().start);
    return toks[p++]!;
  };
  const node = <T extends Omit<PyNode, 'start' | 'end'>>(n: T, start: number): PyNode => ({ ...n, start, end: toks[p - 1]!.end }) as unknown as PyNode;

  function test(): PyNode {
    const start = peek().start;
    if (isKw('lambda')) {
      p++;
      const params: string[] = [];
      while (!isOp(':')) {
        if (peek().t !== 'name' || KEYWORDS.has(peek().v)) throw new ParseError(`expected a parameter name but found ${describe(peek())}`, peek().start);
        params.push(toks[p++]!.v);
        if (isOp('=')) throw new ParseError('default parameter values are not supported', peek().start);
        if (!isOp(':')) expectOp(',');
      }
      p++;
      return node({ k: 'lambda', params, body: test() }, start);
    }
    const a = orTest();
    if (isKw('if')) {
      p++;
      const cond = orTest();
      if (!isKw('else')) throw new ParseError(`expected 'else' but found ${describe(peek())}`, peek().start);
      p++;
      return node({ k: 'ifexp', then: a, test: cond, else: test() }, start);
    }
    return a;
  }
  function orTest(): PyNode {
    const start = peek().start;
    let a = andTest();
    while (isKw('or')) { p++; a = node({ k: 'bin', op: 'or', a, b: andTest() }, start); }
    return a;
  }
  function andTest(): PyNode {
    const start = peek().start;
    let a = notTest();
    while (isKw('and')) { p++; a = node({ k: 'bin', op: 'and', a, b: notTest() }, start); }
    return a;
  }
  function notTest(): PyNode {
    const start = peek().start;
    if (isKw('not')) { p++; return node({ k: 'unary', op: 'not', x: notTest() }, start); }
    return comparison();
  }
  function comparison(): PyNode {
    const start = peek().start;
    let a = arith();
    for (;;) {
      let op: string | undefined;
      if (peek().t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(peek().v)) op = toks[p++]!.v;
      else if (isKw('in')) { p++; op = 'in'; }
      else if (isKw('not') && toks[p + 1]?.v === 'in') { p += 2; op = 'not in'; }
      else if (isKw('is')) { p++; op = 'is'; if (isKw('not')) { p++; op = 'is not'; } }
      if (!op) return a;
      a = node({ k: 'cmp', op, a, b: arith() }, start);
    }
  }
  function arith(): PyNode {
    const start = peek().start;
    let a = term();
    while (isOp('+') || isOp('|')) {
      const op = toks[p++]!.v as '+' | '|';
      a = node({ k: 'bin', op, a, b: term() }, start);
    }
    if (peek().t === 'op' && ['-', '*', '/', '%', '//', '**', '&', '^'].includes(peek().v)) {
      throw new ParseError(`the operator '${peek().v}' is not supported`, peek().start);
    }
    return a;
  }
  function term(): PyNode {
    const start = peek().start;
    let a = unary();
    while (isOp('%')) { p++; a = node({ k: 'bin', op: '%', a, b: unary() }, start); }
    return a;
  }
  function comp(kind: 'list' | 'dict' | 'gen', elt: PyNode, start: number, key?: PyNode): PyNode {
    p++; // 'for'
    const targets: string[] = [];
    const paren = isOp('(');
    if (paren) p++;
    while (!isKw('in')) {
      if (peek().t !== 'name' || KEYWORDS.has(peek().v)) throw new ParseError(`expected a loop variable but found ${describe(peek())}`, peek().start);
      targets.push(toks[p++]!.v);
      if (paren && isOp(')')) { p++; break; }
      if (!isKw('in')) expectOp(',');
    }
    p++; // 'in'
    const iter = orTest();
    let cond: PyNode | undefined;
    if (isKw('if')) { p++; cond = orTest(); }
    if (isKw('for')) throw new ParseError('nested comprehensions are not supported', peek().start);
    return { k: 'comp', kind, elt, ...(key ? { key } : {}), targets, iter, ...(cond ? { cond } : {}), start, end: toks[p - 1]!.end } as PyNode;
  }
  function unary(): PyNode {
    const start = peek().start;
    if (isOp('-')) { p++; return node({ k: 'unary', op: '-', x: unary() }, start); }
    return postfix();
  }
  function postfix(): PyNode {
    const start = peek().start;
    let a = atom();
    for (;;) {
      if (isOp('.')) {
        p++;
        if (peek().t !== 'name') throw new ParseError(`expected a name after '.' but found ${describe(peek())}`, peek().start);
        a = node({ k: 'attr', obj: a, name: toks[p++]!.v }, start);
      } else if (isOp('(')) {
        p++;
        const args: PyNode[] = [];
        const kwargs: Record<string, PyNode> = {};
        while (!isOp(')')) {
          if (peek().t === 'name' && toks[p + 1]?.v === '=' && toks[p + 1]?.t === 'op') {
            const key = toks[p]!.v;
            p += 2;
            kwargs[key] = test();
          } else {
            if (isOp('*') || isOp('**')) throw new ParseError('*args and **kwargs are not supported', peek().start);
            const argStart = peek().start;
            const arg = test();
            args.push(isKw('for') ? comp('gen', arg, argStart) : arg);
          }
          if (!isOp(')')) expectOp(',');
        }
        p++;
        a = node({ k: 'call', fn: a, args, kwargs }, start);
      } else if (isOp('[')) {
        p++;
        let first: PyNode | undefined;
        if (!isOp(':')) first = test();
        if (isOp(':')) {
          p++;
          const end = isOp(']') ? undefined : test();
          if (isOp(':')) throw new ParseError('slices with a step are not supported', peek().start);
          expectOp(']');
          a = node({ k: 'slice', obj: a, ...(first ? { lo: first } : {}), ...(end ? { hi: end } : {}) }, start);
        } else {
          expectOp(']');
          a = node({ k: 'index', obj: a, index: first! }, start);
        }
      } else {
        return a;
      }
    }
  }
  function atom(): PyNode {
    const t = peek();
    const start = t.start;
    if (t.t === 'str' || t.t === 'fstr') {
      const parts: Array<string | PyNode> = [];
      while (peek().t === 'str' || peek().t === 'fstr') { // implicit concatenation
        const s = toks[p++]!;
        if (s.t === 'str') parts.push(s.v);
        else for (const part of s.parts!) parts.push(typeof part === 'string' ? part : parsePython(part.src, part.pos));
      }
      if (parts.every((x) => typeof x === 'string')) return node({ k: 'str', v: parts.join('') }, start);
      return node({ k: 'fstr', parts }, start);
    }
    if (t.t === 'num') { p++; return node({ k: 'num', v: Number(t.v) }, start); }
    if (t.t === 'name') {
      if (t.v === 'True' || t.v === 'False' || t.v === 'None') { p++; return node({ k: 'const', v: t.v === 'None' ? null : t.v === 'True' }, start); }
      if (KEYWORDS.has(t.v)) throw new ParseError(`unexpected '${t.v}'`, start);
      p++;
      return node({ k: 'name', id: t.v }, start);
    }
    if (isOp('(') || isOp('[')) {
      const close = isOp('(') ? ')' : ']';
      p++;
      const items: PyNode[] = [];
      let tuple = close === ']';
      while (!isOp(close)) {
        const itemStart = peek().start;
        items.push(test());
        if (isKw('for') && items.length === 1) {
          const c = comp(close === ']' ? 'list' : 'gen', items[0]!, itemStart);
          expectOp(close);
          return { ...c, start, end: toks[p - 1]!.end };
        }
        if (!isOp(close)) { expectOp(','); tuple = true; }
      }
      p++;
      if (!tuple && items.length === 1) return { ...items[0]!, start, end: toks[p - 1]!.end };
      return node({ k: 'list', items }, start);
    }
    if (isOp('{')) {
      p++;
      const entries: Array<[PyNode, PyNode]> = [];
      while (!isOp('}')) {
        const key = test();
        expectOp(':');
        const value = test();
        if (isKw('for') && !entries.length) {
          const c = comp('dict', value, start, key);
          expectOp('}');
          return { ...c, start, end: toks[p - 1]!.end };
        }
        entries.push([key, value]);
        if (!isOp('}')) expectOp(',');
      }
      p++;
      return node({ k: 'dict', entries }, start);
    }
    throw new ParseError(t.t === 'end' ? 'the expression ends too early' : `unexpected ${describe(t)}`, start);
  }

  const result = test();
  if (peek().t !== 'end') throw new ParseError(`unexpected ${describe(peek())} after the end of the expression`, peek().start);
  return result;
}

function describe(t: Token): string {
  if (t.t === 'end') return 'the end of the expression';
  if (t.t === 'str' || t.t === 'fstr') return 'a string';
  return `'${t.v}'`;
}
