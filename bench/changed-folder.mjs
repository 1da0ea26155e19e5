#!/usr/bin/env node
// Times a sync of a folder that changed a little, against the folder's size: for each size, a
// private Dovecot (the shared harness's server.sh) gets an INBOX of N small messages, bin/satchel
// syncs it once, the server then gets 10 appends and 10 flag changes (timed sync), the local
// Maildir 10 flag changes that the sync sends to the server (timed sync), and the no-op sync right
// after that is timed too; all with /usr/bin/time (wall s, max RSS).
// With FOLDERS=3 the N messages are spread over three folders (the initial sync's memory).
// Usage: node bench/changed-folder.mjs [N ...]        (default: 1000 100000)
// Env: DIR (/dev/shm/satchel-changed), IMAP_PORT (14243), IMAPS_PORT (14994), HARNESS, FOLDERS (1),
// SATCHEL_BIN (default: this checkout's bin/satchel; build it first with `npm run bundle`),
// SATCHEL_STDOUT (a file that collects satchel's output, e.g. with NODE_OPTIONS=--trace-gc).
// Nothing here talks to anything but 127.0.0.1; `rm -rf $DIR` afterwards frees the RAM.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const harness = process.env.HARNESS ?? path.resolve(root, '../shared/bench');
const DIR = process.env.DIR ?? '/dev/shm/satchel-changed';
const PORT = Number(process.env.IMAP_PORT ?? 14243);
const env = { ...process.env, IMAP_PORT: String(PORT), IMAPS_PORT: process.env.IMAPS_PORT ?? '14994' };
const FOLDERS = Number(process.env.FOLDERS ?? 1);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(1000, 100000);
const server = path.join(DIR, 'server');
const satchel = process.env.SATCHEL_BIN ?? path.join(root, 'bin', 'satchel');
if (!fs.existsSync(path.join(root, 'dist/core/cli/main.js'))) execFileSync('npm', ['run', 'bundle'], { cwd: root, stdio: 'inherit' });

const sh = (...args) => execFileSync(path.join(harness, 'server.sh'), args, { env, stdio: 'ignore' });
const folderNames = ['INBOX', 'Archive', 'Lists'].slice(0, FOLDERS);

function buildCorpus(n) {
  sh('stop', server);
  if (!fs.existsSync(path.join(server, 'dovecot.conf'))) sh('conf', server);
  const mail = path.join(server, 'mail', 'bench');
  fs.rmSync(mail, { recursive: true, force: true });
  const { uid, gid } = owner();
  const mk = (p) => { fs.mkdirSync(p, { recursive: true }); fs.chownSync(p, uid, gid); };
  mk(mail);
  const t0 = Date.parse('2024-01-01T00:00:00Z') / 1000;
  for (const [f, name] of folderNames.entries()) {
    const dir = name === 'INBOX' ? mail : path.join(mail, `.${name}`);
    for (const sub of ['', 'cur', 'new', 'tmp']) mk(path.join(dir, sub));
    if (name !== 'INBOX') fs.writeFileSync(path.join(dir, 'maildirfolder'), '');
    const count = Math.floor(n / FOLDERS) + (f < n % FOLDERS ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const ts = t0 + i * 60;
      const body = message(`${name} ${i}`, `<${f}.${i}@bench.example>`, new Date(ts * 1000));
      const flags = i % 4 === 0 ? '' : i % 9 === 0 ? 'FS' : 'S';
      const file = path.join(dir, 'cur', `${ts}.M${i}P${f}.bench,S=${body.length}:2,${flags}`);
      fs.writeFileSync(file, body);
      fs.chownSync(file, uid, gid);
      fs.utimesSync(file, ts, ts);
    }
  }
  sh('start', server);
}

function owner() {
  const users = fs.readFileSync(path.join(server, 'users'), 'utf8').split('\n')[0].split(':');
  return { uid: Number(users[2]), gid: Number(users[3]) };
}

function message(subject, mid, date) {
  return Buffer.from(`From: Bench <bench@example.org>\nTo: you@example.org\nSubject: ${subject}\n` +
    `Date: ${date.toUTCString()}\nMessage-ID: ${mid}\n\nA small message: ${subject}.\n`);
}

