// The one store interface every side of a sync implements (ImapStore, MaildirStore,
// MemoryStore), modelled on isync's driver.h. The sync algorithm talks only to this
// interface, so IMAP<->Maildir and IMAP<->IMAP are the same code. A store never decides
// what to sync; it lists, reads and writes what it is told to, and reports failures as
// SyncError (core/errors.ts).
//
// Conventions shared by all stores:
// - Folder names are UTF-8 strings in the store's own notation: path segments joined by the
//   store's `delimiter` (IMAP: the server's hierarchy separator; Maildir: the `sep` option).
//   ImapStore encodes/decodes modified UTF-7 on the wire itself.
// - Flags are Maildir letters, sorted ASCII, concatenated: D (\Draft), F (\Flagged),
//   R (\Answered), S (\Seen), T (\Deleted). E.g. "FS". Keywords are not synced (yet).
// - A message id is a string, unique and stable within one folder for the life of the
//   message: IMAP = the UID in decimal; Maildir = the unique part of the file name (the part
//   before the first ',' or ':'), unchanged by flag renames and by linkFarUid().

import type { SyncError } from '../errors.js';

export const FLAG_LETTERS = 'DFRST';

export interface FolderEntry {
  /** Full name in the store's notation (UTF-8). */
  name: string;
  /** True when the folder cannot hold messages (IMAP \Noselect / \NonExistent). */
  noSelect?: boolean;
  /** RFC 6154 special use, e.g. '\\Sent', when the server says so. */
  specialUse?: string;
}

export interface FolderState {
  uidValidity: number;
  uidNext?: number;
  /** Present only when the store supports CONDSTORE (IMAP) — as a decimal string (64-bit). */
  highestModseq?: string;
  /** Number of messages, when known without listing. */
  messages?: number;
  /**
   * Opaque value that changes whenever the folder's content or flags change, for stores that
   * can tell cheaply (Maildir: mtimes of cur/ and new/). Equal tokens mean "nothing changed".
   */
  changeToken?: string;
}

export interface MessageInfo {
  id: string;
  flags: string;
  /** RFC822.SIZE (IMAP) or file size (Maildir, only when asked for with withSize). */
  size?: number;
  /** INTERNALDATE (IMAP) or file mtime (Maildir). */
  date?: Date;
  /**
   * Maildir only: the far (remote) UID written in the file name by an earlier sync
   * (`,U=<uid>,FMD5=<md5 of this folder>`); absent when the name has no U= or its FMD5
   * belongs to another folder.
   */
  farUidHint?: number;
}

export interface FetchedMessage {
  id: string;
  flags: string;
  date?: Date;
  size?: number;
  /**
   * The raw RFC 5322 message in the store's own form: CRLF line ends from IMAP, the file's bytes
   * (LF, or CRLF from older tools) from Maildir. Large messages may come as a stream of chunks.
   */
  body: Buffer | AsyncIterable<Buffer>;
}

export interface NewMessage {
  /**
   * Either line-end form: each store converts while writing (core/store/line-endings.ts), IMAP
   * to CRLF (without doubling an existing CR), Maildir to LF.
   */
  body: Buffer | AsyncIterable<Buffer>;
  flags: string;
  /** INTERNALDATE to set (IMAP) / file mtime (Maildir). */
  date?: Date;
  /**
   * Unique token of this upload, recorded in the status database before the append.
   * IMAP stores add it as an `X-TUID: <token>` header line at the top of the message so that
   * findByToken() can find the message again after a crash. Maildir ignores it.
   */
  token?: string;
  /** Maildir only: the far UID to write into the file name (`,U=<uid>,FMD5=...`). */
  farUid?: number;
}

export interface FlagChange {
  id: string;
  /** Letters to add and to remove (disjoint). */
  add: string;
  remove: string;
}

export interface ChangesSince {
  /** Messages new or with changed flags since the given modseq (flags are the current ones). */
  changed: MessageInfo[];
  /** Ids among `knownIds` that no longer exist. */
  vanished: string[];
  /** The folder's HIGHESTMODSEQ after this listing. */
  highestModseq: string;
}

