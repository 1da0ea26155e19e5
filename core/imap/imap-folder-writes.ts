// The writing commands of an open IMAP folder (ImapFolder delegates to these): uploads (APPEND,
// several at once with LITERAL+ on the borrowed socket), flag STOREs, deletions (\Deleted +
// UID EXPUNGE of exactly the given UIDs; without UIDPLUS a plain EXPUNGE only when no other
// \Deleted mark is in the folder) and moves (UID MOVE, else UID COPY + that deletion).

import type { ImapFlow } from 'imapflow';
import { encodePath, formatDateTime } from 'imapflow/lib/tools.js';
import type { FlagChange, MoveResult, NewMessage, RemoveResult } from '../store/mail-store.js';
import { SyncError } from '../errors.js';
import { lettersToFlags } from './imap-flags.js';
import { toUids, uidSetChunks, validUid } from './uid-sets.js';
import { readBody } from '../store/raw-message.js';
import { toCrlf } from '../store/line-endings.js';
import { quoteMailbox, refusal, runPipelined } from './fetch-stream.js';
import { appendEach } from '../store/append-each.js';
import type { ImapFolder } from './imap-folder.js';

export async function appendMessage(f: ImapFolder, msg: NewMessage): Promise<string | null> {
  const raw = await wireForm(msg);
  return f.op('uploading a message', async (c) => {
    const res = await c.append(f.name, raw, lettersToFlags(msg.flags), msg.date);
    if (!res) throw new Error('APPEND failed');
    if (!f.caps.uidplus || res.uid === undefined || res.uidValidity === undefined) return null;
    return Number(res.uidValidity) === f.state.uidValidity ? String(res.uid) : null;
  });
}

/**
 * Several APPENDs in one round trip (LITERAL+, RFC 7888), each with its own tag and answer;
 * without LITERAL+ (or a borrowable socket) one after the other. Entry i is message i's UID,
 * null (no UIDPLUS answer: findByToken() finds it), or the error that refused it.
 */
export async function appendMessages(f: ImapFolder, msgs: NewMessage[]): Promise<Array<string | null | SyncError>> {
  const c = f.client;
  const mailbox = quoteMailbox(encodePath(c, f.name));
  if (msgs.length < 2 || !mailbox || !c.capabilities.has('LITERAL+') || !(await f.canPipeline())) {
    return appendEach({ append: (m) => appendMessage(f, m) }, msgs);
  }
  const commands: Buffer[] = [];
  for (const msg of msgs) {
    const raw = await wireForm(msg);
    const date = msg.date && !Number.isNaN(msg.date.getTime()) ? ` "${formatDateTime(msg.date)}"` : '';
    const head = `APPEND ${mailbox} (${lettersToFlags(msg.flags).join(' ')})${date} {${raw.length}+}\r\n`;
    commands.push(Buffer.concat([Buffer.from(head, 'latin1'), raw]));
  }
  const answers = await f.op('uploading messages', () => runPipelined(f.conn, commands));
  return answers.map((a) => {
    if (a.status !== 'OK') return f.fail(refusal(a), 'uploading a message');
    const [validity, uid] = (a.code === 'APPENDUID' ? a.codeArgs ?? '' : '').split(' ');
    if (!f.caps.uidplus || !validity || !uid || !/^[0-9]+$/.test(uid)) return null;
    return Number(validity) === f.state.uidValidity && validUid(Number(uid)) ? uid : null;
  });
}

/** A message as it goes on the wire: CRLF line ends, with its X-TUID upload token first. */
async function wireForm(msg: NewMessage): Promise<Buffer> {
  if (msg.token !== undefined && !/^[\x21-\x7e]{1,200}$/.test(msg.token)) {
    throw new SyncError('invalid-token', 'An upload token must be printable ASCII without spaces', { scope: 'message', retry: 'now' });
  }
  // The wire form is CRLF: LF files (Maildir) get their CRs here, CRLF files stay as they are.
  const body = await readBody(toCrlf(msg.body));
  return msg.token ? Buffer.concat([Buffer.from(`X-TUID: ${msg.token}\r\n`, 'latin1'), body]) : body;
}

export async function storeFlags(f: ImapFolder, changes: FlagChange[]): Promise<void> {
  const groups = new Map<string, { add: string[]; remove: string[]; ids: string[] }>();
  for (const ch of changes) {
    const add = lettersToFlags(ch.add), remove = lettersToFlags(ch.remove);
    if (!add.length && !remove.length) continue;
    const key = `${add.join(' ')}|${remove.join(' ')}`;
    const g = groups.get(key) ?? { add, remove, ids: [] };
    g.ids.push(ch.id);
    groups.set(key, g);
  }
  const stores: string[] = [];
  for (const g of groups.values()) {
    for (const chunk of uidSetChunks(toUids(g.ids))) {
      if (g.add.length) stores.push(`UID STORE ${chunk.set} +FLAGS.SILENT (${g.add.join(' ')})`);
      if (g.remove.length) stores.push(`UID STORE ${chunk.set} -FLAGS.SILENT (${g.remove.join(' ')})`);
    }
  }
  // Every STORE in one round trip when the socket can be borrowed (their order does not matter).
  if (stores.length > 1 && await f.canPipeline()) { await f.pipelined('storing flags', stores); return; }
  await f.op('storing flags', async (c) => {
    for (const g of groups.values()) {
      for (const chunk of uidSetChunks(toUids(g.ids))) {
        if (g.add.length) f.ensure(await c.messageFlagsAdd(chunk.set, g.add, { uid: true, silent: true }), 'UID STORE +FLAGS');
        if (g.remove.length) f.ensure(await c.messageFlagsRemove(chunk.set, g.remove, { uid: true, silent: true }), 'UID STORE -FLAGS');
      }
    }
  });
}

