// The renderer's WebSocket bridge client against a real `ws` server that plays the backend's
// part by hand: the wire format of calls (ids, no trailing undefined), replies and errors,
// pushed events, calls in flight failing when the socket drops, reconnection, and close().

import { describe, it, expect, afterEach } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { bridgeUrl, createWsBridge, type SocketLike, type WsBridge } from '../../../renderer/src/bridge/ws-bridge.js';
import type { LogLine, StatusView } from '../../../core/contract/bridge-contract.js';

const cleanup: Array<() => void> = [];
afterEach(() => { for (const f of cleanup.splice(0)) f(); });

async function serve(onCall: (ws: WebSocket, m: { id: number; method: string; args: unknown[] }) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const connections: WebSocket[] = [];
  wss.on('connection', (ws) => {
    connections.push(ws);
    ws.on('message', (d) => onCall(ws, JSON.parse(String(d))));
  });
  cleanup.push(() => wss.close());
  return { wss, connections, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/bridge` };
}

function client(url: string): WsBridge {
  const b = createWsBridge({ url, socket: (u) => new WebSocket(u) as unknown as SocketLike, reconnectMs: 30 });
  cleanup.push(() => b.close());
  return b;
}

const until = async (f: () => boolean) => { for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); expect(f()).toBe(true); };

describe('ws-bridge', () => {
  it('builds the socket address from the page address and the session token', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'a_b-c')).toBe('ws://127.0.0.1:8080/bridge?token=a_b-c');
    expect(bridgeUrl({ protocol: 'http:', host: 'localhost:1' }, undefined)).toBe('ws://localhost:1/bridge');
  });

  it('sends calls with ids (no trailing undefined), resolves results, rejects errors with their code, delivers events', async () => {
    const seen: unknown[] = [];
    const s = await serve((ws, m) => {
      seen.push(m);
      if (m.method === 'getPreferences') ws.send(JSON.stringify({ id: m.id, ok: true, result: { idle: true } }));
      else if (m.method === 'syncNow') ws.send(JSON.stringify({ id: m.id, ok: true, result: null }));
      else ws.send(JSON.stringify({ id: m.id, ok: false, error: { message: 'nope', code: 'x-code' } }));
    });
    const b = client(s.url);
    const statuses: StatusView[] = [], logs: LogLine[] = [];
    b.onStatus((v) => statuses.push(v));
    const off = b.onLog((l) => logs.push(l));
    expect(await b.getPreferences()).toEqual({ idle: true });
    expect(await b.syncNow(undefined)).toBeUndefined();
    await expect(b.removeAccount('a')).rejects.toMatchObject({ message: 'nope', code: 'x-code' });
    // On (re)connection a status subscriber gets a fresh view: getStatus is asked for once.
    expect(seen).toEqual([{ id: 1, method: 'getPreferences', args: [] }, { id: 2, method: 'getStatus', args: [] },
      { id: 3, method: 'syncNow', args: [] }, { id: 4, method: 'removeAccount', args: ['a'] }]);
    s.connections[0]!.send(JSON.stringify({ event: 'log', payload: { time: 1, level: 'info', message: 'hi' } }));
    s.connections[0]!.send('garbage');
    s.connections[0]!.send(JSON.stringify({ event: 'status', payload: { host: 'ready', accounts: [] } }));
    await until(() => statuses.length === 1);
    expect(logs).toEqual([{ time: 1, level: 'info', message: 'hi' }]);
    off();
    s.connections[0]!.send(JSON.stringify({ event: 'log', payload: { time: 2, level: 'info', message: 'again' } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(logs).toHaveLength(1);
  });

  it('fails calls in flight when the socket drops, reconnects, and refuses calls after close()', async () => {
    const s = await serve((ws, m) => { if (m.method === 'getLog') ws.send(JSON.stringify({ id: m.id, ok: true, result: [] })); });
    const b = client(s.url);
    const conn: boolean[] = [];
    b.onConnection((c) => conn.push(c));
    const hanging = b.getStatus();
    await until(() => s.connections.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    s.connections[0]!.terminate();
    await expect(hanging).rejects.toMatchObject({ code: 'disconnected' });
    await until(() => s.connections.length === 2 && conn.join() === 'true,false,true');
    expect(await b.getLog()).toEqual([]);
    const pending = b.getStatus();
    b.close();
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    await expect(b.getLog()).rejects.toMatchObject({ code: 'closed' });
  });
});
