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
import { ensureMailUser, freePort, waitForPort } from './dovecot.js';
import { unpackedLibPath as libPath, unpackPackages } from './debian-packages.js';
import { appendOverImap, plainClient, resetOverImap, stopProcessGroup, type TestImapServer } from './imap-test-account.js';

const run = promisify(execFile);
const PACKAGES = ['cyrus-common', 'cyrus-imapd', 'sasl2-bin', 'libxapian30', 'libpcre3', 'libical3'];
const CACHE = path.join(os.tmpdir(), 'satchel-cyrus-3.6');
const ADMIN = 'cyrusadmin';

export type CyrusServer = TestImapServer;

/** The unpacked packages (cached across test files); throws with the reason when they cannot be had. */
export function unpackCyrus(): Promise<string> {
  return unpackPackages(CACHE, PACKAGES, ['usr/lib/cyrus/bin/master', 'usr/lib/cyrus/bin/imapd', 'usr/sbin/saslpasswd2']);
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
    await stopProcessGroup(master);
    if (!process.env.SATCHEL_KEEP_CYRUS) await fs.rm(dir, { recursive: true, force: true });
  };
  if (!(await waitForPort(port, 10_000, true))) {
    const text = await fs.readFile(logPath, 'utf8').catch(() => '');
    await stop();
    throw new Error(`cyrus did not accept connections on 127.0.0.1:${port}\n${text}`);
  }

  const client = (user: string) => plainClient(port, user, passwords.get(user) ?? `${user}pw`);
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

  const reset = (user: string) => resetOverImap(client, user, '/');
  const appendMessage = (user: string, folder: string, raw: string | Buffer, flags: string[] = []) => appendOverImap(client, user, folder, raw, flags);
  return { host: '127.0.0.1', port, dir, client, appendMessage, reset, stop };
}
