// Moves between folders over in-memory stores (scenario-harness): a message moved on the server
// is moved locally and a message moved locally is moved on the server, neither copied again;
// ambiguous identities fall back to copy + delete; and every scenario is killed after every
// effect and resumed, reaching the same end state (nothing lost, nothing doubled).

import { describe, it, expect } from 'vitest';
import { newWorld, runSync, snapshot, killEverywhere, type World } from './scenario-harness.js';
import type { MemoryStore } from '../../../core/store/memory-store.js';
import { summarize } from '../../../core/sync/plan.js';

const msg = (n: number | string, mid: string = `m${n}`) => `Message-ID: <${mid}@test>\r\nSubject: ${n}\r\n\r\nbody ${n}\r\n`;
const line = (flags: string, n: number | string, mid?: string) => `${flags}|${msg(n, mid)}`;

/** Moves a message as another client would (MOVE: same body, flags and date, a new UID). */
function move(s: MemoryStore, from: string, to: string, body: string, flags?: string): number {
  const f = s.folders.get(from)!;
  const m = [...f.messages.values()].find((x) => x.body.toString().replace(/^X-TUID: \S+\r\n/, '') === body)!;
  s.touch(from, m.uid, null);
  return s.put(to, m.body, flags ?? m.flags, m.date);
}

async function base(w: World): Promise<void> {
  w.far.put('INBOX', msg(1), 'S');
  w.far.put('INBOX', msg(2), '');
  w.far.put('INBOX', msg(3), 'F');
  w.far.put('Archive', msg(9), '');
  w.near.put('INBOX', msg(4), 'S');      // uploaded by the first sync (far copy carries X-TUID)
  await runSync(w);
  await runSync(w);
}

interface Scenario {
  name: string;
  setup(w: World): Promise<void>;
  expect: { far: Record<string, string[]>; near: Record<string, string[]> };
  /** Copies the sync under test may make (per direction), summed over folders. */
  copies: { toNear: number; toFar: number };
}

const scenarios: Scenario[] = [
  {
    name: 'moved on the server: the local copies follow, nothing is downloaded again',
    async setup(w) {
      await base(w);
      move(w.far, 'INBOX', 'Archive', msg(1));
      move(w.far, 'INBOX', 'Archive', msg(2), 'R');   // flags changed on the way: kept
      move(w.far, 'INBOX', 'Archive', msg(4));        // one we uploaded (X-TUID on the far copy)
    },
    expect: {
      far: { INBOX: [line('F', 3)], Archive: [line('S', 1), line('R', 2), line('S', 4), line('', 9)].sort() },
      near: { INBOX: [line('F', 3)], Archive: [line('S', 1), line('R', 2), line('S', 4), line('', 9)].sort() },
    },
    copies: { toNear: 0, toFar: 0 },
  },
  {
    name: 'moved locally: moved on the server, nothing uploaded again',
    async setup(w) {
      await base(w);
      move(w.near, 'INBOX', 'Archive', msg(1), 'FS'); // flagged while moving: the flag travels
      move(w.near, 'INBOX', 'Archive', msg(3));
    },
    expect: {
      far: { INBOX: [line('', 2), line('S', 4)].sort(), Archive: [line('FS', 1), line('F', 3), line('', 9)].sort() },
      near: { INBOX: [line('', 2), line('S', 4)].sort(), Archive: [line('FS', 1), line('F', 3), line('', 9)].sort() },
    },
    copies: { toNear: 0, toFar: 0 },
  },
  {
    name: 'moves both ways in one run, and a new folder as destination',
    async setup(w) {
      await base(w);
      w.far.put('Lists', msg(20), '');
      w.near.put('Lists', msg(20), '');
      await runSync(w);
      move(w.far, 'INBOX', 'Lists', msg(1));
      move(w.near, 'Archive', 'INBOX', msg(9));
    },
    expect: {
      far: { INBOX: [line('', 2), line('F', 3), line('S', 4), line('', 9)].sort(), Archive: [], Lists: [line('S', 1), line('', 20)].sort() },
      near: { INBOX: [line('', 2), line('F', 3), line('S', 4), line('', 9)].sort(), Archive: [], Lists: [line('S', 1), line('', 20)].sort() },
    },
    copies: { toNear: 0, toFar: 0 },
  },
  {
    name: 'two messages sharing a Message-ID and a size: not matched, copied and deleted as before',
    async setup(w) {
      w.far.put('INBOX', msg('a', 'same'), '');
      w.far.put('INBOX', msg('b', 'same'), '');
      w.far.put('Archive', msg(9), '');
      await runSync(w);
      await runSync(w);
      move(w.far, 'INBOX', 'Archive', msg('a', 'same'));
      move(w.far, 'INBOX', 'Archive', msg('b', 'same'));
    },
    expect: {
      far: { INBOX: [], Archive: [line('', 'a', 'same'), line('', 'b', 'same'), line('', 9)].sort() },
      near: { INBOX: [], Archive: [line('', 'a', 'same'), line('', 'b', 'same'), line('', 9)].sort() },
    },
    copies: { toNear: 2, toFar: 0 },
  },
  {
    name: 'a moved message whose Message-ID another new message shares elsewhere: copied, not mismatched',
    async setup(w) {
      w.near.put('Other', msg(30), '');
      await base(w);
      move(w.far, 'INBOX', 'Archive', msg(1));
      w.far.put('Other', msg(1), 'D');                // same identity, appeared in another synced folder
    },
    expect: {
      far: { INBOX: [line('', 2), line('F', 3), line('S', 4)].sort(), Archive: [line('S', 1), line('', 9)].sort(), Other: [line('D', 1), line('', 30)].sort() },
      near: { INBOX: [line('', 2), line('F', 3), line('S', 4)].sort(), Archive: [line('S', 1), line('', 9)].sort(), Other: [line('D', 1), line('', 30)].sort() },
    },
    copies: { toNear: 2, toFar: 0 },
  },
];

function copies(r: Awaited<ReturnType<typeof runSync>>): { toNear: number; toFar: number } {
  let toNear = 0, toFar = 0;
  for (const f of r.folders) if (f.result) { const s = summarize(f.result.plan); toNear += s['copy-to-near']; toFar += s['copy-to-far']; }
  return { toNear, toFar };
}

describe('moves between folders (memory stores)', () => {
  for (const s of scenarios) {
    describe(s.name, () => {
      it('reaches the expected state with only the expected copies', async () => {
        const w = newWorld();
        await s.setup(w);
        const r = await runSync(w);
        expect(r.errors.map((e) => e.message)).toEqual([]);
        expect(snapshot(w.far)).toEqual(s.expect.far);
        expect(snapshot(w.near)).toEqual(s.expect.near);
        expect(copies(r)).toEqual(s.copies);
      });

      it('changes nothing when run again', async () => {
        const w = newWorld();
        await s.setup(w);
        await runSync(w);
        const before = { far: snapshot(w.far), near: snapshot(w.near), fm: w.far.mutations, nm: w.near.mutations };
        const r = await runSync(w);
        expect(r.errors).toEqual([]);
        expect({ far: snapshot(w.far), near: snapshot(w.near), fm: w.far.mutations, nm: w.near.mutations }).toEqual(before);
      });

      it('killed after every effect and resumed: same end state, nothing lost or doubled', async () => {
        const w = newWorld();
        await s.setup(w);
        const runs = await killEverywhere(w);
        expect(runs.length).toBeGreaterThan(0);
        for (const r of runs) expect({ k: r.k, far: r.far, near: r.near }).toEqual({ k: r.k, ...s.expect });
      });
    });
  }
});
