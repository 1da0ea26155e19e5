// Derives the reverse of a remote nametrans (local name -> server name) so that users never
// write a reverse rule by hand: a table from the real server names first, then a symbolic
// inverse of invertible steps (prefix, literal re.sub, replace, map), then the parent's table
// entry plus the leaf, then the name itself; a candidate counts only if the forward rule maps
// it back to the local name. Pure; it never creates or renames anything.

import { applySteps } from './evaluate.js';
import { escapePattern, literalPattern } from './py-regex.js';
import type { NameStep } from './rule-types.js';

/** The inverse pipeline when every step has one (undefined otherwise). */
export function invertSteps(steps: readonly NameStep[]): NameStep[] | undefined {
  const out: NameStep[] = [];
  for (const s of steps) {
    const inv = invertStep(s);
    if (!inv) return undefined;
    out.unshift(inv);
  }
  return out;
}

function invertStep(s: NameStep): NameStep | undefined {
  switch (s.op) {
    case 'addPrefix': return { op: 'sub', pattern: '^' + escapePattern(s.value), replacement: '', count: 1 };
    case 'addSuffix': return { op: 'sub', pattern: escapePattern(s.value) + '$', replacement: '', count: 1 };
    case 'replace': return s.to === '' || s.count !== undefined ? undefined : { op: 'replace', from: s.to, to: s.from };
    case 'map': {
      const values = Object.values(s.table);
      if (new Set(values).size !== values.length) return undefined;
      return { op: 'map', table: Object.fromEntries(Object.entries(s.table).map(([k, v]) => [v, k])) };
    }
    case 'sub': {
      const lit = literalPattern(s.pattern);
      if (!lit || s.ignoreCase || /\\/.test(s.replacement)) return undefined;
      if (lit.anchored) return { op: 'sub', pattern: '^' + escapePattern(s.replacement), replacement: lit.text.replace(/\\/g, '\\\\'), count: 1 };
      if (s.replacement === '') return undefined;
      return { op: 'replace', from: s.replacement, to: lit.text };
    }
    default: return undefined;
  }
}

export interface ReverseContext {
  /** The forward mapping, server name -> local name (nametrans then the separator). */
  forward: (farName: string) => string;
  /** Every server name known (selectable or not), for the table. */
  farNames: readonly string[];
  steps: readonly NameStep[];
  farSep: string;
  nearSep: string;
}

/** A reverse function for local names; undefined result = no server name maps back to it. */
export function deriveReverse(ctx: ReverseContext): (nearName: string) => string | undefined {
  const table = new Map<string, string | null>();
  for (const f of ctx.farNames) {
    const n = ctx.forward(f);
    table.set(n, table.has(n) && table.get(n) !== f ? null : f);
  }
  const inverse = invertSteps(ctx.steps);
  const toFar = (n: string) => n.split(ctx.nearSep).join(ctx.farSep);
  return (near: string) => {
    const hit = table.get(near);
    if (hit) return hit;
    const candidates: string[] = [];
    if (inverse) candidates.push(applySteps(inverse, toFar(near)));
    const cut = near.lastIndexOf(ctx.nearSep);
    if (cut > 0) {
      const parent = table.get(near.slice(0, cut));
      if (parent) candidates.push(parent + ctx.farSep + toFar(near.slice(cut + ctx.nearSep.length)));
    }
    candidates.push(toFar(near));
    return candidates.find((c) => ctx.forward(c) === near);
  };
}
