// notmuch and mutt over a Maildir synced from the test Dovecot, with the real notmuch
// (maildir.synchronize_flags = true): a `notmuch tag` flag change (a rename, new/ -> cur/), a
// message moved to another folder by a mail client (the file renamed, name and all), and mail
// written by a client into new/ (and cur/ of a new folder) sync like changes made by hand; server
// changes reach notmuch's tags; the third sync changes nothing and notmuch loses no file.

import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { notmuchFor, notmuchUnavailable, type Notmuch } from '../../helpers/notmuch.js';
import { createEngine } from '../../../core/engine/engine.js';
import { summarize } from '../../../core/sync/plan.js';
import type { SatchelConfig } from '../../../core/config/model.js';
import { configFor, imapRepo, imapSnapshot, localFiles, maildirRepo, maildirSnapshot, tempDir } from './engine-fixtures.js';

const unavailable = await notmuchUnavailable();
if (unavailable) console.warn(`notmuch tests skipped: ${unavailable}`);

let server: DovecotServer;
beforeAll(async () => { if (!unavailable) server = await startDovecot({ users: ['alice'] }); });
afterAll(async () => { await server?.stop(); });

const msg = (n: number) => makeMessage({ subject: `message ${n}`, messageId: `<m${n}@test>`, body: `body ${n}\nline two\n` });
/** A message as a mail client writes it: LF line ends. */
const clientMessage = (n: number) => msg(n).replace(/\r\n/g, '\n');

