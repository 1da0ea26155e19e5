// The modes of what Satchel creates for itself, checked on real files under a permissive umask
// (022): a real sync against Dovecot leaves its metadata folders 0700 and the status database
// (with its -wal and -shm), the mbnames lists and the account lock 0600; temporary files are
// opened with O_EXCL, so a file or symlink planted under the next name is never written through.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { createEngine } from '../../../core/engine/engine.js';
import { acquireAccountLock } from '../../../core/engine/account-lock.js';
import { writeToTmp } from '../../../core/maildir/delivery.js';
import { StatusDb } from '../../../core/status/status-db.js';
import { writeNewFile } from '../../../core/files/private-files.js';
import { configFor, imapRepo, maildirRepo, tempDir } from '../engine/engine-fixtures.js';

let server: DovecotServer;
let umask: number;
beforeAll(async () => {
  umask = process.umask(0o022);
  server = await startDovecot({ users: ['alice'] });
});
afterAll(async () => {
  await server?.stop();
  process.umask(umask);
});

const mode = (p: string) => fs.lstatSync(p).mode & 0o777;

/** Every entry under `dir` with its mode, directories included. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = mode(p).toString(8);
  }
  return out;
}

describe('private state', () => {
  it('a sync creates its metadata folders 0700 and the status database, its WAL files and the mbnames lists 0600', async () => {
    await server.appendMessage('alice', 'INBOX', makeMessage({ subject: 's', messageId: '<p1@test>', body: 'b\r\n' }), []);
    const top = tempDir();
    const state = path.join(top, 'deep', 'state');
    const config = configFor(state, imapRepo(server, 'alice', 'alicepw'), maildirRepo(path.join(top, 'Mail')));
    config.mbnames = { filename: path.join(top, 'muttrc.mailboxes'), header: 'mailboxes ', peritem: '+%(accountname)s/%(foldername)s', sep: ' ', footer: '\n', incremental: false };
    const engine = createEngine({ config, getSecret: async (r) => (r.password.kind === 'inline' ? r.password.value : '') });
    try {
      const [report] = await engine.syncNow();
      expect(report!.errors.map((e) => e.message)).toEqual([]);
      expect(mode(path.join(top, 'deep'))).toBe(0o700);
      expect(mode(state)).toBe(0o700);
      const seen = modes(state);
      expect(Object.keys(seen)).toEqual(expect.arrayContaining(['acct.sqlite', 'mbnames', path.join('mbnames', 'acct.json')]));
      for (const [name, m] of Object.entries(seen)) expect(m, name).toBe(fs.statSync(path.join(state, name)).isDirectory() ? '700' : '600');
      expect(mode(config.mbnames.filename)).toBe(0o600);
      expect(fs.readdirSync(top).filter((n) => n.includes('.tmp'))).toEqual([]);
    } finally {
      await engine.stop?.();
      fs.rmSync(top, { recursive: true, force: true });
    }
  });

  it('an open status database has its -wal and -shm files 0600 too', () => {
    const top = tempDir();
    const db = new StatusDb(path.join(top, 'meta', 'acct.sqlite'));
    try {
      db.ensurePair('INBOX', 'INBOX');
      expect(modes(path.join(top, 'meta'))).toEqual({ 'acct.sqlite': '600', 'acct.sqlite-wal': '600', 'acct.sqlite-shm': '600' });
    } finally {
      db.close();
      fs.rmSync(top, { recursive: true, force: true });
    }
  });

  it('the account lock is 0600 in a 0700 folder', () => {
    const top = tempDir();
    try {
      const lock = acquireAccountLock(path.join(top, 'locks'), 'acct');
      expect(mode(path.join(top, 'locks'))).toBe(0o700);
      expect(mode(lock.file)).toBe(0o600);
      lock.release();
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });

  it('Maildir delivery never writes through a symlink planted in tmp/ under the next name (O_EXCL), and files are 0600', async () => {
    const top = tempDir();
    try {
      const dir = path.join(top, 'INBOX');
      for (const d of ['tmp', 'new', 'cur']) fs.mkdirSync(path.join(dir, d), { recursive: true });
      const victim = path.join(top, 'victim');
      fs.writeFileSync(victim, 'untouched');
      fs.symlinkSync(victim, path.join(dir, 'tmp', 'planted'));
      const names = ['planted', 'fresh'];
      const r = await writeToTmp(dir, () => names.shift()!, Buffer.from('Subject: x\r\n\r\nbody\r\n'), undefined, false, 'INBOX');
      expect(r.name).toBe('fresh');
      expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
      expect(mode(path.join(dir, 'tmp', 'fresh'))).toBe(0o600);
      // The shared helper behind settings, mbnames and the browser launch page refuses the same plant.
      expect(() => writeNewFile(path.join(dir, 'tmp', 'planted'), 'x')).toThrow(/EEXIST/);
      expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });
});
