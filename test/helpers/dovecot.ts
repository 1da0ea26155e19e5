// Test helper: a private Dovecot 2.3 instance per test file, on free loopback ports, with its
// own config, passwd-file users, Maildir++ mail under <dir>/mail/<user> and a self-signed cert.
// It owns that instance's lifecycle (start, reset, stop) and seeding/inspection clients.
// It must never touch the system Dovecot, its config or any directory outside its mkdtemp dir
// (apart from creating the unprivileged system user `satcheltest` that owns the mail files).

import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ImapFlow } from 'imapflow';
import { plainClient, resetOverImap } from './imap-test-account.js';

const run = promisify(execFile);
const MAIL_USER = 'satcheltest';

export interface DovecotServer {
  host: '127.0.0.1';
  /** Plain IMAP port (STARTTLS offered, plaintext LOGIN allowed). */
  port: number;
  /** Implicit TLS (IMAPS) port. */
  tlsPort: number;
  /** Base directory of this instance (config, logs, mail). */
  dir: string;
  certPath: string;
  /** sha256 of the DER certificate, lowercase hex without colons. */
  certFingerprint: string;
  certFingerprintSha1: string;
  mailDir(user: string): string;
  addUser(user: string, password?: string): Promise<void>;
  stop(): Promise<void>;
  /** Deletes every folder of the user except INBOX and empties INBOX. */
  reset(user: string): Promise<void>;
  /** A logged-in imapflow client on the plain port (caller logs out). */
  client(user: string): Promise<ImapFlow>;
  /** Appends a message (creating the folder if needed); returns its UID. */
  appendMessage(user: string, folder: string, raw: string | Buffer, flags?: string[], internalDate?: Date): Promise<number | undefined>;
  logTail(lines?: number): Promise<string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function ensureMailUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const { stdout: u } = await run('id', ['-u', MAIL_USER]);
    const { stdout: g } = await run('id', ['-g', MAIL_USER]);
    return { uid: Number(u.trim()), gid: Number(g.trim()) };
  };
  try {
    return await ids();
  } catch {
    try {
      await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', MAIL_USER]);
    } catch { /* created concurrently by another test run: checked below */ }
    return ids();
  }
}

