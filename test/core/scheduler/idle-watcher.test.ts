// The IDLE watcher against a real Dovecot, through a proxy that can cut its connection:
// it reports a message appended by another connection, reconnects after the connection is
// cut (and reports mail that arrived meanwhile), reconnects on request, and stops cleanly.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { imapRepo } from '../engine/engine-fixtures.js';
import { IdleWatcher } from '../../../core/scheduler/idle-watcher.js';

let server: DovecotServer;
let proxy: TcpProxy;
beforeAll(async () => {
  server = await startDovecot({ users: ['erin'] });
  proxy = await startTcpProxy(server.port);
});
afterAll(async () => { await proxy?.close(); await server?.stop(); });

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const msg = (n: number) => makeMessage({ subject: `idle ${n}`, messageId: `<idle${n}@test>`, body: `idle ${n}\r\n` });

describe('IDLE watcher', () => {
  it('reports new mail, survives a cut connection with backoff, and stops cleanly', async () => {
    await server.reset('erin');
    await server.appendMessage('erin', 'Lists/x', msg(0));
    const changes: string[] = [];
    const logs: string[] = [];
    const w = new IdleWatcher({
      account: 'a', folder: 'Lists/x', repo: { ...imapRepo(server, 'erin', 'erinpw'), port: proxy.port },
      getSecret: async () => 'erinpw', onChange: (f) => changes.push(f), log: (_l, m) => logs.push(m),
      backoffBaseMs: 200,
    });
    w.start();
    await until('IDLE', () => w.state === 'idling');
    expect(changes).toEqual(['Lists/x']); // the catch-up after connecting
    await server.appendMessage('erin', 'Lists/x', msg(1));
    await until('the EXISTS', () => changes.length >= 2, 2000);

    proxy.cut();
    await until('the drop to be noticed', () => w.state !== 'idling');
    await server.appendMessage('erin', 'Lists/x', msg(2));
    const before = changes.length;
    await until('the reconnect', () => w.state === 'idling');
    expect(logs.join('\n')).toMatch(/IDLE on Lists\/x: .*reconnecting in \d+ s/);
    expect(logs.join('\n')).not.toContain('erinpw');
    expect(changes.length).toBeGreaterThan(before); // mail that came while it was away is not missed

    const idles = () => logs.filter((l) => l === 'a: IDLE on Lists/x').length;
    expect(idles()).toBe(2);
    const t0 = Date.now();
    w.reconnect(); // after a suspend: at once, no backoff
    await until('IDLE again', () => idles() === 3);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(logs.filter((l) => /reconnecting in/.test(l))).toHaveLength(1);

    await w.stop();
    expect(w.state).toBe('stopped');
    const after = changes.length;
    await server.appendMessage('erin', 'Lists/x', msg(3));
    await new Promise((r) => setTimeout(r, 500));
    expect(changes.length).toBe(after);
  });
});
