// The local Maildir folder check on real temporary directories: it only looks (creates and
// writes nothing, not even a probe), never follows a symlink at or below the typed path, and
// never names the entries of a folder.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkLocalFolder } from '../../../core/accounts/local-folder-check.js';

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-lfc-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('checkLocalFolder', () => {
  it('accepts a new folder (creatable) and leaves nothing behind', () => {
    const dir = path.join(tmp, 'new', 'deeper', 'work');
    const r = checkLocalFolder(dir, 'work');
    expect(r).toMatchObject({ ok: true, path: dir });
    expect(r.message).toMatch(/will be created/);
    expect(fs.existsSync(path.join(tmp, 'new'))).toBe(false);
  });

  it('expands ~ and refuses relative paths', () => {
    fs.mkdirSync(path.join(tmp, 'home', 'Mail'), { recursive: true });
    expect(checkLocalFolder('~/Mail', 'a', { home: path.join(tmp, 'home') })).toMatchObject({ ok: true, path: path.join(tmp, 'home', 'Mail') });
    expect(checkLocalFolder('Mail/work', 'work')).toMatchObject({ ok: false });
  });

  it('accepts an empty folder and an existing Maildir, refuses a folder of other files and a file', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    expect(checkLocalFolder(empty, 'a').ok).toBe(true);
    expect(fs.readdirSync(empty)).toEqual([]);

    const maildir = path.join(tmp, 'maildir');
    for (const s of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, 'INBOX', s), { recursive: true });
    expect(checkLocalFolder(maildir, 'a')).toMatchObject({ ok: true });

    const docs = path.join(tmp, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'thesis.odt'), 'x');
    const r = checkLocalFolder(docs, 'a');
    expect(r.ok).toBe(false);
    expect(r.message).toContain('holds an entry that is not mail');
    expect(r.message).not.toContain('thesis');

    expect(checkLocalFolder(path.join(docs, 'thesis.odt'), 'a').ok).toBe(false);
  });

  it('refuses a path that cannot be created (under a file)', () => {
    const file = path.join(tmp, 'plainfile');
    fs.writeFileSync(file, 'x');
    const r = checkLocalFolder(path.join(file, 'Mail'), 'a');
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/cannot be created \(ENOTDIR\)/);
  });

  it("refuses another account's folder, a folder inside it or containing it; the account's own is fine", () => {
    const accounts = [{ name: 'home', localfolders: path.join(tmp, 'Mail', 'home') }, { name: 'work', localfolders: path.join(tmp, 'Mail', 'work') }];
    expect(checkLocalFolder(path.join(tmp, 'Mail', 'home'), 'new', { accounts })).toMatchObject({ ok: false, message: expect.stringContaining('"home" already') });
    expect(checkLocalFolder(path.join(tmp, 'Mail', 'home', 'sub'), 'new', { accounts }).message).toMatch(/inside/);
    expect(checkLocalFolder(path.join(tmp, 'Mail'), 'new', { accounts }).message).toMatch(/contains/);
    expect(checkLocalFolder(path.join(tmp, 'Mail', 'home'), 'home', { accounts }).ok).toBe(true);
    expect(checkLocalFolder(path.join(tmp, 'Mail', 'homework'), 'new', { accounts }).ok).toBe(true);
  });

  it('creates and writes nothing: a missing path stays missing, an existing folder is not touched (not even its mtime)', () => {
    const parent = path.join(tmp, 'untouched');
    fs.mkdirSync(parent);
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(parent, old, old);
    expect(checkLocalFolder(path.join(parent, 'a', 'b'), 'a')).toMatchObject({ ok: true, message: expect.stringMatching(/will be created/) });
    expect(checkLocalFolder(parent, 'a')).toMatchObject({ ok: true, message: expect.stringMatching(/empty and writable/) });
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(fs.statSync(parent).mtime.toISOString()).toBe(old.toISOString());
  });

  it('never follows a symlink out of the typed path, and never lists what is there', () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'id_rsa-secret-name'), 'x');
    for (const s of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(outside, 'Maildir', s), { recursive: true });
    const link = path.join(tmp, 'link-to-outside');
    fs.symlinkSync(outside, link);
    const r = checkLocalFolder(link, 'a');
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/symbolic link/) });
    expect(r.message).not.toContain('id_rsa');
    // A folder whose only "Maildir" is a symlink to one elsewhere is not taken for a Maildir.
    const typed = path.join(tmp, 'typed');
    fs.mkdirSync(typed);
    fs.symlinkSync(path.join(outside, 'Maildir'), path.join(typed, 'INBOX'));
    expect(checkLocalFolder(typed, 'a')).toMatchObject({ ok: false, message: expect.stringMatching(/holds an entry that is not mail/) });
    expect(fs.readdirSync(outside).sort()).toEqual(['Maildir', 'id_rsa-secret-name']);
  });
});