export async function waitForPort(port: number, timeoutMs: number, greeting: boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      const done = (v: boolean) => { s.destroy(); resolve(v); };
      s.setTimeout(1000, () => done(false));
      s.once('error', () => done(false));
      if (greeting) s.once('data', (d) => done(d.toString().startsWith('* OK')));
      else s.once('connect', () => done(true));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export interface DovecotOptions {
  users?: string[];
  /**
   * What the server advertises and allows instead of Dovecot's full set, e.g.
   * 'IMAP4rev1 LITERAL+ SASL-IR IDLE NAMESPACE' (no UIDPLUS, CONDSTORE, QRESYNC, LIST-STATUS, MOVE).
   */
  capabilities?: string;
  /** The personal namespace; default prefix '' and separator '/'. Courier-like: { prefix: 'INBOX.', separator: '.' }. */
  namespace?: { prefix: string; separator: string };
  /**
   * Also accept OAuth2 access tokens (SASL XOAUTH2 / OAUTHBEARER), checked by an oauth2 passdb that
   * introspects every token at `introspectionUrl` (RFC 7662, POST). `mechanisms` limits what is
   * offered (default both). Passwords keep working for the plain mechanisms.
   */
  oauth2?: { introspectionUrl: string; mechanisms?: Array<'xoauth2' | 'oauthbearer'> };
}

function config(dir: string, uid: number, port: number, tlsPort: number, opts: DovecotOptions): string {
  const ns = opts.namespace ?? { prefix: '', separator: '/' };
  return `# private test instance written by test/helpers/dovecot.ts
instance_name = satcheltest-${path.basename(dir)}
base_dir = ${dir}/run
state_dir = ${dir}/state
protocols = imap
listen = 127.0.0.1
log_path = ${dir}/log/dovecot.log
info_log_path = ${dir}/log/dovecot.info.log
ssl = yes
ssl_cert = <${dir}/ssl/cert.pem
ssl_key = <${dir}/ssl/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth2 ? ` ${oauthMechanisms(opts)}\nauth_failure_delay = 0` : ''}
first_valid_uid = ${uid}
last_valid_uid = ${uid}
mail_location = maildir:~/
mail_privileged_group =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/users
${opts.oauth2 ? '  mechanisms = plain login\n' : ''}}
${opts.oauth2 ? `passdb {
  driver = oauth2
  mechanisms = ${oauthMechanisms(opts)}
  args = ${dir}/dovecot-oauth2.conf.ext
}` : ''}
userdb {
  driver = passwd-file
  args = username_format=%n ${dir}/users
}
namespace inbox {
  inbox = yes
  separator = ${ns.separator}
  prefix = ${ns.prefix}
}
protocol imap {
  mail_max_userip_connections = 100
${opts.capabilities ? `  imap_capability = ${opts.capabilities}\n` : ''}}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
`;
}

const oauthMechanisms = (opts: DovecotOptions) => (opts.oauth2?.mechanisms ?? ['xoauth2', 'oauthbearer']).join(' ');

/** The oauth2 passdb's settings: every token is introspected; an inactive one is a failed login. */
const oauth2Config = (introspectionUrl: string) => `introspection_url = ${introspectionUrl}
introspection_mode = post
username_attribute = username
active_attribute = active
active_value = true
force_introspection = yes
`;

export async function startDovecot(opts: DovecotOptions = {}): Promise<DovecotServer> {
  const { uid, gid } = await ensureMailUser();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'satchel-dc-'));
  await fs.chmod(dir, 0o755);
  for (const d of ['run', 'state', 'log', 'ssl', 'mail']) await fs.mkdir(path.join(dir, d));
  await fs.chmod(path.join(dir, 'mail'), 0o755);
  const certPath = path.join(dir, 'ssl', 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', path.join(dir, 'ssl', 'key.pem'), '-out', certPath]);
  await fs.chmod(path.join(dir, 'ssl', 'key.pem'), 0o600);
  const x509 = new X509Certificate(await fs.readFile(certPath));
  const hex = (fp: string) => fp.replace(/:/g, '').toLowerCase();

  const usersFile = path.join(dir, 'users');
  const passwords = new Map<string, string>();
  const mailDir = (user: string) => path.join(dir, 'mail', user);
  const addUser = async (user: string, password = `${user}pw`) => {
    if (!/^[a-z0-9._-]+$/i.test(user)) throw new Error(`unsafe user name ${user}`);
    passwords.set(user, password);
    await fs.mkdir(mailDir(user), { recursive: true });
    await fs.chown(mailDir(user), uid, gid);
    const lines = [...passwords].map(([u, p]) => `${u}:{PLAIN}${p}:${uid}:${gid}::${mailDir(u)}\n`).join('');
    await fs.writeFile(usersFile, lines, { mode: 0o644 });
  };
  for (const u of opts.users ?? ['alice', 'bob']) await addUser(u);

  const [port, tlsPort] = [await freePort(), await freePort()];
  const confPath = path.join(dir, 'dovecot.conf');
  await fs.writeFile(confPath, config(dir, uid, port, tlsPort, opts));
  if (opts.oauth2) await fs.writeFile(path.join(dir, 'dovecot-oauth2.conf.ext'), oauth2Config(opts.oauth2.introspectionUrl), { mode: 0o644 });
  const logTail = async (lines = 30) => {
    const parts: string[] = [];
    for (const f of ['dovecot.log', 'dovecot.info.log']) {
      const text = await fs.readFile(path.join(dir, 'log', f), 'utf8').catch(() => '');
      if (text) parts.push(`--- ${f}\n${text.split('\n').slice(-lines).join('\n')}`);
    }
    return parts.join('\n');
  };
  const masterPid = async () => Number((await fs.readFile(path.join(dir, 'run', 'master.pid'), 'utf8')).trim());
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  const kill = async () => {
    let pid: number;
    try { pid = await masterPid(); } catch { return; }
    if (!alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  };
  /** Stops the master (and so every child) and removes the instance's directory (SATCHEL_KEEP_DOVECOT=1 keeps it). */
  const stop = async () => {
    await kill();
    if (!process.env.SATCHEL_KEEP_DOVECOT) await fs.rm(dir, { recursive: true, force: true });
  };

  // dovecot daemonizes and its children keep inherited pipes open: send its output to a file.
  const errPath = path.join(dir, 'log', 'startup.err');
  const errFile = await fs.open(errPath, 'w');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/usr/sbin/dovecot', ['-c', confPath], { stdio: ['ignore', errFile.fd, errFile.fd] });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  }).finally(() => errFile.close());
  if (code !== 0) {
    throw new Error(`dovecot failed to start (exit ${code}): ${await fs.readFile(errPath, 'utf8')}\n${await logTail()}`);
  }
  if (!(await waitForPort(port, 10_000, true)) || !(await waitForPort(tlsPort, 5000, false))) {
    const tail = await logTail();
    await kill();
    throw new Error(`dovecot did not accept connections on 127.0.0.1:${port}\n${tail}`);
  }

  const client = (user: string) => plainClient(port, user, passwords.get(user) ?? `${user}pw`);

  const sep = opts.namespace?.separator ?? '/';
  const reset = (user: string) => resetOverImap(client, user, sep);


  const appendMessage = async (user: string, folder: string, raw: string | Buffer, flags: string[] = [], internalDate?: Date) => {
    const c = await client(user);
    try {
      if (folder.toUpperCase() !== 'INBOX') await c.mailboxCreate(folder).catch(() => {});
      const res = await c.append(folder, raw, flags, internalDate);
      return res ? res.uid : undefined;
    } finally {
      await c.logout().catch(() => c.close());
    }
  };

  return {
    host: '127.0.0.1', port, tlsPort, dir, certPath,
    certFingerprint: hex(x509.fingerprint256), certFingerprintSha1: hex(x509.fingerprint),
    mailDir, addUser, stop, reset, client, appendMessage, logTail,
  };
}

/** A small RFC 5322 message with CRLF line endings. */
export function makeMessage(m: { subject: string; from?: string; to?: string; messageId?: string; body?: string; date?: Date }): string {
  const headers = [
    `From: ${m.from ?? 'Alice <alice@example.org>'}`,
    `To: ${m.to ?? 'Bob <bob@example.org>'}`,
    `Subject: ${m.subject}`,
    `Date: ${(m.date ?? new Date('2024-01-02T03:04:05Z')).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${m.messageId ?? `<${Math.random().toString(36).slice(2)}.${Date.now()}@example.org>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  const body = (m.body ?? `Body of ${m.subject}\n`).replace(/\r?\n/g, '\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}
