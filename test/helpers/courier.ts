// Test helper: a private Courier IMAP 5 (Debian packages unpacked once into a shared cache, never
// installed: they conflict with dovecot-imapd) on a free loopback port, with Debian's own imapd
// settings, an authlib userdb built with the unpacked makedatprog, and Maildirs owned by
// `satcheltest`. Courier reads fixed paths (/etc/courier, /usr/lib/courier, /run/courier), so it
// runs in a private mount namespace (unshare -m, needs root) over overlay mounts; it must never
// change the real /etc, /usr or /run, nor anything outside its cache and its mkdtemp directory.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureMailUser, freePort, waitForPort } from './dovecot.js';
import { unpackedLibPath, unpackPackages } from './debian-packages.js';
import { appendOverImap, plainClient, resetOverImap, stopProcessGroup, type TestImapServer } from './imap-test-account.js';

const run = promisify(execFile);
const PACKAGES = ['courier-imap', 'courier-base', 'courier-authlib', 'courier-authdaemon', 'courier-authlib-userdb',
  'libcourier-unicode4', 'libidn12', 'libgamin0', 'libltdl7', 'gamin'];
const CACHE = path.join(os.tmpdir(), 'satchel-courier-5');
const MAKEDAT = 'usr/lib/courier/courier-authlib/makedatprog';

export type CourierServer = TestImapServer;

/** The unpacked packages (cached across test files); throws with the reason when Courier cannot run here. */
export async function unpackCourier(): Promise<string> {
  if (process.getuid?.() !== 0) {
    throw new Error('Courier reads fixed paths under /etc/courier, so it runs in a private mount namespace, which needs root (CI runs as root)');
  }
  const root = await unpackPackages(CACHE, PACKAGES,
    ['usr/bin/imapd', 'usr/sbin/couriertcpd', 'usr/lib/courier/courier/imaplogin', 'usr/lib/courier/courier-authlib/authdaemond', MAKEDAT,
      'usr/libexec/gam_server']);
  const probe = await fs.mkdtemp(path.join(os.tmpdir(), 'satchel-courier-probe-'));
  try {
    await run('unshare', ['-m', 'sh', '-c', `mount -t tmpfs tmpfs '${probe}'`]);
  } catch (e) {
    throw new Error(`no private mount namespace here (unshare -m: ${(e as Error).message.split('\n')[0]})`);
  } finally {
    await fs.rm(probe, { recursive: true, force: true });
  }
  return root;
}

/** Runs inside the namespace: our etc/courier over the packages' over the real /etc, the packages' /usr, a private /run. */
const START = `set -e
mount -t overlay overlay -o "lowerdir=$RUN/etc:$PKG/etc:/etc" /etc
mount -t overlay overlay -o "lowerdir=$PKG/usr:/usr" /usr
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/courier/authdaemon
/usr/lib/courier/courier-authlib/authdaemond &
for i in $(seq 100); do [ -S /run/courier/authdaemon/socket ] && break; sleep 0.05; done
set -a
. /etc/courier/imapd
exec /usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=40 -maxperip=40 $TCPDOPTS "$SATCHEL_PORT" \\
  /usr/lib/courier/courier/imaplogin /usr/bin/imapd "$MAILDIRPATH"
`;

/** Lines for makedatprog: "key<TAB>value", a blank line, and "." at the end. */
async function makeDat(root: string, lines: string[], out: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const p = spawn(path.join(root, MAKEDAT), ['-', `${out}.tmp`, out], { env: { ...process.env, LD_LIBRARY_PATH: unpackedLibPath(root) }, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`makedatprog ${out}: ${err}`))));
    p.stdin.end(`${lines.join('\n')}\n\n.\n`);
  });
}

