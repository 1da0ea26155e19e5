// A short randomized pass over response parsing: a scripted server answers SELECT and FETCH
// with well-formed replies mutated at random (bytes flipped, spans cut or doubled, numbers made
// negative or huge, literal sizes changed, unsolicited lines slipped in), and ImapStore must
// either return sane data or fail with one clear SyncError line, within a bounded time. Seeded
// and reproducible: the seed is printed; SATCHEL_FUZZ_SEED=<n> replays it. Bounded in count and time.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { SyncError } from '../../../core/errors.js';
import { startScriptedMailbox, type ScriptedAnswer, type ScriptedServer } from '../../helpers/scripted-imap.js';
import { isClearLine } from './hostile-world.js';

const MAX_ITERATIONS = 200;
const MAX_MS = 8_000;
const PER_ITERATION_MS = 4_000;
const SOCKET_TIMEOUT_MS = 250;

const seed = Number(process.env.SATCHEL_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
function prng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BODY = 'Message-ID: <f@fuzz>\r\nSubject: fuzz\r\n\r\nhello\r\n';
const SELECT = '* FLAGS (\\Seen \\Deleted)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 4] n\r\n' +
  '* OK [HIGHESTMODSEQ 42] m\r\n$TAG OK [READ-WRITE] done\r\n';
const row = (n: number, body: boolean) => `* ${n} FETCH (UID ${n} FLAGS (\\Seen) INTERNALDATE "01-Jan-2024 10:00:00 +0000" ` +
  `RFC822.SIZE ${BODY.length} MODSEQ (${40 + n})${body ? ` BODY[] {${BODY.length}}\r\n${BODY}` : ''})\r\n`;
const listing = () => `${row(1, false)}${row(2, false)}${row(3, false)}$TAG OK done\r\n`;
const bodies = () => `${row(1, true)}${row(2, true)}${row(3, true)}$TAG OK done\r\n`;

const EXTREMES = ['-1', '0', '4294967295', '4294967296', '9223372036854775808', '18446744073709551616', '99999999999999999999999', '1e9', 'NIL'];
const UNSOLICITED = ['* 9 EXISTS\r\n', '* 2 EXPUNGE\r\n', '* VANISHED (EARLIER) 1:*\r\n', '* 1 FETCH (FLAGS (\\Flagged))\r\n',
  '* OK [ALERT] \x1b[2J\r\n', '* BYE\r\n', '* 5 FETCH (UID -3 FLAGS ())\r\n', '+ go ahead\r\n', '* NO [TRYCREATE] x\r\n'];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const at = () => Math.floor(r() * (text.length + 1));
  const rounds = 1 + Math.floor(r() * 3);
  for (let i = 0; i < rounds; i++) {
    switch (Math.floor(r() * 8)) {
      case 0: { const p = at(); text = text.slice(0, p) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(p + 1); break; }
      case 1: { const p = at(); text = text.slice(0, p) + text.slice(p + 1 + Math.floor(r() * 30)); break; }
      case 2: { const p = at(), q = Math.min(text.length, p + Math.floor(r() * 80)); text = text.slice(0, q) + text.slice(p, q) + text.slice(q); break; }
      case 3: text = text.slice(0, at()); break;
      case 4: { const nums = [...text.matchAll(/\d+/g)]; if (nums.length) { const m = pick(nums); text = text.slice(0, m.index) + pick(EXTREMES) + text.slice(m.index + m[0].length); } break; }
      case 5: text = text.replace(/\{(\d+)\}/, () => `{${pick(['0', '5', '4000', '99999999999', String(BODY.length + 7)])}}`); break;
      case 6: { const lines = text.split('\r\n'); lines.splice(Math.floor(r() * lines.length), 0, pick(UNSOLICITED).slice(0, -2)); text = lines.join('\r\n'); break; }
      default: { const p = at(); text = text.slice(0, p) + pick(['\r\n', '\x00', ')', '(', '"', '{3}\r\n', ' ']) + text.slice(p); }
    }
  }
  return text;
}

