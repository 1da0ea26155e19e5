// A static reader of the Python that OfflineIMAP configurations call for credentials: it walks a
// *eval expression and the pythonfile functions it calls (parameters bound to the call's literal
// arguments, locals, if/try/with, string formatting) and yields either a plain value or a
// description of where a secret comes from (a command, a file, an environment variable, a
// keyring item, a netrc/authinfo entry). It never runs, imports or evaluates anything: a shape
// it does not know is a StaticError naming the code and the reason.

import os from 'node:os';
import path from 'node:path';
import type { PyModule, PyStmt } from '../rules/py-module.js';
import type { PyNode } from '../rules/py-parser.js';

/** Where a secret comes from; `post` lists what the code does to the text (strip, first line). */
export type Origin =
  | { from: 'command'; argv: string[] }
  | { from: 'shell'; script: string }
  | { from: 'file'; path: string }
  | { from: 'env'; name: string }
  | { from: 'keyring'; attributes: Array<[string, string]> }
  | { from: 'netrc'; file?: string; gpg?: boolean; host: string; user?: string; field: 'password' | 'login' };

export type Val =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'const'; v: boolean | null }
  | { t: 'list'; items: Val[] }
  | { t: 'dict'; entries: Array<[string, Val]> }
  | { t: 'mod'; name: string }
  | { t: 'fn'; def: Extract<PyStmt, { k: 'def' }> }
  | { t: 'secret'; origin: Origin; post: string[]; line: number }
  | { t: 'obj'; kind: 'popen' | 'file' | 'proc' | 'regex' | 'match' | 'netrc'; arg?: Val; extra?: Val };

export class StaticError extends Error {
  constructor(message: string, readonly line?: number) { super(message); }
}

export interface EvalContext {
  module?: PyModule;
  /** Lines of nodes that are not in the pythonfile (the option's own expression). */
  optionLine: number;
  home: string;
}

const MODULES = new Set(['os', 'os.path', 'subprocess', 'keyring', 're', 'commands', 'netrc', 'gnomekeyring', 'shlex', 'sys', 'json', 'getpass', 'string']);
const MAX_DEPTH = 12;

export class StaticReader {
  private readonly globals = new Map<string, PyNode | Extract<PyStmt, { k: 'def' }> | string>();
  private depth = 0;

  constructor(private readonly ctx: EvalContext) {
    for (const s of ctx.module?.body ?? []) {
      if (s.k === 'def') this.globals.set(s.name, s);
      else if (s.k === 'import') for (const n of s.names) this.globals.set(n.alias, n.module);
      else if (s.k === 'assign' && s.targets.length === 1 && s.targets[0]!.k === 'name') this.globals.set(s.targets[0]!.id, s.value);
    }
  }

  lineOf(n: { start: number }, inModule: boolean): number {
    return inModule && this.ctx.module ? this.ctx.module.lineOf(n.start) : this.ctx.optionLine;
  }

  /** Evaluates an option's expression (positions relative to the option, not the pythonfile). */
  evalOption(n: PyNode): Val { return this.eval(n, new Map(), false); }

  /** The function named `name` in the pythonfile, if any. */
  fn(name: string): Extract<PyStmt, { k: 'def' }> | undefined {
    const g = this.globals.get(name);
    return g && typeof g !== 'string' && 'k' in g && g.k === 'def' ? g : undefined;
  }

  private fail(n: { start: number }, inModule: boolean, why: string): never {
    throw new StaticError(why, this.lineOf(n, inModule));
  }

