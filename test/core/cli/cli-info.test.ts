// `satchel --info` as a child process (bin/satchel, compiled) against a real Dovecot: it prints
// the server capabilities, the folder rules as written and the folder list `remote -> local`
// with filtered folders marked, and it writes nothing (no Maildir root, no state, no folder).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { imapSnapshot, tempDir } from '../engine/engine-fixtures.js';

const BIN = path.resolve('bin/satchel');
let server: DovecotServer;
beforeAll(async () => {
  if (!fs.existsSync('dist/core/cli/main.js')) throw new Error('run "npm run build" before the CLI tests (npm test does)');
  server = await startDovecot({ users: ['dave'] });
  for (const f of ['INBOX', 'Spam', 'Lists/debian', 'Lists/ruby']) {
    await server.appendMessage('dave', f, makeMessage({ subject: f, messageId: `<${f.replace('/', '.')}@t>`, body: 'x\r\n' }), []);
  }
});
afterAll(async () => { await server?.stop(); });

function writeRc(dir: string, remoteExtra: string, localExtra = ''): string {
  const rc = path.join(dir, 'offlineimaprc');
  fs.writeFileSync(rc, `[general]\naccounts = main\nmetadata = ${dir}/state\n\n` +
    `[Account main]\nlocalrepository = local\nremoterepository = remote\n\n` +
    `[Repository local]\ntype = Maildir\nlocalfolders = ${dir}/Mail\n${localExtra}\n` +
    `[Repository remote]\ntype = IMAP\nremotehost = 127.0.0.1\nremoteport = ${server.port}\nremoteuser = dave\nremotepass = davepw\nssl = no\nstarttls = no\n${remoteExtra}\n`);
  return rc;
}

const satchel = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('satchel --info', () => {
  it('prints capabilities, the rules as written and remote -> local with filtered folders; writes nothing', async () => {
    const dir = tempDir();
    const rc = writeRc(dir, `folderfilter = lambda folder: folder not in ['Spam']\nnametrans = lambda folder: re.sub('^Lists/', 'ml-', folder)\nfolderincludes = ['Spam']`,
      "folderfilter = lambda f: f != 'ml-ruby'\n");
    const before = await imapSnapshot(server, 'dave');
    const r = satchel('-c', rc, '--info');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Account main', "Remote repository 'remote': type 'IMAP'", `Host: 127.0.0.1 Port: ${server.port} SSL: no (STARTTLS: no)`]);
    const caps = lines.find((l) => l.startsWith('Server capabilities: '))!;
    expect(caps.split(' ')).toEqual(expect.arrayContaining(['IMAP4rev1', 'CONDSTORE', 'UIDPLUS']));
    expect(lines).toEqual(expect.arrayContaining([
      "folderfilter = lambda folder: folder not in ['Spam']",
      "nametrans = lambda folder: re.sub('^Lists/', 'ml-', folder)",
      'folderincludes = ["Spam"]',
      "Local repository 'local': type 'Maildir'",
      `Root: ${dir}/Mail Sep: .`,
      "folderfilter = lambda f: f != 'ml-ruby'",
      'The Maildir root does not exist yet (the first sync creates it).',
    ]));
    const list = lines.slice(lines.findIndex((l) => l.startsWith('Folder list')) + 1).filter(Boolean).sort();
    expect(list).toEqual([
      ' INBOX -> INBOX (new: created locally at the next sync)',
      ' Lists/debian -> ml-debian (new: created locally at the next sync)',
      ' Lists/ruby -> ml-ruby (filtered: by the local folderfilter)',
      ' Spam -> Spam (new: created locally at the next sync)',
    ]);
    expect(r.out).not.toContain('davepw');
    expect(fs.readdirSync(dir)).toEqual(['offlineimaprc']);
    expect(await imapSnapshot(server, 'dave')).toEqual(before);
  });

  it('marks a collision per folder and exits 1; -f marks the other folders', async () => {
    await server.appendMessage('dave', 'SPAM', makeMessage({ subject: 's', messageId: '<s@t>', body: 'x\r\n' }), []);
    const dir = tempDir();
    const rc = writeRc(dir, 'nametrans = lambda folder: folder.lower()');
    const r = satchel('-c', rc, '--info');
    expect(r.code).toBe(1);
    const problem = ' (NOT SYNCED: The server folders "SPAM" and "Spam" would all be stored locally as "spam" (nametrans = lambda folder: folder.lower()). ' +
      'They are not synced; exclude all but one with folderfilter, change the nametrans, or rename one on the server.)';
    expect(r.out).toContain(` Spam -> spam${problem}\n`);
    expect(r.out).toContain(` SPAM -> spam${problem}\n`);
    expect(r.out).toContain(' Lists/debian -> lists.debian (new: created locally at the next sync)\n');
    const f = satchel('-c', rc, '--info', '-f', 'INBOX');
    expect(f.code).toBe(0);
    expect(f.out).toContain(' Spam -> spam (filtered: not selected with -f)\n');
    expect(f.out).toContain(' INBOX -> inbox (new: created locally at the next sync)\n');
    expect(fs.readdirSync(dir)).toEqual(['offlineimaprc']);
  });
});