export async function removeMessages(f: ImapFolder, ids: string[]): Promise<RemoveResult> {
  const uids = toUids(ids);
  if (!uids.length) return { kept: [] };
  return f.op('deleting messages', async (c) => {
    if (f.caps.uidplus && c.capabilities.has('UIDPLUS') && await f.canPipeline()) {
      // One round trip for any number of UIDs: every \Deleted mark, then every UID EXPUNGE,
      // which the server runs in the order sent; an EXPUNGE only ever covers our own UIDs.
      const chunks = uidSetChunks(uids);
      await f.pipelined('deleting messages', [
        ...chunks.map((k) => `UID STORE ${k.set} +FLAGS.SILENT (\\Deleted)`),
        ...chunks.map((k) => `UID EXPUNGE ${k.set}`),
      ]);
      return { kept: [] };
    }
    if (f.caps.uidplus && c.capabilities.has('UIDPLUS')) {
      // imapflow's messageDelete() sends UID STORE +FLAGS (\Deleted) then UID EXPUNGE <set>.
      for (const chunk of uidSetChunks(uids)) f.ensure(await c.messageDelete(chunk.set, { uid: true }), 'UID EXPUNGE');
      return { kept: [] };
    }
    return removeWithoutUidplus(f, c, uids);
  });
}

/**
 * Without UIDPLUS the only expunge is a plain EXPUNGE, which removes every \Deleted message
 * of the folder: it is sent only when the folder's \Deleted set is exactly ours, so another
 * client's marks are never acted on. Whatever is still there afterwards is returned as kept.
 */
async function removeWithoutUidplus(f: ImapFolder, c: ImapFlow, uids: number[]): Promise<RemoveResult> {
  const chunks = uidSetChunks(uids);
  for (const chunk of chunks) f.ensure(await c.messageFlagsAdd(chunk.set, ['\\Deleted'], { uid: true, silent: true }), 'UID STORE +FLAGS (\\Deleted)');
  const deleted = await c.search({ deleted: true }, { uid: true });
  if (!Array.isArray(deleted)) throw new Error('UID SEARCH DELETED failed');
  const ours = new Set(uids);
  const others = deleted.filter((u) => !ours.has(u)).length;
  let reason: string | undefined;
  if (others) {
    reason = `the server has no UIDPLUS and ${others} other message(s) of the folder are marked \\Deleted by another ` +
      'client, which a plain EXPUNGE would remove too: left marked \\Deleted, expunged by a later sync';
  } else {
    // messageDelete() without UIDPLUS: STORE +FLAGS (\Deleted) (already set) and a plain EXPUNGE.
    f.ensure(await c.messageDelete(chunks[0]!.set, { uid: true }), 'EXPUNGE');
  }
  const kept: string[] = [];
  for (const chunk of chunks) {
    const left = await c.search({ uid: chunk.set }, { uid: true });
    if (!Array.isArray(left)) throw new Error('UID SEARCH UID failed');
    for (const u of left) if (ours.has(u)) kept.push(String(u));
  }
  if (kept.length && !reason) reason = 'the server kept them after EXPUNGE';
  return { kept, ...(reason && kept.length ? { reason } : {}) };
}

/**
 * UID MOVE (RFC 6851) to `destName`; a server without MOVE gets UID COPY and then remove(),
 * which never expunges another client's \Deleted messages (what it keeps did not move).
 */
export async function moveMessages(f: ImapFolder, moves: Array<{ id: string }>, destName: string): Promise<MoveResult> {
  const uids = toUids(moves.map((m) => m.id));
  const out: MoveResult = { moved: [], ids: new Map() };
  if (!uids.length) return out;
  const collect = (res: { uidValidity?: bigint; uidMap?: Map<number, number> }) => {
    if (res.uidValidity !== undefined) out.uidValidity = Number(res.uidValidity);
    for (const [from, to] of res.uidMap ?? []) out.ids.set(String(from), String(to));
  };
  const hasMove = await f.op('moving messages', async (c) => c.capabilities.has('MOVE'));
  if (hasMove) {
    await f.op('moving messages', async (c) => {
      for (const chunk of uidSetChunks(uids)) {
        const res = await c.messageMove(chunk.set, destName, { uid: true });
        if (!res) throw new Error('UID MOVE failed');
        collect(res as { uidValidity?: bigint; uidMap?: Map<number, number> });
        out.moved.push(...chunk.uids.map(String));
      }
    });
    return out;
  }
  await f.op('copying messages', async (c) => {
    for (const chunk of uidSetChunks(uids)) {
      const res = await c.messageCopy(chunk.set, destName, { uid: true });
      if (!res) throw new Error('UID COPY failed');
      collect(res as { uidValidity?: bigint; uidMap?: Map<number, number> });
    }
  });
  const { kept } = await removeMessages(f, uids.map(String));
  const stays = new Set(kept);
  out.moved = uids.map(String).filter((id) => !stays.has(id));
  return out;
}
