// Runs folder rules (rule-types.ts) on folder names: a filter gives true (sync the folder) or
// false, a nametrans pipeline gives the translated name. Python semantics where OfflineIMAP
// users rely on them (slices by code point, re.sub counts, `in` on a string). Pure; never
// evaluates code. checkRule() reports a pattern that cannot be translated, before any use.

import { pySub, translatePattern, parseTemplate, type PyRegex } from './py-regex.js';
import type { FilterRule, NameStep } from './rule-types.js';

const cache = new Map<string, PyRegex>();
function regex(pattern: string, ignoreCase?: boolean): PyRegex {
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  let r = cache.get(key);
  if (!r) { r = translatePattern(pattern, ignoreCase); cache.set(key, r); }
  return r;
}

export function applySteps(steps: readonly NameStep[] | undefined, name: string): string {
  let n = name;
  for (const s of steps ?? []) n = applyStep(s, n);
  return n;
}

function applyStep(s: NameStep, n: string): string {
  switch (s.op) {
    case 'lower': return n.toLowerCase();
    case 'upper': return n.toUpperCase();
    case 'capitalize': { const [first = '', ...rest] = Array.from(n); return first.toUpperCase() + rest.join('').toLowerCase(); }
    case 'replace': {
      if (s.count === undefined || s.count < 0) return n.split(s.from).join(s.to);
      let out = n;
      let at = 0;
      for (let i = 0; i < s.count; i++) {
        const k = out.indexOf(s.from, at);
        if (k < 0) break;
        out = out.slice(0, k) + s.to + out.slice(k + s.from.length);
        at = k + s.to.length;
      }
      return out;
    }
    case 'sub': return pySub(regex(s.pattern, s.ignoreCase), s.replacement, n, s.count ?? 0);
    case 'addPrefix': return s.value + n;
    case 'addSuffix': return n + s.value;
    case 'slice': {
      const cps = Array.from(n);
      return cps.slice(s.start ?? 0, s.end ?? cps.length).join('');
    }
    case 'map': return Object.prototype.hasOwnProperty.call(s.table, n) ? s.table[n]! : n;
    case 'set': return s.value;
    case 'if': return applySteps(matches(s.test, n) ? s.then : s.else, n);
  }
}

export function matches(rule: FilterRule, name: string): boolean {
  switch (rule.op) {
    case 'all': return rule.of.every((r) => matches(r, name));
    case 'any': return rule.of.some((r) => matches(r, name));
    case 'not': return !matches(rule.of, name);
    case 'const': return rule.value;
    default: break;
  }
  const n = applySteps(rule.apply, name);
  switch (rule.op) {
    case 'in': return rule.values.includes(n);
    case 'equals': return n === rule.value;
    case 'substringOf': return rule.value.includes(n);
    case 'contains': return n.includes(rule.value);
    case 'startsWith': return rule.values.some((v) => n.startsWith(v));
    case 'endsWith': return rule.values.some((v) => n.endsWith(v));
    case 'regex': {
      const r = regex(rule.pattern, rule.ignoreCase);
      const src = rule.mode === 'search' ? r.source : rule.mode === 'match' ? `^(?:${r.source})` : `^(?:${r.source})$`;
      // Python's match/fullmatch anchor at the string start even in multiline mode.
      const rx = new RegExp(rule.mode === 'search' ? src : src.replace(/^\^/, '(?<![\\s\\S])').replace(/\$$/, '(?![\\s\\S])'), r.flags);
      return rx.test(n);
    }
  }
}

/** Throws (RegexError) when a pattern or replacement of the rule cannot be translated. */
export function checkSteps(steps: readonly NameStep[]): void {
  for (const s of steps) {
    if (s.op === 'sub') { regex(s.pattern, s.ignoreCase); parseTemplate(s.replacement); }
    if (s.op === 'if') { checkFilter(s.test); checkSteps(s.then); checkSteps(s.else); }
  }
}

export function checkFilter(rule: FilterRule): void {
  if (rule.op === 'all' || rule.op === 'any') rule.of.forEach(checkFilter);
  else if (rule.op === 'not') checkFilter(rule.of);
  else if (rule.op !== 'const') {
    if (rule.apply) checkSteps(rule.apply);
    if (rule.op === 'regex') regex(rule.pattern, rule.ignoreCase);
  }
}
