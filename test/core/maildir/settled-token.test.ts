// The settled change token of a Maildir folder (MaildirFolder.changeTokenCheck): after a sync's
// own writes it vouches for the folder only when its files are exactly the listing plus the
// handle's own changes, so that the next run skips it; never when someone else changed it.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import type { OpenFolder } from '../../../core/store/mail-store.js';

let root: string;
beforeEach(async () => { root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-settle-')); });
afterEach(async () => { await fs.promises.rm(root, { recursive: true, force: true }); });

const body = (n: number) => Buffer.from(`Message-ID: <m${n}@x>\r\nSubject: ${n}\r\n\r\nbody ${n}\r\n`);

async function setup(): Promise<{ store: MaildirStore; f: OpenFolder }> {
  const store = new MaildirStore({ root, hostname: 'testhost' });
  await store.connect();
  await store.createFolder('INBOX');
  fs.writeFileSync(path.join(root, 'INBOX', 'cur', '1000_0.1.other:2,S'), body(0));
  return { store, f: await store.openFolder('INBOX') };
}

describe('MaildirFolder.changeTokenCheck', () => {
  it('gives the token of the folder as this sync left it, which a new open sees unchanged', async () => {
    const { store, f } = await setup();
    await f.listAll();
    const id = (await f.append({ body: body(1), flags: 'S', farUid: 7 }))!;
    await f.append({ body: body(2), flags: '', farUid: 8 });
    await f.flush();
    await f.setFlags([{ id, add: 'F', remove: '' }]);
    const check = f.changeTokenCheck!();
    expect(check).toBeDefined();
    await f.release();
    const settled = await check!();
    expect(settled).toBeDefined();
    expect(settled!.token).not.toBe(f.state.changeToken);
    expect((await store.openFolder('INBOX')).state.changeToken).toBe(settled!.token);
  });

  it('gives nothing when another program added, renamed or removed a file', async () => {
    for (const change of ['add', 'rename', 'remove'] as const) {
      await fs.promises.rm(path.join(root, 'INBOX'), { recursive: true, force: true });
      const { f } = await setup();
      await f.listAll();
      await f.append({ body: body(1), flags: 'S', farUid: 7 });
      await f.flush();
      const check = f.changeTokenCheck!()!;
      const cur = path.join(root, 'INBOX', 'cur');
      if (change === 'add') fs.writeFileSync(path.join(root, 'INBOX', 'new', '2000_0.1.other'), body(3));
      if (change === 'rename') fs.renameSync(path.join(cur, '1000_0.1.other:2,S'), path.join(cur, '1000_0.1.other:2,RS'));
      if (change === 'remove') fs.unlinkSync(path.join(cur, '1000_0.1.other:2,S'));
      expect(await check(), change).toBeUndefined();
      await f.release();
    }
  });

  it('offers no check before a listing, with appends pending, or after a rescan', async () => {
    const { f } = await setup();
    expect(f.changeTokenCheck!()).toBeUndefined();
    await f.listAll();
    await f.append({ body: body(1), flags: 'S', farUid: 7 });
    expect(f.changeTokenCheck!()).toBeUndefined();
    await f.flush();
    expect(f.changeTokenCheck!()).toBeDefined();
    // A file renamed by someone else makes setFlags rescan: what that rescan saw was not planned for.
    const cur = path.join(root, 'INBOX', 'cur');
    fs.renameSync(path.join(cur, '1000_0.1.other:2,S'), path.join(cur, '1000_0.1.other:2,RS'));
    await f.setFlags([{ id: '1000_0.1.other', add: 'F', remove: '' }]);
    expect(f.changeTokenCheck!()).toBeUndefined();
    await f.release();
  });
});