/** What remove() could not delete (still in the folder), with the reason for the log. */
export interface RemoveResult {
  kept: string[];
  reason?: string;
}

/**
 * What tells two copies of a message apart without their bodies: the Message-ID and the size
 * in wire form (CRLF line ends, without the X-TUID line Satchel adds to its uploads), so that a
 * Maildir file (LF) and its IMAP copy (CRLF) have the same identity.
 */
export interface MessageIdentity {
  messageId?: string;
  size: number;
}

/** What moveTo() did: source id -> new id in the destination, for every message that moved. */
export interface MoveResult {
  /** Source ids gone from this folder and now in the destination. */
  moved: string[];
  /** New ids by source id, where the store knows them (IMAP: COPYUID of UIDPLUS). */
  ids: Map<string, string>;
  /** IMAP: the destination UIDVALIDITY the new ids belong to. */
  uidValidity?: number;
}

/** One folder, opened (IMAP: SELECTed on one pooled connection) until release(). */
export interface OpenFolder {
  readonly name: string;
  readonly state: FolderState;
  /**
   * Maildir: a message appended with its farUid carries that UID in its file name, so a copy
   * interrupted by a crash is recognised by its name and needs no upload intent row.
   */
  readonly namesFarUid?: boolean;
  /**
   * Every message with id and flags (IMAP: also size and date). `fromUid` (IMAP only, with
   * firstUidSince): leave out messages with a lower UID; other stores list everything.
   */
  listAll(opts?: { withSize?: boolean; fromUid?: number }): Promise<MessageInfo[]>;
  /** IMAP only (maxage / startdate): the lowest UID that arrived on or after `day`, null when none. */
  firstUidSince?(day: Date): Promise<number | null>;
  /**
   * CONDSTORE fast path, only when state.highestModseq is set: what changed since `modseq`,
   * plus which of `knownIds` vanished (QRESYNC VANISHED, or a UID SEARCH when not available).
   */
  listChanges(modseq: string, knownIds: string[]): Promise<ChangesSince>;
  /**
   * The cheap form of listChanges() for stores that report expunges themselves (IMAP QRESYNC;
   * undefined without it): `vanished` holds every id expunged since `modseq` or since the open
   * (a superset is allowed, unknown ids included), `changed` the messages changed or added since
   * `modseq` (also above `highestKnown`, the highest id the caller knows, and above UIDNEXT after
   * this handle's own appends), and `highestModseq` the folder's value read *before* the
   * listing: every change up to it is in the answer.
   */
  changesSince?(modseq: string, highestKnown: number): Promise<ChangesSince | undefined>;
  /** Message-ID header values (trimmed, with <>) of the given messages; missing ones absent. */
  messageIds(ids: string[]): Promise<Map<string, string>>;
  /** Bodies of the given messages, in any order, pipelined. Unknown ids are skipped. */
  fetch(ids: string[]): AsyncIterable<FetchedMessage>;
  /** IMAP: every message with its body, flags, date and size, without a listing first. */
  fetchAll?(): AsyncIterable<FetchedMessage>;
  /**
   * Adds a message. Returns its id when the store knows it at once (IMAP with UIDPLUS, Maildir),
   * else null (then findByToken() finds it). Maildir: not yet durable until flush().
   */
  append(msg: NewMessage): Promise<string | null>;
  /**
   * Several append()s at once (IMAP: one round trip with LITERAL+). Entry i is message i's id,
   * null, or the error that refused it; an error of the whole batch (a lost connection) throws.
   */
  appendBatch?(msgs: NewMessage[]): Promise<Array<string | null | SyncError>>;
  /** Makes every append() so far durable (Maildir: fsync files and directories). */
  flush(): Promise<void>;
  /** Ids of messages carrying the given upload tokens (IMAP: SEARCH HEADER X-TUID). */
  findByToken(tokens: string[]): Promise<Map<string, string>>;
  /** Applies flag changes; IMAP batches identical changes into one UID STORE. */
  setFlags(changes: FlagChange[]): Promise<void>;
  /**
   * Deletes messages for good. IMAP: +FLAGS (\Deleted) then UID EXPUNGE of exactly these UIDs;
   * without UIDPLUS a plain EXPUNGE only when no other message of the folder is \Deleted (else
   * they stay flagged and are returned in `kept`). Maildir: unlink.
   */
  remove(ids: string[]): Promise<RemoveResult>;
  /** Identities (Message-ID, wire size) of the given messages; unknown ids absent. */
  identities?(ids: string[]): Promise<Map<string, MessageIdentity>>;
  /**
   * The Message-IDs identities() would report, read from the start of each message only
   * (Maildir: no whole-file read): a cheap first look for move detection. Unknown ids absent.
   */
  identityMessageIds?(ids: string[]): Promise<Map<string, string>>;
  /**
   * Moves messages into another folder of the same store, keeping body, flags and date. IMAP:
   * UID MOVE (RFC 6851), else UID COPY and remove(). Maildir: renames the file into the other
   * folder, its name carrying `,U=<farUid>,FMD5=<that folder's>` when farUid is given.
   */
  moveTo?(moves: Array<{ id: string; farUid?: number }>, destName: string): Promise<MoveResult>;
  /** Maildir: rename the file so its name carries `,U=<farUid>,FMD5=...`. Others: no-op. */
  linkFarUid(id: string, farUid: number): Promise<void>;
  /**
   * Maildir only, after a sync's own changes: snapshots now the files this handle expects (its
   * listing, or what useKnown() was given, plus its own changes) and returns a check, usable after
   * release(), that gives the folder's change token if its files are still exactly those (so the
   * next run can skip a folder this run wrote to), with a memo for useKnown(), else undefined.
   * No check before a listing, with appends pending, or after a rescan.
   */
  changeTokenCheck?(): (() => Promise<{ token: string; memo: string } | undefined>) | undefined;
  /**
   * Maildir only, instead of a listing, when state.changeToken equals the token a check gave
   * after the last complete sync (so the folder holds exactly what that sync left): finds just
   * these messages by the names that sync gave them (id, the flags of their status row, far UID),
   * using the check's memo. Returns them as a listing would, or undefined when one is not where
   * expected (then the caller lists the folder as usual). Other messages stay unlisted.
   */
  useKnown?(memo: string, known: Array<{ id: string; flags: string; farUid: number }>): Promise<Map<string, MessageInfo> | undefined>;
  /** Gives the connection back to the pool (IMAP) / drops caches. */
  release(): Promise<void>;
}

