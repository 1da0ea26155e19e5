// Maildir file-name options on a real Maildir in a temp directory: maildir-windows-compatible
// ('!' before the flags, read either way) and filename_use_mail_timestamp (the name starts with
// the Date: header time instead of the download time).

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';
import { listedName, parseName, withFarUid, withFlags } from '../../../core/maildir/filename.js';
import { mailTimestampOf } from '../../../core/maildir/message-header.js';

const raw = (date: string) => Buffer.from(`Date: ${date}\r\nMessage-ID: <a@b>\r\nSubject: s\r\n\r\nbody\r\n`);

async function storeWithInbox(opts: ConstructorParameters<typeof MaildirStore>[0] extends infer O ? Partial<O> : never) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-names-'));
  const store = new MaildirStore({ root, hostname: 'h', ...opts });
  await store.connect();
  await store.createFolder('INBOX');
  return { root, store };
}

describe('maildir-windows-compatible names', () => {
  it('parses "!2," as the info part, and keeps the separator of a name when linking', () => {
    const p = parseName('1700000000_0.1.h,U=7,FMD5=abc!2,FS')!;
    expect(p).toMatchObject({ unique: '1700000000_0.1.h', uid: 7, fmd5: 'abc', flags: 'FS', info: '2,FS' });
    expect(listedName('1700000000_0.1.h,U=7,FMD5=abc!2,FS')).toEqual({ unique: '1700000000_0.1.h', flags: 'FS', uid: 7, fmd5: 'abc' });
    expect(withFlags(p, 'S', '!')).toBe('1700000000_0.1.h,U=7,FMD5=abc!2,S');
    expect(withFlags(p, 'S')).toBe('1700000000_0.1.h,U=7,FMD5=abc:2,S');
    expect(withFarUid(parseName('1_0.1.h!2,S')!, 9, 'md5')).toBe('1_0.1.h,U=9,FMD5=md5!2,S');
    expect(parseName('a!b:2,S')!.unique).toBe('a!b');
  });

  it('writes "!2," names, renames with "!", and reads ":" names of the same folder too', async () => {
    const { root, store } = await storeWithInbox({ windowsCompatible: true });
    fs.writeFileSync(path.join(root, 'INBOX', 'cur', '1600000000_0.1.other:2,S'), raw('Mon, 1 Jan 2024 10:00:00 +0000'));
    const f = await store.openFolder('INBOX');
    const id = await f.append({ body: raw('Mon, 1 Jan 2024 10:00:00 +0000'), flags: 'S', farUid: 5 });
    await f.flush();
    const listed = await f.listAll();
    expect(listed.map((m) => m.flags)).toEqual(['S', 'S']);
    await f.setFlags([{ id: id!, add: 'F', remove: '' }, { id: '1600000000_0.1.other', add: 'R', remove: '' }]);
    await f.release();
    const names = fs.readdirSync(path.join(root, 'INBOX', 'cur')).sort();
    expect(names).toHaveLength(2);
    expect(names.filter((n) => n.includes(':'))).toEqual([]);
    expect(names.find((n) => n.startsWith('1600000000'))).toBe('1600000000_0.1.other!2,RS');
    expect(names.find((n) => !n.startsWith('1600000000'))).toMatch(/^\d+_\d+\.\d+\.h,U=5,FMD5=[0-9a-f]{32}!2,FS$/);
  });
});

describe('utime_from_header', () => {
  it('sets the file time to the Date: header (else the arrival time); without it, to the arrival time', async () => {
    for (const [utime, want] of [[true, '2024-01-02T03:04:05.000Z'], [false, '2024-01-03T00:00:00.000Z']] as const) {
      const { root, store } = await storeWithInbox({ utimeFromHeader: utime });
      const f = await store.openFolder('INBOX');
      await f.append({ body: raw('Tue, 02 Jan 2024 03:04:05 +0000'), flags: 'S', date: new Date('2024-01-03T00:00:00Z') });
      await f.append({ body: Buffer.from('Subject: no date\r\n\r\nb'), flags: 'S', date: new Date('2022-05-05T00:00:00Z') });
      await f.flush();
      await f.release();
      const cur = path.join(root, 'INBOX', 'cur');
      const times = fs.readdirSync(cur).map((n) => fs.statSync(path.join(cur, n)).mtime.toISOString()).sort();
      expect(times).toEqual(['2022-05-05T00:00:00.000Z', want]);
    }
  });
});

describe('filename_use_mail_timestamp', () => {
  it('reads Date:, then Delivery-date:, and ignores what does not parse', () => {
    expect(mailTimestampOf(raw('Tue, 02 Jan 2024 03:04:05 +0100 (CET)'))?.toISOString()).toBe('2024-01-02T02:04:05.000Z');
    expect(mailTimestampOf(Buffer.from('Subject: x\r\nDelivery-date: 5 Mar 2023 00:00:00 +0000\r\n\r\nb'))?.toISOString()).toBe('2023-03-05T00:00:00.000Z');
    expect(mailTimestampOf(Buffer.from('Date: someday\r\n\r\nDate: 5 Mar 2023 00:00:00 +0000\r\n'))).toBeUndefined();
  });

  it('new names start with the Date: header time; without the option, with the download time', async () => {
    const on = await storeWithInbox({ mailTimestamp: true });
    const off = await storeWithInbox({});
    for (const { store } of [on, off]) {
      const f = await store.openFolder('INBOX');
      await f.append({ body: raw('Tue, 02 Jan 2024 03:04:05 +0000'), flags: 'S', date: new Date('2024-01-03T00:00:00Z') });
      await f.append({ body: Buffer.from('Subject: no date\r\n\r\nb'), flags: 'S', date: new Date('2022-05-05T00:00:00Z') });
      await f.flush();
      await f.release();
    }
    const stamps = (root: string) => fs.readdirSync(path.join(root, 'INBOX', 'cur')).map((n) => Number(n.split('_')[0])).sort();
    expect(stamps(on.root)).toEqual([Date.parse('2022-05-05T00:00:00Z') / 1000, Date.parse('2024-01-02T03:04:05Z') / 1000]);
    const now = Date.now() / 1000;
    for (const t of stamps(off.root)) expect(Math.abs(t - now)).toBeLessThan(60);
  });
});
