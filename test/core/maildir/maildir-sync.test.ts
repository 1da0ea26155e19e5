// MaildirStore under the real sync engine (syncAccount + StatusDb) against an in-memory far
// store: first sync, idempotence, local flag changes, new local mail, local deletions, a lost
// status database, and a kill after every effect followed by a resume (nothing lost or doubled).

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStore, CrashError } from '../../../core/store/memory-store.js';
import { StatusDb } from '../../../core/status/status-db.js';
import { syncAccount } from '../../../core/sync/account-sync.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { folderMd5, parseName } from '../../../core/maildir/filename.js';

let dir: string, root: string, dbFile: string;
beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-mdsync-'));
  root = path.join(dir, 'Mail');
  dbFile = path.join(dir, 'status.db');
  MaildirStore.createRoot(root);
});
afterEach(async () => { await fs.promises.rm(dir, { recursive: true, force: true }); });

function farWithMail(): MemoryStore {
  const far = new MemoryStore('/');
  far.put('INBOX', 'Message-ID: <1@x>\r\nSubject: one\r\n\r\nbody one\r\n', 'S');
  far.put('INBOX', 'Message-ID: <2@x>\r\nSubject: two\r\n\r\nbody two\r\n', '');
  far.put('Archive/2024', 'Message-ID: <3@x>\r\n\r\nold\r\n', 'FS');
  return far;
}

async function sync(far: MemoryStore, afterEffect?: () => void): Promise<void> {
  const near = new MaildirStore({ root, hostname: 'testhost' });
  await near.connect();
  const db = new StatusDb(dbFile);
  try {
    const r = await syncAccount({
      account: 'test', far, near, db, createFolders: { far: true, near: true }, parallel: 2, afterEffect,
      options: { dryRun: false, deleteOnFar: true, deleteOnNear: true, farReadonly: false, nearReadonly: false, massDeleteThreshold: 10 },
      events: { folderState() {}, progress() {}, error() {}, log() {} },
    });
    expect(r.errors.map((e) => e.message)).toEqual([]);
  } finally {
    db.close();
  }
}

/** Per near folder: sorted "flags|far uid|body". */
function nearState(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const folder of fs.readdirSync(root).sort()) {
    out[folder] = ['cur', 'new'].flatMap((sub) => fs.readdirSync(path.join(root, folder, sub)).map((n) => {
      const p = parseName(n)!;
      const uid = p.fmd5 === folderMd5(folder) ? p.uid : undefined;
      return `${p.flags}|${uid ?? '-'}|${fs.readFileSync(path.join(root, folder, sub, n), 'utf8').replace(/^X-TUID: \S+\r\n/, '')}`;
    })).sort();
  }
  return out;
}

function farState(far: MemoryStore): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, f] of far.folders) {
    out[name] = [...f.messages.values()].map((m) => `${m.flags}|${m.body.toString().replace(/^X-TUID: \S+\r\n/, '')}`).sort();
  }
  return out;
}

describe('MaildirStore with the sync engine', () => {
  it('downloads with OfflineIMAP names, then changes nothing on a second run', async () => {
    const far = farWithMail();
    await sync(far);
    expect(fs.readdirSync(root).sort()).toEqual(['Archive.2024', 'INBOX']);
    const first = nearState();
    // Maildir files use LF: the far side's CRLF is converted on the way in.
    expect(first['INBOX']).toEqual(['S|1|Message-ID: <1@x>\nSubject: one\n\nbody one\n',
      '|2|Message-ID: <2@x>\nSubject: two\n\nbody two\n'].sort());
    expect(first['Archive.2024']).toEqual(['FS|1|Message-ID: <3@x>\n\nold\n']);
    const names = fs.readdirSync(path.join(root, 'INBOX', 'cur'));
    expect(names[0]).toMatch(/^\d+_\d+\.\d+\.testhost,U=1,FMD5=7e33429f656f1e6e9d79b29c3f82c57e:2,S$/);
    const before = farState(far);
    await sync(far);
    expect(nearState()).toEqual(first);
    expect(farState(far)).toEqual(before);
  });

  it('sends local flag changes, new local mail and local deletions to the far side', async () => {
    const far = farWithMail();
    await sync(far);
    const inbox = path.join(root, 'INBOX');
    const unseen = fs.readdirSync(path.join(inbox, 'new'))[0]!;
    fs.renameSync(path.join(inbox, 'new', unseen), path.join(inbox, 'cur', unseen.replace(/:2,$/, ':2,RS')));
    fs.writeFileSync(path.join(inbox, 'new', '1722883669.M1P2.mutt'), 'Message-ID: <local@x>\r\n\r\nwritten locally\r\n');
    const archived = fs.readdirSync(path.join(root, 'Archive.2024', 'cur'))[0]!;
    fs.unlinkSync(path.join(root, 'Archive.2024', 'cur', archived));
    await sync(far);
    expect(farState(far)['INBOX']).toEqual([
      'S|Message-ID: <1@x>\r\nSubject: one\r\n\r\nbody one\r\n',
      'RS|Message-ID: <2@x>\r\nSubject: two\r\n\r\nbody two\r\n',
      '|Message-ID: <local@x>\r\n\r\nwritten locally\r\n',
    ].sort());
    expect(farState(far)['Archive/2024']).toEqual([]);
    // The uploaded file keeps its id and now names its far UID.
    expect(fs.readdirSync(path.join(inbox, 'new'))).toEqual([`1722883669.M1P2.mutt,U=3,FMD5=${folderMd5('INBOX')}:2,`]);
  });

  it('pairs by the far UID in the names after the status database is lost', async () => {
    const far = farWithMail();
    await sync(far);
    const state = nearState();
    for (const f of fs.readdirSync(dir)) if (f.startsWith('status.db')) fs.rmSync(path.join(dir, f));
    await sync(far);
    expect(nearState()).toEqual(state);
    expect(farState(far)['INBOX']).toHaveLength(2);
  });

  it('loses and doubles nothing when killed after any effect and resumed', async () => {
    const expected = await (async () => {
      const far = farWithMail();
      await sync(far);
      return { near: nearState(), far: farState(far) };
    })();
    let kills = 0;
    for (let k = 1; k < 200; k++) {
      await fs.promises.rm(root, { recursive: true, force: true });
      for (const f of fs.readdirSync(dir)) if (f.startsWith('status.db')) fs.rmSync(path.join(dir, f));
      MaildirStore.createRoot(root);
      const far = farWithMail();
      let n = 0, killed = false;
      try {
        await sync(far, () => { if (++n === k) { killed = true; throw new CrashError(); } });
      } catch (e) {
        if (!(e instanceof CrashError)) throw e;
      }
      await sync(far);
      expect({ k, near: nearState(), far: farState(far) }).toEqual({ k, ...expected });
      if (!killed) break;
      kills++;
    }
    expect(kills).toBeGreaterThan(5);
  });
});
