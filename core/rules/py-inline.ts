// Turns a folder option that names or calls pythonfile code into one lambda the translator
// knows: a function's body (returns, local assignments, if/else, try/except KeyError) becomes
// one expression; module dicts and lists are put in place (with {v: k for k, v in d.items()}
// and dict(...) worked out), `x in some_dict` becomes a test on its keys and `d[x]` a lookup
// that keeps unknown names. unparse() shows any tree as Python. It never evaluates code.

import type { PyModule, PyStmt } from './py-module.js';
import type { PyNode } from './py-parser.js';

export class InlineError extends Error {
  constructor(message: string, readonly line?: number) { super(message); }
}

type Def = Extract<PyStmt, { k: 'def' }>;
type Env = Map<string, PyNode>;
const MAX_DEPTH = 10;

export class Inliner {
  private readonly defs = new Map<string, Def>();
  private readonly consts = new Map<string, PyNode>();
  private depth = 0;

  constructor(private readonly module?: PyModule) {
    for (const s of module?.body ?? []) {
      if (s.k === 'def') this.defs.set(s.name, s);
      else if (s.k === 'assign' && s.targets.length === 1 && s.targets[0]!.k === 'name') this.consts.set(s.targets[0]!.id, s.value);
    }
  }

  /** The pythonfile function `name`, if any (for messages). */
  def(name: string): Def | undefined { return this.defs.get(name); }

  /** A lambda for `tree`: the lambda itself with pythonfile names put in, or a function name made a lambda. */
  lambda(tree: PyNode): PyNode {
    if (tree.k === 'lambda') return { ...tree, body: this.subst(tree.body, new Map(tree.params.map((p) => [p, { k: 'name', id: p, start: tree.start, end: tree.start } as PyNode]))) };
    if (tree.k === 'name' && this.defs.has(tree.id)) {
      const def = this.defs.get(tree.id)!;
      const env: Env = new Map(def.params.map((p) => [p, { k: 'name', id: p, start: tree.start, end: tree.end } as PyNode]));
      return { k: 'lambda', params: def.params, body: this.body(def.body, env, def), start: tree.start, end: tree.end };
    }
    return tree;
  }

  private line(n: { start: number }): number | undefined { return this.module?.lineOf(n.start); }

