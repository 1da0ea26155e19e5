// The first download of a folder pair: nothing recorded yet, no copy left half done, the local
// folder empty, a near store that names each file by its far UID (Maildir) and a far store that
// can send everything at once (ImapFolder.fetchAll). One `UID FETCH 1:*` then streams every
// message with its flags, date and size straight into the local folder, committed in batches as
// any copy is (files durable first, rows second): one round trip less per folder, and no listing
// or plan of the whole folder held in memory. Anything else takes the planned path.

import type { MessageInfo, OpenFolder } from '../store/mail-store.js';
import type { PairRow } from '../status/status-db.js';
import { extractMessageId, hashMessageId } from '../store/raw-message.js';
import { COPY_BATCH, reportMessageError, type ApplyContext, type ApplyResult } from './apply.js';
import type { FolderSyncContext } from './folder-sync.js';
import { isFilterActive } from './message-filter.js';
import type { Op, Plan } from './plan.js';

interface Row { farId: string; nearId: string; flags: string; msgidHash: string | null }

/**
 * Downloads the whole far folder when the pair qualifies (see above). When it does not, returns
 * the near listing if it had to take one (local mail to adopt), so the planned path reuses it.
 */
export async function initialDownload(ctx: FolderSyncContext, pair: PairRow, far: OpenFolder, near: OpenFolder):
  Promise<{ plan: Plan; applied: ApplyResult } | { nearListing: MessageInfo[] } | undefined> {
  const { db, options: o } = ctx;
  if (!far.fetchAll || !near.namesFarUid || o.dryRun || o.nearReadonly || isFilterActive(o.filter)) return undefined;
  if (db.messageCount(pair.id) || db.intents(pair.id).length) return undefined;
  // Local mail without status is adopted by the planned path (file name hints, Message-IDs).
  const nearListing = await near.listAll();
  if (nearListing.length) return { nearListing };

  const applyCtx: ApplyContext = { db, pair, far, near, afterEffect: ctx.afterEffect, signal: ctx.signal, onMessageError: ctx.onMessageError };
  const applied: ApplyResult = { applied: 0, messageErrors: 0 };
  const ops: Op[] = [];
  let rows: Row[] = [];
  let done = 0, bytes = 0;
  const totalMessages = far.state.messages;
  // Durable first, recorded second: a crash in between leaves files that name their far UID.
  const commit = async () => {
    await near.flush();
    ctx.afterEffect?.();
    const batch = rows;
    rows = [];
    db.transaction(() => { for (const r of batch) db.insertMessage(pair.id, r); });
    ctx.afterEffect?.();
    applied.applied += batch.length;
  };
  for await (const m of far.fetchAll()) {
    try {
      const msgidHash = Buffer.isBuffer(m.body) ? hashMessageId(extractMessageId(m.body)) : null;
      const nearId = await near.append({ body: m.body, flags: m.flags, farUid: Number(m.id), ...(m.date ? { date: m.date } : {}) });
      if (nearId !== null) {
        rows.push({ farId: m.id, nearId, flags: m.flags, msgidHash });
        ops.push({ kind: 'copy-to-near', farId: m.id, flags: m.flags });
      }
    } catch (e) {
      reportMessageError(applyCtx, applied, e, `copying message ${m.id} to the near side`);
      continue;
    }
    ctx.afterEffect?.();
    bytes += m.size ?? 0;
    ctx.onProgress?.({ phase: 'applying', messages: ++done, bytes, ...(totalMessages !== undefined ? { totalMessages } : {}) });
    if (rows.length >= COPY_BATCH) await commit();
    if (ctx.signal?.aborted) break;
  }
  await commit();
  return { plan: { ops }, applied };
}
