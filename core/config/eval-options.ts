// Translates OfflineIMAP's remotepasseval / remoteusereval / remotehosteval / remoteporteval
// (and the [general] pythonfile they call) into what Satchel runs safely: a password source
// (command without a shell, `/bin/sh -c` where the source used a shell, file, environment
// variable, Secret Service item by python-keyring's attributes, authinfo/netrc entry) or a plain
// value, each with a line for `satchel --info`. Anything it cannot read stops that account with
// one line naming the option, file:line, the function and what to write instead. Never evaluates.

import fs from 'node:fs';
import { parseModule, type PyModule } from '../rules/py-module.js';
import { parsePython, ParseError, type PyNode } from '../rules/py-parser.js';
import type { PasswordSource } from './model.js';
import { lookupNetrc } from './netrc.js';
import type { OptionReader } from './option-reader.js';
import { StaticError, StaticReader, type Origin, type Val } from './static-eval.js';

export interface PythonFile { path?: string; module?: PyModule; error?: string }

const cache = new WeakMap<OptionReader, PythonFile>();

/** [general] pythonfile, read and parsed once per configuration (never imported or run). */
export function pythonFile(r: OptionReader): PythonFile {
  let pf = cache.get(r);
  if (pf) return pf;
  const p = r.nonEmpty('general', 'pythonfile') !== undefined ? r.path('general', 'pythonfile') : undefined;
  pf = {};
  if (p) {
    pf.path = p;
    try { pf.module = parseModule(fs.readFileSync(p, 'utf8')); } catch (e) { pf.error = `pythonfile ${p} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`; }
  }
  cache.set(r, pf);
  return pf;
}

export type EvalKey = 'remotepasseval' | 'remoteusereval' | 'remotehosteval' | 'remoteporteval';

const INSTEAD: Record<EvalKey, string> = {
  remotepasseval: 'passcmd = pass show mail/NAME (any command that prints the password, run without a shell), or remotepassfile = ~/.mail-password',
  remoteusereval: 'remoteuser = you@example.org',
  remotehosteval: 'remotehost = imap.example.org',
  remoteporteval: 'remoteport = 993',
};

export interface Translated<T> { value: T; origin: string }

/** Reads `key` of section `s`; undefined (and the account stopped, with the reason) when it cannot be translated. */
export function translateEval(r: OptionReader, s: string, key: 'remotepasseval', netrcFiles: string[]): Translated<PasswordSource> | undefined;
export function translateEval(r: OptionReader, s: string, key: Exclude<EvalKey, 'remotepasseval'>, netrcFiles: string[]): Translated<string> | undefined;
export function translateEval(r: OptionReader, s: string, key: EvalKey, netrcFiles: string[]): Translated<PasswordSource | string> | undefined {
  const src = r.str(s, key)!;
  const entry = r.entry(s, key)!;
  const pf = pythonFile(r);
  const written = src.trim().replace(/\s+/g, ' ');
  let called = '';
  const stop = (why: string, suggestion = INSTEAD[key]) => {
    r.stop(s, key, `[${s}] ${key} = ${written} cannot be translated${called}: ${why}. Write instead: ${suggestion}.`);
    return undefined;
  };
  let tree: PyNode;
  try { tree = parsePython(src.trim()); } catch (e) {
    if (e instanceof ParseError) return stop(`${e.message}`);
    throw e;
  }
  const reader = new StaticReader({ module: pf.module, optionLine: entry.line, home: r.ctx.home });
  const fnName = tree.k === 'call' && tree.fn.k === 'name' ? tree.fn.id : undefined;
  const def = fnName ? reader.fn(fnName) : undefined;
  if (def && pf.path) called = ` (it calls ${fnName}() of ${pf.path}:${def.line})`;
  if (fnName && !def && pf.error) return stop(pf.error);
  const at = (line: number | undefined) => (line && pf.path && def ? `${pf.path}:${line}` : `${r.doc.file}:${line ?? entry.line}`);
  let v: Val;
  try { v = reader.evalOption(tree); } catch (e) {
    if (!(e instanceof StaticError)) throw e;
    return stop(`${e.message}${e.line && def ? ` (${pf.path}:${e.line})` : ''}`);
  }
  const from = (line: number | undefined) => `from ${key} ${written}, ${at(line)}`;
  if (key === 'remotepasseval') {
    // A literal password: neither it nor the expression holding it is ever shown.
    if (v.t === 'str') return { value: { kind: 'inline', value: v.v }, origin: `a string written in the Python code (not shown) — from remotepasseval, ${at(undefined)}` };
    if (v.t !== 'secret' || v.origin.from === 'netrc' && v.origin.field !== 'password') return stop(`it gives ${reader.describe(v)}, not a password`);
    const bad = v.post.find((p) => p !== 'strip' && p !== 'line0');
    if (bad) return stop('.splitlines() or .split() without [0] gives a list, not a password', suggestFor(v.origin));
    const mapped = passwordOf(v.origin);
    return { value: mapped, origin: `${describeOrigin(v.origin)} — ${from(v.line)}` };
  }
  // user, host, port: plain values, known when the file is read.
  let value: string | undefined;
  let how = 'written in the Python code';
  if (v.t === 'str' || v.t === 'num') value = String(v.v);
  else if (v.t === 'secret' && v.origin.from === 'env') {
    value = r.ctx.env[v.origin.name];
    how = `environment variable ${v.origin.name}`;
    if (value === undefined || value === '') return stop(`the environment variable ${v.origin.name} is not set`);
  } else if (v.t === 'secret' && v.origin.from === 'netrc' && v.origin.field === 'login' && !v.origin.gpg) {
    value = lookupNetrc(v.origin.file ? [v.origin.file] : netrcFiles, v.origin.host)?.login;
    how = `login of machine ${v.origin.host} in ${v.origin.file ?? '~/.netrc'}`;
    if (value === undefined) return stop(`${v.origin.file ?? '~/.netrc'} has no login for machine ${v.origin.host}`);
  } else {
    return stop(v.t === 'secret' ? `it comes from ${describeOrigin(v.origin)}, which Satchel runs only for passwords` : `it gives ${reader.describe(v)}`);
  }
  if (key === 'remoteporteval' && !/^\d+$/.test(value)) return stop(`it gives '${value}', not a port number`);
  return { value: value.trim(), origin: `${how} — ${from(v.t === 'secret' ? v.line : undefined)}` };
}

