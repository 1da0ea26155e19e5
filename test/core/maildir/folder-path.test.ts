// Folder names to directories and back: hostile names are refused with a clear SyncError,
// ordinary ones (spaces, non-ASCII) work, and listing finds the folders of both layouts
// without following symbolic links out of the root.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyncError } from '../../../core/errors.js';
import { checkFolderName, folderDir, listFolderNames } from '../../../core/maildir/folder-path.js';
import { MaildirStore } from '../../../core/maildir/maildir-store.js';

let root: string;
beforeEach(async () => { root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-fp-')); });
afterEach(async () => { await fs.promises.rm(root, { recursive: true, force: true }); });

function refusal(fn: () => unknown): SyncError {
  try { fn(); } catch (e) { return e as SyncError; }
  throw new Error('expected a refusal');
}

function mkMaildir(...parts: string[]): void {
  for (const s of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(root, ...parts, s), { recursive: true });
}

describe('folderDir', () => {
  it("maps sep '.' to flat directories and sep '/' to nested ones", () => {
    expect(folderDir(root, 'Archive.2024', '.')).toBe(path.join(root, 'Archive.2024'));
    expect(folderDir(root, 'Archive/2024', '/')).toBe(path.join(root, 'Archive', '2024'));
    expect(folderDir(root, 'INBOX', '.')).toBe(path.join(root, 'INBOX'));
  });

  it('accepts spaces, brackets and non-ASCII names', () => {
    expect(folderDir(root, 'Entwürfe', '.')).toBe(path.join(root, 'Entwürfe'));
    expect(folderDir(root, '[Gmail].Sent Mail', '.')).toBe(path.join(root, '[Gmail].Sent Mail'));
    expect(folderDir(root, 'Входящие/日本語 フォルダ', '/')).toBe(path.join(root, 'Входящие', '日本語 フォルダ'));
  });

  const hostile: Array<[string, string, RegExp]> = [
    ['..', '.', /'\.'|empty part/],
    ['..', '/', /'\.\.' part/],
    ['a/../../x', '/', /'\.\.' part/],
    ['a/../../x', '.', /contains '\/'/],
    ['/etc', '/', /empty part/],
    ['a//b', '/', /empty part/],
    ['.hidden', '.', /empty part/],
    ['a\u0000b', '.', /control character/],
    ['a\nb', '/', /control character/],
    ['a\\b', '/', /contains '\\'/],
    ['x'.repeat(300), '.', /longer than 255 bytes/],
    ['a/' + 'ü'.repeat(130), '/', /longer than 255 bytes/],
    ['INBOX/cur', '/', /reserved/],
    ['tmp', '/', /reserved/],
    ['new', '.', /reserved/],
    ['', '.', /empty/],
  ];
  for (const [name, sep, why] of hostile) {
    it(`refuses ${JSON.stringify(name.length > 20 ? name.slice(0, 20) + '…' : name)} with sep '${sep}'`, () => {
      const e = refusal(() => folderDir(root, name, sep));
      expect(e).toBeInstanceOf(SyncError);
      expect(e.code).toBe('unsafe-folder-name');
      expect(e.scope).toBe('folder');
      expect(e.retry).toBe('needs-user');
      expect(e.message).toMatch(why);
      expect(e.message).toMatch(/folderfilter/);
    });
  }

  it('refuses a path over 4000 bytes', () => {
    const deep = Array.from({ length: 20 }, () => 'd'.repeat(250)).join('/');
    expect(refusal(() => folderDir(root, deep, '/')).message).toMatch(/longer than 4000 bytes/);
  });

  it('allows cur/new/tmp inside a flat name with sep "."', () => {
    expect(() => checkFolderName('INBOX.cur', '.')).not.toThrow();
  });
});

describe('listFolderNames', () => {
  it("lists flat folders with sep '.'", async () => {
    mkMaildir('INBOX');
    mkMaildir('Archive.2024');
    mkMaildir('Entwürfe');
    fs.mkdirSync(path.join(root, 'not-a-maildir'));
    fs.writeFileSync(path.join(root, 'a-file'), 'x');
    expect(await listFolderNames(root, '.')).toEqual(['Archive.2024', 'Entwürfe', 'INBOX'].sort());
  });

  it("descends with sep '/' and joins the parts with '/'", async () => {
    mkMaildir('INBOX');
    mkMaildir('Archive');
    mkMaildir('Archive', '2024');
    mkMaildir('Lists', 'node');   // Lists itself is no Maildir
    expect(await listFolderNames(root, '/')).toEqual(['Archive', 'Archive/2024', 'INBOX', 'Lists/node']);
  });

  it('does not follow symbolic links out of the root, nor in circles', async () => {
    const outside = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'satchel-out-'));
    try {
      for (const s of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(outside, 'Secret', s), { recursive: true });
      mkMaildir('INBOX');
      fs.symlinkSync(path.join(outside, 'Secret'), path.join(root, 'Secret'));
      fs.symlinkSync(root, path.join(root, 'INBOX', 'loop'));
      fs.symlinkSync(path.join(root, 'INBOX'), path.join(root, 'Alias'));
      expect(await listFolderNames(root, '/')).toEqual(['INBOX']);
      expect(await listFolderNames(root, '.')).toEqual(['INBOX']);
      const store = new MaildirStore({ root, sep: '/' });
      await expect(store.openFolder('Secret')).rejects.toMatchObject({ code: 'unsafe-folder-name' });
      await expect(store.createFolder('Secret/Sub')).rejects.toMatchObject({ code: 'unsafe-folder-name' });
    } finally {
      await fs.promises.rm(outside, { recursive: true, force: true });
    }
  });
});
