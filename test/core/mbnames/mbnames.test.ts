// The mbnames writer on real files, and through the engine against a real Dovecot: the mutt
// mailboxes file lists every account's folders (sorted, peritem/sep/header/footer), is rebuilt
// once per run or after each account (incremental), is replaced atomically and only when its
// content changed, survives a broken intermediate file, and a dry run writes nothing.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { MbnamesConfig } from '../../../core/config/model.js';
import { createEngine } from '../../../core/engine/engine.js';
import type { EngineEvents } from '../../../core/engine/engine-events.js';
import { Mbnames, formatItem } from '../../../core/mbnames/mbnames.js';
import type { SyncError } from '../../../core/errors.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { configFor, imapRepo, maildirRepo, tempDir } from '../engine/engine-fixtures.js';

const cfgIn = (dir: string, extra: Partial<MbnamesConfig> = {}): MbnamesConfig => ({
  filename: path.join(dir, 'mutt', 'mailboxes'), header: 'mailboxes ', peritem: '+%(accountname)s/%(foldername)s', sep: ' ', footer: '\n', incremental: false, ...extra,
});

function writer(cfg: MbnamesConfig, state: string) {
  const logs: string[] = [];
  const errors: SyncError[] = [];
  return { mb: new Mbnames(cfg, state, { log: (_l, m) => logs.push(m), error: (e) => errors.push(e) }), logs, errors };
}

describe('Mbnames writer', () => {
  it('formats peritem fields and %%', () => {
    expect(formatItem('=%(localfolders)s/%(foldername)s %(accountname)s 100%%', { accountname: 'a', foldername: 'INBOX', localfolders: '/m' }))
      .toBe('=/m/INBOX a 100%');
  });

  it('non-incremental: one final file after the run, sorted by account then folder, from every intermediate file', () => {
    const dir = tempDir();
    const cfg = cfgIn(dir);
    const { mb, logs } = writer(cfg, path.join(dir, 'state'));
    mb.afterAccount('work', '/m/work', ['INBOX', 'Archive.2024', 'INBOX'], false);
    expect(fs.existsSync(cfg.filename)).toBe(false);
    mb.afterAccount('home', '/m/home', ['Sent', 'INBOX'], false);
    mb.afterRun(false);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes +home/INBOX +home/Sent +work/Archive.2024 +work/INBOX\n');
    // OfflineIMAP's intermediate format
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'state', 'mbnames', 'work.json'), 'utf8'))).toEqual([
      { accountname: 'work', foldername: 'INBOX', localfolders: '/m/work' }, { accountname: 'work', foldername: 'Archive.2024', localfolders: '/m/work' }]);
    expect(logs).toContain(`mbnames: wrote ${cfg.filename}`);

    // a later run of one account (e.g. -a work) keeps the other account's folders
    const again = writer(cfg, path.join(dir, 'state'));
    again.mb.afterAccount('work', '/m/work', ['INBOX'], false);
    again.mb.afterRun(false);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes +home/INBOX +home/Sent +work/INBOX\n');
  });

  it('rewrites only when the content changed, by rename (a new inode), leaving no temp files', () => {
    const dir = tempDir();
    const cfg = cfgIn(dir, { incremental: true });
    const state = path.join(dir, 'state');
    writer(cfg, state).mb.afterAccount('a', '/m', ['INBOX'], false);
    const first = fs.statSync(cfg.filename);
    const same = writer(cfg, state);
    same.mb.afterAccount('a', '/m', ['INBOX'], false);
    expect(same.logs).toEqual([]);
    expect(fs.statSync(cfg.filename).ino).toBe(first.ino);
    const held = fs.openSync(cfg.filename, 'r'); // a reader holding the old file keeps seeing the old content
    writer(cfg, state).mb.afterAccount('a', '/m', ['INBOX', 'Lists'], false);
    expect(fs.statSync(cfg.filename).ino).not.toBe(first.ino);
    expect(fs.readFileSync(held, 'utf8')).toBe('mailboxes +a/INBOX\n');
    fs.closeSync(held);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes +a/INBOX +a/Lists\n');
    expect(fs.readdirSync(path.dirname(cfg.filename))).toEqual(['mailboxes']);
    expect(fs.readdirSync(path.join(state, 'mbnames'))).toEqual(['a.json']);
  });

  it('incremental: the file is rebuilt after each account', () => {
    const dir = tempDir();
    const cfg = cfgIn(dir, { incremental: true, header: '', sep: '\n', peritem: 'mailboxes "=%(foldername)s"' });
    const { mb } = writer(cfg, path.join(dir, 'state'));
    mb.afterAccount('one', '/m', ['INBOX'], false);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes "=INBOX"\n');
    mb.afterAccount('two', '/m', ['Drafts'], false);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes "=INBOX"\nmailboxes "=Drafts"\n');
  });

  it('a broken intermediate file is reported and left out; an unwritable target is an error, not a crash', () => {
    const dir = tempDir();
    const state = path.join(dir, 'state');
    fs.mkdirSync(path.join(state, 'mbnames'), { recursive: true });
    fs.writeFileSync(path.join(state, 'mbnames', 'old.json'), '{broken');
    const cfg = cfgIn(dir);
    const { mb, errors } = writer(cfg, state);
    mb.afterAccount('a', '/m', ['INBOX'], false);
    mb.afterRun(false);
    expect(fs.readFileSync(cfg.filename, 'utf8')).toBe('mailboxes +a/INBOX\n');
    expect(errors.map((e) => e.code)).toEqual(['mbnames-failed']);
    expect(errors[0]!.message).toContain(`The intermediate mbnames file ${path.join(state, 'mbnames', 'old.json')} cannot be read`);

    fs.writeFileSync(path.join(dir, 'file'), '');
    const blocked = writer(cfgIn(dir, { filename: path.join(dir, 'file', 'mailboxes') }), path.join(dir, 'state2'));
    blocked.mb.afterAccount('a', '/m', ['INBOX'], false);
    blocked.mb.afterRun(false);
    expect(blocked.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Cannot write the mbnames file .*file\/mailboxes \((ENOTDIR|EEXIST)\)/)]);
  });

  it('a dry run writes nothing and says what it would write', () => {
    const dir = tempDir();
    const cfg = cfgIn(dir);
    const { mb, logs } = writer(cfg, path.join(dir, 'state'));
    mb.afterAccount('a', '/m', ['INBOX'], true);
    mb.afterRun(true);
    expect(fs.existsSync(path.join(dir, 'state'))).toBe(false);
    expect(fs.existsSync(cfg.filename)).toBe(false);
    expect(logs).toEqual([`mbnames: would write ${path.join(dir, 'state', 'mbnames', 'a.json')} (dry run: not written)`,
      `mbnames: would write ${cfg.filename} (dry run: not written)`]);
  });
});

