// Value syntax of OfflineIMAP options, as Python reads them: configparser booleans, int() and
// float() numbers, "~" and $VAR expansion of paths, comma lists, Python list literals of
// strings (folderincludes), and the XDG directories. Each parser returns a value or an error
// sentence (the caller adds file:line). It never evaluates code and never reads files.

import os from 'node:os';
import path from 'node:path';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (error: string): Parsed<never> => ({ ok: false, error });

const BOOLEANS: Record<string, boolean> = { '1': true, yes: true, true: true, on: true, '0': false, no: false, false: false, off: false };

/** configparser's getboolean(): yes/no, true/false, on/off, 1/0, any case. */
export function parseBoolean(v: string): Parsed<boolean> {
  const b = BOOLEANS[v.trim().toLowerCase()];
  return b === undefined ? bad(`'${v}' is not a boolean. Use yes or no (also true/false, on/off, 1/0)`) : ok(b);
}

/** Python int(): optional sign, digits, single underscores between digits. */
export function parseInteger(v: string): Parsed<number> {
  const t = v.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return bad(`'${v}' is not a whole number`);
  const n = Number(t.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? ok(n) : bad(`'${v}' is too large`);
}

/** Python float() for finite decimal numbers ("5", "0.5", "2.", ".5", "1e3"). */
export function parseNumber(v: string): Parsed<number> {
  const t = v.trim().replace(/(\d)_(?=\d)/g, '$1');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return bad(`'${v}' is not a number`);
  const n = Number(t);
  return Number.isFinite(n) ? ok(n) : bad(`'${v}' is too large`);
}

/** Comma-separated list, items trimmed, empty items dropped. */
export function parseCommaList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Python os.path.expanduser for "~" and "~/..." ("~user" only for the current user). */
export function expandUser(p: string, home: string): Parsed<string> {
  if (!p.startsWith('~')) return ok(p);
  const slash = p.indexOf('/');
  const user = slash < 0 ? p.slice(1) : p.slice(1, slash);
  const rest = slash < 0 ? '' : p.slice(slash);
  if (user === '') return ok(home.replace(/\/+$/, '') + rest || '/');
  let me = '';
  try { me = os.userInfo().username; } catch { /* no passwd entry */ }
  if (user === me) return ok(home.replace(/\/+$/, '') + rest || '/');
  return bad(`'~${user}' (another user's home) is not supported; write the full path`);
}

/** Python os.path.expandvars: $NAME and ${NAME}; unknown variables are left as written. */
export function expandVars(p: string, env: NodeJS.ProcessEnv): string {
  return p.replace(/\$(\w+|\{[^}]*\})/g, (all, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    const val = env[key];
    return val === undefined ? all : val;
  });
}

/** "~" then $VAR expansion (OfflineIMAP's order), then made absolute against `cwd`. */
export function expandPath(p: string, ctx: { home: string; env: NodeJS.ProcessEnv; cwd: string }): Parsed<string> {
  const u = expandUser(p.trim(), ctx.home);
  if (!u.ok) return u;
  const v = expandVars(u.value, ctx.env);
  if (v === '') return bad('the path is empty');
  return ok(path.resolve(ctx.cwd, v));
}

/** $XDG_STATE_HOME/satchel, or ~/.local/state/satchel (the spec ignores relative XDG values). */
export function defaultStateDir(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state');
  return path.join(base, 'satchel');
}

/**
 * A Python list (or tuple) literal of string literals, e.g. ['INBOX', "Sent Mail"], as used by
 * folderincludes. Anything else (names, calls, expressions) is refused: nothing is evaluated.
 */
export function parsePythonStringList(src: string): Parsed<string[]> {
  const s = src.trim();
  const open = s[0];
  const close = open === '[' ? ']' : open === '(' ? ')' : '';
  if (!close || s[s.length - 1] !== close) return bad('expected a list of quoted folder names, e.g. [\'INBOX\', \'Sent\']');
  const out: string[] = [];
  let i = 1;
  const end = s.length - 1;
  const skipSpace = () => { while (i < end && /\s/.test(s[i]!)) i++; };
  skipSpace();
  while (i < end) {
    let prefix = '';
    while (/[rRuU]/.test(s[i] ?? '') && i < end) prefix += s[i++];
    const q = s[i];
    if (q !== '\'' && q !== '"' || prefix.length > 1) return bad(`only quoted strings are allowed in the list (found '${s.slice(i, i + 20)}'); Satchel never evaluates Python`);
    const raw = /[rR]/.test(prefix);
    i++;
    let item = '';
    while (i < end && s[i] !== q) {
      if (s[i] === '\\' && !raw && i + 1 < end) {
        const n = s[i + 1]!;
        item += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        i += 2;
      } else if (s[i] === '\\' && raw && i + 1 < end) {
        item += s[i]! + s[i + 1]!;
        i += 2;
      } else {
        item += s[i++];
      }
    }
    if (s[i] !== q) return bad('a quoted folder name is not closed');
    i++;
    out.push(item);
    skipSpace();
    if (i < end && s[i] !== ',') return bad(`expected ',' between folder names (found '${s.slice(i, i + 20)}')`);
    i++;
    skipSpace();
  }
  return ok(out);
}

/** Damerau (optimal string alignment) distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate when it is close enough to be a typo (ignoring case, '_' and '-'). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestD) { best = c; bestD = d; }
  }
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  if (bestD <= limit) return best;
  // A name cut short ("sslcacert" for "sslcacertfile") is a typo too.
  return w.length >= 5 ? [...candidates].find((c) => norm(c).startsWith(w)) : undefined;
}