export async function startCourier(opts: { users?: string[] } = {}): Promise<CourierServer> {
  const root = await unpackCourier();
  const { uid, gid } = await ensureMailUser();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'satchel-co-'));
  await fs.chmod(dir, 0o755); // imapd runs as the mail user and must reach home/<user>
  const etc = path.join(dir, 'etc', 'courier');
  await fs.mkdir(etc, { recursive: true });
  await fs.mkdir(path.join(dir, 'log'));
  await fs.writeFile(path.join(etc, 'authdaemonrc'),
    'authmodulelist="authuserdb"\nauthmodulelistorig="authuserdb"\ndaemons=2\nauthdaemonvar=/run/courier/authdaemon\nDEBUG_LOGIN=0\nDEFAULTOPTIONS=""\nLOGGEROPTS=""\n');
  const users = opts.users ?? ['alice'];
  const db: string[] = [], shadow: string[] = [];
  for (const user of users) {
    if (!/^[a-z0-9._-]+$/i.test(user)) throw new Error(`unsafe user name ${user}`);
    const home = path.join(dir, 'home', user);
    for (const d of ['cur', 'new', 'tmp']) await fs.mkdir(path.join(home, 'Maildir', d), { recursive: true });
    const hash = (await run('openssl', ['passwd', '-6', `${user}pw`])).stdout.trim();
    db.push(`${user}\tuid=${uid}|gid=${gid}|home=${home}|mail=${home}/Maildir|_=`);
    shadow.push(`${user}\tsystempw=${hash}`);
  }
  await makeDat(root, db, path.join(etc, 'userdb.dat'));
  await makeDat(root, shadow, path.join(etc, 'userdbshadow.dat'));
  await run('chown', ['-R', `${uid}:${gid}`, path.join(dir, 'home')]);
  await fs.writeFile(path.join(dir, 'start.sh'), START);

  const port = await freePort();
  const logPath = path.join(dir, 'log', 'courier.log');
  const log = await fs.open(logPath, 'w');
  const server = spawn('unshare', ['-m', 'sh', path.join(dir, 'start.sh')], {
    cwd: dir, // nothing the server writes lands in the test's working directory
    env: { PATH: process.env.PATH, RUN: dir, PKG: root, SATCHEL_PORT: String(port), LD_LIBRARY_PATH: '/usr/lib:/usr/lib/x86_64-linux-gnu' },
    stdio: ['ignore', log.fd, log.fd], detached: true,
  });
  await log.close();
  // Everything that runs in this instance's mount namespace is ours (gam_server, started by imapd
  // for IDLE, leaves the process group): stop() ends exactly those processes.
  let namespace: string | undefined;
  const inNamespace = async () => {
    const pids: number[] = [];
    for (const p of await fs.readdir('/proc')) {
      if (/^\d+$/.test(p) && Number(p) !== server.pid && namespace && await fs.readlink(`/proc/${p}/ns/mnt`).catch(() => '') === namespace) pids.push(Number(p));
    }
    return pids;
  };
  const stop = async () => {
    for (const pid of await inNamespace()) try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    await stopProcessGroup(server);
    if (!process.env.SATCHEL_KEEP_COURIER) await fs.rm(dir, { recursive: true, force: true });
  };
  if (!(await waitForPort(port, 10_000, true))) {
    const text = await fs.readFile(logPath, 'utf8').catch(() => '');
    await stop();
    throw new Error(`courier did not accept connections on 127.0.0.1:${port}\n${text}`);
  }
  // Read once it listens (unshare has run by then), and never the test's own namespace.
  const ours = await fs.readlink(`/proc/${server.pid}/ns/mnt`).catch(() => undefined);
  if (ours !== undefined && ours !== await fs.readlink('/proc/self/ns/mnt')) namespace = ours;

  const client = (user: string) => plainClient(port, user, `${user}pw`);
  const reset = (user: string) => resetOverImap(client, user, '.');
  const appendMessage = (user: string, folder: string, raw: string | Buffer, flags: string[] = []) => appendOverImap(client, user, folder, raw, flags);
  return { host: '127.0.0.1', port, dir, client, appendMessage, reset, stop };
}
