// Python configparser syntax exactly as OfflineIMAP reads it: [section] headers (case-sensitive),
// "key = value" and "key: value" (keys lowercased), full-line # and ; comments, indented
// continuation lines joined with '\n', [DEFAULT] seen from every section, a repeated option
// read as its last value (OfflineIMAP 7; noted in `duplicates` for a warning),
// and lazy %(name)s / %% interpolation. Every value keeps its line for error messages.
// Syntax errors give the line and what was expected, never the line's text (the file may not be
// a configuration at all: ~/.netrc, /etc/shadow). It never evaluates anything, never strips
// inline comments, and never touches the file system.

import { ConfigError, formatLocation, type ConfigIssue } from './config-error.js';

export interface IniEntry {
  /** Lowercased option name. */
  key: string;
  /** Value as written (continuation lines joined with '\n'), before interpolation. */
  raw: string;
  /** 1-based line of "key = ..."; 0 for a value set from the command line. */
  line: number;
  /** Set for values that do not come from the file, e.g. "-k Account_A:quick=5". */
  origin?: string;
}

export interface IniSection {
  name: string;
  line: number;
  entries: Map<string, IniEntry>;
}

export interface IniDocument {
  file: string;
  defaults: IniSection;
  /** In file order. Names are case-sensitive, as in configparser. */
  sections: Map<string, IniSection>;
  /** Options written twice in one section: the later value is used (OfflineIMAP 7), with a warning. */
  duplicates: Array<{ section: string; key: string; first: number; line: number }>;
}

export const DEFAULT_SECTION = 'DEFAULT';
/** configparser's MAX_INTERPOLATION_DEPTH. */
export const MAX_INTERPOLATION_DEPTH = 10;

const SECTION_RE = /^\[(.+)\]/;
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/;

/** Parses the whole text; throws one ConfigError listing every syntax problem. */
export function parseIni(text: string, file: string): IniDocument {
  const defaults: IniSection = { name: DEFAULT_SECTION, line: 0, entries: new Map() };
  const doc: IniDocument = { file, defaults, sections: new Map(), duplicates: [] };
  const issues: ConfigIssue[] = [];
  const sectionLines = new Map<string, number>();
  let cur: IniSection | undefined;
  let parts: string[] | undefined; // continuation parts of the current option
  let entry: IniEntry | undefined;
  let indentLevel = 0;
  let reportedNoSection = false;
  const finish = () => {
    if (entry && parts) entry.raw = parts.join('\n').trimEnd();
    entry = undefined;
    parts = undefined;
  };

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const lineno = i + 1;
    const stripped = line.trim();
    const comment = stripped.startsWith('#') || stripped.startsWith(';');
    if (comment || stripped === '') {
      // configparser keeps blank lines inside a value (trimmed at the end); comments vanish.
      if (!comment && parts) parts.push('');
      return;
    }
    const indent = line.search(/\S/);
    if (cur && parts && indent > indentLevel) {
      parts.push(stripped);
      return;
    }
    finish();
    indentLevel = indent;
    const header = SECTION_RE.exec(stripped);
    if (header) {
      const name = header[1]!;
      if (name === DEFAULT_SECTION) {
        cur = defaults;
        if (!defaults.line) defaults.line = lineno;
      } else if (doc.sections.has(name)) {
        issues.push({ file, line: lineno, message: `this [section] header repeats the one at line ${sectionLines.get(name)}. Merge the two into one section.` });
        cur = doc.sections.get(name)!;
      } else {
        cur = { name, line: lineno, entries: new Map() };
        doc.sections.set(name, cur);
        sectionLines.set(name, lineno);
      }
      return;
    }
    if (!cur) {
      if (!reportedNoSection) {
        issues.push({ file, line: lineno, message: 'expected a [section] header before the first option; this line comes before any section. Put it under a section, e.g. add a line "[general]" above it.' });
        reportedNoSection = true;
      }
      return;
    }
    const m = OPTION_RE.exec(stripped);
    if (!m || !m[1]) {
      issues.push({ file, line: lineno, message: 'expected "option = value", "option: value", a [section] header or a # comment. Indent a line to continue the previous value.' });
      return;
    }
    const key = m[1].trimEnd().toLowerCase();
    const previous = cur.entries.get(key);
    if (previous && previous.line > 0) doc.duplicates.push({ section: cur.name, key, first: previous.line, line: lineno });
    entry = { key, raw: m[3]!.trim(), line: lineno };
    parts = [entry.raw];
    cur.entries.set(key, entry);
  });
  finish();
  if (issues.length) throw new ConfigError(issues);
  return doc;
}