describe.skipIf(!!unavailable)('notmuch (synchronize_flags) and mail clients over a synced Maildir', () => {
  let root: string, config: SatchelConfig, nm: Notmuch;

  /** One sync; its plan counts over every folder (no errors allowed). */
  async function sync(): Promise<Record<string, number>> {
    const [r] = await createEngine({ config, getSecret: async () => 'alicepw' }).syncNow();
    expect(r!.errors.map((e) => e.message)).toEqual([]);
    const totals: Record<string, number> = {};
    for (const f of r!.result?.folders ?? []) {
      if (f.result) for (const [k, n] of Object.entries(summarize(f.result.plan))) if (n) totals[k] = (totals[k] ?? 0) + n;
    }
    return totals;
  }

  /** notmuch new, then: every file notmuch knows exists, and it knows every Maildir file. */
  async function notmuchAgrees(): Promise<void> {
    await nm.cmd(['new', '--quiet']);
    const known = (await nm.cmd(['search', '--output=files', '*'])).split('\n').filter(Boolean).map((f) => path.relative(root, f)).sort();
    const onDisk = Object.keys(maildirSnapshot(root)).flatMap((folder) => {
      const dir = folder.split('/').join('.');
      return localFiles(root, dir).map((f) => `${dir}/${f}`);
    }).sort();
    expect(known).toEqual(onDisk);
  }

  beforeEach(async () => {
    await server.reset('alice');
    await server.appendMessage('alice', 'INBOX', msg(1), ['\\Seen']);
    await server.appendMessage('alice', 'INBOX', msg(2), []);
    await server.appendMessage('alice', 'INBOX', msg(3), ['\\Flagged', '\\Seen']);
    await server.appendMessage('alice', 'Archive/2024', msg(4), ['\\Seen']);
    const dir = tempDir();
    root = path.join(dir, 'Mail');
    config = configFor(tempDir(), imapRepo(server, 'alice', 'alicepw'), maildirRepo(root));
    nm = notmuchFor(root, dir);
    await sync();
    await nm.cmd(['new', '--quiet']);
    // notmuch read the Maildir flags as tags: unseen m2 is unread, flagged m3 is flagged.
    expect(await nm.tags('m2@test')).toEqual(['inbox', 'unread']);
    expect(await nm.tags('m3@test')).toEqual(['flagged', 'inbox']);
  });

  it('notmuch tag renames reach the server, server flag changes reach notmuch, the third sync changes nothing', async () => {
    expect(await nm.files('m2@test')).toEqual([expect.stringMatching(/^INBOX\/new\/[^:]*,U=2,FMD5=[0-9a-f]{32}:2,$/)]);
    await nm.cmd(['tag', '+flagged', '-unread', 'id:m2@test']); // new/ -> cur/ with :2,FS
    await nm.cmd(['tag', '-flagged', '+replied', 'id:m3@test']); // :2,FS -> :2,RS
    expect(await nm.files('m2@test')).toEqual([expect.stringMatching(/^INBOX\/cur\/.*,U=2,FMD5=[0-9a-f]{32}:2,FS$/)]);

    expect(await sync()).toEqual({ flags: 2 });
    expect((await imapSnapshot(server, 'alice')).INBOX).toEqual(['FS|<m2@test>', 'RS|<m3@test>', 'S|<m1@test>']);

    // The server marks m1 answered and m4 unseen: the files are renamed, and notmuch new reads the tags.
    const c = await server.client('alice');
    await c.mailboxOpen('INBOX');
    await c.messageFlagsAdd('1', ['\\Answered']);
    await c.mailboxOpen('Archive/2024');
    await c.messageFlagsRemove('1', ['\\Seen']);
    await c.logout();
    expect(await sync()).toEqual({ flags: 2 });
    await nm.cmd(['new', '--quiet']);
    expect(await nm.tags('m1@test')).toEqual(['inbox', 'replied']);
    expect(await nm.tags('m4@test')).toEqual(['inbox', 'unread']);

    expect(await sync()).toEqual({});
    expect(maildirSnapshot(root)).toEqual(await imapSnapshot(server, 'alice'));
    await notmuchAgrees();
  });

  it('a message moved to another folder by the mail client (the file renamed, U= and FMD5 of the old folder kept)', async () => {
    const [file] = await nm.files('m1@test');
    const moved = path.join(root, 'Archive.2024', 'cur', path.basename(file!));
    fs.renameSync(path.join(root, file!), moved);
    await nm.cmd(['new', '--quiet']);
    expect(await nm.files('m1@test')).toEqual([path.relative(root, moved)]);

    // Moved on the server too (the account's move pass: UID MOVE, nothing uploaded or deleted).
    expect(await sync()).toEqual({});
    const far = await imapSnapshot(server, 'alice');
    expect(far.INBOX).toEqual(['FS|<m3@test>', '|<m2@test>']);
    expect(far['Archive/2024']).toEqual(['S|<m1@test>', 'S|<m4@test>']);
    // One copy on disk, now named after its new folder's UID, and never downloaded back.
    const archived = localFiles(root, 'Archive.2024');
    expect(archived).toHaveLength(2);
    expect(await nm.files('m1@test')).toHaveLength(1);
    expect(await sync()).toEqual({});
    expect(maildirSnapshot(root)).toEqual(far);
    await notmuchAgrees();
    expect(await nm.files('m1@test')).toEqual([expect.stringMatching(/^Archive\.2024\/cur\/.*,U=2,FMD5=[0-9a-f]{32}:2,S$/)]);
  });

  it('mail written by clients into new/ (notmuch insert) and into a new folder is uploaded once, as CRLF', async () => {
    await nm.cmd(['insert', '--folder=INBOX'], clientMessage(10)); // new/, no flags
    await nm.cmd(['insert', '--folder=Sent', '--create-folder', '+sent', '-unread', '-inbox'], clientMessage(11)); // Sent/cur/...:2,S
    fs.writeFileSync(path.join(root, 'INBOX', 'new', '1700000000.M1P1.mutt'), clientMessage(12)); // as mutt or procmail writes it
    expect(await nm.files('m10@test')).toEqual([expect.stringMatching(/^INBOX\/new\/[^:,]+$/)]);
    expect(await nm.files('m11@test')).toEqual([expect.stringMatching(/^Sent\/cur\/[^,]+:2,S$/)]);

    expect(await sync()).toEqual({ 'copy-to-far': 3 });
    const far = await imapSnapshot(server, 'alice');
    expect(far.INBOX).toEqual(['FS|<m3@test>', 'S|<m1@test>', '|<m10@test>', '|<m12@test>', '|<m2@test>']);
    expect(far.Sent).toEqual(['S|<m11@test>']);
    // The server holds the client's bytes with CRLF line ends (plus nothing else but the upload token line).
    const c = await server.client('alice');
    await c.mailboxOpen('Sent');
    const stored = await c.fetchOne('1', { source: true });
    await c.logout();
    expect(stored && stored.source!.toString('utf8').replace(/^X-TUID: \S+\r\n/m, '')).toBe(clientMessage(11).replace(/\n/g, '\r\n'));
    // The local files were only renamed (to carry their UID), never rewritten: still LF.
    await nm.cmd(['new', '--quiet']);
    const [inserted] = await nm.files('m10@test');
    expect(inserted).toMatch(/,U=\d+,FMD5=[0-9a-f]{32}/);
    expect(fs.readFileSync(path.join(root, inserted!), 'utf8')).toBe(clientMessage(10));

    expect(await sync()).toEqual({});
    expect(maildirSnapshot(root)).toEqual(far);
    await notmuchAgrees();
  });
});
