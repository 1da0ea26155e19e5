// The executor: applies a plan one operation (or one batch of like operations) at a time and
// records each in the status database *after* its effect, with one transaction per batch.
// Copies first record an intent with a unique token, so a copy interrupted at any instant
// is found again (findByToken, or the far UID in a Maildir name) instead of being doubled.

import crypto from 'node:crypto';
import type { FlagChange, NewMessage, OpenFolder } from '../store/mail-store.js';
import type { PairRow, StatusDb } from '../status/status-db.js';
import { SyncError } from '../errors.js';
import type { Op, Plan } from './plan.js';
import { extractMessageId, hashMessageId, readBody } from '../store/raw-message.js';
import { appendEach } from '../store/append-each.js';

export interface ApplyContext {
  db: StatusDb;
  pair: PairRow;
  far: OpenFolder;
  near: OpenFolder;
  /** Intent tokens resolved before planning; dropped together with the link rows. */
  resolvedTokens?: string[];
  /** Called after every effect (store mutation or status commit). Tests throw from it to simulate a kill. */
  afterEffect?: () => void;
  /** Checked between messages: once aborted, the executor stops at the next safe point. */
  signal?: AbortSignal;
  onProgress?: (p: { messages: number; bytes: number }) => void;
  /** Message-level failures are reported here and do not stop the folder. */
  onMessageError?: (e: SyncError) => void;
}

export interface ApplyResult {
  applied: number;
  messageErrors: number;
  /** Messages whose deletion a store did not carry out (they are still there), and why. */
  notDeleted?: Array<{ side: 'near' | 'far'; ids: string[]; reason: string }>;
}

/** Messages per copy batch: written, made durable, then recorded in one transaction. */
export const COPY_BATCH = 500;

export async function applyPlan(ctx: ApplyContext, plan: Plan): Promise<ApplyResult> {
  const result: ApplyResult = { applied: 0, messageErrors: 0 };
  const of = <K extends Op['kind']>(k: K) => plan.ops.filter((o): o is Extract<Op, { kind: K }> => o.kind === k);
  const effect = () => ctx.afterEffect?.();
  const { db, pair } = ctx;

  // Status-only operations, and renames that make linked Maildir names carry their far UID.
  const links = of('link'), forgets = of('forget'), adopts = of('adopt-near-only');
  for (const l of links) { await ctx.near.linkFarUid(l.nearId, Number(l.farId)); effect(); }
  if (links.length || forgets.length || adopts.length || ctx.resolvedTokens?.length) {
    db.transaction(() => {
      for (const l of links) db.insertMessage(pair.id, { farId: l.farId, nearId: l.nearId, flags: l.flags, msgidHash: null });
      for (const a of adopts) db.insertMessage(pair.id, { farId: null, nearId: a.nearId, flags: a.flags, msgidHash: null });
      for (const f of forgets) {
        if (f.keep === 'near') db.forgetFar(pair.id, f.farId!, true);
        else if (f.keep === 'far') db.forgetNear(pair.id, f.nearId!, true);
        else if (f.farId !== null) db.forgetFar(pair.id, f.farId, false);
        else db.forgetNear(pair.id, f.nearId!, false);
      }
      for (const t of ctx.resolvedTokens ?? []) db.dropIntent(t);
    });
    effect();
    result.applied += links.length + forgets.length + adopts.length;
  }

  await copyToNear(ctx, of('copy-to-near'), result);
  await copyToFar(ctx, of('copy-to-far'), result);
  await applyFlags(ctx, of('flags'), result);
  await applyDeletes(ctx, of('delete-near'), of('delete-far'), result);
  return result;
}

function aborted(ctx: ApplyContext): boolean {
  return ctx.signal?.aborted ?? false;
}

