// The command-line parser and exit codes: OfflineIMAP's -u names (plain and dotted) map onto
// Satchel's output modes, -d types are checked, -1/-l/-s/-V are read, errors are one line,
// and the exit code follows OfflineIMAP (1 beats 2, 2 only for UIDVALIDITY skips).

import { describe, it, expect } from 'vitest';
import { parseArgs, USAGE, type CliOptions } from '../../../core/cli/cli-args.js';
import { exitCodeOf } from '../../../core/cli/exit-code.js';

const ok = (argv: string[]): CliOptions => {
  const r = parseArgs(argv);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('parseArgs', () => {
  it('maps OfflineIMAP UI names to the nearest Satchel mode', () => {
    const cases: Array<[string, string, boolean]> = [
      ['quiet', 'quiet', false], ['Noninteractive.Quiet', 'quiet', false], ['basic', 'basic', false],
      ['Noninteractive.Basic', 'basic', false], ['TTY.TTYUI', 'ttyui', false], ['ttyui', 'ttyui', false],
      ['Curses.Blinkenlights', 'ttyui', false], ['blinkenlights', 'ttyui', false], ['Machine.MachineUI', 'machineui', false],
      ['MACHINEUI', 'machineui', false], ['syslog', 'basic', true],
    ];
    for (const [name, ui, syslog] of cases) expect(ok(['-u', name])).toMatchObject({ ui, syslog });
    expect(ok([]).ui).toBeUndefined();
    const bad = parseArgs(['-u', 'curses']);
    expect(bad).toEqual({ error: expect.stringMatching(/^unknown UI "curses" \(use quiet, basic, ttyui, machineui.*satchel --help/) });
  });

  it('reads -1, -l, -s, -d and the two version flags', () => {
    expect(ok(['-1', '-l', '/tmp/x.log', '-s', '-d', 'IMAP,maildir'])).toMatchObject({ singleThread: true, logFile: '/tmp/x.log', syslog: true, debug: ['imap', 'maildir'] });
    expect(ok(['-d', 'all']).debug).toEqual(['imap', 'maildir', 'thread']);
    expect(ok(['--version']).version).toBe('short');
    expect(ok(['-V']).version).toBe('long');
    expect(parseArgs(['-d', 'imap,nets'])).toEqual({ error: expect.stringMatching(/unknown debug type "nets"/) });
    expect(parseArgs(['-l'])).toEqual({ error: expect.stringMatching(/option -l needs a value/) });
  });

  it('USAGE names every option the parser accepts', () => {
    for (const flag of ['-c', '-o', '-1', '-a', '-f', '-k', '-u', '-q', '-l', '-s', '-d', '--dry-run', '--allow-mass-delete', '--version', '-V', '-h']) {
      expect(USAGE).toMatch(new RegExp(`^ +${flag.replace(/-/g, '\\-')}(?=[ ,]|$)`, 'm'));
      expect('error' in parseArgs([flag, ...(['-c', '-a', '-f', '-k', '-u', '-l', '-d'].includes(flag) ? [flag === '-u' ? 'basic' : flag === '-d' ? 'imap' : 'x'] : [])])).toBe(false);
    }
  });
});

describe('exitCodeOf', () => {
  it('is 0 without errors, 2 for UIDVALIDITY skips only, 1 as soon as any other error happened', () => {
    expect(exitCodeOf([])).toBe(0);
    expect(exitCodeOf([{ code: 'uidvalidity-changed' }, { code: 'uidvalidity-changed' }])).toBe(2);
    expect(exitCodeOf([{ code: 'uidvalidity-changed' }, { code: 'auth-failed' }])).toBe(1);
    expect(exitCodeOf([{ code: 'connection-refused' }])).toBe(1);
  });
});
