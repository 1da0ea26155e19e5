// `satchel systemd [--install] [--timer-interval 5min] [-c FILE]`: the systemd user units for
// both ways of running Satchel headless: a oneshot service started by a timer, or one
// long-running service (autorefresh + IDLE; SIGUSR1 = sync now, SIGTERM = stop cleanly).
// It prints them, or writes them atomically into $XDG_CONFIG_HOME/systemd/user and prints the
// systemctl commands to run. It never runs systemctl itself.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../files/private-files.js';

export interface UnitOptions {
  /** Absolute path of the node binary. */
  node: string;
  /** Absolute path of bin/satchel. */
  bin: string;
  configFile?: string;
  /** systemd time span between oneshot runs; default 5min. */
  interval: string;
}

export interface UnitFile { name: string; text: string }

export const SYSTEMD_USAGE = `usage: satchel systemd [--install] [--timer-interval SPAN] [-c FILE]
  prints systemd user units: satchel.service + satchel.timer (a sync every SPAN, default 5min)
  and satchel-daemon.service (one long-running process: autorefresh and IDLE); enable one style.
  --install writes them to $XDG_CONFIG_HOME/systemd/user/ (default ~/.config/systemd/user/).`;

/** One ExecStart word, quoted for systemd: specifiers (%) and variables ($) are escaped too. */
export function systemdWord(w: string): string {
  const escaped = w.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const SPAN = /^(\d+(\.\d+)?\s*(us|usec|ms|msec|s|sec|second|seconds|m|min|minute|minutes|h|hr|hour|hours|d|day|days|w|week|weeks)\s*)+$/;

export function isTimeSpan(s: string): boolean {
  return SPAN.test(s.trim()) && !/^\s*0+(\.0+)?\s*[a-z]*\s*$/.test(s);
}

export function renderUnits(o: UnitOptions): UnitFile[] {
  const exec = (...args: string[]) => [o.node, o.bin, ...(o.configFile ? ['-c', o.configFile] : []), ...args].map(systemdWord).join(' ');
  return [
    { name: 'satchel.service', text: `[Unit]
Description=Satchel mail sync (one pass; started by satchel.timer)
Conflicts=satchel-daemon.service

[Service]
Type=oneshot
ExecStart=${exec('-o', '-u', 'quiet')}
TimeoutStopSec=120
` },
    { name: 'satchel.timer', text: `[Unit]
Description=Satchel mail sync every ${o.interval}

[Timer]
OnBootSec=1min
OnUnitInactiveSec=${o.interval}

[Install]
WantedBy=timers.target
` },
    { name: 'satchel-daemon.service', text: `[Unit]
Description=Satchel mail sync (long-running: autorefresh and IDLE)
Conflicts=satchel.timer satchel.service

[Service]
Type=simple
ExecStart=${exec('-u', 'basic')}
ExecReload=/bin/kill -USR1 $MAINPID
KillSignal=SIGTERM
TimeoutStopSec=60
Restart=on-failure
RestartSec=60

[Install]
WantedBy=default.target
` },
  ];
}

export function userUnitDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'systemd', 'user');
}

/** bin/satchel of this installation, from the running script (bin/satchel or dist/core/cli/main.js). */
export function resolveBin(argv1: string | undefined): string {
  const script = argv1 ? fs.realpathSync(path.resolve(argv1)) : '';
  if (script.endsWith(path.join('dist', 'core', 'cli', 'main.js'))) {
    const bin = path.resolve(path.dirname(script), '..', '..', '..', 'bin', 'satchel');
    if (fs.existsSync(bin)) return bin;
  }
  return script;
}


export interface SystemdIo { out: NodeJS.WritableStream; err: NodeJS.WritableStream; env: NodeJS.ProcessEnv }

export function systemdCommand(args: string[], io: SystemdIo, self = { node: process.execPath, bin: resolveBin(process.argv[1]) }): number {
  let install = false;
  let interval = '5min';
  let configFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--install') install = true;
    else if (a === '--timer-interval' || a.startsWith('--timer-interval=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v || !isTimeSpan(v)) { io.err.write(`satchel: --timer-interval needs a systemd time span such as 5min, 15m or 1h (got ${v ? `'${v}'` : 'nothing'})\n`); return 2; }
      interval = v.trim();
    } else if (a === '-c') {
      const v = args[++i];
      if (!v) { io.err.write('satchel: option -c needs a value\n'); return 2; }
      configFile = path.resolve(v);
    } else if (a === '-h' || a === '--help') { io.out.write(SYSTEMD_USAGE + '\n'); return 0; }
    else { io.err.write(`satchel: unknown systemd option '${a}'\n${SYSTEMD_USAGE}\n`); return 2; }
  }
  const units = renderUnits({ ...self, interval, configFile });
  if (!install) {
    const dir = userUnitDir(io.env);
    for (const u of units) io.out.write(`# ${path.join(dir, u.name)}\n${u.text}\n`);
    io.out.write('# Write these files with "satchel systemd --install", then enable ONE of the two styles (see above).\n');
    return 0;
  }
  const dir = userUnitDir(io.env);
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const u of units) writeFileAtomic(path.join(dir, u.name), u.text, 0o644);
  } catch (e) {
    io.err.write(`satchel: cannot write the units into ${dir}: ${(e as Error).message}\n`);
    return 1;
  }
  io.out.write(`Wrote ${units.map((u) => u.name).join(', ')} to ${dir}.\nNow run ONE of:\n` +
    `  systemctl --user daemon-reload && systemctl --user enable --now satchel.timer            # a sync every ${interval}\n` +
    `  systemctl --user daemon-reload && systemctl --user enable --now satchel-daemon.service   # one long-running process (autorefresh, IDLE)\n` +
    'To keep syncing while you are logged out: loginctl enable-linger "$USER"\n');
  return 0;
}
