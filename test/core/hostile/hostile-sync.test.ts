// The hostile-server suite: a real Dovecot behind a proxy that misbehaves once (drops the
// connection in FETCH, APPEND, STORE and EXPUNGE, stalls mid-literal, sends malformed,
// truncated or oversized FETCH data, impossible numbers, unsolicited responses) and then
// forwards. For each fault: the sync ends with at most one clear error line and writes
// nothing outside the Maildir, and the next normal sync leaves both sides complete, no
// message lost or doubled.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startFaultProxy, type FaultAction, type FaultProxy } from '../../helpers/imap-fault-proxy.js';
import { addLate, bothSides, EXPECTED, isClearLine, makeChanges, makeWorld, outsideRoot, TEST_SOCKET_TIMEOUT_MS, USER } from './hostile-world.js';

let server: DovecotServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startDovecot({ users: [USER] });
  proxy = await startFaultProxy(server.port);
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

const BODY_FETCH = /^UID FETCH .*BODY\.PEEK\[\]/i;
const NEW_LISTING = /^UID FETCH \d+:\* .*CHANGEDSINCE/i;
const STORE_SEEN = /^UID STORE .*\+FLAGS.*\\Seen/i;
const APPEND = /^APPEND /i;
const EXPUNGE = /^UID EXPUNGE /i;
const SELECT_INBOX = /^SELECT INBOX/i;

/** Rewrites the first match of `re` in the reply (latin1 text, literals included). */
const sub = (re: RegExp, to: string | ((...m: string[]) => string)): FaultAction =>
  ({ kind: 'rewrite', rewrite: (reply) => reply.replace(re, to as string) });

interface Case {
  name: string;
  on: RegExp;
  action: FaultAction;
  /** The error the faulty sync must report (exactly one), or null: the sync must succeed. */
  error: RegExp | null;
  /** Its code when it matters to the tray and scheduler ('timeout' and 'connection-lost' read as offline). */
  code?: string;
  /** Its retry class; 'later' unless said. */
  retry?: 'later' | 'needs-user';
}

/** A name the server lists once more than it has, as an IMAP literal (controls cannot be quoted). */
const MARK = `hostile-escape-${process.pid}`;
const listsAlso = (name: string): FaultAction => ({ kind: 'rewrite', rewrite: (reply, tag) => reply.replace(`${tag} OK`,
  `* LIST (\\HasNoChildren) "/" {${Buffer.byteLength(name, 'latin1')}}\r\n${name}\r\n${tag} OK`) });
/** The folder listing: plain, or with LIST-STATUS (which lists the folders and their states at once). */
const PLAIN_LIST = /^LIST "" "\*"( RETURN \(.*\))?$/;
const UNSAFE = /The folder name .* cannot be stored in the Maildir/;

