// Compiles the folder options of one repository (folderfilter, nametrans, foldersort as
// written in the config file) into rule data, collecting a config message per option that
// cannot be translated: `cannot translate nametrans "<expr>": <why>. <suggestion>` (the
// loader adds file:line). Also checks the shape of rule data stored by the GUI. Never evaluates.

import { checkFilter, checkSteps } from './evaluate.js';
import type { FilterRule, NameStep, RepositoryRules, SortRule } from './rule-types.js';
import { translateFilter, translateNametrans, translateSort, TranslateError, type RuleKind } from './translate.js';

export interface RuleSources { folderfilter?: string; nametrans?: string; foldersort?: string }

export function compileRules(src: RuleSources): { rules: RepositoryRules; problems: Array<{ key: RuleKind; message: string }> } {
  const rules: RepositoryRules = {};
  const problems: Array<{ key: RuleKind; message: string }> = [];
  const run = <T>(key: RuleKind, text: string | undefined, f: (s: string) => T, set: (v: T) => void) => {
    if (text === undefined) return;
    try {
      set(f(text));
    } catch (e) {
      if (!(e instanceof TranslateError)) throw e;
      problems.push({ key, message: `cannot translate ${key} "${oneLine(text)}": ${e.why}. ${e.suggestion}.` });
    }
  };
  run('folderfilter', src.folderfilter, translateFilter, (v) => { rules.folderfilter = v; });
  run('nametrans', src.nametrans, translateNametrans, (v) => { rules.nametrans = v; });
  run('foldersort', src.foldersort, translateSort, (v) => { rules.foldersort = v; });
  return { rules, problems };
}

export function oneLine(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

const FILTER_OPS = new Set(['all', 'any', 'not', 'const', 'in', 'equals', 'substringOf', 'contains', 'startsWith', 'endsWith', 'regex']);
const STEP_OPS = new Set(['lower', 'upper', 'replace', 'sub', 'addPrefix', 'addSuffix', 'slice', 'map', 'set', 'if']);

/** Problems in rule data (e.g. edited in the GUI): unknown operations, bad patterns. */
export function rulesProblem(value: unknown): string | undefined {
  try {
    if (value === null || typeof value !== 'object') return 'must be an object';
    const r = value as RepositoryRules;
    if (r.folderfilter !== undefined) { shapeFilter(r.folderfilter); checkFilter(r.folderfilter); }
    if (r.nametrans !== undefined) { shapeSteps(r.nametrans); checkSteps(r.nametrans); }
    if (r.foldersort !== undefined && (r.foldersort as SortRule).op !== 'name') return "foldersort.op must be 'name'";
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function shapeFilter(f: FilterRule): void {
  if (!f || typeof f !== 'object' || !FILTER_OPS.has(f.op)) throw new Error(`unknown filter operation ${JSON.stringify((f as { op?: unknown } | null)?.op)}`);
  if (f.op === 'all' || f.op === 'any') { if (!Array.isArray(f.of)) throw new Error(`${f.op} needs a list`); f.of.forEach(shapeFilter); }
  else if (f.op === 'not') shapeFilter(f.of);
  else if (f.op !== 'const' && f.apply) shapeSteps(f.apply);
}

function shapeSteps(steps: NameStep[]): void {
  if (!Array.isArray(steps)) throw new Error('nametrans must be a list of steps');
  for (const s of steps) {
    if (!s || typeof s !== 'object' || !STEP_OPS.has(s.op)) throw new Error(`unknown nametrans step ${JSON.stringify((s as { op?: unknown } | null)?.op)}`);
    if (s.op === 'if') { shapeFilter(s.test); shapeSteps(s.then); shapeSteps(s.else); }
  }
}