/** The password source Satchel runs for an origin. python-keyring's items are looked up by their own attributes. */
function passwordOf(o: Origin): PasswordSource {
  switch (o.from) {
    case 'command': return { kind: 'command', argv: o.argv };
    case 'shell': return { kind: 'command', argv: ['/bin/sh', '-c', o.script] };
    case 'file': return { kind: 'file', path: o.path };
    case 'env': return { kind: 'env', name: o.name };
    case 'keyring': return { kind: 'command', argv: keyringCommand(o.attributes) };
    case 'netrc': return { kind: 'netrc', host: o.host, ...(o.user ? { user: o.user } : {}), ...(o.file ? { file: o.file } : {}) };
  }
}

/**
 * python-keyring stores Secret Service items with the attributes service and username (plus
 * application); keytar looks only for its own (service, account), so the item is looked up as
 * it is with libsecret's secret-tool. On macOS python-keyring uses generic Keychain passwords.
 */
export function keyringCommand(attributes: Array<[string, string]>, platform = process.platform): string[] {
  const service = attributes.find(([k]) => k === 'service')?.[1], user = attributes.find(([k]) => k === 'username')?.[1];
  if (platform === 'darwin' && service !== undefined && user !== undefined) return ['security', 'find-generic-password', '-s', service, '-a', user, '-w'];
  return ['secret-tool', 'lookup', ...attributes.flat()];
}

function quoteWord(w: string): string {
  return /^[\w@%+=:,./~-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export function describeOrigin(o: Origin): string {
  switch (o.from) {
    case 'command': return `command "${o.argv.map(quoteWord).join(' ')}" (first line of its output, run without a shell)`;
    case 'shell': return `shell command "${o.script}" (first line of its output, run by /bin/sh -c as the Python code did)`;
    case 'file': return `file ${o.path} (first line)`;
    case 'env': return `environment variable ${o.name}`;
    case 'keyring': return `Secret Service item ${o.attributes.map(([k, v]) => `${k}="${v}"`).join(' ')} (python-keyring's attributes, looked up with "${keyringCommand(o.attributes).map(quoteWord).join(' ')}")`;
    case 'netrc': return `${o.file ?? '~/.netrc'}${o.gpg || o.file?.endsWith('.gpg') ? ' (decrypted by gpg)' : ''}, machine ${o.host}${o.user ? ` login ${o.user}` : ''}`;
  }
}

function suggestFor(o: Origin): string {
  if (o.from === 'command') return `passcmd = ${o.argv.map(quoteWord).join(' ')}`;
  if (o.from === 'shell') return `passcmd = sh -c '${o.script.replace(/'/g, `'\\''`)} | head -n 1'`;
  return INSTEAD.remotepasseval;
}