  eval(n: PyNode, locals: Map<string, Val>, m: boolean): Val {
    switch (n.k) {
      case 'str': return { t: 'str', v: n.v };
      case 'num': return { t: 'num', v: n.v };
      case 'const': return { t: 'const', v: n.v };
      case 'list': return { t: 'list', items: n.items.map((i) => this.eval(i, locals, m)) };
      case 'dict': return { t: 'dict', entries: n.entries.map(([k, v]) => [this.text(this.eval(k, locals, m), k, m), this.eval(v, locals, m)]) };
      case 'fstr': return { t: 'str', v: n.parts.map((p) => (typeof p === 'string' ? p : this.text(this.eval(p, locals, m), p, m))).join('') };
      case 'name': return this.name(n, locals, m);
      case 'attr': {
        const obj = this.eval(n.obj, locals, m);
        if (obj.t === 'mod') return { t: 'mod', name: `${obj.name}.${n.name}` };
        if (obj.t === 'obj' && obj.kind === 'proc' && n.name === 'stdout' && obj.arg?.t === 'secret') return obj.arg;
        if (obj.t === 'secret' && n.name === 'secret') return obj; // gnomekeyring item.secret
        return { t: 'mod', name: `${this.describe(obj)}.${n.name}`, ...{ self: obj } } as Val;
      }
      case 'index': {
        const obj = this.eval(n.obj, locals, m), idx = this.eval(n.index, locals, m);
        if (obj.t === 'mod' && obj.name === 'os.environ' && idx.t === 'str') return { t: 'secret', origin: { from: 'env', name: idx.v }, post: [], line: this.lineOf(n, m) };
        if (obj.t === 'list' && idx.t === 'num') return obj.items.at(idx.v) ?? this.fail(n, m, `index ${idx.v} is out of range`);
        if (obj.t === 'dict' && idx.t === 'str') return obj.entries.find(([k]) => k === idx.v)?.[1] ?? this.fail(n, m, `'${idx.v}' is not a key of the dictionary`);
        if (obj.t === 'str' && idx.t === 'num') return { t: 'str', v: [...obj.v].at(idx.v) ?? '' };
        if (obj.t === 'secret' && obj.origin.from === 'keyring' && ((idx.t === 'num' && idx.v === 0) || (idx.t === 'str' && idx.v === 'password'))) return obj;
        if (obj.t === 'obj' && obj.kind === 'netrc' && idx.t === 'num' && (idx.v === 0 || idx.v === 2)) {
          const o = (obj.arg as Extract<Val, { t: 'secret' }>).origin as Extract<Origin, { from: 'netrc' }>;
          return { t: 'secret', origin: { ...o, field: idx.v === 0 ? 'login' : 'password' }, post: [], line: this.lineOf(n, m) };
        }
        if (obj.t === 'secret' && idx.t === 'num' && idx.v === 0 && obj.post.at(-1) === 'lines') return { ...obj, post: [...obj.post.slice(0, -1), 'line0'] };
        return this.fail(n, m, `'${this.describe(obj)}[${this.describe(idx)}]' is not a value Satchel can work out`);
      }
      case 'slice': return this.fail(n, m, 'slices of a secret are not supported');
      case 'bin': {
        if (n.op === 'and' || n.op === 'or') {
          const a = this.truth(this.eval(n.a, locals, m), n.a, m);
          return n.op === 'and' ? (a ? this.eval(n.b, locals, m) : this.eval(n.a, locals, m)) : (a ? this.eval(n.a, locals, m) : this.eval(n.b, locals, m));
        }
        const a = this.eval(n.a, locals, m), b = this.eval(n.b, locals, m);
        if (n.op === '+') {
          if (a.t === 'list' && b.t === 'list') return { t: 'list', items: [...a.items, ...b.items] };
          if (a.t === 'num' && b.t === 'num') return { t: 'num', v: a.v + b.v };
          return { t: 'str', v: this.text(a, n.a, m) + this.text(b, n.b, m) };
        }
        if (n.op === '%') return { t: 'str', v: this.percent(this.text(a, n.a, m), b, n, m) };
        return this.fail(n, m, `the operator '${n.op}' is not supported`);
      }
      case 'cmp': {
        const a = this.eval(n.a, locals, m), b = this.eval(n.b, locals, m);
        const same = (x: Val, y: Val) => JSON.stringify(this.plain(x, n, m)) === JSON.stringify(this.plain(y, n, m));
        const inside = () => (b.t === 'list' ? b.items.some((i) => same(a, i)) : b.t === 'dict' ? b.entries.some(([k]) => a.t === 'str' && k === a.v) : this.text(b, n.b, m).includes(this.text(a, n.a, m)));
        switch (n.op) {
          case '==': case 'is': return { t: 'const', v: same(a, b) };
          case '!=': case 'is not': return { t: 'const', v: !same(a, b) };
          case 'in': return { t: 'const', v: inside() };
          case 'not in': return { t: 'const', v: !inside() };
          default: return this.fail(n, m, `the comparison '${n.op}' is not supported`);
        }
      }
      case 'unary': {
        const x = this.eval(n.x, locals, m);
        if (n.op === 'not') return { t: 'const', v: !this.truth(x, n.x, m) };
        if (x.t === 'num') return { t: 'num', v: -x.v };
        return this.fail(n, m, "'-' needs a number");
      }
      case 'ifexp': return this.truth(this.eval(n.test, locals, m), n.test, m) ? this.eval(n.then, locals, m) : this.eval(n.else, locals, m);
      case 'call': return this.call(n, locals, m);
      case 'comp': {
        const it = this.eval(n.iter, locals, m);
        const rows: Val[][] = it.t === 'list' ? it.items.map((x) => (n.targets.length > 1 && x.t === 'list' ? x.items : [x])) : this.fail(n, m, 'a comprehension over something that is not a list or dict.items()');
        const out: Val[] = [], entries: Array<[string, Val]> = [];
        for (const row of rows) {
          const scope = new Map(locals);
          n.targets.forEach((t, i) => scope.set(t, row[i] ?? { t: 'const', v: null }));
          if (n.cond && !this.truth(this.eval(n.cond, scope, m), n.cond, m)) continue;
          if (n.kind === 'dict') entries.push([this.text(this.eval(n.key!, scope, m), n.key!, m), this.eval(n.elt, scope, m)]);
          else out.push(this.eval(n.elt, scope, m));
        }
        return n.kind === 'dict' ? { t: 'dict', entries } : { t: 'list', items: out };
      }
      case 'lambda': return this.fail(n, m, 'a lambda is not a value Satchel can work out here');
    }
  }