function writeConfig(run) {
  fs.rmSync(run, { recursive: true, force: true });
  fs.mkdirSync(path.join(run, 'meta'), { recursive: true });
  fs.mkdirSync(path.join(run, 'mail'));
  const rc = path.join(run, 'offlineimaprc');
  fs.writeFileSync(rc, `[general]\naccounts = bench\nmetadata = ${run}/meta\nui = quiet\n\n` +
    `[Account bench]\nlocalrepository = local\nremoterepository = remote\n\n` +
    `[Repository local]\ntype = Maildir\nlocalfolders = ${run}/mail\n\n` +
    `[Repository remote]\ntype = IMAP\nremotehost = 127.0.0.1\nremoteport = ${PORT}\nremoteuser = bench\n` +
    `remotepass = bench\nssl = no\nstarttls = no\nmaxconnections = 3\n`);
  return rc;
}

function timed(rc) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', satchel, '-c', rc, '-o', '-u', 'quiet'], { encoding: 'utf8' });
  if (process.env.SATCHEL_STDOUT) fs.appendFileSync(process.env.SATCHEL_STDOUT, r.stdout);
  const last = r.stderr.trim().split('\n').pop();
  if (r.status !== 0) throw new Error(`satchel failed (${r.status}): ${r.stdout}${r.stderr}`);
  const [wall, kb] = last.split(' ').map(Number);
  return { wall, rssMb: Math.round(kb / 1024) };
}

async function changeServer() {
  const c = new ImapFlow({ host: '127.0.0.1', port: PORT, secure: false, doSTARTTLS: false, auth: { user: 'bench', pass: 'bench' }, logger: false });
  await c.connect();
  const lock = await c.getMailboxLock('INBOX');
  try {
    const uids = await c.search({ all: true }, { uid: true });
    for (let i = 0; i < 10; i++) {
      await c.append('INBOX', message(`new ${i}`, `<new.${Date.now()}.${i}@bench.example>`, new Date()), []);
      const uid = uids[Math.floor((i + 0.5) * uids.length / 10)];
      await c.messageFlagsAdd(String(uid), ['\\Flagged'], { uid: true });
    }
  } finally {
    lock.release();
    await c.logout();
  }
}

/** 10 local flag changes as a mail reader makes them: rename to add F (into cur/). */
function changeLocal(run) {
  const inbox = path.join(run, 'mail', 'INBOX');
  const files = ['cur', 'new'].flatMap((d) => fs.readdirSync(path.join(inbox, d)).map((n) => [d, n])).sort((a, b) => (a[1] < b[1] ? -1 : 1));
  for (let i = 0; i < 10; i++) {
    const [d, n] = files[Math.floor((i + 0.3) * files.length / 10)];
    const [base, info = '2,'] = n.split(':');
    const flags = [...new Set(info.slice(2) + 'F')].sort().join('');
    fs.renameSync(path.join(inbox, d, n), path.join(inbox, 'cur', `${base}:2,${flags}`));
  }
}

const rows = [];
try {
for (const n of sizes) {
  buildCorpus(n);
  const rc = writeConfig(path.join(DIR, `run-${n}`));
  const initial = timed(rc);
  const noop = timed(rc);
  await changeServer();
  const changed = timed(rc);
  changeLocal(path.join(DIR, `run-${n}`));
  const local = timed(rc);
  const after = timed(rc);
  rows.push({ n, initial, noop, changed, local, after });
  console.error(`n=${n}: ${JSON.stringify({ initial, noop, changed, local, after })}`);
}
} finally {
  sh('stop', server);
}
const cell = (x) => `${x.wall.toFixed(2)} s / ${x.rssMb} MB`;
console.log(`| messages (${FOLDERS} folder${FOLDERS > 1 ? 's' : ''}) | initial | no-op | server: 10 new + 10 flags | local: 10 flags | no-op right after |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n} | ${cell(r.initial)} | ${cell(r.noop)} | ${cell(r.changed)} | ${cell(r.local)} | ${cell(r.after)} |`);
