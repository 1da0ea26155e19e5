// Problems found in a configuration file: ConfigError (fatal, the file must be fixed) collects
// every issue with its file:line, and ConfigWarning reports an option that is read but not
// honoured. Each message names the place, the problem and the fix, on one line.
// This module must never put a password (or any option value of a password option) in a message.

import { SyncError } from '../errors.js';

export interface ConfigIssue {
  file: string;
  /** 1-based line; 0 or absent when the problem is not on one line (e.g. a missing section). */
  line?: number;
  /** Where the value came from when it is not the file, e.g. "-k general:fsync=no". */
  origin?: string;
  message: string;
}

export interface ConfigWarning {
  section: string;
  option: string;
  /** 1-based line of the option (0 when it came from a -k override). */
  line: number;
  file: string;
  /** Complete, printable sentence, starting with "file:line:". */
  message: string;
}

/** "file:12" for a line, "-k ..." for an override, the bare file name otherwise. */
export function formatLocation(file: string, line?: number, origin?: string): string {
  if (origin) return origin;
  return line ? `${file}:${line}` : file;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${formatLocation(issue.file, issue.line, issue.origin)}: ${issue.message}`;
}

export class ConfigError extends SyncError {
  readonly issues: ConfigIssue[];
  /** File and line of the first issue (every issue has its own). */
  readonly file: string;
  readonly line?: number;

  constructor(issues: ConfigIssue[], cause?: unknown) {
    const lines = issues.map(formatIssue);
    const message = lines.length === 1 ? lines[0]! : `${lines.length} problems in the configuration:\n${lines.join('\n')}`;
    super('config-invalid', message, { scope: 'fatal', retry: 'needs-user', cause });
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = issues[0]?.file ?? '';
    this.line = issues[0]?.line;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}
