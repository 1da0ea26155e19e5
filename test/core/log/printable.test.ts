// Escape sequences from a server never reach the terminal or the -l log raw: the sanitizer on
// its own, the ttyui status block with a hostile folder name, and the real command line against
// a rogue IMAP listener whose greeting and LOGIN refusal carry terminal escapes (title change,
// screen clear, bell, bidi override): stdout, stderr and the log file show them as text.

import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printable } from '../../../core/log/printable.js';
import { formatLogLine } from '../../../core/log/log-sink.js';
import { renderStatus } from '../../../core/cli/tty-render.js';
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-imap.js';
import { spawn } from 'node:child_process';
import { requireBuiltCli, SATCHEL_BIN, writeRc } from '../../helpers/cli-run.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;
const HOSTILE = 'Inbox\x1b]0;owned\x07\x1b[2J\r\x08\u202eevil\x9b31m';

let server: ScriptedServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('printable', () => {
  it('shows control characters, C1 and bidi overrides as visible escapes and keeps the rest', () => {
    expect(printable(HOSTILE)).toBe('Inbox\\x1b]0;owned\\x07\\x1b[2J\\x0d\\x08\\u202eevil\\x9b31m');
    expect(printable('a\nb\tc')).toBe('a\\x0ab\tc');
    expect(printable('a\nb\x1b', { multiline: true })).toBe('a\nb\\x1b');
    expect(printable('Entwürfe 📬 日本')).toBe('Entwürfe 📬 日本');
  });

  it('the log line and the ttyui status block carry no raw control character', () => {
    expect(formatLogLine('error', `folder ${HOSTILE}\nnext`, new Date(0))).not.toMatch(RAW_CONTROL);
    const lines = renderStatus([{ account: `a${HOSTILE}`, state: 'syncing', foldersDone: 0, active: [{ folder: HOSTILE, messagesDone: 1, bytesDone: 10 }] }], 200);
    for (const l of lines) expect(l).not.toMatch(RAW_CONTROL);
    expect(lines.join('\n')).toContain('\\x1b[2J');
  });

  it('a rogue server\'s escapes in its greeting and LOGIN refusal reach neither the terminal nor the -l log raw', async () => {
    requireBuiltCli();
    server = await startScriptedServer((sock) => {
      sock.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN X-\x1b[2J] hello\x1b]0;owned\x07\r\n');
      sock.on('data', (d) => {
        for (const line of d.toString().split('\r\n').filter(Boolean)) {
          const [tag, cmd] = line.split(' ');
          const c = cmd?.toUpperCase();
          if (c === 'CAPABILITY') sock.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN X-\x1b[2J\r\n${tag} OK done\r\n`);
          else if (c === 'LOGIN' || c === 'AUTHENTICATE') sock.write(`${tag} NO [AUTHENTICATIONFAILED] Wrong\x1b]0;owned\x07\x1b[2J\u202epassword\r\n`);
          else if (c === 'LOGOUT') sock.end(`* BYE\r\n${tag} OK bye\r\n`);
          else sock.write(`${tag} OK fine\r\n`);
        }
      });
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-printable-'));
    try {
      const rc = writeRc(dir, { port: server.port, user: 'me', password: 'pw' });
      const log = path.join(dir, 'satchel.log');
      // Spawned asynchronously: the rogue server answers from this process's event loop.
      const child = spawn(process.execPath, [SATCHEL_BIN, '-o', '-c', rc, '-l', log, '-u', 'basic', '-d', 'imap'], { env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
      const r = { out: '', err: '', code: null as number | null };
      child.stdout.on('data', (d) => { r.out += d; });
      child.stderr.on('data', (d) => { r.err += d; });
      r.code = await new Promise((resolve) => child.once('exit', resolve));
      expect(r.code).not.toBe(0);
      const logText = fs.readFileSync(log, 'utf8');
      for (const [name, text] of [['stdout', r.out], ['stderr', r.err], ['log', logText]] as const) {
        expect(text, name).not.toMatch(RAW_CONTROL);
      }
      // The server's text is still there, visibly escaped, for the person reading the log.
      expect(r.err + logText).toContain('\\x1b]0;owned\\x07');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
