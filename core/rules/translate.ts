// Translates the Python lambda idioms of OfflineIMAP folder options into rule data
// (rule-types.ts): folderfilter -> FilterRule, nametrans -> NameStep[], foldersort -> SortRule.
// It walks the syntax tree of py-parser.ts and accepts only known shapes; anything else is a
// TranslateError with the reason and a suggestion. It never evaluates anything.

import { checkFilter, checkSteps } from './evaluate.js';
import { parsePython, ParseError, type PyNode } from './py-parser.js';
import { RegexError } from './py-regex.js';
import type { FilterRule, NameStep, SortRule } from './rule-types.js';

export type RuleKind = 'folderfilter' | 'nametrans' | 'foldersort';

export class TranslateError extends Error {
  constructor(readonly why: string, readonly suggestion: string) { super(`${why}. ${suggestion}`); }
}

const SUGGEST: Record<RuleKind, string> = {
  folderfilter: "Write it with in / not in lists, ==, re.search, re.match, startswith, endswith, and / or / not, e.g. lambda folder: folder not in ['Trash', 'Spam']",
  nametrans: "Write it with re.sub, .replace, .lower(), slices, + and 'A if test else B' on the folder name, e.g. lambda folder: re.sub('^INBOX\\.', '', folder)",
  foldersort: 'Supported: lambda x, y: cmp(x, y) (by name), lambda x, y: -cmp(x, y) (reversed), lambda f: f or lambda f: f.lower(); or remove foldersort (INBOX is synced first, then by name)',
};

class Bad extends Error {}
type CallNode = Extract<PyNode, { k: 'call' }>;

export function translateFilter(src: string): FilterRule { return translate(src, 'folderfilter') as FilterRule; }
export function translateNametrans(src: string): NameStep[] { return translate(src, 'nametrans') as NameStep[]; }
export function translateSort(src: string): SortRule { return translate(src, 'foldersort') as SortRule; }

function translate(src: string, kind: RuleKind): FilterRule | NameStep[] | SortRule {
  let tree: PyNode;
  try {
    tree = parsePython(src);
  } catch (e) {
    if (e instanceof ParseError) throw new TranslateError(`${e.message} (at "${src.slice(e.pos, e.pos + 20).trim()}")`, SUGGEST[kind]);
    throw e;
  }
  return translateTree(tree, kind, (n: PyNode) => src.slice(n.start, n.end).replace(/\s+/g, ' '));
}

/** Translates a parsed expression (e.g. a pythonfile function inlined into a lambda); `text` shows a node in messages. */
export function translateTree(tree: PyNode, kind: 'folderfilter', text: (n: PyNode) => string): FilterRule;
export function translateTree(tree: PyNode, kind: 'nametrans', text: (n: PyNode) => string): NameStep[];
export function translateTree(tree: PyNode, kind: 'foldersort', text: (n: PyNode) => string): SortRule;
export function translateTree(tree: PyNode, kind: RuleKind, text: (n: PyNode) => string): FilterRule | NameStep[] | SortRule;
export function translateTree(tree: PyNode, kind: RuleKind, text: (n: PyNode) => string): FilterRule | NameStep[] | SortRule {
  try {
    if (tree.k !== 'lambda') {
      if (tree.k === 'name' || tree.k === 'attr') throw new Bad(`'${text(tree)}' names a function (from pythonfile?), which Satchel cannot run; write the rule as a lambda`);
      throw new Bad('expected a lambda, e.g. lambda folder: ...');
    }
    const t = new Translator(tree.params, text);
    if (kind === 'foldersort') return t.sort(tree.body);
    if (tree.params.length !== 1) throw new Bad(`the lambda must take one folder name, not ${tree.params.length} parameters`);
    if (kind === 'folderfilter') { const f = t.filter(tree.body); checkFilter(f); return f; }
    const steps = t.pipe(tree.body);
    checkSteps(steps);
    return steps;
  } catch (e) {
    if (e instanceof Bad || e instanceof RegexError) throw new TranslateError(e instanceof RegexError ? `a regular expression cannot be used: ${e.message}` : e.message, SUGGEST[kind]);
    throw e;
  }
}

class Translator {
  constructor(readonly params: string[], readonly text: (n: PyNode) => string) {}

