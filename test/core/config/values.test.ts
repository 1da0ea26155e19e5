// Value syntax: configparser booleans, Python numbers, path expansion, Python string lists,
// passcmd splitting with shell quoting (no shell), and "did you mean".
// Pure functions: no files, no processes, nothing evaluated.

import { describe, it, expect } from 'vitest';
import { closest, expandPath, parseBoolean, parseInteger, parseNumber, parsePythonStringList } from '../../../core/config/values.js';
import { splitCommandLine } from '../../../core/config/shell-words.js';

const ctx = { env: { HOME: '/h', USER_DIR: 'd' }, home: '/h' };

describe('values', () => {
  it('booleans like configparser', () => {
    for (const t of ['yes', 'True', 'ON', '1']) expect(parseBoolean(t)).toEqual({ ok: true, value: true });
    for (const f of ['no', 'FALSE', 'off', '0']) expect(parseBoolean(f)).toEqual({ ok: true, value: false });
    expect(parseBoolean('y')).toEqual({ ok: false, error: "'y' is not a boolean. Use yes or no (also true/false, on/off, 1/0)" });
  });

  it('integers and numbers like Python int() and float()', () => {
    expect(parseInteger(' +1_000 ')).toEqual({ ok: true, value: 1000 });
    expect(parseInteger('1.5').ok).toBe(false);
    expect(parseNumber('0.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseNumber('2.')).toEqual({ ok: true, value: 2 });
    expect(parseNumber('1e1')).toEqual({ ok: true, value: 10 });
    expect(parseNumber('inf').ok).toBe(false);
  });

  it('paths: ~ then $VAR / ${VAR} (unknown ones kept), made absolute', () => {
    expect(expandPath('~/Mail/$USER_DIR/${USER_DIR}/$NOPE', { ...ctx, cwd: '/c' })).toEqual({ ok: true, value: '/h/Mail/d/d/$NOPE' });
    expect(expandPath('rel', { ...ctx, cwd: '/c' })).toEqual({ ok: true, value: '/c/rel' });
    expect(expandPath('~nobody-here/x', { ...ctx, cwd: '/c' }).ok).toBe(false);
  });

  it('Python string lists, without evaluating anything', () => {
    expect(parsePythonStringList(`['INBOX', "Sent Mail", r'a\\b', 'it\\'s',]`)).toEqual({ ok: true, value: ['INBOX', 'Sent Mail', 'a\\b', "it's"] });
    expect(parsePythonStringList('()')).toEqual({ ok: true, value: [] });
    expect(parsePythonStringList('[os.system("x")]').ok).toBe(false);
    expect(parsePythonStringList("['a' 'b']").ok).toBe(false);
  });

  it('did you mean', () => {
    expect(closest('remotehots', ['remotehost', 'remoteport'])).toBe('remotehost');
    expect(closest('sync-delete', ['sync_deletes'])).toBe('sync_deletes');
    expect(closest('sslcacert', ['sslcacertfile'])).toBe('sslcacertfile');
    expect(closest('frobnicate', ['remotehost'])).toBeUndefined();
  });
});

describe('splitCommandLine (passcmd)', () => {
  const split = (s: string) => splitCommandLine(s, ctx);

  it('splits with POSIX quoting and expands ~ and $VAR', () => {
    expect(split(`pass show  mail/work`)).toEqual({ ok: true, argv: ['pass', 'show', 'mail/work'] });
    expect(split(`sh -c 'gpg -d ~/p.gpg | head -1'`)).toEqual({ ok: true, argv: ['sh', '-c', 'gpg -d ~/p.gpg | head -1'] });
    expect(split(`cat "$HOME/a \\"b\\"" ~/c x~ "~" a\\ b ""`)).toEqual({ ok: true, argv: ['cat', '/h/a "b"', '/h/c', 'x~', '~', 'a b', ''] });
    expect(split(`echo \${USER_DIR}x$USER_DIR '$USER_DIR' $`)).toEqual({ ok: true, argv: ['echo', 'dxd', '$USER_DIR', '$'] });
  });

  it('refuses shell syntax that would need a shell, and unclosed quotes', () => {
    expect(split('a | b')).toEqual({ ok: false, error: "'|' is shell syntax, but passcmd runs without a shell. Quote it if it is a plain character, put the command in a script, or use passcmd = sh -c '...'" });
    expect(split('a > f').ok).toBe(false);
    expect(split('a; b').ok).toBe(false);
    expect(split('echo $(cat f)')).toMatchObject({ ok: false, error: expect.stringContaining('command substitution $(...) needs a shell') });
    expect(split('echo "`x`"').ok).toBe(false);
    expect(split('"open')).toEqual({ ok: false, error: 'a " quote is not closed' });
    expect(split('   ')).toEqual({ ok: false, error: 'the command is empty' });
  });
});