let server: ScriptedServer;
let next: Record<string, ScriptedAnswer> = {};
beforeAll(async () => {
  server = await startScriptedMailbox((command) => {
    if (/^SELECT /i.test(command)) return next.select;
    if (/^UID FETCH /i.test(command)) return /BODY/i.test(command) ? next.bodies : next.listing;
    return undefined;
  });
});
afterAll(async () => { await server?.close(); });

/** One mutated exchange: returns a description of what went wrong, or null when the invariants hold. */
async function once(r: () => number): Promise<string | null> {
  const mutateWhat = Math.floor(r() * 3); // 0: SELECT, 1: listing, 2: bodies
  const close = r() < 0.5;
  next = {
    select: { text: mutateWhat === 0 ? mutate(SELECT, r) : SELECT, thenClose: mutateWhat === 0 && close },
    listing: { text: mutateWhat === 1 ? mutate(listing(), r) : listing(), thenClose: mutateWhat === 1 && close },
    bodies: { text: mutateWhat === 2 ? mutate(bodies(), r) : bodies(), thenClose: mutateWhat === 2 && close },
  };
  const store = new ImapStore({ host: '127.0.0.1', port: server.port, user: 'u', password: async () => 'p', ssl: false,
    starttls: false, socketTimeoutMs: SOCKET_TIMEOUT_MS, connectTimeoutMs: 2_000 });
  try {
    await store.connect();
    const f = await store.openFolder('INBOX');
    try {
      if (!Number.isInteger(f.state.uidValidity) || f.state.uidValidity < 1 || f.state.uidValidity > 0xffffffff) return `uidValidity ${f.state.uidValidity}`;
      if (f.state.highestModseq !== undefined && !/^[1-9][0-9]{0,18}$/.test(f.state.highestModseq)) return `modseq ${f.state.highestModseq}`;
      const listed = await f.listAll();
      const ids = listed.map((m) => m.id);
      if (new Set(ids).size !== ids.length) return `duplicate ids ${ids}`;
      for (const m of listed) {
        if (!/^[1-9][0-9]{0,9}$/.test(m.id) || Number(m.id) > 0xffffffff) return `listed id ${m.id}`;
        if (m.size !== undefined && !(Number.isSafeInteger(m.size) && m.size >= 0)) return `size ${m.size}`;
      }
      const got: string[] = [];
      for await (const m of f.fetch(['1', '2', '3'])) {
        if (!['1', '2', '3'].includes(m.id) || got.includes(m.id)) return `fetched id ${m.id} after ${got}`;
        if (!Buffer.isBuffer(m.body)) return 'body not a buffer';
        got.push(m.id);
      }
    } finally {
      await f.release();
    }
    return null;
  } catch (e) {
    if (!(e instanceof SyncError)) return `threw a non-SyncError: ${String(e).slice(0, 200)}`;
    if (!isClearLine(e.message)) return `unclear message: ${JSON.stringify(e.message)}`;
    if (e.scope === 'fatal') return `fatal scope: ${e.message}`;
    return null;
  } finally {
    await store.close();
  }
}

it('survives randomly mutated SELECT and FETCH responses (seeded, bounded)', async () => {
  console.log(`response fuzz: seed ${seed} (replay with SATCHEL_FUZZ_SEED=${seed})`);
  const r = prng(seed);
  const t0 = Date.now();
  let n = 0;
  for (; n < MAX_ITERATIONS && Date.now() - t0 < MAX_MS; n++) {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((res) => { timer = setTimeout(() => res(`hung for ${PER_ITERATION_MS} ms`), PER_ITERATION_MS); });
    const problem = await Promise.race([once(r), hung]).finally(() => clearTimeout(timer));
    expect(problem, `seed ${seed}, iteration ${n}: ${JSON.stringify(next)}`).toBeNull();
  }
  console.log(`response fuzz: ${n} iterations in ${Date.now() - t0} ms`);
  expect(n).toBeGreaterThan(20);
}, MAX_MS + PER_ITERATION_MS + 10_000);
