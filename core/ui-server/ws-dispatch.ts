// One WebSocket message of browser mode, in and out: parses `{id, method, args}`, checks it
// with the bridge contract's checkCall() before anything runs, calls the backend and shapes
// the reply `{id, ok:true, result}` or `{id, ok:false, error:{message, code?}}`. Malformed
// input always gets an error reply, never an exception. It never echoes arguments (passwords).

import { checkCall, type BridgeMethod } from '../contract/bridge-contract.js';
import type { AppService } from '../app/app-service.js';

export type Reply =
  | { id: number | string | null; ok: true; result: unknown }
  | { id: number | string | null; ok: false; error: { message: string; code?: string } };

const MAX_MESSAGE = 1 << 20;

export async function dispatchMessage(backend: AppService, raw: string): Promise<Reply> {
  if (raw.length > MAX_MESSAGE) return { id: null, ok: false, error: { code: 'bad-request', message: 'message too large' } };
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return { id: null, ok: false, error: { code: 'bad-request', message: 'not valid JSON' } };
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return { id: null, ok: false, error: { code: 'bad-request', message: 'a message must be an object {id, method, args}' } };
  }
  const m = msg as { id?: unknown; method?: unknown; args?: unknown };
  const id = typeof m.id === 'number' || (typeof m.id === 'string' && m.id.length <= 64) ? m.id : null;
  if (id === null) return { id: null, ok: false, error: { code: 'bad-request', message: 'a message needs an id (number or short string)' } };
  const args = m.args === undefined ? [] : m.args;
  if (!Array.isArray(args)) return { id, ok: false, error: { code: 'bad-request', message: 'args must be a list' } };
  try {
    const why = checkCall(m.method, args);
    if (why) return { id, ok: false, error: { code: 'bad-arguments', message: why } };
    const fn = backend[m.method as BridgeMethod] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn(...args);
    return { id, ok: true, result: result ?? null };
  } catch (e) {
    const code = e !== null && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
    return { id, ok: false, error: { message: e instanceof Error ? e.message : String(e), ...(code ? { code } : {}) } };
  }
}
