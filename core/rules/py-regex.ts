// Python `re` syntax on top of JavaScript RegExp: translates a pattern where the two differ
// ((?P<n>...), (?P=n), leading (?i)/(?s)/(?m), \A, \Z) and refuses what has no safe equivalent
// (verbose mode, scoped flags, conditionals, atomic groups); expands re.sub replacement
// templates (\1, \g<1>, \g<name>). It never builds a RegExp from unchecked text without try.

export interface PyRegex { source: string; flags: string }

export class RegexError extends Error {}

/** Translates a Python pattern; throws RegexError saying what cannot be translated. */
export function translatePattern(py: string, ignoreCase = false): PyRegex {
  let flags = ignoreCase ? 'i' : '';
  let s = py;
  const lead = /^\(\?([aiLmsux]+)\)/.exec(s);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'x') throw new RegexError('verbose mode (?x) is not supported; write the pattern on one line without (?x)');
      if (f === 'L') throw new RegexError('locale mode (?L) is not supported');
      if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    }
    s = s.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) throw new RegexError('the pattern ends with a lone backslash');
      i++;
      if (!inClass && n === 'A') { out += '(?<![\\s\\S])'; continue; }
      if (!inClass && n === 'Z') { out += '(?![\\s\\S])'; continue; }
      out += '\\' + n;
      continue;
    }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; if (s[i + 1] === '^') { out += '^'; i++; } if (s[i + 1] === ']') { out += '\\]'; i++; } continue; }
    if (c === '(' && s[i + 1] === '?') {
      const rest = s.slice(i + 2);
      const named = /^P<(\w+)>/.exec(rest);
      if (named) { out += `(?<${named[1]}>`; i += 1 + named[0].length; continue; }
      const ref = /^P=(\w+)\)/.exec(rest);
      if (ref) { out += `\\k<${ref[1]}>`; i += 1 + ref[0].length; continue; }
      if (/^[:=!]|^<[=!]|^<\w+>/.test(rest)) { out += c; continue; }
      if (rest.startsWith('#')) throw new RegexError('comments (?#...) are not supported');
      if (rest.startsWith('(')) throw new RegexError('conditional groups (?(...)...) are not supported');
      if (rest.startsWith('>')) throw new RegexError('atomic groups (?>...) are not supported');
      throw new RegexError('inline flags are only supported at the very start of the pattern, e.g. (?i)');
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && s[i + 1] === '+') throw new RegexError('possessive quantifiers (*+, ++) are not supported');
    out += c;
  }
  try {
    new RegExp(out, flags);
  } catch (e) {
    throw new RegexError(`it is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
  return { source: out, flags };
}

type Part = string | { group: number | string };

/** Parses a re.sub replacement template; throws RegexError on escapes Python rejects. */
export function parseTemplate(t: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', f: '\f', v: '\v', b: '\b', '\\': '\\' };
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c !== '\\') { lit += c; continue; }
    const n = t[i + 1];
    if (n === undefined) throw new RegexError('the replacement ends with a lone backslash');
    i++;
    if (n === 'g') {
      const m = /^<(\w+)>/.exec(t.slice(i + 1));
      if (!m) throw new RegexError('\\g must be followed by <number> or <name> in the replacement');
      if (lit) parts.push(lit), lit = '';
      parts.push({ group: /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]! });
      i += m[0].length;
    } else if (/[0-9]/.test(n)) {
      const m = /^[0-9]{1,2}/.exec(t.slice(i))![0];
      if (lit) parts.push(lit), lit = '';
      parts.push({ group: Number(m) });
      i += m.length - 1;
    } else if (n in simple) {
      lit += simple[n];
    } else if (/[A-Za-z]/.test(n)) {
      throw new RegexError(`bad escape \\${n} in the replacement`);
    } else {
      lit += '\\' + n;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

/** Python re.sub(pattern, template, name, count) with an already translated pattern. */
export function pySub(re: PyRegex, template: string, name: string, count = 0): string {
  const parts = parseTemplate(template);
  const rx = new RegExp(re.source, re.flags + 'g');
  let out = '';
  let last = 0;
  let n = 0;
  for (let m = rx.exec(name); m && (count === 0 || n < count); m = rx.exec(name)) {
    out += name.slice(last, m.index);
    for (const p of parts) {
      if (typeof p === 'string') { out += p; continue; }
      const g = typeof p.group === 'number' ? m[p.group] : m.groups?.[p.group];
      if (typeof p.group === 'number' && p.group >= m.length) throw new RegexError(`the replacement refers to group ${p.group}, which the pattern does not have`);
      out += g ?? '';
    }
    last = m.index + m[0].length;
    n++;
    if (m[0] === '') rx.lastIndex++;
  }
  return out + name.slice(last);
}

/** Anchored/literal shape of a pattern, for inverse derivation: undefined when not literal. */
export function literalPattern(py: string): { anchored: boolean; text: string } | undefined {
  const anchored = py.startsWith('^');
  const body = anchored ? py.slice(1) : py;
  let text = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const n = body[++i];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      text += n;
    } else if ('.^$*+?{}[]()|'.includes(c)) {
      return undefined;
    } else text += c;
  }
  return { anchored, text };
}

export function escapePattern(s: string): string {
  return s.replace(/[.^$*+?{}[\]()|\\]/g, '\\$&');
}
