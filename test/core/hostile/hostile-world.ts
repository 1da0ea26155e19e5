// Fixture of the hostile-server suite: one account whose server is a real Dovecot behind the
// IMAP fault proxy, and a real Maildir under a private base folder. It seeds a baseline, makes
// one change of every kind (new on the server, new local mail, a local flag change, a local
// deletion) so that a sync sends FETCH, APPEND, STORE and EXPUNGE, and checks the outcome.

import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../../core/engine/engine.js';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { createStore } from '../../../core/engine/store-factory.js';
import type { SatchelConfig } from '../../../core/config/model.js';
import { makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import type { FaultProxy } from '../../helpers/imap-fault-proxy.js';
import { configFor, imapRepo, imapSnapshot, maildirRepo, maildirSnapshot, tempDir } from '../engine/engine-fixtures.js';

export const USER = 'eve';
/** Short, so a stalled server costs the suite little; production uses SOCKET_TIMEOUT_MS. */
export const TEST_SOCKET_TIMEOUT_MS = 1_500;

export interface ErrorLine { code: string; scope: string; retry: string; message: string; folder?: string }

export interface World {
  base: string;
  root: string;
  config: SatchelConfig;
  /** Runs one sync; returns the error events it emitted. */
  sync(): Promise<ErrorLine[]>;
}

const msg = (id: string, body = `body of ${id}\r\n`) => makeMessage({ subject: id, messageId: `<${id}@hostile>`, body });

/** Baseline: INBOX r1, r2, r3 (seen), Work w1; synced once cleanly. */
export async function makeWorld(server: DovecotServer, proxy: FaultProxy): Promise<World> {
  await server.reset(USER);
  await server.appendMessage(USER, 'INBOX', msg('r1'));
  await server.appendMessage(USER, 'INBOX', msg('r2'));
  await server.appendMessage(USER, 'INBOX', msg('r3'), ['\\Seen']);
  await server.appendMessage(USER, 'Work', msg('w1'));
  const base = tempDir('satchel-hostile-');
  const root = path.join(base, 'Mail');
  const config = configFor(path.join(base, 'state'), imapRepo({ port: proxy.port }, USER, `${USER}pw`, { maxConnections: 1 }), maildirRepo(root));
  const engine = (): Engine => createEngine({
    config, getSecret: async () => `${USER}pw`,
    storeFactory: (a, side) => (side === 'far' && a.remote.type === 'imap'
      ? new ImapStore({ host: '127.0.0.1', port: a.remote.port, user: USER, password: async () => `${USER}pw`, ssl: false,
        starttls: false, maxConnections: 1, socketTimeoutMs: TEST_SOCKET_TIMEOUT_MS, connectTimeoutMs: 5_000 })
      : createStore(side === 'far' ? a.remote : a.local, async () => '', { fsync: false })),
  });
  const world: World = {
    base, root, config,
    async sync() {
      const e = engine();
      const errors: ErrorLine[] = [];
      e.on('error', (x) => errors.push(x as ErrorLine));
      await e.syncNow();
      return errors;
    },
  };
  const first = await world.sync();
  if (first.length) throw new Error(`baseline sync failed: ${first.map((x) => x.message).join('; ')}`);
  return world;
}

/** One change of each kind: r4 new on the server, l1 new locally, r1 seen locally, r2 deleted locally. */
export async function makeChanges(server: DovecotServer, w: World): Promise<void> {
  await server.appendMessage(USER, 'INBOX', msg('r4', `body of r4\r\n${'z'.repeat(4000)}\r\n`));
  const inbox = path.join(w.root, 'INBOX');
  fs.writeFileSync(path.join(inbox, 'new', `${Date.now()}.hostile1.testhost`), msg('l1').replace(/\r\n/g, '\n'));
  for (const sub of ['new', 'cur']) {
    for (const f of fs.readdirSync(path.join(inbox, sub))) {
      const file = path.join(inbox, sub, f);
      const text = fs.readFileSync(file, 'latin1');
      if (text.includes('<r2@hostile>')) fs.unlinkSync(file);
      if (!text.includes('<r1@hostile>')) continue;
      const [stem, flags = ''] = f.split(':2,');
      fs.renameSync(file, path.join(inbox, 'cur', `${stem}:2,${[...new Set([...flags, 'S'])].sort().join('')}`));
    }
  }
}

/** New mail after the faulty sync: the next sync must still see it (no listing stuck in the past). */
export async function addLate(server: DovecotServer): Promise<void> {
  await server.appendMessage(USER, 'INBOX', msg('r5'));
}

/** What both sides must hold once a normal sync has followed the faulty one. */
export const EXPECTED = {
  INBOX: ['S|<r1@hostile>', 'S|<r3@hostile>', '|<l1@hostile>', '|<r4@hostile>', '|<r5@hostile>'].sort(),
  Work: ['|<w1@hostile>'],
};

/** Both sides equal to EXPECTED: nothing lost, nothing doubled, every change carried over. */
export async function bothSides(server: DovecotServer, w: World): Promise<{ local: Record<string, string[]>; remote: Record<string, string[]> }> {
  return { local: maildirSnapshot(w.root), remote: await imapSnapshot(server, USER) };
}

/** Every path under base, relative: proves nothing was written beside the Maildir and the state folder. */
export function outsideRoot(w: World): string[] {
  return fs.readdirSync(w.base).filter((e) => e !== 'Mail' && e !== 'state');
}

/** One line a person can read: no line break, no control character, not empty, bounded. */
export function isClearLine(message: string): boolean {
  return message.length > 20 && message.length < 600 && !/[\u0000-\u001f\u007f-\u009f]/.test(message);
}
