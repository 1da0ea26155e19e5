// `satchel --info` says, per account, where the password, user and host come from when they
// were translated from Python (with the expression and its file:line), the proxy, and each
// rule as Satchel runs it; an account that cannot be translated is one error line on stderr.
// The server here is unreachable on purpose: these lines come before any connection.

import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { requireBuiltCli, runSatchel } from '../../helpers/cli-run.js';
import { tempDir } from '../engine/engine-fixtures.js';

beforeAll(() => requireBuiltCli());

describe('satchel --info', () => {
  it('shows the translated password, user and host sources, the proxy and the rules', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'helpers.py'), 'import subprocess\n\ndef get_pass(name):\n    return subprocess.check_output(["pass", "show", name]).strip()\n\nm = {"INBOX": "inbox"}\n\ndef nt(f):\n    return m.get(f, f)\n');
    const rc = path.join(dir, 'rc');
    fs.writeFileSync(rc, `[general]\naccounts = work, broken\npythonfile = ${dir}/helpers.py\nmetadata = ${dir}/state\n\n` +
      `[Account work]\nlocalrepository = wl\nremoterepository = wr\nproxy = SOCKS5:127.0.0.1:1\n[Repository wl]\ntype = Maildir\nlocalfolders = ${dir}/Mail\n` +
      `[Repository wr]\ntype = IMAP\nremotehosteval = "127.0.0.1"\nremoteport = 1\nssl = no\nstarttls = no\nremoteusereval = os.environ["WORK_USER"]\nremotepasseval = get_pass("mail/work")\nnametrans = nt\n\n` +
      `[Account broken]\nlocalrepository = bl\nremoterepository = br\n[Repository bl]\ntype = Maildir\nlocalfolders = ${dir}/Mail2\n` +
      `[Repository br]\ntype = IMAP\nremotehost = h\nremoteuser = u\nremotepasseval = open_vault("work")\n`);
    const r = runSatchel(['-c', rc, '--info'], { env: { ...process.env, WORK_USER: 'me@work.example' } });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`host: 127.0.0.1 (written in the Python code — from remotehosteval "127.0.0.1", ${rc}:15)`);
    expect(r.out).toContain(`user: me@work.example (environment variable WORK_USER — from remoteusereval os.environ["WORK_USER"], ${rc}:19)`);
    expect(r.out).toContain(`password: command "pass show mail/work" (first line of its output, run without a shell) — from remotepasseval get_pass("mail/work"), ${dir}/helpers.py:4`);
    expect(r.out).toContain('proxy: SOCKS5 127.0.0.1:1 (proxy = SOCKS5:127.0.0.1:1; never bypassed)');
    expect(r.out).toContain(`nametrans translated: lambda f: {'INBOX': 'inbox'}.get(f, f) — from nt (it calls nt() of ${dir}/helpers.py:8); rule [{"op":"map","table":{"INBOX":"inbox"}}]`);
    expect(r.out).toContain('Failed to connect: Cannot connect through the SOCKS5 proxy 127.0.0.1:1');
    expect(r.out).not.toContain('Account broken');
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/rc:\d+: \[Repository br\] remotepasseval = open_vault\("work"\) cannot be translated: 'open_vault' is not defined in the pythonfile\. Write instead: passcmd = .* Account 'broken' is not synced; the other accounts are\.$/)]);
  });
});