  private isVar(n: PyNode): boolean { return n.k === 'name' && n.id === this.params[0]; }
  private unsupported(n: PyNode): never {
    if (n.k === 'call' && (n.fn.k === 'name' || (n.fn.k === 'attr' && n.fn.obj.k === 'name' && !this.params.includes(n.fn.obj.id)))) {
      throw new Bad(`the function ${this.text(n.fn)}() is not supported`);
    }
    if (n.k === 'index') throw new Bad(`'${this.text(n)}': indexing is not supported (slices like name[6:] are)`);
    if (n.k === 'name' && !this.params.includes(n.id)) throw new Bad(`'${n.id}' is not known here (only the lambda's parameter '${this.params[0]}' can be used)`);
    throw new Bad(`'${this.text(n)}' is not supported`);
  }
  private str(n: PyNode): string {
    if (n.k === 'str') return n.v;
    if (n.k === 'bin' && n.op === '+') return this.str(n.a) + this.str(n.b);
    throw new Bad(`'${this.text(n)}' must be a quoted string`);
  }
  private int(n: PyNode): number {
    if (n.k === 'num') return n.v;
    if (n.k === 'unary' && n.op === '-' && n.x.k === 'num') return -n.x.v;
    throw new Bad(`'${this.text(n)}' must be a whole number`);
  }
  private strList(n: PyNode): string[] {
    if (n.k === 'list') return n.items.map((i) => this.str(i));
    if (n.k === 'bin' && n.op === '+' && n.a.k === 'list') return [...this.strList(n.a), ...this.strList(n.b)];
    throw new Bad(`'${this.text(n)}' must be a list of quoted strings`);
  }
  private isStr(n: PyNode): boolean { try { this.str(n); return true; } catch { return false; } }

  /** re.X function call: the function name ('sub', 'search', ...) or undefined. */
  private reCall(n: PyNode): string | undefined {
    return n.k === 'call' && n.fn.k === 'attr' && n.fn.obj.k === 'name' && n.fn.obj.id === 're' ? n.fn.name : undefined;
  }
  /** re.compile(p[, flags]).method(args) read as re.method(p, args, flags=...). */
  private uncompile(n: CallNode): CallNode {
    if (n.fn.k !== 'attr' || this.reCall(n.fn.obj) !== 'compile') return n;
    const compile = n.fn.obj as CallNode;
    if (compile.args.length < 1 || compile.args.length > 2) throw new Bad(`re.compile needs a pattern: '${this.text(compile)}'`);
    const flags = compile.args[1] ?? compile.kwargs.flags;
    const reName: PyNode = { k: 'name', id: 're', start: n.start, end: n.start };
    return { ...n, fn: { k: 'attr', obj: reName, name: n.fn.name, start: n.start, end: n.end }, args: [compile.args[0]!, ...n.args],
      kwargs: { ...n.kwargs, ...(flags ? { flags } : {}) } };
  }
  private flags(n: PyNode | undefined): boolean {
    if (!n) return false;
    if (n.k === 'num' && n.v === 0) return false;
    const names: string[] = [];
    const walk = (x: PyNode): void => {
      if (x.k === 'bin' && x.op === '|') { walk(x.a); walk(x.b); return; }
      if (x.k === 'attr' && x.obj.k === 'name' && x.obj.id === 're') { names.push(x.name); return; }
      throw new Bad(`'${this.text(n)}' must be re.I (re.IGNORECASE) or 0`);
    };
    walk(n);
    const bad = names.find((f) => f !== 'I' && f !== 'IGNORECASE');
    if (bad) throw new Bad(`the regex flag re.${bad} is not supported (only re.I); put (?s) or (?m) at the start of the pattern instead`);
    return names.length > 0;
  }