async function copyToNear(ctx: ApplyContext, ops: Extract<Op, { kind: 'copy-to-near' }>[], result: ApplyResult): Promise<void> {
  const { db, pair } = ctx;
  for (let i = 0; i < ops.length && !aborted(ctx); i += COPY_BATCH) {
    const batch = ops.slice(i, i + COPY_BATCH);
    // An intent per copy, unless the near store names each file by its far UID (Maildir): a
    // crash after the write then leaves a file the next sync pairs by that name.
    const intents = !ctx.near.namesFarUid;
    const fresh = newTokens(batch.length);
    const tokens = new Map(batch.map((o, j) => [o.farId, fresh[j]!]));
    if (intents) {
      db.transaction(() => { for (const [farId, token] of tokens) db.addIntent(pair.id, { token, direction: 'to-near', sourceId: farId }); });
      ctx.afterEffect?.();
    }
    const rows: Array<{ farId: string; nearId: string; flags: string; msgidHash: string | null; token: string }> = [];
    const flagsOf = new Map(batch.map((o) => [o.farId, o.flags]));
    const returned = new Set<string>();
    for await (const m of ctx.far.fetch(batch.map((o) => o.farId))) {
      returned.add(m.id);
      const token = tokens.get(m.id)!;
      const flags = flagsOf.get(m.id) ?? m.flags;
      const msgid = Buffer.isBuffer(m.body) ? hashMessageId(extractMessageId(m.body)) : null;
      try {
        const nearId = await ctx.near.append({ body: m.body, flags, date: m.date, token, farUid: Number(m.id) });
        if (nearId !== null) rows.push({ farId: m.id, nearId, flags, msgidHash: msgid, token });
      } catch (e) {
        reportMessageError(ctx, result, e, `copying message ${m.id} to the near side`);
        continue;
      }
      ctx.afterEffect?.();
      ctx.onProgress?.({ messages: 1, bytes: m.size ?? 0 });
      if (aborted(ctx)) break;
    }
    // A message the far side did not return (deleted meanwhile, or a broken server) is an error
    // of its own: otherwise this run would record the far modseq, and an incremental listing
    // would never offer the message again.
    const missing = aborted(ctx) ? 0 : batch.filter((o) => !returned.has(o.farId)).length;
    if (missing) {
      reportMessageError(ctx, result, new SyncError('message-not-returned', `The server did not return ${missing} requested ` +
        'message(s) (deleted meanwhile, or a broken server); they will be tried again on the next run',
      { scope: 'message', retry: 'later' }), 'downloading');
    }
    // Durable first, recorded second: a crash in between leaves files that name their far UID.
    await ctx.near.flush();
    ctx.afterEffect?.();
    db.transaction(() => {
      for (const r of rows) {
        db.insertMessage(pair.id, { farId: r.farId, nearId: r.nearId, flags: r.flags, msgidHash: r.msgidHash });
        if (intents) db.dropIntent(r.token);
      }
    });
    ctx.afterEffect?.();
    result.applied += rows.length;
  }
}

/** Uploads per batch: one round trip where the far store pipelines its appends. */
const UPLOAD_BATCH = 50;
const UPLOAD_BATCH_BYTES = 8 * 1024 * 1024;

interface Upload { nearId: string; flags: string; date?: Date; body: Buffer; token: string }

