// Folder rules applied by a real sync against Dovecot and a real Maildir: a filtered server
// folder is neither downloaded nor created, a local folder the filter excludes is not created
// on the server, a nametrans'd folder lands under its translated name, a new local folder goes
// up under the derived reverse name, and a collision stops the folders before anything is created.

import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { createEngine } from '../../../core/engine/engine.js';
import { compileRules } from '../../../core/rules/compile-rules.js';
import type { SatchelConfig } from '../../../core/config/model.js';
import { configFor, imapRepo, imapSnapshot, maildirRepo, tempDir } from '../engine/engine-fixtures.js';

let server: DovecotServer;
beforeAll(async () => { server = await startDovecot({ users: ['carol'] }); });
afterAll(async () => { await server?.stop(); });

const msg = (n: number) => makeMessage({ subject: `message ${n}`, messageId: `<r${n}@test>`, body: `body ${n}\r\n` });
const sync = async (config: SatchelConfig) => (await createEngine({ config, getSecret: async () => 'carolpw' }).syncNow())[0]!;
const dirs = (root: string) => fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'cur'))).sort();

describe('folder rules in a sync against Dovecot', () => {
  let root: string, state: string;
  beforeEach(async () => {
    await server.reset('carol');
    await server.appendMessage('carol', 'INBOX', msg(1), ['\\Seen']);
    await server.appendMessage('carol', 'Spam', msg(2), []);
    await server.appendMessage('carol', 'Lists/debian', msg(3), ['\\Seen']);
    root = path.join(tempDir(), 'Mail');
    state = tempDir();
  });

  it('filters, translates, and uploads a new local folder under the reverse name', async () => {
    const nametrans = "lambda f: re.sub('^Lists/', 'ml-', f)";
    const folderfilter = "lambda f: f not in ['Spam', 'Junk']";
    const { rules, problems } = compileRules({ nametrans, folderfilter });
    expect(problems).toEqual([]);
    const config = configFor(state, imapRepo(server, 'carol', 'carolpw', { rules, nametransSource: nametrans, nametransLine: 7 }), maildirRepo(root));
    const first = await sync(config);
    expect(first.errors.map((e) => e.message)).toEqual([]);
    expect(dirs(root)).toEqual(['INBOX', 'ml-debian']);
    expect(fs.readdirSync(path.join(root, 'ml-debian', 'cur'))).toHaveLength(1);

    // New local folders: "ml-ruby" goes up as "Lists/ruby"; "Junk" is filtered on the server side.
    for (const name of ['ml-ruby', 'Junk']) {
      for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(root, name, sub), { recursive: true });
      fs.writeFileSync(path.join(root, name, 'new', `1700000000.M${name.length}P1.host`), msg(10 + name.length));
    }
    const second = await sync(config);
    expect(second.errors.map((e) => e.message)).toEqual([]);
    const snap = await imapSnapshot(server, 'carol');
    expect(Object.keys(snap).sort()).toEqual(['INBOX', 'Lists/debian', 'Lists/ruby', 'Spam']);
    expect(snap['Lists/ruby']).toEqual(['|<r17@test>']);
    expect(snap.Spam).toEqual(['|<r2@test>']);
    expect(dirs(root)).toEqual(['INBOX', 'Junk', 'ml-debian', 'ml-ruby']);

    // A third run is stable: the uploaded folder maps back to the same local folder.
    const third = await sync(config);
    expect(third.errors).toEqual([]);
    expect(dirs(root)).toEqual(['INBOX', 'Junk', 'ml-debian', 'ml-ruby']);
  });

  it('two server folders that one nametrans maps to one name are stopped before anything is created', async () => {
    await server.appendMessage('carol', 'Work', msg(4), []);
    await server.appendMessage('carol', 'WORK', msg(5), []);
    const nametrans = 'lambda f: f.lower()';
    const config = configFor(state, imapRepo(server, 'carol', 'carolpw', { rules: compileRules({ nametrans }).rules, nametransSource: nametrans, nametransLine: 3 }), maildirRepo(root));
    config.configFile = '/home/u/.offlineimaprc';
    const r = await sync(config);
    const collision = r.errors.filter((e) => e.code === 'folder-name-collision');
    expect(collision).toHaveLength(1);
    expect(collision[0]).toMatchObject({ scope: 'folder', retry: 'needs-user' });
    expect(['Work', 'WORK']).toContain(collision[0]!.folder);
    expect(collision[0]!.message).toBe('The server folders "WORK" and "Work" would all be stored locally as "work" (nametrans = lambda f: f.lower() (/home/u/.offlineimaprc:3)). ' +
      'They are not synced; exclude all but one with folderfilter, change the nametrans, or rename one on the server.');
    expect(dirs(root)).toEqual(['inbox', 'lists.debian', 'spam']);
    expect(Object.keys(await imapSnapshot(server, 'carol')).sort()).toEqual(['INBOX', 'Lists/debian', 'Spam', 'WORK', 'Work']);
  });
});