export interface MailStore {
  readonly kind: 'imap' | 'maildir' | 'memory';
  /** Hierarchy separator of this store's folder names (valid after connect()). */
  readonly delimiter: string;
  /** Connects (IMAP: first connection, login, capabilities, delimiter). Throws SyncError. */
  connect(): Promise<void>;
  listFolders(): Promise<FolderEntry[]>;
  /**
   * Fast path for the whole account: the state of every folder in one round trip
   * (IMAP LIST-STATUS with UIDVALIDITY UIDNEXT HIGHESTMODSEQ MESSAGES). Undefined when the
   * store has no such shortcut.
   */
  folderStates?(): Promise<Map<string, FolderState>>;
  /** Creates a folder (and, for Maildir, its parents). Rejects names that are unsafe. */
  createFolder(name: string): Promise<void>;
  /** Opens a folder; IMAP waits for a free connection of the pool (maxconnections). */
  openFolder(name: string): Promise<OpenFolder>;
  /** Capabilities that change what the engine may do. */
  readonly capabilities: { condstore: boolean; qresync: boolean; uidplus: boolean };
  close(): Promise<void>;
}

/** Sorts and de-duplicates flag letters: "SF" -> "FS". */
export function normalizeFlags(flags: string): string {
  // Hot (several calls per message): most flag strings are already sorted and unique.
  let sorted = true;
  for (let i = 1; i < flags.length; i++) if (flags.charCodeAt(i) <= flags.charCodeAt(i - 1)) { sorted = false; break; }
  return sorted ? flags : [...new Set(flags)].sort().join('');
}
