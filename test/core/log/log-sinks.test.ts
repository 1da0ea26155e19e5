// The log sinks of -l and -s: the file is appended (never truncated) with one timestamped
// line per entry and created 0600; syslog entries reach a real unix datagram socket through
// util-linux `logger` with the right priority and tag; a missing socket fails with the fix.

import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatLogLine, openLogFile } from '../../../core/log/log-sink.js';
import { openSyslog } from '../../../core/log/syslog-sink.js';
import { tempDir } from '../engine/engine-fixtures.js';

describe('log file', () => {
  it('appends timestamped lines, one per entry, to a 0600 file', async () => {
    const file = path.join(tempDir(), 'x.log');
    fs.writeFileSync(file, 'earlier\n', { mode: 0o600 });
    let t = Date.UTC(2026, 10, 22, 1, 2, 3, 4);
    const sink = openLogFile(file, () => new Date(t++));
    sink.write('info', 'main: INBOX: synced');
    sink.write('error', 'main: two\nlines');
    await sink.close();
    sink.write('info', 'after close is ignored');
    expect(fs.readFileSync(file, 'utf8')).toBe('earlier\n2026-11-22T01:02:03.004Z INFO    main: INBOX: synced\n' +
      '2026-11-22T01:02:03.005Z ERROR   main: two lines\n');
    const fresh = path.join(path.dirname(file), 'new.log');
    await openLogFile(fresh).close();
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
    expect(formatLogLine('debug', 'x', new Date(0))).toBe('1970-01-01T00:00:00.000Z DEBUG   x\n');
  });
});

describe('syslog', () => {
  it('sends each entry as one datagram with priority and tag through logger', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'log.sock');
    const out = path.join(dir, 'received');
    // a tiny syslog daemon: a unix datagram socket that writes each datagram on a line
    const py = spawn('python3', ['-c', `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); print("ready", flush=True)
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(65536).decode() + "\\n"); f.flush()`, sock, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => py.stdout.once('data', r));
    try {
      const errors: string[] = [];
      const sink = await openSyslog({ socket: sock, onError: (m) => errors.push(m) });
      sink.write('info', 'main: INBOX: synced');
      sink.write('error', 'main: login failed');
      await sink.close();
      const deadline = Date.now() + 5000;
      while ((!fs.existsSync(out) || fs.readFileSync(out, 'utf8').split('\n').length < 3) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const got = fs.readFileSync(out, 'utf8').trim().split('\n');
      expect(got).toHaveLength(2);
      expect(got[0]).toMatch(new RegExp(`^<14>.* satchel\\[${process.pid}\\]: main: INBOX: synced$`));
      expect(got[1]).toMatch(/^<11>.* satchel\[\d+\]: main: login failed$/);
      expect(errors).toEqual([]);
    } finally {
      py.kill();
    }
  });

  it('fails with a clear message when there is no syslog socket or no logger command', async () => {
    await expect(openSyslog({ socket: path.join(tempDir(), 'none') })).rejects.toThrow(/no syslog socket at .*none.*Drop -s.*use -l FILE/);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'sock'), '');
    await expect(openSyslog({ socket: path.join(dir, 'sock'), command: path.join(dir, 'no-logger') })).rejects.toThrow(/"logger" command is not installed.*bsdutils/);
  });
});
