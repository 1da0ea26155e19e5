// Throughput of ImapFolder.fetch(), the hot path of a first sync: seeds a folder straight
// into the server's Maildir (fast), then streams every body through the store and reports
// MB/s. Runs 300 messages by default; SATCHEL_PERF=1 runs 2000 x 20 KB (40 MB), SATCHEL_TLS=1
// measures over implicit TLS instead of plain IMAP.

import { afterAll, beforeAll, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ImapStore } from '../../../core/imap/imap-store.js';
import { makeMessage, startDovecot, type DovecotServer } from '../../helpers/dovecot.js';

const COUNT = process.env.SATCHEL_PERF ? 2000 : 300;
const SIZE = 20_000;
const TLS = !!process.env.SATCHEL_TLS;
let server: DovecotServer;

beforeAll(async () => {
  server = await startDovecot({ users: ['perf'] });
  await server.appendMessage('perf', 'Bulk', makeMessage({ subject: 'first' })); // creates the folder
  const cur = path.join(server.mailDir('perf'), '.Bulk', 'cur');
  const { uid, gid } = await fs.stat(cur);
  const line = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxy\n';
  const body = line.repeat(Math.ceil(SIZE / line.length)).slice(0, SIZE);
  const stamp = Math.floor(Date.now() / 1000);
  for (let i = 0; i < COUNT - 1; i++) {
    const file = path.join(cur, `${stamp}.P${i}Q1.perf:2,S`);
    await fs.writeFile(file, makeMessage({ subject: `bulk ${i}`, body }));
    await fs.chown(file, uid, gid);
  }
}, 120_000);

afterAll(async () => { await server?.stop(); });

it(`fetches ${COUNT} messages of ~${SIZE / 1000} KB with one pipelined UID FETCH per batch`, async () => {
  const store = new ImapStore({
    host: server.host, port: TLS ? server.tlsPort : server.port, user: 'perf', password: async () => 'perfpw',
    ssl: TLS, starttls: false, certFingerprints: [server.certFingerprint],
  });
  await store.connect();
  const f = await store.openFolder('Bulk');
  const ids = (await f.listAll()).map((m) => m.id);
  expect(ids.length).toBe(COUNT);
  const t0 = process.hrtime.bigint();
  let bytes = 0, n = 0;
  for await (const m of f.fetch(ids)) {
    bytes += (m.body as Buffer).length;
    n++;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  expect(n).toBe(COUNT);
  console.log(`fetch: ${n} messages, ${(bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s = ` +
    `${(bytes / 1e6 / secs).toFixed(1)} MB/s, ${(n / secs).toFixed(0)} msg/s${TLS ? ' (TLS)' : ''}`);
  await f.release();
  await store.close();
}, 120_000);