  private name(n: Extract<PyNode, { k: 'name' }>, locals: Map<string, Val>, m: boolean): Val {
    const local = locals.get(n.id);
    if (local) return local;
    const g = this.globals.get(n.id);
    if (typeof g === 'string') return MODULES.has(g) || MODULES.has(g.split('.')[0]!) ? { t: 'mod', name: g } : { t: 'mod', name: g };
    if (g && 'k' in g && g.k === 'def') return { t: 'fn', def: g };
    if (g) {
      if (++this.depth > MAX_DEPTH) this.fail(n, m, 'module values refer to each other too deeply');
      try { return this.eval(g as PyNode, new Map(), true); } finally { this.depth--; }
    }
    if (MODULES.has(n.id)) return { t: 'mod', name: n.id };
    if (['str', 'int', 'open', 'dict', 'list', 'len'].includes(n.id)) return { t: 'mod', name: n.id };
    return this.fail(n, m, `'${n.id}' is not defined${this.ctx.module ? ' in the pythonfile' : ' (no pythonfile is set)'}`);
  }

  private call(n: Extract<PyNode, { k: 'call' }>, locals: Map<string, Val>, m: boolean): Val {
    const fn = this.eval(n.fn, locals, m);
    const args = n.args.map((a) => this.eval(a, locals, m));
    const kw = Object.fromEntries(Object.entries(n.kwargs).map(([k, v]) => [k, this.eval(v, locals, m)]));
    const line = this.lineOf(n, m);
    if (fn.t === 'fn') return this.invoke(fn.def, args, kw, n, m);
    if (fn.t !== 'mod') return this.fail(n, m, `'${this.describe(fn)}' cannot be called`);
    const self = (fn as unknown as { self?: Val }).self;
    const name = fn.name;
    const str = (v: Val | undefined, what: string) => (v ? this.text(v, n, m) : this.fail(n, m, `${what} is missing`));
    const secret = (origin: Origin, post: string[] = []): Val => ({ t: 'secret', origin, post, line });
    const command = (cmd: Val | undefined, shell: boolean): Origin => {
      if (!cmd) return this.fail(n, m, 'the command is missing');
      if (cmd.t === 'list') return { from: 'command', argv: cmd.items.map((i) => this.text(i, n, m)) };
      const s = this.text(cmd, n, m);
      return shell ? { from: 'shell', script: s } : { from: 'command', argv: [s] };
    };
    const shellKw = kw.shell ? this.truth(kw.shell, n, m) : false;
    if (self !== undefined) return this.method(self, fn.name.slice(fn.name.lastIndexOf('.') + 1), args, kw, n, m);
    switch (name) {
      case 'subprocess.check_output': return secret(command(args[0] ?? kw.args, shellKw));
      case 'subprocess.getoutput': case 'commands.getoutput': return secret(command(args[0], true));
      case 'subprocess.run': case 'subprocess.Popen': return { t: 'obj', kind: 'proc', arg: secret(command(args[0] ?? kw.args, shellKw)) };
      case 'os.popen': return { t: 'obj', kind: 'popen', arg: secret(command(args[0], true)) };
      case 'os.getenv': case 'os.environ.get': return secret({ from: 'env', name: str(args[0], 'the variable name') });
      case 'keyring.get_password': return secret({ from: 'keyring', attributes: [['service', str(args[0] ?? kw.service_name, 'the service')], ['username', str(args[1] ?? kw.username, 'the user name')]] });
      case 'gnomekeyring.find_network_password_sync': {
        const attrs = Object.entries(kw).map(([k, v]) => [k, this.text(v, n, m)] as [string, string]);
        ['user', 'domain', 'server', 'object', 'protocol', 'authtype', 'port'].forEach((k, i) => { if (args[i]) attrs.push([k, this.text(args[i]!, n, m)]); });
        return secret({ from: 'keyring', attributes: attrs });
      }
      case 'gnomekeyring.find_items_sync': {
        const d = args[1];
        if (d?.t !== 'dict') return this.fail(n, m, 'find_items_sync needs a dictionary of attributes');
        return { t: 'list', items: [secret({ from: 'keyring', attributes: d.entries.map(([k, v]) => [k, this.text(v, n, m)]) })] };
      }
      case 'netrc.netrc': return { t: 'obj', kind: 'netrc', ...(args[0] ? { arg: { t: 'str', v: this.expand(str(args[0], 'the file')) } } : {}) };
      case 'open': case 'io.open': case 'codecs.open': return { t: 'obj', kind: 'file', arg: { t: 'str', v: this.expand(str(args[0], 'the file name')) } };
      case 'os.path.expanduser': return { t: 'str', v: this.expand(str(args[0], 'the path')) };
      case 'os.path.basename': return { t: 'str', v: path.basename(str(args[0], 'the path')) };
      case 'os.path.dirname': return { t: 'str', v: path.dirname(str(args[0], 'the path')) };
      case 'os.path.join': return { t: 'str', v: path.join(...args.map((a) => this.text(a, n, m))) };
      case 'shlex.split': return { t: 'list', items: splitWords(str(args[0], 'the text')).map((v) => ({ t: 'str', v })) };
      case 're.compile': return { t: 'obj', kind: 'regex', arg: args[0] };
      case 're.search': case 're.match': case 're.findall': return this.regex(args[0], args[1], n, m, name === 're.findall');
      case 'str': return args[0] ?? { t: 'str', v: '' };
      case 'dict': return { t: 'dict', entries: args[0]?.t === 'list' ? args[0].items.map((p) => (p.t === 'list' ? [this.text(p.items[0]!, n, m), p.items[1]!] as [string, Val] : this.fail(n, m, 'dict() needs pairs'))) : Object.entries(kw) };
      case 'list': return args[0]?.t === 'dict' ? { t: 'list', items: args[0].entries.map(([k]) => ({ t: 'str', v: k })) } : args[0] ?? { t: 'list', items: [] };
      case 'len': return args[0]?.t === 'list' ? { t: 'num', v: args[0].items.length } : { t: 'num', v: [...str(args[0], 'the text')].length };
      case 'json.load': case 'json.loads': return this.fail(n, m, 'reading a password out of a JSON file is not supported');
      default: return this.fail(n, m, `${fn.name}() is not a call Satchel can translate`);
    }
  }

