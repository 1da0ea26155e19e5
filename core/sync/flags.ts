// Flag arithmetic on Maildir letter strings ("FS"): differences and the three-way,
// flag-by-flag merge against the last agreed state. Pure; no I/O.

import { normalizeFlags } from '../store/mail-store.js';

export function without(a: string, b: string): string {
  let out = '';
  for (const c of a) if (!b.includes(c)) out += c;
  return out;
}

export function intersect(a: string, b: string): string {
  let out = '';
  for (const c of a) if (b.includes(c)) out += c;
  return normalizeFlags(out);
}

export function union(a: string, b: string): string {
  return normalizeFlags(a + b);
}

/**
 * Three-way merge of one message's flags, flag by flag: a flag that changed on one side
 * since the agreed state takes that side's value; one that changed on both sides changed
 * the same way (a flag has only two values), so the result is well defined.
 */
export function mergeFlags(base: string, far: string, near: string): string {
  const farAdded = without(far, base), farRemoved = without(base, far);
  const nearAdded = without(near, base), nearRemoved = without(base, near);
  return normalizeFlags(without(base, farRemoved + nearRemoved) + farAdded + nearAdded);
}

/** The change that turns `from` into `to`, or null when they are equal. */
export function flagDelta(from: string, to: string): { add: string; remove: string } | null {
  const add = without(to, from), remove = without(from, to);
  return add || remove ? { add, remove } : null;
}
