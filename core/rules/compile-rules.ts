// Compiles the folder options of one repository (folderfilter, nametrans, foldersort as
// written in the config file) into rule data, collecting a config message per option that
// cannot be translated: `cannot translate nametrans "<expr>": <why>. <suggestion>` (the
// loader adds file:line). Also checks the shape of rule data stored by the GUI. Never evaluates.

import { checkFilter, checkSteps } from './evaluate.js';
import { Inliner, InlineError, unparse } from './py-inline.js';
import type { PyModule } from './py-module.js';
import { parsePython, ParseError, type PyNode } from './py-parser.js';
import type { FilterRule, NameStep, RepositoryRules, SortRule } from './rule-types.js';
import { translateFilter, translateNametrans, translateSort, translateTree, TranslateError, type RuleKind } from './translate.js';

export interface RuleSources { folderfilter?: string; nametrans?: string; foldersort?: string }

/** The [general] pythonfile, for rules that name or call its functions. */
export interface RuleModule { module: PyModule; path: string }

export interface CompiledRules {
  rules: RepositoryRules;
  problems: Array<{ key: RuleKind; message: string }>;
  /** foldersort functions read approximately (sorting never changes what is synced). */
  warnings: Array<{ key: RuleKind; message: string }>;
  /** How each option naming pythonfile code was read, for --info. */
  notes: Partial<Record<RuleKind, string>>;
}

export function compileRules(src: RuleSources, py?: RuleModule): CompiledRules {
  const out: CompiledRules = { rules: {}, problems: [], warnings: [], notes: {} };
  const inliner = new Inliner(py?.module);
  const run = <T>(key: RuleKind, text: string | undefined, plain: (s: string) => T, set: (v: T) => void) => {
    if (text === undefined) return;
    let tree: PyNode | undefined;
    let called = '';
    try {
      tree = parsePython(text.trim());
      const names = calledDefs(tree, inliner);
      if (!names.length && !callsDict(tree)) { set(plain(text)); return; }
      if (names.length) called = ` (it calls ${names.map((d) => `${d.name}() of ${py!.path}:${d.line}`).join(', ')})`;
      const lambda = inliner.lambda(tree);
      set(translateTree(lambda, key, unparse) as T);
      out.notes[key] = `${unparse(lambda)} — from ${oneLine(text)}${called}`;
    } catch (e) {
      if (!(e instanceof TranslateError || e instanceof InlineError || e instanceof ParseError)) throw e;
      const why = e instanceof TranslateError ? `${e.why}. ${e.suggestion}` : `${e.message}${e instanceof InlineError && e.line ? ` (${py!.path}:${e.line})` : ''}. ${SUGGEST_FOR[key]}`;
      if (key === 'foldersort' && tree) {
        const first = firstNames(tree, inliner);
        out.rules.foldersort = { op: 'name', first };
        out.warnings.push({ key, message: `foldersort = ${oneLine(text)}${called} cannot be read exactly (${why.split('. ')[0]}); folders are synced with ${first.join(', ')} first, then by name. Sorting never changes what is synced.` });
        return;
      }
      out.problems.push({ key, message: `cannot translate ${key} "${oneLine(text)}"${called}: ${why}.`.replace(/\.\.$/, '.') });
    }
  };
  run('folderfilter', src.folderfilter, translateFilter, (v) => { out.rules.folderfilter = v; });
  run('nametrans', src.nametrans, translateNametrans, (v) => { out.rules.nametrans = v; });
  run('foldersort', src.foldersort, translateSort, (v) => { out.rules.foldersort = v; });
  return out;
}

const SUGGEST_FOR: Record<RuleKind, string> = {
  folderfilter: 'Write it as a lambda, e.g. folderfilter = lambda folder: folder not in [\'Trash\', \'Spam\']',
  nametrans: 'Write it as a lambda, e.g. nametrans = lambda folder: {\'INBOX\': \'inbox\'}.get(folder, folder)',
  foldersort: 'Write it as lambda x, y: cmp(x, y), or remove foldersort',
};

/** The pythonfile functions an expression names or calls (directly). */
function calledDefs(tree: PyNode, inliner: Inliner): Array<{ name: string; line: number }> {
  const found: Array<{ name: string; line: number }> = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as PyNode;
    if (node.k === 'name' && inliner.def(node.id) && !found.some((f) => f.name === node.id)) found.push({ name: node.id, line: inliner.def(node.id)!.line });
    for (const v of Object.values(node)) (Array.isArray(v) ? v.forEach(walk) : walk(v));
  };
  walk(tree);
  return found;
}

function callsDict(n: unknown): boolean {
  if (!n || typeof n !== 'object') return false;
  const node = n as PyNode;
  if (node.k === 'call' && node.fn.k === 'name' && node.fn.id === 'dict') return true;
  return Object.values(node).some((v) => (Array.isArray(v) ? v.some(callsDict) : callsDict(v)));
}

/** A foldersort function's intent, read loosely: the folder names it compares with, in order (INBOX when none). */
function firstNames(tree: PyNode, inliner: Inliner): string[] {
  const names: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as PyNode;
    if (node.k === 'str' && /^[^\s%{}]{1,64}$/.test(node.v) && !names.includes(node.v)) names.push(node.v);
    for (const v of Object.values(node)) (Array.isArray(v) ? v.forEach(walk) : walk(v));
  };
  try { walk(inliner.lambda(tree)); } catch { walk(tree.k === 'name' ? inliner.def(tree.id)?.body : tree); }
  return names.length ? names.slice(0, 8) : ['INBOX'];
}

export function oneLine(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

const FILTER_OPS = new Set(['all', 'any', 'not', 'const', 'in', 'equals', 'substringOf', 'contains', 'startsWith', 'endsWith', 'regex']);
const STEP_OPS = new Set(['lower', 'upper', 'capitalize', 'replace', 'sub', 'addPrefix', 'addSuffix', 'slice', 'map', 'set', 'if']);

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
