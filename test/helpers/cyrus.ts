// Test helper: a private Cyrus IMAP 3.6 (Debian packages fetched with `apt-get download` and
// unpacked once into a cache shared by test files, never installed: they conflict with
// dovecot-imapd) on a free loopback port, with `unixhierarchysep` and `altnamespace`, an sasldb
// of its own, and mailboxes created by an admin over IMAP. It must never touch the system's
// packages or configuration, nor anything outside its cache and its mkdtemp directory.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { ensureMailUser, freePort, waitForPort } from './dovecot.js';

const run = promisify(execFile);
const PACKAGES = ['cyrus-common', 'cyrus-imapd', 'sasl2-bin', 'libxapian30', 'libpcre3', 'libical3'];
const CACHE = path.join(os.tmpdir(), 'satchel-cyrus-3.6');
const ADMIN = 'cyrusadmin';

export interface CyrusServer {
  host: '127.0.0.1';
  port: number;
  dir: string;
  client(user: string): Promise<ImapFlow>;
  appendMessage(user: string, folder: string, raw: string | Buffer, flags?: string[]): Promise<number | undefined>;
  /** Deletes every folder of the user except INBOX and empties INBOX. */
  reset(user: string): Promise<void>;
  stop(): Promise<void>;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/**
 * Downloads and unpacks the packages once (a `done` marker; concurrent test files wait on a
 * lock directory). Returns the unpacked root. Throws with the reason when it cannot be done.
 */
export async function unpackCyrus(): Promise<string> {
  const root = path.join(CACHE, 'root');
  const done = path.join(CACHE, 'done');
  await fs.mkdir(CACHE, { recursive: true });
  const lock = path.join(CACHE, 'lock');
  for (let i = 0; !(await exists(done)); i++) {
    try {
      await fs.mkdir(lock);
    } catch {
      if (i > 600) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (await exists(done)) break;
      const debs = path.join(CACHE, 'debs');
      await fs.rm(debs, { recursive: true, force: true });
      await fs.mkdir(debs);
      await run('apt-get', ['download', ...PACKAGES], { cwd: debs });
      await fs.rm(root, { recursive: true, force: true });
      for (const deb of await fs.readdir(debs)) await run('dpkg', ['-x', path.join(debs, deb), root]);
      const env = { ...process.env, LD_LIBRARY_PATH: libPath(root) };
      for (const bin of ['usr/lib/cyrus/bin/master', 'usr/lib/cyrus/bin/imapd', 'usr/sbin/saslpasswd2']) {
        const { stdout } = await run('ldd', [path.join(root, bin)], { env });
        const missing = stdout.split('\n').filter((l) => l.includes('not found'));
        if (missing.length) throw new Error(`${bin} needs libraries not unpacked: ${missing.join('; ')}`);
      }
      await fs.writeFile(done, PACKAGES.join(' '));
    } finally {
      await fs.rm(lock, { recursive: true, force: true });
    }
  }
  return root;
}

function libPath(root: string): string {
  return [path.join(root, 'usr/lib/x86_64-linux-gnu'), path.join(root, 'lib/x86_64-linux-gnu')].join(':');
}

export async function startCyrus(opts: { users?: string[] } = {}): Promise<CyrusServer> {
  const root = await unpackCyrus();
  const { uid, gid } = await ensureMailUser();
  const owner = (await run('id', ['-un', String(uid)])).stdout.trim();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'satchel-cy-'));
  for (const d of ['conf', 'spool', 'sieve', 'socket', 'run', 'log']) await fs.mkdir(path.join(dir, d));
  const port = await freePort();
  const conf = path.join(dir, 'imapd.conf');
  await fs.writeFile(conf, [
    `configdirectory: ${dir}/conf`, 'defaultpartition: default', `partition-default: ${dir}/spool`, `sievedir: ${dir}/sieve`,
    `admins: ${ADMIN}`, `cyrus_user: ${owner}`, 'sasl_pwcheck_method: auxprop', 'sasl_auxprop_plugin: sasldb',
    `sasl_sasldb_path: ${dir}/sasldb2`, 'sasl_mech_list: PLAIN LOGIN', 'allowplaintext: yes',
    'unixhierarchysep: yes', 'altnamespace: yes', `lmtpsocket: ${dir}/socket/lmtp`, `idlesocket: ${dir}/socket/idle`,
    `notifysocket: ${dir}/socket/notify`, `mboxname_lockpath: ${dir}/run/lock`, `proc_path: ${dir}/run/proc`,
    `syslog_prefix: satcheltest-cyrus-${port}`, '',
  ].join('\n'));
  const bin = (b: string) => path.join(root, 'usr/lib/cyrus/bin', b);
  await fs.writeFile(path.join(dir, 'cyrus.conf'), `START {
  recover cmd="${bin('ctl_cyrusdb')} -C ${conf} -r"
}
SERVICES {
  imap cmd="${bin('imapd')} -C ${conf}" listen="127.0.0.1:${port}" prefork=0
}
EVENTS {
}
`);
  const env = { ...process.env, LD_LIBRARY_PATH: libPath(root) };
  const passwords = new Map<string, string>();
  const setPassword = async (user: string, password: string) => {
    if (!/^[a-z0-9._-]+$/i.test(user)) throw new Error(`unsafe user name ${user}`);
    passwords.set(user, password);
    await new Promise<void>((resolve, reject) => {
      const p = spawn(path.join(root, 'usr/sbin/saslpasswd2'), ['-p', '-c', '-f', path.join(dir, 'sasldb2'), user], { env, stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => { err += d; });
      p.once('error', reject);
      p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`saslpasswd2 ${user}: ${err}`))));
      p.stdin.end(password);
    });
  };
  await setPassword(ADMIN, 'adminpw');
  await run('chown', ['-R', `${uid}:${gid}`, dir]);

  const logPath = path.join(dir, 'log', 'master.log');
  const log = await fs.open(logPath, 'w');
  const master = spawn(bin('master'), ['-C', conf, '-M', path.join(dir, 'cyrus.conf'), '-p', path.join(dir, 'run', 'master.pid')],
    { env, stdio: ['ignore', log.fd, log.fd], detached: true });
  await log.close();
  const stop = async () => {
    if (master.exitCode === null && master.pid) {
      try { process.kill(-master.pid, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; i < 100 && master.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      if (master.exitCode === null) try { process.kill(-master.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (!process.env.SATCHEL_KEEP_CYRUS) await fs.rm(dir, { recursive: true, force: true });
  };
  if (!(await waitForPort(port, 10_000, true))) {
    const text = await fs.readFile(logPath, 'utf8').catch(() => '');
    await stop();
    throw new Error(`cyrus did not accept connections on 127.0.0.1:${port}\n${text}`);
  }

  const client = async (user: string) => {
    const c = new ImapFlow({
      host: '127.0.0.1', port, secure: false, doSTARTTLS: false, logger: false, disableAutoIdle: true,
      auth: { user, pass: passwords.get(user) ?? `${user}pw` },
    });
    c.on('error', () => { /* surfaced by the failing command */ });
    await c.connect();
    return c;
  };
  const addUser = async (user: string, password = `${user}pw`) => {
    await setPassword(user, password);
    const admin = await client(ADMIN);
    try {
      await admin.mailboxCreate(`user/${user}`);
    } finally {
      await admin.logout().catch(() => admin.close());
    }
  };
  for (const u of opts.users ?? ['alice']) await addUser(u);

  const reset = async (user: string) => {
    const c = await client(user);
    try {
      const names = (await c.list()).map((f) => f.path).filter((p) => p.toUpperCase() !== 'INBOX')
        .sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
      for (const name of names) await c.mailboxDelete(name).catch(() => {});
      const inbox = await c.mailboxOpen('INBOX');
      if (inbox.exists) await c.messageDelete('1:*');
      await c.mailboxClose();
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  const appendMessage = async (user: string, folder: string, raw: string | Buffer, flags: string[] = []) => {
    const c = await client(user);
    try {
      if (folder.toUpperCase() !== 'INBOX') await c.mailboxCreate(folder).catch(() => {});
      const res = await c.append(folder, raw, flags);
      if (!res) throw new Error(`cyrus refused the APPEND to ${folder}`);
      return res.uid;
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return { host: '127.0.0.1', port, dir, client, appendMessage, reset, stop };
}