describe('mbnames through the engine (real Dovecot)', () => {
  let server: DovecotServer;
  beforeAll(async () => { server = await startDovecot({ users: ['mia'] }); });
  afterAll(async () => { await server?.stop(); });

  it('after a sync the mailboxes file lists the local folders; -f runs leave it alone', async () => {
    await server.appendMessage('mia', 'INBOX', makeMessage({ subject: 'm', messageId: '<m1@test>', body: 'm\r\n' }), []);
    await server.appendMessage('mia', 'Lists/dev', makeMessage({ subject: 'd', messageId: '<d1@test>', body: 'd\r\n' }), []);
    const dir = tempDir();
    const root = path.join(dir, 'Mail');
    const config = { ...configFor(path.join(dir, 'state'), imapRepo(server, 'mia', 'miapw'), maildirRepo(root)),
      mbnames: cfgIn(dir, { peritem: '"%(localfolders)s/%(foldername)s"' }) };
    const engine = createEngine({ config, getSecret: async () => 'miapw' });
    const errors: EngineEvents['error'][] = [];
    engine.on('error', (e) => errors.push(e));
    const [report] = await engine.syncNow();
    expect(report!.errors).toEqual([]);
    expect(errors).toEqual([]);
    const expected = `mailboxes "${root}/INBOX" "${root}/Lists.dev"\n`;
    expect(fs.readFileSync(config.mbnames.filename, 'utf8')).toBe(expected);
    await server.appendMessage('mia', 'Archive', makeMessage({ subject: 'a', messageId: '<a1@test>', body: 'a\r\n' }), []);
    await engine.syncNow({ folders: ['INBOX'] });
    expect(fs.readFileSync(config.mbnames.filename, 'utf8')).toBe(expected);
    await engine.syncNow();
    expect(fs.readFileSync(config.mbnames.filename, 'utf8')).toBe(`mailboxes "${root}/Archive" "${root}/INBOX" "${root}/Lists.dev"\n`);
  });
});
