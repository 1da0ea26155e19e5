// A folder that changed a little, against a real Dovecot and a real Maildir: the sync after our
// own writes to the server skips the folder (far-settle.ts), a change another client makes during
// a sync is still seen by the next one, and a change on the server alone is listed and planned
// over the changed messages only (narrow-listing.ts), falling back to the full listing whenever
// the near files are not where the last sync left them.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { parseName } from '../../../core/maildir/filename.js';
import { StatusDb } from '../../../core/status/status-db.js';
import { syncAccount } from '../../../core/sync/account-sync.js';
import type { FolderSyncResult } from '../../../core/sync/folder-sync.js';
import type { OpenFolder } from '../../../core/store/mail-store.js';
import { makeMessage, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';

let server: DovecotServer;
let dir: string, root: string, dbFile: string;

beforeAll(async () => { server = await startDovecot(); });
afterAll(async () => { await server?.stop(); });
beforeEach(async () => {
  await server.reset('alice');
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-changed-'));
  root = path.join(dir, 'Mail');
  dbFile = path.join(dir, 'status.db');
  MaildirStore.createRoot(root);
});

const seed = (subject: string, flags: string[] = []) =>
  server.appendMessage('alice', 'INBOX', makeMessage({ subject, messageId: `<${subject}@test>` }), flags);

interface Run { result?: FolderSyncResult; skipped: boolean }

/** One sync of INBOX; `hook` runs after every far flag store of the sync (another client's turn). */
async function sync(hook?: () => Promise<void>): Promise<Run> {
  const far = new ImapStore({ host: server.host, port: server.port, user: 'alice', password: async () => 'alicepw', ssl: false, starttls: false });
  if (hook) {
    const open = far.openFolder.bind(far);
    far.openFolder = async (name: string): Promise<OpenFolder> => {
      const f = await open(name);
      const setFlags = f.setFlags.bind(f);
      f.setFlags = async (changes) => { await setFlags(changes); await hook(); };
      return f;
    };
  }
  const near = new MaildirStore({ root, hostname: 'testhost' });
  await Promise.all([far.connect(), near.connect()]);
  const db = new StatusDb(dbFile);
  const run: Run = { skipped: false };
  try {
    const r = await syncAccount({
      account: 'test', far, near, db, createFolders: { far: true, near: true }, parallel: 1, onlyFolders: ['INBOX'],
      options: { dryRun: false, deleteOnFar: true, deleteOnNear: true, farReadonly: false, nearReadonly: false, massDeleteThreshold: 10 },
      events: { folderState() {}, progress() {}, error() {}, log() {} },
    });
    expect(r.errors.map((e) => e.message)).toEqual([]);
    run.result = r.folders[0]?.result;
    run.skipped = !!r.folders[0]?.skipped;
  } finally {
    db.close();
    await far.close();
  }
  return run;
}

/** The near INBOX: subject -> flags, and the path of each file. */
function nearMail(): Map<string, { flags: string; file: string }> {
  const out = new Map<string, { flags: string; file: string }>();
  for (const sub of ['cur', 'new']) {
    for (const n of fs.readdirSync(path.join(root, 'INBOX', sub))) {
      const file = path.join(root, 'INBOX', sub, n);
      const subject = /^Subject: (.*)$/m.exec(fs.readFileSync(file, 'utf8'))![1]!;
      out.set(subject, { flags: parseName(n)!.flags, file });
    }
  }
  return out;
}

/** The server's INBOX: subject -> Maildir flag letters. */
async function farMail(): Promise<Map<string, string>> {
  const c = await server.client('alice');
  const out = new Map<string, string>();
  try {
    await c.mailboxOpen('INBOX');
    for await (const m of c.fetch('1:*', { flags: true, envelope: true })) {
      const letters = [...m.flags!].map((f) => ({ '\\Seen': 'S', '\\Flagged': 'F', '\\Answered': 'R', '\\Draft': 'D', '\\Deleted': 'T' } as Record<string, string>)[f] ?? '').sort().join('');
      out.set(m.envelope!.subject!, letters);
    }
  } finally {
    await c.logout();
  }
  return out;
}

const flagsOf = (m: Map<string, { flags: string }>) => new Map([...m].map(([k, v]) => [k, v.flags]));

/** Another client's change, made with its own connection. */
async function other(fn: (c: Awaited<ReturnType<DovecotServer['client']>>) => Promise<unknown>): Promise<void> {
  const c = await server.client('alice');
  try {
    await c.mailboxOpen('INBOX');
    await fn(c);
  } finally {
    await c.logout();
  }
}

/** The UID of a seeded message, by its Message-ID (a Subject search would match m1 in m10). */
async function uidOf(c: Awaited<ReturnType<DovecotServer['client']>>, subject: string): Promise<number[]> {
  return await c.search({ header: { 'message-id': `<${subject}@test>` } }, { uid: true }) as number[];
}

/** A local change as a mail reader makes it (rename, new file, unlink). */
function renameLocal(subject: string, flags: string): void {
  const { file } = nearMail().get(subject)!;
  const p = parseName(path.basename(file))!;
  fs.renameSync(file, path.join(root, 'INBOX', 'cur', `${p.base}:2,${flags}`));
}

describe('a folder that changed a little', () => {
  it('skips the folder on the sync right after one that wrote to the server', async () => {
    for (let i = 1; i <= 4; i++) await seed(`m${i}`);
    await sync();
    renameLocal('m1', 'FS');
    fs.unlinkSync(nearMail().get('m2')!.file);
    fs.writeFileSync(path.join(root, 'INBOX', 'new', '1700000000_1.2.reader'), makeMessage({ subject: 'local', messageId: '<local@test>' }).replace(/\r\n/g, '\n'));
    const wrote = await sync();
    expect(wrote.skipped).toBe(false);
    expect(await farMail()).toEqual(flagsOf(nearMail()));
    expect([...(await farMail()).keys()].sort()).toEqual(['local', 'm1', 'm3', 'm4']);
    const again = await sync();
    expect(again.skipped).toBe(true);
  });

  it('sees a flag change, an append and an expunge another client made during the sync', async () => {
    for (let i = 1; i <= 4; i++) await seed(`m${i}`);
    await sync();
    renameLocal('m1', 'S');
    let done = false;
    await sync(async () => {
      if (done) return;
      done = true;
      await other(async (c) => {
        const uids = await uidOf(c, 'm2');
        await c.messageFlagsAdd(uids, ['\\Flagged'], { uid: true });
        await c.append('INBOX', makeMessage({ subject: 'm5', messageId: '<m5@test>' }), []);
        const gone = await uidOf(c, 'm3');
        await c.messageDelete(gone, { uid: true });
      });
    });
    expect(done).toBe(true);
    const next = await sync();
    expect(next.skipped).toBe(false);
    expect(flagsOf(nearMail())).toEqual(new Map([['m1', 'S'], ['m2', 'F'], ['m4', ''], ['m5', '']]));
    expect(await farMail()).toEqual(flagsOf(nearMail()));
    expect((await sync()).skipped).toBe(true);
  });

  it('lists and plans only what the server changed while the local folder is as the last sync left it', async () => {
    for (let i = 1; i <= 30; i++) await seed(`m${i}`, i % 3 ? ['\\Seen'] : []);
    await sync();
    await other(async (c) => {
      const flag = await uidOf(c, 'm1');
      await c.messageFlagsAdd(flag, ['\\Flagged'], { uid: true });
      const unseen = await uidOf(c, 'm2');
      await c.messageFlagsRemove(unseen, ['\\Seen'], { uid: true });
      const gone = await uidOf(c, 'm4');
      await c.messageDelete(gone, { uid: true });
      await c.append('INBOX', makeMessage({ subject: 'n1', messageId: '<n1@test>' }), ['\\Seen']);
      await c.append('INBOX', makeMessage({ subject: 'n2', messageId: '<n2@test>' }), []);
    });
    const changed = await sync();
    expect(changed.result?.narrow).toBe(true);
    expect(changed.result?.plan.ops.map((o) => o.kind).sort()).toEqual(['copy-to-near', 'copy-to-near', 'delete-near', 'flags', 'flags']);
    const near = flagsOf(nearMail());
    expect(near.get('m1')).toBe('FS');
    expect(near.get('m2')).toBe('');
    expect(near.has('m4')).toBe(false);
    expect(near.get('n1')).toBe('S');
    expect(await farMail()).toEqual(near);
    expect((await sync()).skipped).toBe(true);

    // A local change: the local folder is listed in full again, and both changes arrive.
    renameLocal('m5', 'RS');
    await other(async (c) => {
      const uids = await uidOf(c, 'm6');
      await c.messageFlagsAdd(uids, ['\\Flagged'], { uid: true });
    });
    const both = await sync();
    expect(both.result?.narrow).toBe(false);
    expect(await farMail()).toEqual(flagsOf(nearMail()));
    expect(flagsOf(nearMail()).get('m5')).toBe('RS');
    expect(flagsOf(nearMail()).get('m6')).toBe('F');
  });

  it('falls back to the full listing when a file is not where the last sync left it', async () => {
    for (let i = 1; i <= 5; i++) await seed(`m${i}`, ['\\Seen']);
    await sync();
    // Another program gave the file a name the sync would not guess (an extra field).
    const { file } = nearMail().get('m3')!;
    const p = parseName(path.basename(file))!;
    fs.renameSync(file, path.join(path.dirname(file), `${p.base},S=123:2,S`));
    await sync();
    await other(async (c) => {
      const uids = await uidOf(c, 'm3');
      await c.messageFlagsAdd(uids, ['\\Answered'], { uid: true });
    });
    const r = await sync();
    expect(r.result?.narrow).toBe(false);
    expect(flagsOf(nearMail()).get('m3')).toBe('RS');
    expect(path.basename(nearMail().get('m3')!.file)).toContain(',S=123');
    expect(await farMail()).toEqual(flagsOf(nearMail()));
  });
});