  private method(self: Val, meth: string, args: Val[], kw: Record<string, Val>, n: Extract<PyNode, { k: 'call' }>, m: boolean): Val {
    if (self.t === 'secret') {
      const stripArg = args[0] ? this.text(args[0], n, m) : undefined;
      if (['strip', 'rstrip', 'lstrip'].includes(meth) && (stripArg === undefined || /^\s+$/.test(stripArg))) return { ...self, post: [...self.post, 'strip'] };
      if (meth === 'decode' || meth === 'encode') return self;
      if (meth === 'splitlines' || (meth === 'split' && args[0]?.t === 'str' && args[0].v === '\n')) return { ...self, post: [...self.post, 'lines'] };
      if (meth === 'readline') return { ...self, post: [...self.post, 'line0'] };
      if (meth === 'read') return self;
      return this.fail(n, m, `.${meth}() of a password is not supported (only .strip(), .decode(), .splitlines()[0])`);
    }
    if (self.t === 'obj') {
      const inner = self.arg;
      if (self.kind === 'popen' && (meth === 'read' || meth === 'readline') && inner?.t === 'secret') return meth === 'read' ? inner : { ...inner, post: [...inner.post, 'line0'] };
      if (self.kind === 'proc' && meth === 'communicate' && inner) return { t: 'list', items: [inner, { t: 'const', v: null }] };
      if (self.kind === 'file' && inner?.t === 'str' && (meth === 'read' || meth === 'readline' || meth === 'readlines')) {
        const s: Val = { t: 'secret', origin: { from: 'file', path: inner.v }, post: meth === 'read' ? [] : meth === 'readline' ? ['line0'] : ['lines'], line: this.lineOf(n, m) };
        return s;
      }
      if (self.kind === 'regex' && ['search', 'match', 'findall'].includes(meth)) return this.regex(self.arg, args[0], n, m, meth === 'findall');
      if (self.kind === 'match' && meth === 'group') return self.arg!;
      if (self.kind === 'netrc' && meth === 'authenticators') {
        const file = self.arg?.t === 'str' ? self.arg.v : undefined;
        return { t: 'obj', kind: 'netrc', arg: { t: 'secret', origin: { from: 'netrc', ...(file ? { file } : {}), host: this.text(args[0]!, n, m), field: 'password' }, post: [], line: this.lineOf(n, m) } };
      }
    }
    if (self.t === 'str') {
      const s = self.v, a = args.map((x) => this.text(x, n, m));
      switch (meth) {
        case 'strip': return { t: 'str', v: a[0] === undefined ? s.trim() : trimChars(s, a[0], true, true) };
        case 'rstrip': return { t: 'str', v: a[0] === undefined ? s.trimEnd() : trimChars(s, a[0], false, true) };
        case 'lstrip': return { t: 'str', v: a[0] === undefined ? s.trimStart() : trimChars(s, a[0], true, false) };
        case 'lower': return { t: 'str', v: s.toLowerCase() };
        case 'upper': return { t: 'str', v: s.toUpperCase() };
        case 'replace': return { t: 'str', v: s.split(a[0]!).join(a[1]!) };
        case 'format': return { t: 'str', v: s.replace(/\{(\w*)\}/g, (_, k: string, off: number) => this.text((k === '' ? args[indexOfBrace(s, off)] : /^\d+$/.test(k) ? args[+k] : kw[k]) ?? this.fail(n, m, `format field {${k}} has no value`), n, m)) };
        case 'split': return { t: 'list', items: (a[0] === undefined ? s.trim().split(/\s+/) : s.split(a[0])).map((v) => ({ t: 'str', v })) };
        case 'join': return { t: 'str', v: (args[0]?.t === 'list' ? args[0].items : []).map((i) => this.text(i, n, m)).join(s) };
        case 'decode': case 'encode': return self;
        default: return this.fail(n, m, `the string method .${meth}() is not supported`);
      }
    }
    if (self.t === 'dict' && meth === 'get') return self.entries.find(([k]) => args[0]?.t === 'str' && k === args[0].v)?.[1] ?? args[1] ?? { t: 'const', v: null };
    if (self.t === 'dict' && meth === 'items') return { t: 'list', items: self.entries.map(([k, v]) => ({ t: 'list', items: [{ t: 'str', v: k }, v] })) };
    if (self.t === 'mod' && self.name === 'os.environ' && meth === 'get') return { t: 'secret', origin: { from: 'env', name: this.text(args[0]!, n, m) }, post: [], line: this.lineOf(n, m) };
    return this.fail(n, m, `.${meth}() on ${this.describe(self)} is not supported`);
  }