const cases: Case[] = [
  // Connection dropped in each mutating command, before the server saw it and after it acted.
  { name: 'drops the connection mid-literal in a body FETCH', on: BODY_FETCH, action: { kind: 'drop-mid-reply', afterBytes: 300 }, error: /connection to the server was lost while downloading/, code: 'connection-lost' },
  { name: 'drops the connection instead of doing an APPEND', on: APPEND, action: { kind: 'drop-before' }, error: /connection to the server was lost while uploading/, code: 'connection-lost' },
  { name: 'stores an APPEND and drops the connection before confirming it', on: APPEND, action: { kind: 'drop-after-reply' }, error: /connection to the server was lost while uploading/, code: 'connection-lost' },
  { name: 'drops the connection instead of doing a STORE', on: STORE_SEEN, action: { kind: 'drop-before' }, error: /connection to the server was lost while storing flags/, code: 'connection-lost' },
  { name: 'does a STORE and drops the connection before confirming it', on: STORE_SEEN, action: { kind: 'drop-after-reply' }, error: /connection to the server was lost while storing flags/, code: 'connection-lost' },
  { name: 'drops the connection instead of doing an EXPUNGE', on: EXPUNGE, action: { kind: 'drop-before' }, error: /connection to the server was lost while deleting/, code: 'connection-lost' },
  { name: 'expunges and drops the connection before confirming it', on: EXPUNGE, action: { kind: 'drop-after-reply' }, error: /connection to the server was lost while deleting/, code: 'connection-lost' },
  // A server gone silent.
  { name: 'stalls mid-literal in a body FETCH', on: BODY_FETCH, action: { kind: 'stall-mid-reply', afterBytes: 300 }, error: /did not answer for 1\.5 s while downloading/, code: 'timeout' },
  { name: 'stalls mid-listing', on: NEW_LISTING, action: { kind: 'stall-mid-reply', afterBytes: 5 }, error: /did not answer for 1\.5 s while listing changes/, code: 'timeout' },
  { name: 'stalls after storing an APPEND', on: APPEND, action: { kind: 'stall-mid-reply', afterBytes: 0 }, error: /did not answer for 1\.5 s while uploading/, code: 'timeout' },
  { name: 'stalls in LIST', on: PLAIN_LIST, action: { kind: 'stall-mid-reply', afterBytes: 0 }, error: /did not answer for 1\.5 s while listing folders/, code: 'timeout' },
  // Malformed and truncated FETCH data.
  { name: 'truncates a body FETCH response and still says OK', on: BODY_FETCH,
    action: { kind: 'rewrite', rewrite: (r, tag) => `${r.slice(0, r.indexOf('{') + 1)}\r\n${tag} OK done\r\n` }, error: /could not read/ },
  { name: 'sends a FETCH row of garbage in a listing', on: NEW_LISTING, action: sub(/\* \d+ FETCH \(/, '* 4 FETCH ((( UID '), error: /could not read/ },
  { name: 'leaves a requested message out of a body FETCH and says OK', on: BODY_FETCH,
    action: { kind: 'rewrite', rewrite: (_r, tag) => `${tag} OK Fetch completed.\r\n` }, error: /did not return 1 requested message/ },
  { name: 'sends the same message twice in one FETCH', on: BODY_FETCH,
    action: { kind: 'rewrite', rewrite: (r, tag) => { const rows = r.slice(0, r.lastIndexOf(`${tag} OK`)); return rows + rows + r.slice(rows.length); } }, error: null },
  // Literals far larger than announced, and announced far larger than the limit.
  { name: 'sends a literal far larger than its announced size', on: BODY_FETCH, action: sub(/\{(\d+)\}\r\n/, '{40}\r\n'), error: /could not read/ },
  { name: 'announces a literal beyond any message size', on: BODY_FETCH, action: sub(/\{(\d+)\}\r\n/, '{99999999999}\r\n'), error: /./ },
  { name: 'announces a message size far smaller than its literal', on: NEW_LISTING, action: sub(/RFC822\.SIZE \d+/, 'RFC822.SIZE 1'), error: null },
  // Negative and overflowing numbers.
  { name: 'sends a negative UID', on: NEW_LISTING, action: sub(/UID \d+/, 'UID -4'), error: /invalid UID|could not read/ },
  { name: 'sends a UID above 2^32-1', on: NEW_LISTING, action: sub(/UID \d+/, 'UID 4294967300'), error: /invalid UID/ },
  { name: 'sends an overflowing UID', on: NEW_LISTING, action: sub(/UID \d+/, 'UID 999999999999999999999999'), error: /invalid UID|could not read/ },
  { name: 'sends a negative message size', on: NEW_LISTING, action: sub(/RFC822\.SIZE \d+/, 'RFC822.SIZE -5'), error: null },
  { name: 'sends an overflowing message size', on: NEW_LISTING, action: sub(/RFC822\.SIZE \d+/, 'RFC822.SIZE 999999999999999999999999999'), error: null },
  { name: 'sends a negative MODSEQ', on: NEW_LISTING, action: sub(/MODSEQ \(\d+\)/, 'MODSEQ (-1)'), error: null },
  { name: 'sends an overflowing MODSEQ', on: NEW_LISTING, action: sub(/MODSEQ \(\d+\)/, 'MODSEQ (99999999999999999999999)'), error: null },
  { name: 'sends a HIGHESTMODSEQ above 2^63-1 once', on: SELECT_INBOX, action: sub(/HIGHESTMODSEQ \d+/, 'HIGHESTMODSEQ 9999999999999999999'), error: null },
  { name: 'sends an inflated HIGHESTMODSEQ once, then the true one', on: SELECT_INBOX, action: sub(/HIGHESTMODSEQ \d+/, 'HIGHESTMODSEQ 9000000000000000000'), error: null },
  { name: 'sends a negative HIGHESTMODSEQ', on: SELECT_INBOX, action: sub(/HIGHESTMODSEQ \d+/, 'HIGHESTMODSEQ -7'), error: null },
  { name: 'sends a negative UIDVALIDITY', on: SELECT_INBOX, action: sub(/UIDVALIDITY \d+/, 'UIDVALIDITY -1'), error: /no valid UIDVALIDITY/ },
  { name: 'sends a UIDVALIDITY above 2^32-1', on: SELECT_INBOX, action: sub(/UIDVALIDITY \d+/, 'UIDVALIDITY 99999999999'), error: /no valid UIDVALIDITY/ },
  // Unsolicited responses between commands.
  { name: 'sends unsolicited responses between commands', on: SELECT_INBOX,
    action: { kind: 'inject-after', text: '* 999 EXISTS\r\n* 0 RECENT\r\n* 4000 FETCH (UID 4000 FLAGS (\\Deleted))\r\n' +
      '* OK [ALERT] \x1b]0;pwned\x07 read me\r\n* FLAGS (\\Seen $Junk)\r\n* 77 EXPUNGE\r\n* CAPABILITY IMAP4rev1\r\n* STATUS Work (MESSAGES 0)\r\n' }, error: null },
  { name: 'says BYE between commands', on: SELECT_INBOX, action: { kind: 'inject-after', text: '* BYE going away\r\n' }, error: /connection to the server was lost/, code: 'connection-lost' },
  // Folder names that would leave the Maildir root or carry control characters.
  ...['..', `../../${MARK}`, `Work/../../${MARK}`, `${MARK}\x1b]0;owned\x07\x1b[2J`, `nul\x00${MARK}`, '.', 'cur'].map((name): Case => ({
    name: `lists a folder named ${JSON.stringify(name)}`, on: PLAIN_LIST, action: listsAlso(name), error: UNSAFE, retry: 'needs-user',
  })),
];

describe('a hostile or broken server, then a normal sync', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const w = await makeWorld(server, proxy);
      await makeChanges(server, w);
      proxy.reset();
      proxy.arm({ on: c.on, action: c.action });
      const t0 = Date.now();
      const errors = await w.sync();
      expect(proxy.fired, 'the fault fired').toHaveLength(1);
      expect(Date.now() - t0).toBeLessThan(TEST_SOCKET_TIMEOUT_MS * 4 + 5_000);
      if (c.error) {
        expect(errors.map((e) => e.message), 'exactly one error').toHaveLength(1);
        expect(errors[0]!.message).toMatch(c.error);
        expect(isClearLine(errors[0]!.message), errors[0]!.message).toBe(true);
        expect(errors[0]!.retry).toBe(c.retry ?? 'later');
        if (c.code) expect(errors[0]!.code).toBe(c.code);
      } else {
        expect(errors).toEqual([]);
      }
      expect(outsideRoot(w)).toEqual([]);
      expect(fs.readdirSync(path.dirname(w.base)).filter((e) => e.includes(MARK))).toEqual([]);

      await addLate(server);
      const again = await w.sync();
      expect(again).toEqual([]);
      const { local, remote } = await bothSides(server, w);
      expect(local).toEqual(EXPECTED);
      expect(remote).toEqual(EXPECTED);
    }, 30_000);
  }
});