  pipe(n: PyNode): NameStep[] {
    if (this.isVar(n)) return [];
    // f'INBOX.{name}' is 'INBOX.' + name
    if (n.k === 'fstr') {
      const parts = n.parts.map((p): PyNode => (typeof p === 'string' ? { k: 'str', v: p, start: n.start, end: n.end } : p));
      return this.pipe(parts.reduce((a, b) => ({ k: 'bin', op: '+', a, b, start: n.start, end: n.end })));
    }
    if (n.k === 'str') return [{ op: 'set', value: n.v }];
    if (n.k === 'bin' && n.op === '+') {
      if (this.isStr(n.a) && this.isStr(n.b)) return [{ op: 'set', value: this.str(n) }];
      if (this.isStr(n.a)) return [...this.pipe(n.b), { op: 'addPrefix', value: this.str(n.a) }];
      if (this.isStr(n.b)) return [...this.pipe(n.a), { op: 'addSuffix', value: this.str(n.b) }];
      throw new Bad(`'${this.text(n)}' joins two computed names; only a quoted prefix or suffix can be added`);
    }
    if (n.k === 'slice') {
      return [...this.pipe(n.obj), { op: 'slice', ...(n.lo ? { start: this.int(n.lo) } : {}), ...(n.hi ? { end: this.int(n.hi) } : {}) }];
    }
    if (n.k === 'ifexp') return [{ op: 'if', test: this.filter(n.test), then: this.pipe(n.then), else: this.pipe(n.else) }];
    // The old `test and A or B` conditional (B also when A is empty, which no folder name is).
    if (n.k === 'bin' && n.op === 'or' && n.a.k === 'bin' && n.a.op === 'and') {
      return [{ op: 'if', test: this.filter(n.a.a), then: this.pipe(n.a.b), else: this.pipe(n.b) }];
    }
    if (n.k === 'call') {
      n = this.uncompile(n);
      const re = this.reCall(n);
      if (re === 'sub') {
        const a = n.args;
        if (a.length < 3 || a.length > 5) throw new Bad(`re.sub needs a pattern, a replacement and the name: '${this.text(n)}'`);
        const count = a[3] ?? n.kwargs.count;
        const ignoreCase = this.flags(a[4] ?? n.kwargs.flags);
        if (a[1]!.k === 'lambda') throw new Bad('a function as the re.sub replacement is not supported');
        return [...this.pipe(a[2]!), { op: 'sub', pattern: this.str(a[0]!), replacement: this.str(a[1]!),
          ...(count && this.int(count) ? { count: this.int(count) } : {}), ...(ignoreCase ? { ignoreCase } : {}) }];
      }
      if (re) throw new Bad(`re.${re}() does not give a folder name here (nametrans can use re.sub)`);
      if (n.fn.k === 'attr' && !(n.fn.obj.k === 'name' && !this.isVar(n.fn.obj))) {
        const obj = n.fn.obj, m = n.fn.name, a = n.args;
        if ((m === 'lower' || m === 'upper' || m === 'casefold') && a.length === 0) return [...this.pipe(obj), { op: m === 'upper' ? 'upper' : 'lower' }];
        if (m === 'capitalize' && a.length === 0) return [...this.pipe(obj), { op: 'capitalize' }];
        // Python 2's name.decode('imap4-utf-7').encode('utf-8') (what utf8foldernames does): Satchel's
        // names are already decoded from modified UTF-7, so the step changes nothing.
        if ((m === 'decode' || m === 'encode') && a.length <= 1 && (a.length === 0 || /^(imap4-utf-7|utf-?7|utf-?8)$/i.test(this.str(a[0]!)))) return this.pipe(obj);
        if (m === 'replace' && (a.length === 2 || a.length === 3)) {
          const from = this.str(a[0]!);
          if (from === '') throw new Bad(`'${this.text(n)}' replaces an empty string`);
          return [...this.pipe(obj), { op: 'replace', from, to: this.str(a[1]!), ...(a[2] ? { count: this.int(a[2]) } : {}) }];
        }
        if (m === 'get' && obj.k === 'dict' && a.length === 2 && this.text(a[0]!) === this.text(a[1]!)) {
          const table: Record<string, string> = {};
          for (const [k, v] of obj.entries) table[this.str(k)] = this.str(v);
          return [...this.pipe(a[0]!), { op: 'map', table }];
        }
        if (m === 'get' && obj.k === 'dict') throw new Bad(`'${this.text(n)}' must give the name itself as the default, e.g. {...}.get(folder, folder)`);
        throw new Bad(`the method .${m}() is not supported in nametrans`);
      }
    }
    return this.unsupported(n);
  }

