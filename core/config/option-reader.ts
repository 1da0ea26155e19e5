// Typed reads of options from a parsed INI document (string, boolean, integer, number, path),
// with configparser's section-then-DEFAULT lookup and interpolation, collecting every problem
// (ConfigIssue) and warning (ConfigWarning) with its file:line instead of stopping at the first.
// It never shows the value of a password option in a message.

import { ConfigError, formatLocation, type ConfigIssue, type ConfigWarning } from './config-error.js';
import { getSection, getValue, isSecretOption, lookupEntry, type IniDocument, type IniEntry } from './ini.js';
import { expandPath, parseBoolean, parseInteger, parseNumber, type Parsed } from './values.js';

export interface ReaderContext {
  home: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class OptionReader {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: ConfigWarning[] = [];
  /** Problems that stop only the account being read (an option that cannot be translated). */
  readonly accountIssues: Array<ConfigIssue & { section: string; option: string }> = [];

  constructor(readonly doc: IniDocument, readonly ctx: ReaderContext) {
    for (const d of doc.duplicates) {
      this.warn(d.section, d.key, this.entry(d.section, d.key), `option '${d.key}' is set twice in this section, at lines ${d.first} and ${d.line}; the value at line ${d.line} is used, as OfflineIMAP 7 did (offlineimap3 refuses the file). Remove one of them.`);
    }
  }

  entry(section: string, key: string): IniEntry | undefined {
    return lookupEntry(this.doc, section, key);
  }

  has(section: string, key: string): boolean {
    return this.entry(section, key) !== undefined;
  }

  /** An error at the option's line (or the section's line when the option is absent). */
  problem(section: string, key: string | undefined, message: string): void {
    const e = key ? this.entry(section, key) : undefined;
    const line = e ? e.line : getSection(this.doc, section)?.line;
    this.issues.push({ file: this.doc.file, line, origin: e?.origin, message });
  }

  /** Like problem(), but stops only the account being read: its other accounts still run. */
  stop(section: string, key: string, message: string): void {
    const e = this.entry(section, key);
    this.accountIssues.push({ file: this.doc.file, line: e ? e.line : getSection(this.doc, section)?.line, origin: e?.origin, message, section, option: key });
  }

  /** A warning about `key`, at its line. `message` is the sentence after "[section] ". */
  warn(section: string, key: string, entry: IniEntry | undefined, message: string): void {
    const line = entry?.line ?? getSection(this.doc, section)?.line ?? 0;
    const loc = formatLocation(this.doc.file, line, entry?.origin);
    this.warnings.push({ section, option: key, line, file: this.doc.file, message: `${loc}: [${section}] ${message}` });
  }

  /** The interpolated string, or undefined when unset or when interpolation failed (recorded). */
  str(section: string, key: string): string | undefined {
    try {
      return getValue(this.doc, section, key)?.value;
    } catch (e) {
      if (e instanceof ConfigError) { this.issues.push(...e.issues); return undefined; }
      throw e;
    }
  }

  /** Like str(), but an empty value counts as unset. */
  nonEmpty(section: string, key: string): string | undefined {
    const v = this.str(section, key);
    return v === undefined || v.trim() === '' ? undefined : v;
  }

  bool(section: string, key: string, dflt: boolean): boolean {
    return this.parsed(section, key, parseBoolean) ?? dflt;
  }

  /** Boolean or undefined when unset (for defaults that depend on other options). */
  optBool(section: string, key: string): boolean | undefined {
    return this.parsed(section, key, parseBoolean);
  }

  int(section: string, key: string, range: { min?: number; max?: number } = {}): number | undefined {
    const n = this.parsed(section, key, parseInteger);
    return n === undefined ? undefined : this.inRange(section, key, n, range);
  }

  number(section: string, key: string, range: { min?: number } = {}): number | undefined {
    const n = this.parsed(section, key, parseNumber);
    return n === undefined ? undefined : this.inRange(section, key, n, range);
  }

  /** "~" and $VAR expanded, made absolute. */
  path(section: string, key: string): string | undefined {
    return this.parsed(section, key, (v) => expandPath(v, this.ctx));
  }

  /** Reads the option with `parse`; a parse failure is recorded with the line and the fix. */
  parsed<T>(section: string, key: string, parse: (v: string) => Parsed<T>): T | undefined {
    const v = this.str(section, key);
    if (v === undefined) return undefined;
    const r = parse(v);
    if (r.ok) return r.value;
    const shown = isSecretOption(key) ? r.error.replace(/'[^']*'/, '(value hidden)') : r.error;
    this.problem(section, key, `[${section}] ${key}: ${shown}.`);
    return undefined;
  }

  private inRange(section: string, key: string, n: number, range: { min?: number; max?: number }): number | undefined {
    if (range.min !== undefined && n < range.min) {
      this.problem(section, key, `[${section}] ${key} = ${n} is too small: it must be at least ${range.min}.`);
      return undefined;
    }
    if (range.max !== undefined && n > range.max) {
      this.problem(section, key, `[${section}] ${key} = ${n} is too large: it must be at most ${range.max}.`);
      return undefined;
    }
    return n;
  }
}