  /** re.search(pattern, text).group(1) over a decrypted ~/.authinfo(.gpg) or ~/.netrc: an authinfo lookup. */
  private regex(pattern: Val | undefined, text: Val | undefined, n: PyNode, m: boolean, findall: boolean): Val {
    if (!pattern || pattern.t !== 'str' || text?.t !== 'secret') return this.fail(n, m, 'a regular expression over something other than a decrypted authinfo/netrc file is not supported');
    const o = text.origin;
    const file = o.from === 'file' ? o.path : o.from === 'command' ? o.argv.find((x) => /authinfo|netrc/.test(x)) : o.from === 'shell' ? /\S*(authinfo|netrc)\S*/.exec(o.script)?.[0] : undefined;
    const gpg = o.from === 'command' ? /(^|\/)gpg2?$/.test(o.argv[0]!) : o.from === 'shell' ? /\bgpg2?\b/.test(o.script) : false;
    const words = pattern.v.replace(/\\s[+*]?/g, ' ').split(/\s+/);
    const after = (w: string) => { const i = words.indexOf(w); const x = i >= 0 ? words[i + 1] : undefined; return x && !/[()[\]*+?|^$]/.test(x.replace(/\\./g, '')) ? x.replace(/\\(.)/g, '$1') : undefined; };
    const host = after('machine');
    const login = after('login') ?? after('user');
    if (!file || !host || !/password\s+\(/.test(pattern.v.replace(/\\s[+*]?/g, ' '))) {
      return this.fail(n, m, 'this regular expression is not a lookup of "machine HOST login USER password (...)" in an authinfo or netrc file');
    }
    const secret: Val = { t: 'secret', origin: { from: 'netrc', file: this.expand(file), gpg, host, ...(login ? { user: login } : {}), field: 'password' }, post: [], line: this.lineOf(n, m) };
    return findall ? { t: 'list', items: [secret] } : { t: 'obj', kind: 'match', arg: secret };
  }

  private invoke(def: Extract<PyStmt, { k: 'def' }>, args: Val[], kw: Record<string, Val>, n: PyNode, m: boolean): Val {
    if (++this.depth > MAX_DEPTH) this.fail(n, m, 'the functions call each other too deeply');
    try {
      const scope = new Map<string, Val>();
      def.params.forEach((p, i) => {
        const v = args[i] ?? kw[p] ?? (def.defaults[p] ? this.eval(def.defaults[p]!, new Map(), true) : undefined);
        if (!v) this.fail(n, m, `${def.name}() needs a value for its parameter '${p}'`);
        scope.set(p, v!);
      });
      const r = this.exec(def.body, scope);
      if (!r) throw new StaticError(`${def.name}() returns nothing Satchel can work out`, def.line);
      return r;
    } finally { this.depth--; }
  }

  /** Runs statements on known values; the returned value, or undefined when the block ends without return. */
  private exec(body: PyStmt[], scope: Map<string, Val>): Val | undefined {
    for (const s of body) {
      switch (s.k) {
        case 'return': return s.value ? this.eval(s.value, scope, true) : { t: 'const', v: null };
        case 'assign': {
          const v = this.eval(s.value, scope, true);
          for (const t of s.targets) this.bind(t, v, scope);
          break;
        }
        case 'augassign': {
          if (s.target.k !== 'name' || s.op !== '+') throw new StaticError(`'${s.op}=' is not supported`, s.line);
          const a = this.eval(s.target, scope, true), b = this.eval(s.value, scope, true);
          scope.set(s.target.id, { t: 'str', v: this.text(a, s.target, true) + this.text(b, s.value, true) });
          break;
        }
        case 'if': {
          const r = this.exec(this.truth(this.eval(s.test, scope, true), s.test, true) ? s.body : s.orelse, scope);
          if (r) return r;
          break;
        }
        case 'try': {
          const r = this.exec(s.body, scope) ?? this.exec(s.orelse, scope);
          if (r) return r;
          break;
        }
        case 'with': {
          for (const it of s.items) { const v = this.eval(it.expr, scope, true); if (it.name) scope.set(it.name, v); }
          const r = this.exec(s.body, scope);
          if (r) return r;
          break;
        }
        case 'for': case 'while': throw new StaticError(`a ${s.k} loop is not something Satchel can translate`, s.line);
        case 'unparsed': throw new StaticError(`this line could not be read: ${s.error}`, s.line);
        case 'def': scope.set(s.name, { t: 'fn', def: s }); break;
        case 'import': for (const x of s.names) scope.set(x.alias, { t: 'mod', name: x.module }); break;
        default: break; // expression statements (print, logging), pass, global
      }
    }
    return undefined;
  }

  private bind(t: PyNode, v: Val, scope: Map<string, Val>): void {
    if (t.k === 'name') { scope.set(t.id, v); return; }
    if (t.k === 'list' && v.t === 'list' && v.items.length === t.items.length) { t.items.forEach((x, i) => this.bind(x, v.items[i]!, scope)); return; }
    throw new StaticError('this assignment is not supported', this.lineOf(t, true));
  }

  private truth(v: Val, n: PyNode, m: boolean): boolean {
    switch (v.t) {
      case 'const': return !!v.v;
      case 'str': return v.v !== '';
      case 'num': return v.v !== 0;
      case 'list': return v.items.length > 0;
      case 'dict': return v.entries.length > 0;
      default: return this.fail(n, m, `the test on ${this.describe(v)} depends on what it returns when it runs`);
    }
  }

  /** A value as text; a secret inside text (e.g. a password pasted into a command) is refused. */
  text(v: Val, n: PyNode, m: boolean): string {
    if (v.t === 'str') return v.v;
    if (v.t === 'num') return String(v.v);
    if (v.t === 'secret' && v.origin.from === 'env') return this.fail(n, m, `the environment variable ${v.origin.name} is used inside another value`);
    return this.fail(n, m, `${this.describe(v)} is not a string Satchel can work out`);
  }

  private plain(v: Val, n: PyNode, m: boolean): unknown {
    if (v.t === 'list') return v.items.map((i) => this.plain(i, n, m));
    if (v.t === 'const') return v.v;
    return this.text(v, n, m);
  }

  private percent(fmt: string, arg: Val, n: PyNode, m: boolean): string {
    const values = arg.t === 'list' ? arg.items : [arg];
    let i = 0;
    return fmt.replace(/%([%sdr])|%\((\w+)\)s/g, (all, c: string | undefined, key: string | undefined) => {
      if (c === '%') return '%';
      if (key !== undefined) return arg.t === 'dict' ? this.text(arg.entries.find(([k]) => k === key)?.[1] ?? this.fail(n, m, `no value for %(${key})s`), n, m) : this.fail(n, m, `${all} needs a dictionary`);
      const v = values[i++];
      return v ? this.text(v, n, m) : this.fail(n, m, 'not enough values for the % format');
    });
  }

  private expand(p: string): string {
    return p === '~' || p.startsWith('~/') ? path.join(this.ctx.home || os.homedir(), p.slice(1)) : p;
  }

  describe(v: Val): string {
    switch (v.t) {
      case 'str': return JSON.stringify(v.v);
      case 'num': return String(v.v);
      case 'mod': return v.name;
      case 'fn': return `${v.def.name}()`;
      case 'secret': return 'a value read when it runs';
      case 'obj': return `a ${v.kind} object`;
      default: return v.t;
    }
  }
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  while (left && a < b && chars.includes(s[a]!)) a++;
  while (right && b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function indexOfBrace(s: string, off: number): number {
  return (s.slice(0, off).match(/\{\}/g) ?? []).length;
}

/** shlex.split for the simple cases: whitespace, 'single' and "double" quotes. */
function splitWords(s: string): string[] {
  return [...s.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((x) => x[1] ?? x[2]?.replace(/\\(.)/g, '$1') ?? x[3]!);
}