async function copyToFar(ctx: ApplyContext, ops: Extract<Op, { kind: 'copy-to-far' }>[], result: ApplyResult): Promise<void> {
  if (!ops.length) return;
  const byId = new Map(ops.map((o) => [o.nearId, o]));
  let batch: Upload[] = [];
  let bytes = 0;
  for await (const m of ctx.near.fetch(ops.map((o) => o.nearId))) {
    if (aborted(ctx)) break;
    const op = byId.get(m.id)!;
    let body: Buffer;
    try {
      body = await readBody(m.body);
    } catch (e) {
      reportMessageError(ctx, result, e, `uploading message ${m.id}`);
      continue;
    }
    const date = op.date ?? m.date;
    batch.push({ nearId: m.id, flags: op.flags, body, token: newToken(), ...(date ? { date } : {}) });
    bytes += body.length;
    if (batch.length >= UPLOAD_BATCH || bytes >= UPLOAD_BATCH_BYTES) {
      await uploadBatch(ctx, batch, result);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length && !aborted(ctx)) await uploadBatch(ctx, batch, result);
}

/**
 * Intents first (a crash after the APPENDs finds the copies again by their tokens), then the
 * appends, then per message: its far UID linked into the near file name and its row recorded.
 */
async function uploadBatch(ctx: ApplyContext, batch: Upload[], result: ApplyResult): Promise<void> {
  const { db, pair } = ctx;
  db.transaction(() => { for (const u of batch) db.addIntent(pair.id, { token: u.token, direction: 'to-far', sourceId: u.nearId }); });
  ctx.afterEffect?.();
  const msgs: NewMessage[] = batch.map((u) => ({ body: u.body, flags: u.flags, token: u.token, ...(u.date ? { date: u.date } : {}) }));
  const ids = ctx.far.appendBatch ? await ctx.far.appendBatch(msgs) : await appendEach(ctx.far, msgs);
  ctx.afterEffect?.();
  const unknown = batch.filter((_, i) => ids[i] === null).map((u) => u.token);
  const found = unknown.length ? await ctx.far.findByToken(unknown) : new Map<string, string>();
  for (const [i, u] of batch.entries()) {
    try {
      const r = ids[i];
      if (r instanceof Error) throw r;
      const farId = r ?? found.get(u.token) ?? null;
      if (farId === null) {
        throw new SyncError('append-uid-unknown', `The server accepted message ${u.nearId} but did not say its UID`,
          { scope: 'message', retry: 'later' });
      }
      await ctx.near.linkFarUid(u.nearId, Number(farId));
      ctx.afterEffect?.();
      db.transaction(() => {
        db.insertMessage(pair.id, { farId, nearId: u.nearId, flags: u.flags, msgidHash: hashMessageId(extractMessageId(u.body)) });
        db.dropIntent(u.token);
      });
      ctx.afterEffect?.();
      result.applied++;
      ctx.onProgress?.({ messages: 1, bytes: u.body.length });
    } catch (e) {
      reportMessageError(ctx, result, e, `uploading message ${u.nearId}`);
    }
  }
}

async function applyFlags(ctx: ApplyContext, ops: Extract<Op, { kind: 'flags' }>[], result: ApplyResult): Promise<void> {
  if (!ops.length || aborted(ctx)) return;
  const farChanges: FlagChange[] = [], nearChanges: FlagChange[] = [];
  for (const o of ops) {
    if (o.far) farChanges.push({ id: o.farId, ...o.far });
    if (o.near) nearChanges.push({ id: o.nearId, ...o.near });
  }
  if (farChanges.length) { await ctx.far.setFlags(farChanges); ctx.afterEffect?.(); }
  if (nearChanges.length) { await ctx.near.setFlags(nearChanges); ctx.afterEffect?.(); }
  ctx.db.transaction(() => { for (const o of ops) ctx.db.setFlags(ctx.pair.id, o, o.flags); });
  ctx.afterEffect?.();
  result.applied += ops.length;
}

async function applyDeletes(ctx: ApplyContext, nearOps: Extract<Op, { kind: 'delete-near' }>[],
  farOps: Extract<Op, { kind: 'delete-far' }>[], result: ApplyResult): Promise<void> {
  const { db, pair } = ctx;
  // A message a store kept (an IMAP server without UIDPLUS, other \Deleted marks) keeps its
  // status row: it is neither reported as deleted nor listed as new next time, and its deletion
  // is tried again by the next sync.
  const run = async (side: 'near' | 'far', ids: string[], forget: (id: string) => void) => {
    if (!ids.length || aborted(ctx)) return;
    const { kept, reason } = await ctx[side].remove(ids);
    ctx.afterEffect?.();
    const stays = new Set(kept);
    const gone = ids.filter((id) => !stays.has(id));
    db.transaction(() => { for (const id of gone) forget(id); });
    ctx.afterEffect?.();
    result.applied += gone.length;
    if (stays.size) (result.notDeleted ??= []).push({ side, ids: [...stays], reason: reason ?? 'the store kept them' });
  };
  await run('near', nearOps.map((o) => o.nearId), (id) => db.forgetNear(pair.id, id, false));
  await run('far', farOps.map((o) => o.farId), (id) => db.forgetFar(pair.id, id, false));
}

export function reportMessageError(ctx: ApplyContext, result: ApplyResult, e: unknown, what: string): void {
  // Only errors a store marked as message-scoped are skipped; anything else stops the folder.
  if (!(e instanceof SyncError) || e.scope !== 'message') throw e;
  const err = e;
  result.messageErrors++;
  err.message = `${what}: ${err.message}`;
  ctx.onMessageError?.(err);
}

function newToken(): string {
  return crypto.randomBytes(12).toString('base64url');
}

/** `n` tokens like newToken()'s, from one call to the random source (one per message is slow). */
function newTokens(n: number): string[] {
  const bytes = crypto.randomBytes(12 * n);
  return Array.from({ length: n }, (_, i) => bytes.toString('base64url', 12 * i, 12 * i + 12));
}

