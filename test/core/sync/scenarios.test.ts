// Scenario table for the sync algorithm over in-memory stores (isync style): each row sets up
// both sides and the status, syncs, and checks the result; then re-syncs (nothing may change)
// and kills the sync after every effect, resumes, and expects the same end state.

import { describe, it, expect } from 'vitest';
import { newWorld, runSync, snapshot, killEverywhere, clone, type World } from './scenario-harness.js';

const msg = (n: number | string) => `Message-ID: <m${n}@test>\r\nSubject: ${n}\r\n\r\nbody ${n}\r\n`;

interface Scenario {
  name: string;
  /** Builds the state before the sync under test (may run earlier syncs). */
  setup(w: World): Promise<void>;
  expect: { far: Record<string, string[]>; near: Record<string, string[]> };
  opts?: Parameters<typeof runSync>[1];
}

const line = (flags: string, n: number | string) => `${flags}|${msg(n)}`;

const OLD = new Date('2020-01-01T12:00:00Z');
const NEW = new Date('2026-06-01T12:00:00Z');
const WINDOW = { filter: { since: new Date('2025-01-01T00:00:00Z') } };
const big = (n: number) => `${msg(n)}${'x'.repeat(400)}\r\n`;
const bigLine = (flags: string, n: number) => `${flags}|${big(n)}`;
const nearUid = (w: World, n: number) => [...w.near.folders.get('INBOX')!.messages.values()].find((m) => m.body.toString().includes(`body ${n}\r`))!.uid;

