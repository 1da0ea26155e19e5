// `satchel systemd`: the printed unit sets (oneshot service + timer, long-running daemon) with
// the real node and bin/satchel paths, systemd quoting of odd paths, interval validation, and
// --install writing the three files into a temporary XDG_CONFIG_HOME through the built CLI.

import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderUnits, systemdWord, isTimeSpan } from '../../../core/cli/systemd-units.js';
import { tempDir } from '../engine/engine-fixtures.js';

const BIN = path.resolve('bin/satchel');
beforeAll(() => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
});

function satchel(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const unitValue = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);

describe('satchel systemd', () => {
  it('prints both unit styles with the resolved node and bin paths', () => {
    const home = tempDir();
    const r = satchel(['systemd'], { ...process.env, HOME: home, XDG_CONFIG_HOME: '' });
    expect(r).toMatchObject({ code: 0, err: '' });
    const dir = path.join(home, '.config', 'systemd', 'user');
    expect(r.out).toContain(`# ${dir}/satchel.service\n[Unit]`);
    expect(r.out).toContain(`# ${dir}/satchel.timer\n`);
    expect(r.out).toContain(`# ${dir}/satchel-daemon.service\n`);
    expect(r.out).toContain(`ExecStart=${process.execPath} ${BIN} -o -u quiet\n`);
    expect(r.out).toContain(`ExecStart=${process.execPath} ${BIN} -u basic\n`);
    expect(r.out).toContain('OnUnitInactiveSec=5min\n');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('--install writes the units atomically into $XDG_CONFIG_HOME/systemd/user and says what to enable', () => {
    const xdg = tempDir();
    const rc = path.join(tempDir(), 'my rc');
    const r = satchel(['systemd', '--install', '--timer-interval', '15min', '-c', rc], { ...process.env, XDG_CONFIG_HOME: xdg });
    expect(r).toMatchObject({ code: 0, err: '' });
    const dir = path.join(xdg, 'systemd', 'user');
    expect(fs.readdirSync(dir).sort()).toEqual(['satchel-daemon.service', 'satchel.service', 'satchel.timer']);
    const oneshot = fs.readFileSync(path.join(dir, 'satchel.service'), 'utf8');
    expect(unitValue(oneshot, 'Type')).toBe('oneshot');
    expect(unitValue(oneshot, 'ExecStart')).toBe(`${process.execPath} ${BIN} -c "${rc}" -o -u quiet`);
    const timer = fs.readFileSync(path.join(dir, 'satchel.timer'), 'utf8');
    expect(unitValue(timer, 'OnUnitInactiveSec')).toBe('15min');
    expect(unitValue(timer, 'WantedBy')).toBe('timers.target');
    const daemon = fs.readFileSync(path.join(dir, 'satchel-daemon.service'), 'utf8');
    expect(unitValue(daemon, 'ExecStart')).toBe(`${process.execPath} ${BIN} -c "${rc}" -u basic`);
    expect(unitValue(daemon, 'Restart')).toBe('on-failure');
    expect(unitValue(daemon, 'KillSignal')).toBe('SIGTERM');
    expect(unitValue(daemon, 'ExecReload')).toBe('/bin/kill -USR1 $MAINPID');
    expect(unitValue(daemon, 'Conflicts')).toBe('satchel.timer satchel.service');
    expect(r.out).toContain('systemctl --user daemon-reload && systemctl --user enable --now satchel.timer');
    expect(r.out).toContain('systemctl --user enable --now satchel-daemon.service');
    // a second install replaces the files in place, leaving no temporary files
    expect(satchel(['systemd', '--install'], { ...process.env, XDG_CONFIG_HOME: xdg }).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['satchel-daemon.service', 'satchel.service', 'satchel.timer']);
    expect(unitValue(fs.readFileSync(path.join(dir, 'satchel.timer'), 'utf8'), 'OnUnitInactiveSec')).toBe('5min');
  });

  it('rejects a bad interval and unknown options', () => {
    const r = satchel(['systemd', '--timer-interval', 'often'], process.env);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--timer-interval needs a systemd time span such as 5min, 15m or 1h (got 'often')");
    expect(satchel(['systemd', '--now'], process.env)).toMatchObject({ code: 2 });
  });
});

describe('unit rendering', () => {
  it('quotes words for systemd: spaces, quotes, % specifiers and $ variables', () => {
    expect(systemdWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(systemdWord('/home/me/my mail/rc')).toBe('"/home/me/my mail/rc"');
    expect(systemdWord('/a/100%/rc')).toBe('/a/100%%/rc');
    expect(systemdWord('/a/$HOME/"x"')).toBe('"/a/$$HOME/\\"x\\""');
    const [svc] = renderUnits({ node: '/n', bin: '/b/satchel', interval: '1h', configFile: '/c/rc' });
    expect(unitValue(svc!.text, 'ExecStart')).toBe('/n /b/satchel -c /c/rc -o -u quiet');
  });

  it('accepts systemd time spans only', () => {
    for (const ok of ['5min', '15m', '1h', '1h 30min', '90s', '2.5min']) expect(isTimeSpan(ok)).toBe(true);
    for (const bad of ['', 'often', '0', '0min', '-5min', '5 parsecs']) expect(isTimeSpan(bad)).toBe(false);
  });
});