export function hasSection(doc: IniDocument, name: string): boolean {
  return name === DEFAULT_SECTION || doc.sections.has(name);
}

export function getSection(doc: IniDocument, name: string): IniSection | undefined {
  return name === DEFAULT_SECTION ? doc.defaults : doc.sections.get(name);
}

/** The raw entry of `key` as configparser sees it from `section`: the section's own, else DEFAULT's. */
export function lookupEntry(doc: IniDocument, section: string, key: string): IniEntry | undefined {
  const k = key.toLowerCase();
  return getSection(doc, section)?.entries.get(k) ?? doc.defaults.entries.get(k);
}

/** Sets a value like configparser's set() (used for -k overrides); the section must exist. */
export function setEntry(doc: IniDocument, section: string, key: string, value: string, origin: string): void {
  const s = getSection(doc, section);
  if (!s) throw new Error(`no section [${section}]`);
  const k = key.toLowerCase();
  s.entries.set(k, { key: k, raw: value, line: 0, origin });
}

/** "file:line" of an entry, or its origin for command-line values. */
export function entryLocation(doc: IniDocument, entry: IniEntry): string {
  return formatLocation(doc.file, entry.line, entry.origin);
}

export interface IniValue {
  value: string;
  entry: IniEntry;
}

/**
 * The interpolated value of `key` seen from `section` (configparser's get()), or undefined when
 * neither the section nor DEFAULT sets it. %(name)s is looked up from the same section, then
 * DEFAULT, recursively; %% is a literal %. Throws a ConfigError naming the line on bad syntax.
 */
export function getValue(doc: IniDocument, section: string, key: string): IniValue | undefined {
  const entry = lookupEntry(doc, section, key);
  if (!entry) return undefined;
  return { value: interpolate(doc, section, entry, entry, 0), entry };
}

/** Names used as %(name)s anywhere in the document (these are variables, not typos). */
export function referencedNames(doc: IniDocument): Set<string> {
  const names = new Set<string>();
  for (const s of [doc.defaults, ...doc.sections.values()]) {
    for (const e of s.entries.values()) {
      for (const m of e.raw.matchAll(/%\(([^)]+)\)s/g)) names.add(m[1]!.toLowerCase());
    }
  }
  return names;
}

function interpolate(doc: IniDocument, section: string, top: IniEntry, current: IniEntry, depth: number): string {
  const fail = (problem: string): never => {
    throw new ConfigError([{ file: doc.file, line: current.line, origin: current.origin, message: `[${section}] ${top.key}: ${problem}` }]);
  };
  const secret = isSecretOption(top.key) || isSecretOption(current.key);
  const show = (s: string) => (secret ? '(value hidden)' : clip(s));
  if (depth > MAX_INTERPOLATION_DEPTH) {
    fail(`%(...)s references are nested more than ${MAX_INTERPOLATION_DEPTH} deep, probably a loop (e.g. a = %(b)s and b = %(a)s). Break the loop.`);
  }
  let out = '';
  let rest = current.raw;
  while (rest) {
    const p = rest.indexOf('%');
    if (p < 0) return out + rest;
    out += rest.slice(0, p);
    rest = rest.slice(p);
    const c = rest.charAt(1);
    if (c === '%') {
      out += '%';
      rest = rest.slice(2);
    } else if (c === '(') {
      const m = /^%\(([^)]+)\)s/.exec(rest);
      if (!m) fail(`bad %(name)s reference in '${show(rest)}': write %(name)s with the trailing s, or %% for a literal %.`);
      const name = m![1]!.toLowerCase();
      rest = rest.slice(m![0].length);
      const ref = lookupEntry(doc, section, name);
      if (!ref) {
        fail(`'%(${m![1]})s' refers to '${name}', which is set neither in [${section}] nor in [DEFAULT]. Define '${name}', or write a literal % as %%.`);
      }
      out += ref!.raw.includes('%') ? interpolate(doc, section, top, ref!, depth + 1) : ref!.raw;
    } else {
      fail(`a '%' must be followed by '%' or '(' (found '${show(rest)}'). Write a literal % as %%.`);
    }
  }
  return out;
}

/** Options whose values must never appear in a message. */
export function isSecretOption(key: string): boolean {
  return /pass|secret|token/i.test(key);
}

function clip(s: string): string {
  const one = s.split('\n')[0]!;
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
