// The configparser-compatible INI reader: syntax, continuation lines, DEFAULT, interpolation
// and errors with file:line. Expected values were checked against Python 3.11's configparser.
// Pure: no files are read; the parser gets text and a file name for messages.

import { describe, it, expect } from 'vitest';
import { getValue, lookupEntry, parseIni, referencedNames, setEntry } from '../../../core/config/ini.js';
import { ConfigError } from '../../../core/config/config-error.js';

const TRICKY = `# top comment
; another
[DEFAULT]
home = /home/u
acct = base

[general]
accounts = a, b
metadata = %(home)s/meta
pct = 100%%
url: http://x:8080/y
empty =
  indented = 1

[Account a]
folderfilter = lambda f: f in [
    'INBOX',
    # a comment inside
    'Sent',

    'Drafts']
after = yes
\ttabbed = continuation?
KeyCase = Value # not a comment
nested = %(acct)s-%(home)s/%(acct)s
[weird] ]
x=1
`;

function get(doc: ReturnType<typeof parseIni>, s: string, k: string): string | undefined {
  return getValue(doc, s, k)?.value;
}

function errorOf(f: () => unknown): ConfigError {
  try { f(); } catch (e) { if (e instanceof ConfigError) return e; throw e; }
  throw new Error('expected a ConfigError');
}

describe('parseIni', () => {
  const doc = parseIni(TRICKY, 'rc');

  it('reads sections, both delimiters and keeps the value after the first delimiter', () => {
    expect([...doc.sections.keys()]).toEqual(['general', 'Account a', 'weird] ']);
    expect(get(doc, 'general', 'accounts')).toBe('a, b');
    expect(get(doc, 'general', 'url')).toBe('http://x:8080/y');
    expect(get(doc, 'weird] ', 'x')).toBe('1');
  });

  it('joins indented continuation lines with \\n, keeps blank lines inside, drops comment lines', () => {
    expect(get(doc, 'Account a', 'folderfilter')).toBe("lambda f: f in [\n'INBOX',\n'Sent',\n\n'Drafts']");
    expect(get(doc, 'Account a', 'after')).toBe('yes\ntabbed = continuation?');
    expect(get(doc, 'general', 'empty')).toBe('\nindented = 1');
  });

  it('lowercases keys, and does not strip inline comments', () => {
    expect(get(doc, 'Account a', 'keycase')).toBe('Value # not a comment');
    expect(get(doc, 'Account a', 'KeyCase')).toBe('Value # not a comment');
    expect(lookupEntry(doc, 'Account a', 'keycase')?.line).toBe(24);
  });

  it('sees DEFAULT from every section and interpolates %(name)s recursively, %% as %', () => {
    expect(get(doc, 'general', 'home')).toBe('/home/u');
    expect(get(doc, 'general', 'metadata')).toBe('/home/u/meta');
    expect(get(doc, 'general', 'pct')).toBe('100%');
    expect(get(doc, 'Account a', 'nested')).toBe('base-/home/u/base');
    expect(lookupEntry(doc, 'general', 'home')?.line).toBe(4);
  });

  it('interpolates a DEFAULT value with the names of the section that reads it', () => {
    const d = parseIni('[DEFAULT]\nlocalfolders = ~/Mail/%(acct)s\n[Repository a]\nacct = one\n[Repository b]\nacct = two\n', 'rc');
    expect(get(d, 'Repository a', 'localfolders')).toBe('~/Mail/one');
    expect(get(d, 'Repository b', 'localfolders')).toBe('~/Mail/two');
    expect(referencedNames(d)).toEqual(new Set(['acct']));
  });

  it('section names are case-sensitive; [DEFAULT] is not a section', () => {
    const d = parseIni('[General]\na = 1\n', 'rc');
    expect(d.sections.has('general')).toBe(false);
    expect(d.sections.has('General')).toBe(true);
    expect(d.sections.has('DEFAULT')).toBe(false);
  });

  it('reports a missing interpolation key with the line and the fix', () => {
    const d = parseIni('[general]\n\nmetadata = %(nope)s/x\n', 'rc');
    const e = errorOf(() => get(d, 'general', 'metadata'));
    expect(e.code).toBe('config-invalid');
    expect(e.scope).toBe('fatal');
    expect(e.retry).toBe('needs-user');
    expect(e.message).toBe("rc:3: [general] metadata: '%(nope)s' refers to 'nope', which is set neither in [general] nor in [DEFAULT]. Define 'nope', or write a literal % as %%.");
  });

  it('stops an interpolation loop at the depth limit', () => {
    const d = parseIni('[s]\na = %(b)s\nb = %(a)s\n', 'rc');
    expect(errorOf(() => get(d, 's', 'a')).message).toContain('nested more than 10 deep, probably a loop');
  });

  it('refuses a bare % and a reference without the trailing s', () => {
    const d = parseIni('[s]\na = 50% off\nb = %(a)x\n', 'rc');
    expect(errorOf(() => get(d, 's', 'a')).message).toBe("rc:2: [s] a: a '%' must be followed by '%' or '(' (found '% off'). Write a literal % as %%.");
    expect(errorOf(() => get(d, 's', 'b')).message).toContain('rc:3: [s] b: bad %(name)s reference');
  });

  it('never shows a password value in an interpolation error', () => {
    const d = parseIni('[s]\nremotepass = se%cret\n', 'rc');
    const msg = errorOf(() => get(d, 's', 'remotepass')).message;
    expect(msg).not.toContain('cret');
    expect(msg).toContain('(value hidden)');
  });

  it('collects every syntax error with file:line and what was expected, never the text of the line', () => {
    const e = errorOf(() => parseIni('accountsX = x\n[generalX]\nthis line is badX\n[generalX]\naX = 1\naX = 2\n', 'my.rc'));
    expect(e.issues.map((i) => i.line)).toEqual([1, 3, 4]);
    expect(e.message).toContain('my.rc:1: expected a [section] header before the first option; this line comes before any section. Put it under a section, e.g. add a line "[general]" above it.');
    expect(e.message).toContain('my.rc:3: expected "option = value", "option: value", a [section] header or a # comment.');
    expect(e.message).toContain('my.rc:4: this [section] header repeats the one at line 2. Merge the two into one section.');
    expect(e.message.split('\n')[0]).toBe('3 problems in the configuration:');
    expect(e.message).not.toMatch(/X/);
  });

  it('a file that is not a configuration (a netrc, a shadow file) gets errors without any of its text', () => {
    for (const text of ['machine imap.example.org login me password s3cr3t-NETRC\n', 'root:$6$s3cr3t-SHADOW$abc:19000:0:99999:7:::\ndaemon:*:19000::::::\n']) {
      const e = errorOf(() => parseIni(text, 'f'));
      expect(e.message).not.toMatch(/s3cr3t|machine|root|daemon/);
      expect(e.issues[0]!.line).toBe(1);
    }
  });

  it('handles CRLF, a BOM, and an indented first option', () => {
    const d = parseIni('\uFEFF[s]\r\n  a = 1\r\n    more\r\nb = 2\r\n', 'rc');
    expect(get(d, 's', 'a')).toBe('1\nmore');
    expect(get(d, 's', 'b')).toBe('2');
  });

  it('setEntry overrides a value (like -k) and marks its origin', () => {
    const d = parseIni('[general]\nfsync = yes\n', 'rc');
    setEntry(d, 'general', 'FSync', 'no', '-k fsync=no');
    expect(getValue(d, 'general', 'fsync')).toMatchObject({ value: 'no', entry: { line: 0, origin: '-k fsync=no' } });
  });
});