const scenarios: Scenario[] = [
  {
    name: 'maxage window: messages older than the window are neither copied, re-flagged nor deleted',
    opts: WINDOW,
    async setup(w) {
      const a = w.far.put('INBOX', msg(1), '', OLD);
      w.far.put('INBOX', msg(2), '', NEW);
      const c = w.far.put('INBOX', msg(3), '', OLD);
      w.near.put('INBOX', msg(4), '', OLD);
      await runSync(w);                              // all four on both sides
      w.far.touch('INBOX', a, null);                 // old, deleted on far: the near copy stays
      w.near.touch('INBOX', nearUid(w, 4), null);    // old, deleted on near: the far copy stays
      w.far.touch('INBOX', c, 'F');                  // old, flagged on far: not propagated
      w.far.put('INBOX', msg(5), '', OLD);           // old and new on far: only 6 is copied
      w.far.put('INBOX', msg(6), 'S', NEW);
      w.near.put('INBOX', msg(7), '', OLD);          // old and new on near: only 8 is copied
      w.near.put('INBOX', msg(8), '', NEW);
      w.near.touch('INBOX', nearUid(w, 2), null);    // new, deleted on near: deleted on far
    },
    expect: {
      far: { INBOX: [line('F', 3), line('', 4), line('', 5), line('S', 6), line('', 8)].sort() },
      near: { INBOX: [line('', 1), line('', 3), line('S', 6), line('', 7), line('', 8)].sort() },
    },
  },
  {
    name: 'maxsize: larger messages are not copied either way and their deletion is not propagated',
    opts: { filter: { maxSize: 300 } },
    async setup(w) {
      const a = w.far.put('INBOX', big(1));
      await runSync(w);                              // copied before maxsize was set
      w.far.touch('INBOX', a, null);
      w.far.put('INBOX', big(2));
      w.near.put('INBOX', big(3));
      w.far.put('INBOX', msg(4));
      w.near.put('INBOX', msg(5));
    },
    expect: {
      far: { INBOX: [bigLine('', 2), line('', 4), line('', 5)].sort() },
      near: { INBOX: [bigLine('', 1), bigLine('', 3), line('', 4), line('', 5)].sort() },
    },
  },
  {
    name: 'new messages both ways, folders created on the side that lacks them',
    async setup(w) {
      w.far.put('INBOX', msg(1), 'S');
      w.far.put('Archive/2024', msg(2), '');
      w.near.put('INBOX', msg(3), 'F');
      w.near.put('Drafts', msg(4), 'DS');
    },
    expect: {
      far: { INBOX: [line('F', 3), line('S', 1)].sort(), 'Archive/2024': [line('', 2)], Drafts: [line('DS', 4)] },
      near: { INBOX: [line('F', 3), line('S', 1)].sort(), 'Archive/2024': [line('', 2)], Drafts: [line('DS', 4)] },
    },
  },
  {
    name: 'flag changes merged flag by flag',
    async setup(w) {
      const a = w.far.put('INBOX', msg(1), '');
      const b = w.far.put('INBOX', msg(2), 'S');
      await runSync(w);
      w.far.touch('INBOX', a, 'S');            // far: +S on 1
      const nb = [...w.near.folders.get('INBOX')!.messages.values()].find((m) => m.body.toString().includes('body 2'))!;
      w.near.touch('INBOX', nb.uid, 'FS');     // near: +F on 2
      w.far.touch('INBOX', b, 'RS');           // far: +R on 2 (merges with near's +F)
    },
    expect: {
      far: { INBOX: [line('S', 1), line('FRS', 2)].sort() },
      near: { INBOX: [line('S', 1), line('FRS', 2)].sort() },
    },
  },
  {
    name: 'a far message already marked deleted (T) is not new mail; one synced before keeps its T',
    async setup(w) {
      const a = w.far.put('INBOX', msg(1), 'S');
      await runSync(w);
      w.far.touch('INBOX', a, 'ST');           // another client marks it \\Deleted: the flag travels
      w.far.put('INBOX', msg(2), 'T');         // arrives marked \\Deleted: never downloaded
      w.far.put('INBOX', msg(3), '');
    },
    expect: {
      far: { INBOX: [line('ST', 1), line('T', 2), line('', 3)].sort() },
      near: { INBOX: [line('ST', 1), line('', 3)].sort() },
    },
  },
  {
    name: 'deletions both ways',
    async setup(w) {
      const a = w.far.put('INBOX', msg(1));
      w.far.put('INBOX', msg(2));
      w.far.put('INBOX', msg(3));
      await runSync(w);
      w.far.touch('INBOX', a, null);
      const n3 = [...w.near.folders.get('INBOX')!.messages.values()].find((m) => m.body.toString().includes('body 3'))!;
      w.near.touch('INBOX', n3.uid, null);
    },
    expect: { far: { INBOX: [line('', 2)] }, near: { INBOX: [line('', 2)] } },
  },
  {
    name: 'deleted on one side, flagged on the other: the deletion wins (the status proves agreement)',
    async setup(w) {
      const a = w.far.put('INBOX', msg(1));
      await runSync(w);
      w.far.touch('INBOX', a, 'F');
      const n1 = [...w.near.folders.get('INBOX')!.messages.values()][0]!;
      w.near.touch('INBOX', n1.uid, null);
    },
    expect: { far: { INBOX: [] }, near: { INBOX: [] } },
  },
  {
    name: 'lost status database: rebuilt by Message-ID, no duplicates, nothing deleted',
    async setup(w) {
      w.far.put('INBOX', msg(1), 'S');
      w.far.put('INBOX', msg(2), '');
      await runSync(w);
      w.far.put('INBOX', msg(5), '');
      w.near.put('INBOX', msg(6), 'S');
      const fs = await import('node:fs');
      fs.rmSync(w.dbFile);
      for (const s of ['-wal', '-shm']) fs.rmSync(w.dbFile + s, { force: true });
    },
    expect: {
      far: { INBOX: [line('S', 1), line('', 2), line('', 5), line('S', 6)].sort() },
      near: { INBOX: [line('S', 1), line('', 2), line('', 5), line('S', 6)].sort() },
    },
  },
  {
    name: 'sync_deletes off: far deletions are kept locally and never uploaded again',
    opts: { deleteOnNear: false },
    async setup(w) {
      const a = w.far.put('INBOX', msg(1));
      w.far.put('INBOX', msg(2));
      await runSync(w, { deleteOnNear: false });
      w.far.touch('INBOX', a, null);
    },
    expect: { far: { INBOX: [line('', 2)] }, near: { INBOX: [line('', 1), line('', 2)].sort() } },
  },
  {
    name: 'UIDVALIDITY change re-approved by Message-ID',
    async setup(w) {
      w.far.put('INBOX', msg(1), 'S');
      w.far.put('INBOX', msg(2), '');
      await runSync(w);
      // The server rebuilt the folder: same messages, new UIDs, new UIDVALIDITY.
      const f = w.far.folders.get('INBOX')!;
      const old = [...f.messages.values()];
      f.messages.clear();
      f.uidValidity += 7;
      f.uidNext += 100;
      for (const m of old) w.far.put('INBOX', m.body, m.flags);
      w.far.put('INBOX', msg(3), 'F');
    },
    expect: {
      far: { INBOX: [line('S', 1), line('', 2), line('F', 3)].sort() },
      near: { INBOX: [line('S', 1), line('', 2), line('F', 3)].sort() },
    },
  },
];