  filter(n: PyNode): FilterRule {
    if (n.k === 'bin' && (n.op === 'and' || n.op === 'or')) {
      const op = n.op === 'and' ? 'all' : 'any';
      const parts = [this.filter(n.a), this.filter(n.b)].flatMap((r) => (r.op === op ? r.of : [r]));
      return { op, of: parts };
    }
    if (n.k === 'unary' && n.op === 'not') return { op: 'not', of: this.filter(n.x) };
    if (n.k === 'const' && n.v !== null) return { op: 'const', value: n.v };
    if (n.k === 'num' && (n.v === 0 || n.v === 1)) return { op: 'const', value: n.v === 1 };
    if (n.k === 'ifexp') {
      const c = this.filter(n.test);
      return { op: 'any', of: [{ op: 'all', of: [c, this.filter(n.then)] }, { op: 'all', of: [{ op: 'not', of: c }, this.filter(n.else)] }] };
    }
    if (n.k === 'cmp') {
      const neg = (r: FilterRule, yes: boolean): FilterRule => (yes ? { op: 'not', of: r } : r);
      if (n.op === 'in' || n.op === 'not in') {
        const not = n.op === 'not in';
        if (n.b.k === 'list' || (n.b.k === 'bin' && n.b.op === '+' && n.b.a.k === 'list')) return neg(this.leaf({ op: 'in', values: this.strList(n.b) }, n.a), not);
        if (this.isStr(n.b)) return neg(this.leaf({ op: 'substringOf', value: this.str(n.b) }, n.a), not);
        if (this.isStr(n.a)) return neg(this.leaf({ op: 'contains', value: this.str(n.a) }, n.b), not);
        throw new Bad(`'${this.text(n)}': the right side of 'in' must be a list of quoted names or a quoted string`);
      }
      const lenOf = (x: PyNode) => (x.k === 'call' && x.fn.k === 'name' && x.fn.id === 'len' && x.args.length === 1 ? x.args[0]! : undefined);
      const zero = (x: PyNode) => x.k === 'num' && x.v === 0;
      if (lenOf(n.a) && zero(n.b) && ['==', '!=', '>'].includes(n.op)) return neg(this.leaf({ op: 'equals', value: '' }, lenOf(n.a)!), n.op !== '==');
      if (n.op === '==' || n.op === '!=') {
        const [c, e] = this.isStr(n.b) ? [n.b, n.a] : this.isStr(n.a) ? [n.a, n.b] : [undefined, undefined];
        if (!c || !e) throw new Bad(`'${this.text(n)}' must compare the name with a quoted string`);
        return neg(this.leaf({ op: 'equals', value: this.str(c) }, e), n.op === '!=');
      }
      if ((n.op === 'is' || n.op === 'is not') && n.b.k === 'const' && n.b.v === null && this.reCall(n.a)) {
        return neg(this.filter(n.a), n.op === 'is');
      }
      throw new Bad(`the comparison '${n.op}' in '${this.text(n)}' is not supported`);
    }
    if (n.k === 'call') {
      n = this.uncompile(n);
      const re = this.reCall(n);
      if (re === 'search' || re === 'match' || re === 'fullmatch') {
        if (n.args.length < 2 || n.args.length > 3) throw new Bad(`re.${re} needs a pattern and the name: '${this.text(n)}'`);
        const ignoreCase = this.flags(n.args[2] ?? n.kwargs.flags);
        return this.leaf({ op: 'regex', mode: re, pattern: this.str(n.args[0]!), ...(ignoreCase ? { ignoreCase } : {}) }, n.args[1]!);
      }
      if (n.fn.k === 'name' && n.fn.id === 'bool' && n.args.length === 1) return this.filter(n.args[0]!);
      if (n.fn.k === 'attr' && (n.fn.name === 'startswith' || n.fn.name === 'endswith') && n.args.length === 1) {
        const a = n.args[0]!;
        const values = a.k === 'list' ? this.strList(a) : [this.str(a)];
        return this.leaf({ op: n.fn.name === 'startswith' ? 'startsWith' : 'endsWith', values }, n.fn.obj);
      }
    }
    if (this.isVar(n) || n.k === 'call' || n.k === 'slice' || (n.k === 'bin' && n.op === '+')) {
      throw new Bad(`'${this.text(n)}' is a name, not a yes/no test`);
    }
    return this.unsupported(n);
  }

  private leaf<T extends FilterRule>(rule: T, subject: PyNode): FilterRule {
    const apply = this.pipe(subject);
    if (apply.some((s) => s.op === 'set')) throw new Bad(`'${this.text(subject)}' must be the folder name (possibly changed by .lower(), re.sub, ...)`);
    return apply.length ? ({ ...rule, apply } as FilterRule) : rule;
  }

  sort(n: PyNode): SortRule {
    const [x, y] = this.params;
    const isName = (v: PyNode, id: string | undefined) => v.k === 'name' && v.id === id;
    const lower = (v: PyNode, id: string | undefined) => v.k === 'call' && v.fn.k === 'attr' && v.fn.name === 'lower' && v.args.length === 0 && isName(v.fn.obj, id);
    if (this.params.length === 1) {
      if (isName(n, x)) return { op: 'name' };
      if (lower(n, x)) return { op: 'name', ignoreCase: true };
      throw new Bad(`the sort key '${this.text(n)}' is not supported`);
    }
    if (this.params.length !== 2) throw new Bad('foldersort must take two folders (a cmp function) or one (a key function)');
    let negate = false;
    let body = n;
    if (body.k === 'unary' && body.op === '-') { negate = true; body = body.x; }
    if (body.k === 'call' && body.fn.k === 'name' && body.fn.id === 'cmp' && body.args.length === 2) {
      const [a, b] = body.args as [PyNode, PyNode];
      const plain = isName(a, x) && isName(b, y), swapped = isName(a, y) && isName(b, x);
      const lowPlain = lower(a, x) && lower(b, y), lowSwapped = lower(a, y) && lower(b, x);
      if (plain || swapped || lowPlain || lowSwapped) {
        const descending = (swapped || lowSwapped) !== negate;
        return { op: 'name', ...(descending ? { descending } : {}), ...(lowPlain || lowSwapped ? { ignoreCase: true } : {}) };
      }
    }
    throw new Bad(`the comparison '${this.text(n)}' is not supported`);
  }
}