  /** The expression a block of statements returns. */
  private body(stmts: PyStmt[], env: Env, def: Def): PyNode {
    const scope = new Map(env);
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      const rest = stmts.slice(i + 1);
      switch (s.k) {
        case 'return':
          if (!s.value) throw new InlineError(`${def.name}() returns nothing`, s.line);
          return this.subst(s.value, scope);
        case 'assign':
          if (s.targets.length !== 1 || s.targets[0]!.k !== 'name') throw new InlineError('only assignments to one name are supported', s.line);
          scope.set(s.targets[0]!.id, this.subst(s.value, scope));
          break;
        case 'augassign':
          if (s.target.k !== 'name' || s.op !== '+') throw new InlineError(`'${s.op}=' is not supported`, s.line);
          scope.set(s.target.id, { k: 'bin', op: '+', a: this.subst(s.target, scope), b: this.subst(s.value, scope), start: s.value.start, end: s.value.end });
          break;
        case 'if': {
          const test = this.subst(s.test, scope);
          if (returns(s.body)) {
            const otherwise = returns(s.orelse) ? s.orelse : [...s.orelse, ...rest];
            return { k: 'ifexp', test, then: this.body(s.body, scope, def), else: this.body(otherwise, scope, def), start: s.test.start, end: s.test.end };
          }
          // Branches that only assign: each name becomes `then if test else before`.
          for (const [name, [a, b]] of this.branchAssignments(s.body, s.orelse, scope, s.line)) {
            scope.set(name, { k: 'ifexp', test, then: a, else: b, start: s.test.start, end: s.test.end });
          }
          break;
        }
        case 'try': {
          const tried = s.body.length === 1 && s.body[0]!.k === 'return' ? s.body[0]!.value : undefined;
          const handler = s.handlers.find((h) => h.types.length === 0 || h.types.some((t) => /^(KeyError|Exception|LookupError|BaseException)$/.test(t)));
          if (tried?.k === 'index' && handler) {
            const obj = this.subst(tried.obj, scope);
            const key = this.subst(tried.index, scope);
            const fallback = this.body(handler.body, scope, def);
            return { k: 'call', fn: { k: 'attr', obj, name: 'get', start: tried.start, end: tried.end }, args: [key, fallback], kwargs: {}, start: tried.start, end: tried.end };
          }
          return this.body([...s.body, ...rest], scope, def);
        }
        case 'for': case 'while': case 'with': throw new InlineError(`a '${s.k}' statement cannot be translated into a folder rule`, s.line);
        case 'unparsed': throw new InlineError(`this line could not be read: ${s.error}`, s.line);
        default: break; // pass, print, global, docstrings
      }
    }
    throw new InlineError(`${def.name}() can end without returning a value`, def.line);
  }

  private branchAssignments(a: PyStmt[], b: PyStmt[], scope: Env, line: number): Map<string, [PyNode, PyNode]> {
    const collect = (stmts: PyStmt[]) => {
      const local = new Map(scope);
      for (const s of stmts) {
        if (s.k === 'assign' && s.targets.length === 1 && s.targets[0]!.k === 'name') local.set(s.targets[0]!.id, this.subst(s.value, local));
        else if (s.k !== 'other' && s.k !== 'expr') throw new InlineError('an if/else branch without return may only assign names', line);
      }
      return local;
    };
    const la = collect(a), lb = collect(b);
    const out = new Map<string, [PyNode, PyNode]>();
    for (const name of new Set([...la.keys(), ...lb.keys()])) {
      const x = la.get(name), y = lb.get(name);
      if (x === y) continue;
      if (!x || !y) throw new InlineError(`'${name}' is set in only one branch and has no value before it`, line);
      out.set(name, [x, y]);
    }
    return out;
  }

  /** Puts locals, module constants and inlined calls into an expression. */
  subst(n: PyNode, env: Env): PyNode {
    const r = (x: PyNode) => this.subst(x, env);
    switch (n.k) {
      case 'name': {
        if (env.has(n.id)) return env.get(n.id)!;
        const c = this.consts.get(n.id);
        if (c) return this.guard(n, () => this.constant(this.subst(c, new Map())));
        return n;
      }
      case 'list': return { ...n, items: n.items.map(r) };
      case 'dict': return { ...n, entries: n.entries.map(([k, v]) => [r(k), r(v)]) };
      case 'attr': return { ...n, obj: r(n.obj) };
      case 'index': {
        const obj = r(n.obj), index = r(n.index);
        if (obj.k === 'dict' && index.k !== 'str') return { k: 'call', fn: { k: 'attr', obj, name: 'get', start: n.start, end: n.end }, args: [index, index], kwargs: {}, start: n.start, end: n.end };
        return { ...n, obj, index };
      }
      case 'slice': return { ...n, obj: r(n.obj), ...(n.lo ? { lo: r(n.lo) } : {}), ...(n.hi ? { hi: r(n.hi) } : {}) };
      case 'unary': return { ...n, x: r(n.x) };
      case 'bin': return { ...n, a: r(n.a), b: r(n.b) };
      case 'cmp': {
        const a = r(n.a), b = r(n.b);
        if ((n.op === 'in' || n.op === 'not in') && b.k === 'dict') return { ...n, a, b: { k: 'list', items: b.entries.map(([k]) => k), start: b.start, end: b.end } };
        return { ...n, a, b };
      }
      case 'ifexp': return { ...n, test: r(n.test), then: r(n.then), else: r(n.else) };
      case 'fstr': return { ...n, parts: n.parts.map((p) => (typeof p === 'string' ? p : r(p))) };
      case 'comp': return this.constant({ ...n, iter: r(n.iter) });
      case 'lambda': return n;
      case 'call': {
        const args = n.args.map(r);
        const kwargs = Object.fromEntries(Object.entries(n.kwargs).map(([k, v]) => [k, r(v)]));
        if (n.fn.k === 'name' && !env.has(n.fn.id) && this.defs.has(n.fn.id)) {
          const def = this.defs.get(n.fn.id)!;
          const scope: Env = new Map(def.params.map((p, i) => [p, args[i] ?? kwargs[p] ?? def.defaults[p] ?? (() => { throw new InlineError(`${def.name}() is called without '${p}'`, this.line(n)); })()]));
          return this.guard(n, () => this.body(def.body, scope, def));
        }
        return this.constant({ ...n, fn: r(n.fn), args, kwargs });
      }
      default: return n;
    }
  }

  private guard<T>(n: PyNode, f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new InlineError('the functions and values refer to each other too deeply', this.line(n));
    try { return f(); } finally { this.depth--; }
  }

  /** dict(...) and comprehensions over module dicts, worked out into dict / list literals. */
  private constant(n: PyNode): PyNode {
    const pairs = (x: PyNode): Array<[PyNode, PyNode]> | undefined => {
      if (x.k === 'dict') return x.entries;
      if (x.k === 'list' && x.items.every((i) => i.k === 'list' && i.items.length === 2)) return x.items.map((i) => [(i as { items: PyNode[] }).items[0]!, (i as { items: PyNode[] }).items[1]!]);
      if (x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'items' && x.fn.obj.k === 'dict' && !x.args.length) {
        return x.fn.obj.entries;
      }
      return undefined;
    };
    if (n.k === 'call' && n.fn.k === 'name' && n.fn.id === 'dict') {
      const fromArg = n.args.length === 1 ? (n.args[0]!.k === 'comp' ? this.constant(n.args[0]!) : n.args[0]!) : undefined;
      const entries = fromArg ? pairs(fromArg) : [];
      if (!entries) return n;
      const kw = Object.entries(n.kwargs).map(([k, v]) => [{ k: 'str', v: k, start: v.start, end: v.end } as PyNode, v] as [PyNode, PyNode]);
      return { k: 'dict', entries: [...entries, ...kw], start: n.start, end: n.end };
    }
    if (n.k === 'comp') {
      const rows = pairs(n.iter)?.map(([k, v]) => [k, v]) ?? (n.iter.k === 'list' ? n.iter.items.map((i) => (i.k === 'list' ? i.items : [i])) : undefined);
      if (!rows) return n;
      const out: PyNode[] = [], entries: Array<[PyNode, PyNode]> = [];
      for (const row of rows) {
        const env: Env = new Map(n.targets.map((t, i) => [t, row[i]!]));
        if (n.targets.length !== row.length && n.targets.length !== 1) return n;
        if (n.targets.length === 1 && row.length !== 1) env.set(n.targets[0]!, { k: 'list', items: row, start: n.start, end: n.end });
        if (n.cond) continue; // filtered comprehensions are left as they are (and refused later)
        if (n.kind === 'dict') entries.push([this.subst(n.key!, env), this.subst(n.elt, env)]);
        else out.push(this.subst(n.elt, env));
      }
      if (n.cond) return n;
      return n.kind === 'dict' ? { k: 'dict', entries, start: n.start, end: n.end } : { k: 'list', items: out, start: n.start, end: n.end };
    }
    return n;
  }
}