describe('sync scenarios (memory stores)', () => {
  for (const s of scenarios) {
    describe(s.name, () => {
      it('reaches the expected state', async () => {
        const w = newWorld();
        await s.setup(w);
        const r = await runSync(w, s.opts);
        expect(r.errors.map((e) => e.message)).toEqual([]);
        expect(snapshot(w.far)).toEqual(s.expect.far);
        expect(snapshot(w.near)).toEqual(s.expect.near);
      });

      it('changes nothing when run again', async () => {
        const w = newWorld();
        await s.setup(w);
        await runSync(w, s.opts);
        const before = { far: snapshot(w.far), near: snapshot(w.near), fm: w.far.mutations, nm: w.near.mutations };
        const r = await runSync(w, s.opts);
        expect(r.errors).toEqual([]);
        expect({ far: snapshot(w.far), near: snapshot(w.near), fm: w.far.mutations, nm: w.near.mutations }).toEqual(before);
        for (const f of r.folders) if (f.result) expect(f.result.plan.ops).toEqual([]);
      });

      it('killed after every effect and resumed: same end state, nothing lost or doubled', async () => {
        const w = newWorld();
        await s.setup(w);
        const runs = await killEverywhere(w, s.opts);
        expect(runs.length).toBeGreaterThan(0);
        for (const r of runs) {
          expect({ k: r.k, far: r.far, near: r.near }).toEqual({ k: r.k, ...s.expect });
        }
      });
    });
  }

  it('stops a folder whose side suddenly looks empty instead of deleting the other side', async () => {
    const w = newWorld();
    for (let i = 0; i < 12; i++) w.far.put('INBOX', msg(i));
    await runSync(w);
    w.near.folders.get('INBOX')!.messages.clear();     // e.g. a wiped or unmounted local store
    const r = await runSync(w);
    expect(r.errors.map((e) => e.code)).toEqual(['mass-delete-guard']);
    expect(w.far.folders.get('INBOX')!.messages.size).toBe(12);
  });

  it('refuses a UIDVALIDITY change whose messages cannot be found again, deleting nothing', async () => {
    const w = newWorld();
    w.far.put('INBOX', msg(1));
    w.far.put('INBOX', msg(2));
    await runSync(w);
    const f = w.far.folders.get('INBOX')!;
    f.messages.clear();
    f.uidValidity++;
    w.far.put('INBOX', msg(9));
    const r = await runSync(w);
    expect(r.errors.map((e) => e.code)).toEqual(['uidvalidity-changed']);
    expect(snapshot(w.near).INBOX).toHaveLength(2);
    expect(snapshot(w.far).INBOX).toEqual([line('', 9)]);
  });

  it('a quick sync copies new mail but leaves flag changes of existing messages to the next full sync', async () => {
    const w = newWorld();
    const a = w.far.put('INBOX', msg(1));
    await runSync(w);
    await runSync(w);
    w.far.touch('INBOX', a, 'S');
    w.far.put('INBOX', msg(2));
    const r = await runSync(w, { quick: true });
    expect(r.errors).toEqual([]);
    expect(snapshot(w.near).INBOX).toEqual([line('', 1), line('', 2)]);
    await runSync(w);
    expect(snapshot(w.near).INBOX).toEqual([line('S', 1), line('', 2)]);
    expect(snapshot(w.far)).toEqual(snapshot(w.near));
  });

  it('a message window keeps old status rows: widening it later links them again without duplicates', async () => {
    const w = newWorld();
    w.far.put('INBOX', msg(1), '', OLD);
    w.far.put('INBOX', msg(2), '', NEW);
    await runSync(w);
    await runSync(w, WINDOW);
    await runSync(w);
    expect(snapshot(w.near).INBOX).toEqual([line('', 1), line('', 2)]);
    expect(snapshot(w.far)).toEqual(snapshot(w.near));
  });

  it('a deletion made outside the window is never propagated, even after the window is widened', async () => {
    const w = newWorld();
    w.far.put('INBOX', msg(1), '', OLD);
    w.far.put('INBOX', msg(2), '', NEW);
    await runSync(w);
    w.near.touch('INBOX', nearUid(w, 1), null);
    await runSync(w, WINDOW);
    expect(snapshot(w.far).INBOX).toEqual([line('', 1), line('', 2)]);
    await runSync(w);                                // no window: downloaded again, not deleted
    expect(snapshot(w.near).INBOX).toEqual([line('', 1), line('', 2)]);
    expect(snapshot(w.far).INBOX).toEqual([line('', 1), line('', 2)]);
  });

  it('takes the CONDSTORE fast path on a resync and still sees changes and expunges', async () => {
    const w = newWorld();
    const a = w.far.put('INBOX', msg(1));
    w.far.put('INBOX', msg(2));
    await runSync(w);
    await runSync(w); // settles the stored modseq after our own writes
    w.far.touch('INBOX', a, 'S');
    w.far.put('INBOX', msg(3));
    const c2 = clone(w);
    const r = await runSync(c2);
    expect(r.folders[0]!.result!.incremental).toBe(true);
    expect(snapshot(c2.near)).toEqual(snapshot(c2.far));
    expect(snapshot(c2.near).INBOX).toContain(line('S', 1));
  });
});
