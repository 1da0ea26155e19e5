// The status database: what both sides last agreed on, one SQLite file per account
// (better-sqlite3, WAL, migrations by user_version, prepared statements). Rows are written
// only *after* the effect they describe, except upload intents, written *before* an append.
// Only the engine process opens this file. It never holds a password.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyncError } from '../errors.js';
import { ensurePrivateFile, makePrivateDir } from '../files/private-files.js';

export interface PairRow {
  id: number;
  farName: string;
  nearName: string;
  farUidValidity: number | null;
  nearUidValidity: number | null;
  /** HIGHESTMODSEQ of the far folder at the last complete sync (decimal string). */
  farModseq: string | null;
  nearModseq: string | null;
  /** Change token of the near folder (Maildir directory mtimes) at the last complete sync. */
  nearToken: string | null;
  farToken: string | null;
  /**
   * What the near store noted about the folder together with nearToken (Maildir: the FMD5 it
   * writes, the count and a digest of its file names), handed back to it while the token holds.
   */
  nearMemo?: string | null;
}

/**
 * One message pair. farId or nearId is null for a message kept on one side on purpose
 * (its deletion on the other side was not propagated): it is never copied again.
 */
export interface MessageRow {
  farId: string | null;
  nearId: string | null;
  flags: string;
  msgidHash: string | null;
}

export interface IntentRow {
  token: string;
  /** 'to-far': a near message being appended to the far side; 'to-near' the reverse. */
  direction: 'to-far' | 'to-near';
  sourceId: string;
}

const MIGRATIONS: string[] = [
  `CREATE TABLE folder_pair (
     id INTEGER PRIMARY KEY,
     far_name TEXT NOT NULL UNIQUE,
     near_name TEXT NOT NULL UNIQUE,
     far_uidvalidity INTEGER, near_uidvalidity INTEGER,
     far_modseq TEXT, near_modseq TEXT,
     far_token TEXT, near_token TEXT
   );
   CREATE TABLE message (
     pair_id INTEGER NOT NULL REFERENCES folder_pair(id) ON DELETE CASCADE,
     far_id TEXT, near_id TEXT,
     flags TEXT NOT NULL DEFAULT '',
     msgid_hash TEXT
   );
   CREATE UNIQUE INDEX message_far ON message(pair_id, far_id) WHERE far_id IS NOT NULL;
   CREATE UNIQUE INDEX message_near ON message(pair_id, near_id) WHERE near_id IS NOT NULL;
   CREATE TABLE intent (
     pair_id INTEGER NOT NULL REFERENCES folder_pair(id) ON DELETE CASCADE,
     token TEXT PRIMARY KEY,
     direction TEXT NOT NULL CHECK (direction IN ('to-far','to-near')),
     source_id TEXT NOT NULL
   );`,
  'ALTER TABLE folder_pair ADD COLUMN near_memo TEXT;',
];

export class StatusDb {
  private readonly db: Database.Database;
  private readonly stmts;