function returns(stmts: PyStmt[]): boolean {
  const last = stmts.filter((s) => s.k !== 'other' && s.k !== 'expr').at(-1);
  if (!last) return false;
  if (last.k === 'return') return true;
  if (last.k === 'if') return returns(last.body) && returns(last.orelse);
  if (last.k === 'try') return returns(last.body) && last.handlers.every((h) => returns(h.body));
  return false;
}

/** Python-like text of a tree, for messages about inlined code. */
export function unparse(n: PyNode): string {
  const u = unparse;
  switch (n.k) {
    case 'name': return n.id;
    case 'str': return `'${n.v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'num': return String(n.v);
    case 'const': return n.v === null ? 'None' : n.v ? 'True' : 'False';
    case 'list': return `[${n.items.map(u).join(', ')}]`;
    case 'dict': return `{${n.entries.map(([k, v]) => `${u(k)}: ${u(v)}`).join(', ')}}`;
    case 'attr': return `${u(n.obj)}.${n.name}`;
    case 'call': return `${u(n.fn)}(${[...n.args.map(u), ...Object.entries(n.kwargs).map(([k, v]) => `${k}=${u(v)}`)].join(', ')})`;
    case 'index': return `${u(n.obj)}[${u(n.index)}]`;
    case 'slice': return `${u(n.obj)}[${n.lo ? u(n.lo) : ''}:${n.hi ? u(n.hi) : ''}]`;
    case 'unary': return n.op === 'not' ? `not ${u(n.x)}` : `-${u(n.x)}`;
    case 'bin': return `${u(n.a)} ${n.op} ${u(n.b)}`;
    case 'cmp': return `${u(n.a)} ${n.op} ${u(n.b)}`;
    case 'ifexp': return `${u(n.then)} if ${u(n.test)} else ${u(n.else)}`;
    case 'lambda': return `lambda ${n.params.join(', ')}: ${u(n.body)}`;
    case 'fstr': return `f'${n.parts.map((p) => (typeof p === 'string' ? p : `{${u(p)}}`)).join('')}'`;
    case 'comp': return `${n.kind === 'dict' ? '{' : n.kind === 'list' ? '[' : '('}${n.key ? `${u(n.key)}: ` : ''}${u(n.elt)} for ${n.targets.join(', ')} in ${u(n.iter)}${n.cond ? ` if ${u(n.cond)}` : ''}${n.kind === 'dict' ? '}' : n.kind === 'list' ? ']' : ')'}`;
  }
}
