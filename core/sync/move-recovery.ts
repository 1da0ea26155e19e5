// Move detection, recovery: resolves the intents of moves that were interrupted (killed, a
// connection lost, a server that did not say the new UID). For each intent the moved copy is
// looked for in the destination pair, among messages no row holds (on the far side only at or
// above the UID recorded in the token), by identity (Message-ID and wire size). Exactly one
// match: it is linked (near file renamed to name the far UID, row added); otherwise the intent
// is dropped and the folder sync treats the messages as it always did (copy, never loss).
// Runs before any folder sync of the account; a pair whose intents it could not resolve is
// not synced in this run (see move-pass.ts), so no half-known move is ever copied.

import type { MessageIdentity, MessageInfo, OpenFolder } from '../store/mail-store.js';
import type { IntentRow, PairRow } from '../status/status-db.js';
import { intersect } from './flags.js';
import { isMoveToken, moveTokenLowest, type MoveContext } from './move-apply.js';

/** Resolves the move intents of every pair; returns how many moved messages were linked. */
export async function resolveMoveIntents(ctx: MoveContext): Promise<number> {
  let linked = 0;
  for (const pair of ctx.db.pairs()) {
    const intents = ctx.db.intents(pair.id).filter((i) => isMoveToken(i.token));
    if (intents.length) linked += await resolvePair(ctx, pair, intents);
  }
  return linked;
}

async function resolvePair(ctx: MoveContext, pair: PairRow, intents: IntentRow[]): Promise<number> {
  const { db } = ctx;
  const far = await ctx.far.openFolder(pair.farName);
  let near: OpenFolder | undefined;
  try {
    near = await ctx.near.openFolder(pair.nearName);
    const dropAll = () => { db.transaction(() => { for (const i of intents) db.dropIntent(i.token); }); ctx.afterEffect?.(); };
    if (far.state.uidValidity !== pair.farUidValidity || near.state.uidValidity !== pair.nearUidValidity
      || !far.identities || !near.identities) {
      dropAll();
      return 0;
    }
    const rows = db.messages(pair.id);
    const rowFar = new Set(rows.map((r) => r.farId)), rowNear = new Set(rows.map((r) => r.nearId));
    const toFar = intents.filter((i) => i.direction === 'to-far');
    const toNear = intents.filter((i) => i.direction === 'to-near');
    const links: Array<{ token: string; farId: string; nearId: string; flags: string }> = [];
    const drops: string[] = [];

    if (toFar.length) {
      // Sources: near files; candidates: far messages without a row, at or above the lowest recorded UID.
      const lowest = Math.min(...toFar.map((i) => moveTokenLowest(i.token)));
      const farList = (await far.listAll(lowest > 1 ? { fromUid: lowest } : undefined))
        .filter((m) => !rowFar.has(m.id) && !(lowest > 1 && /^\d+$/.test(m.id) && Number(m.id) < lowest));
      const nearList = await near.listAll();
      const sources = await near.identities(toFar.map((i) => i.sourceId).filter((id) => !rowNear.has(id)));
      const candidates = farList.length ? await far.identities(farList.map((m) => m.id)) : new Map();
      pick(toFar, sources, candidates, farList, nearList, links, drops, (i, c) => ({ farId: c, nearId: i.sourceId }),
        (i, m) => moveTokenLowest(i.token) <= 1 || !/^\d+$/.test(m) || Number(m) >= moveTokenLowest(i.token));
    }
    if (toNear.length) {
      // Sources: far messages; candidates: near files without a row.
      const nearList = (await near.listAll()).filter((m) => !rowNear.has(m.id));
      const farList = await far.listAll();
      const sources = await far.identities(toNear.map((i) => i.sourceId).filter((id) => !rowFar.has(id)));
      const candidates = nearList.length ? await near.identities(nearList.map((m) => m.id)) : new Map();
      pick(toNear, sources, candidates, nearList, farList, links, drops, (i, c) => ({ farId: i.sourceId, nearId: c }), () => true);
    }
    for (const l of links) {
      if (/^[1-9][0-9]{0,9}$/.test(l.farId)) { await near.linkFarUid(l.nearId, Number(l.farId)); ctx.afterEffect?.(); }
    }
    db.transaction(() => {
      for (const l of links) {
        db.insertMessage(pair.id, { farId: l.farId, nearId: l.nearId, flags: l.flags, msgidHash: null });
        db.dropIntent(l.token);
      }
      for (const t of drops) db.dropIntent(t);
    });
    ctx.afterEffect?.();
    return links.length;
  } finally {
    await near?.release().catch(() => {});
    await far.release().catch(() => {});
  }
}

/**
 * Links each intent whose source identity matches exactly one candidate (used by no other
 * intent); drops the rest. `flags` of a link: what both copies agree on (the planner's rule).
 */
function pick(intents: IntentRow[], sources: Map<string, MessageIdentity>, candidates: Map<string, MessageIdentity>,
  candidateList: MessageInfo[], sourceList: MessageInfo[],
  links: Array<{ token: string; farId: string; nearId: string; flags: string }>, drops: string[],
  pair: (i: IntentRow, candidate: string) => { farId: string; nearId: string }, allowed: (i: IntentRow, candidate: string) => boolean): void {
  const key = (x: MessageIdentity | undefined) => (x?.messageId ? `${x.messageId}\u0000${x.size}` : undefined);
  const byKey = new Map<string, string[]>();
  for (const [id, ident] of candidates) { const k = key(ident); if (k) byKey.set(k, [...(byKey.get(k) ?? []), id]); }
  const wanted = new Map<string, number>();
  for (const i of intents) { const k = key(sources.get(i.sourceId)); if (k) wanted.set(k, (wanted.get(k) ?? 0) + 1); }
  const candidateFlags = new Map(candidateList.map((m) => [m.id, m.flags]));
  const sourceFlags = new Map(sourceList.map((m) => [m.id, m.flags]));
  for (const i of intents) {
    const k = key(sources.get(i.sourceId));
    const hits = k ? (byKey.get(k) ?? []).filter((c) => allowed(i, c)) : [];
    if (k && hits.length === 1 && wanted.get(k) === 1) {
      const p = pair(i, hits[0]!);
      links.push({ token: i.token, ...p, flags: intersect(candidateFlags.get(hits[0]!) ?? '', sourceFlags.get(i.sourceId) ?? '') });
    } else {
      drops.push(i.token);
    }
  }
}