  /** Opens (creating when allowed) the database file and brings its schema up to date. */
  constructor(readonly file: string, opts: { readonly?: boolean } = {}) {
    if (!opts.readonly) {
      // Folder 0700, database 0600; SQLite gives its -wal and -shm files the database's mode.
      makePrivateDir(path.dirname(file));
      ensurePrivateFile(file);
    }
    try {
      // Read-only (--dry-run) works on a private in-memory copy: even a read-only SQLite
      // connection may create -wal/-shm files beside a WAL database, and nothing may be written.
      this.db = opts.readonly ? openCopyInMemory(file) : new Database(file);
    } catch (e) {
      throw new SyncError('status-db-unreadable', `Cannot open the status database ${file}: ${(e as Error).message}. ` +
        'Check its permissions, or move it away: Satchel rebuilds it by matching messages, without duplicates.',
        { scope: 'account', retry: 'needs-user', cause: e });
    }
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode keeps the database consistent on a crash; a transaction lost on
      // power failure is recovered on the next run by matching (files carry their far UID).
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    const d = this.db;
    this.stmts = {
      pairByFar: d.prepare('SELECT * FROM folder_pair WHERE far_name = ?'),
      allPairs: d.prepare('SELECT * FROM folder_pair ORDER BY far_name'),
      insertPair: d.prepare('INSERT INTO folder_pair (far_name, near_name) VALUES (?, ?)'),
      updatePair: d.prepare(`UPDATE folder_pair SET far_uidvalidity = @farUidValidity, near_uidvalidity = @nearUidValidity,
        far_modseq = @farModseq, near_modseq = @nearModseq, far_token = @farToken, near_token = @nearToken, near_memo = @nearMemo WHERE id = @id`),
      messages: d.prepare('SELECT far_id, near_id, flags, msgid_hash FROM message WHERE pair_id = ?'),
      messagesByFar: d.prepare(`SELECT far_id, near_id, flags, msgid_hash FROM message
        WHERE pair_id = ? AND far_id IN (SELECT value FROM json_each(?))`),
      maxFarUid: d.prepare('SELECT max(CAST(far_id AS INTEGER)) AS n FROM message WHERE pair_id = ? AND far_id IS NOT NULL'),
      countMessages: d.prepare('SELECT count(*) AS n FROM message WHERE pair_id = ?'),
      insertMessage: d.prepare('INSERT INTO message (pair_id, far_id, near_id, flags, msgid_hash) VALUES (?, ?, ?, ?, ?)'),
      setFlagsByFar: d.prepare('UPDATE message SET flags = ? WHERE pair_id = ? AND far_id = ?'),
      setFlagsByNear: d.prepare('UPDATE message SET flags = ? WHERE pair_id = ? AND near_id = ?'),
      deleteByFar: d.prepare('DELETE FROM message WHERE pair_id = ? AND far_id = ?'),
      deleteByNear: d.prepare('DELETE FROM message WHERE pair_id = ? AND near_id = ?'),
      clearFarId: d.prepare('UPDATE message SET far_id = NULL WHERE pair_id = ? AND far_id = ?'),
      clearNearId: d.prepare('UPDATE message SET near_id = NULL WHERE pair_id = ? AND near_id = ?'),
      clearAllFar: d.prepare('UPDATE message SET far_id = NULL WHERE pair_id = ?'),
      remapFar: d.prepare('UPDATE message SET far_id = ? WHERE pair_id = ? AND near_id = ?'),
      deleteOrphans: d.prepare('DELETE FROM message WHERE pair_id = ? AND far_id IS NULL AND near_id IS NULL'),
      intents: d.prepare('SELECT token, direction, source_id FROM intent WHERE pair_id = ?'),
      insertIntent: d.prepare('INSERT INTO intent (pair_id, token, direction, source_id) VALUES (?, ?, ?, ?)'),
      deleteIntent: d.prepare('DELETE FROM intent WHERE token = ?'),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new SyncError('status-db-newer', `The status database ${this.file} was written by a newer Satchel (schema ${version}). ` +
        'Upgrade Satchel, or point it at another state folder.', { scope: 'fatal', retry: 'needs-user' });
    }
    if (version === MIGRATIONS.length) return;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /** Runs fn in one transaction (one per applied operation or batch of them). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  pairs(): PairRow[] {
    return (this.stmts.allPairs.all() as RawPair[]).map(toPair);
  }

  pair(farName: string): PairRow | undefined {
    const r = this.stmts.pairByFar.get(farName) as RawPair | undefined;
    return r && toPair(r);
  }

  ensurePair(farName: string, nearName: string): PairRow {
    const existing = this.pair(farName);
    if (existing) return existing;
    this.stmts.insertPair.run(farName, nearName);
    return this.pair(farName)!;
  }

  updatePair(p: PairRow): void {
    this.stmts.updatePair.run({ ...p, nearMemo: p.nearMemo ?? null });
  }

  messages(pairId: number): MessageRow[] {
    return (this.stmts.messages.all(pairId) as RawMessage[]).map(toMessage);
  }

  /** The rows of just these far ids (by the far-id index; ids without a row are left out). */
  messagesByFar(pairId: number, farIds: string[]): MessageRow[] {
    if (!farIds.length) return [];
    return (this.stmts.messagesByFar.all(pairId, JSON.stringify(farIds)) as RawMessage[]).map(toMessage);
  }

  /** The highest far UID a row holds (far ids of IMAP are UIDs), 0 when none. */
  maxFarUid(pairId: number): number {
    return (this.stmts.maxFarUid.get(pairId) as { n: number | null }).n ?? 0;
  }

  messageCount(pairId: number): number {
    return (this.stmts.countMessages.get(pairId) as { n: number }).n;
  }

  insertMessage(pairId: number, m: MessageRow): void {
    this.stmts.insertMessage.run(pairId, m.farId, m.nearId, m.flags, m.msgidHash);
  }

  setFlags(pairId: number, m: { farId: string | null; nearId: string | null }, flags: string): void {
    if (m.farId !== null) this.stmts.setFlagsByFar.run(flags, pairId, m.farId);
    else if (m.nearId !== null) this.stmts.setFlagsByNear.run(flags, pairId, m.nearId);
  }

  /** The far copy is gone: drop the far id, or the row when the near copy is gone too. */
  forgetFar(pairId: number, farId: string, keepNear: boolean): void {
    if (keepNear) this.stmts.clearFarId.run(pairId, farId);
    else this.stmts.deleteByFar.run(pairId, farId);
  }

  forgetNear(pairId: number, nearId: string, keepFar: boolean): void {
    if (keepFar) this.stmts.clearNearId.run(pairId, nearId);
    else this.stmts.deleteByNear.run(pairId, nearId);
  }

  /**
   * After a re-approved UIDVALIDITY change: gives every row its new far id (by near id);
   * rows mapped to null keep only their near copy, rows without a near copy are dropped.
   */
  remapFarIds(pairId: number, mapping: Map<string, string | null>): void {
    this.transaction(() => {
      this.stmts.clearAllFar.run(pairId);
      for (const [nearId, farId] of mapping) if (farId !== null) this.stmts.remapFar.run(farId, pairId, nearId);
      this.stmts.deleteOrphans.run(pairId);
    });
  }

  intents(pairId: number): IntentRow[] {
    return (this.stmts.intents.all(pairId) as { token: string; direction: IntentRow['direction']; source_id: string }[])
      .map((r) => ({ token: r.token, direction: r.direction, sourceId: r.source_id }));
  }

  addIntent(pairId: number, i: IntentRow): void {
    this.stmts.insertIntent.run(pairId, i.token, i.direction, i.sourceId);
  }

  dropIntent(token: string): void {
    this.stmts.deleteIntent.run(token);
  }

  close(): void {
    this.db.close();
  }
}

interface RawPair {
  id: number; far_name: string; near_name: string; far_uidvalidity: number | null; near_uidvalidity: number | null;
  far_modseq: string | null; near_modseq: string | null; far_token: string | null; near_token: string | null;
  near_memo: string | null;
}
interface RawMessage { far_id: string | null; near_id: string | null; flags: string; msgid_hash: string | null }

function toPair(r: RawPair): PairRow {
  return {
    id: r.id, farName: r.far_name, nearName: r.near_name,
    farUidValidity: r.far_uidvalidity, nearUidValidity: r.near_uidvalidity,
    farModseq: r.far_modseq, nearModseq: r.near_modseq, farToken: r.far_token, nearToken: r.near_token,
    nearMemo: r.near_memo,
  };
}

function toMessage(r: RawMessage): MessageRow {
  return { farId: r.far_id, nearId: r.near_id, flags: r.flags, msgidHash: r.msgid_hash };
}

function openCopyInMemory(file: string): Database.Database {
  if (!fs.existsSync(file)) return new Database(':memory:');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-dry-'));
  try {
    const copy = path.join(dir, 'status.sqlite');
    for (const suffix of ['', '-wal']) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
    const disk = new Database(copy);
    disk.pragma('journal_mode = DELETE'); // folds the WAL in; an in-memory image cannot be in WAL mode
    const image = disk.serialize();
    disk.close();
    return new Database(image);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
