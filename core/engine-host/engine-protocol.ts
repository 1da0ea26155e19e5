// The host <-> engine process message protocol: versioned message types and the hand-written
// runtime validator both ends run on every message they receive. It owns the shapes only; it
// never evaluates anything, never logs, and never carries a secret except in a secret-reply
// answering the engine's own secret-request, or the password the user typed in a testConnection
// tool request (never in argv or the environment). Types + validation only: no Electron, no I/O.

import { ACCOUNT_TOOL_NAMES, checkCall, type AccountToolName } from '../contract/bridge-contract.js';
import { validateConfig, type PasswordSource, type SatchelConfig } from '../config/model.js';
import type { AccountState, EngineEventName, EngineEvents } from '../engine/engine-events.js';
import type { OAuth2Config } from '../auth/oauth-providers.js';
import type { ErrorScope, RetryClass } from '../errors.js';

/** 2: wake carries its reason. */
export const PROTOCOL_VERSION = 2;

export type EngineOp = 'syncNow' | 'pause' | 'resume' | 'reconfigure' | 'wake' | 'stop';
const OPS: readonly EngineOp[] = ['syncNow', 'pause', 'resume', 'reconfigure', 'wake', 'stop'];

/** The account-setup tools of the bridge that run in the engine process (network, rules). */
export type ToolName = AccountToolName;

const STATES: readonly AccountState[] = ['idle', 'syncing', 'paused', 'offline', 'error', 'auth-required'];
const SCOPES: readonly ErrorScope[] = ['message', 'folder', 'account', 'fatal'];
const RETRIES: readonly RetryClass[] = ['now', 'later', 'needs-user'];

/** The engine's events that cross the process boundary, exactly as the engine emits them ('wake' stays inside). */
export type WireEventName = Exclude<EngineEventName, 'wake'>;
export const WIRE_EVENTS: readonly WireEventName[] = ['account-state', 'folder-state', 'progress', 'error', 'log'];
export type EngineEvent = { [K in WireEventName]: { name: K; data: EngineEvents[K] } }[WireEventName];

/** Pause/Resume as the app asked for it: everything, and/or some accounts. */
export interface PausedState { all: boolean; accounts: string[] }

/** Messages from the host (main process) to the engine. */
export type ToEngine =
  /** `paused`: what the app had paused before this engine started (a restart keeps it paused). */
  | { t: 'init'; v: number; config: SatchelConfig; autostart: boolean; secretTimeoutMs: number; paused?: PausedState }
  /** `reason`: why a wake was asked (resume from suspend, back online), for the engine's log. */
  | { t: 'req'; id: number; op: EngineOp; account?: string; config?: SatchelConfig; deadlineMs?: number; reason?: string }
  /** A bridge tool call; args are checked against the bridge contract on both ends. */
  | { t: 'tool'; id: number; name: ToolName; args: unknown[] }
  | { t: 'secret-reply'; id: number; ok: true; secret: string }
  /** code/retry: the SyncError's, so a sign-in that ended is auth-required and a token server that is down only 'later'. */
  | { t: 'secret-reply'; id: number; ok: false; error: string; code?: string; retry?: 'now' | 'later' | 'needs-user' };

/** Messages from the engine to the host. */
export type FromEngine =
  | { t: 'hello'; v: number }
  | { t: 'ready'; v: number }
  | { t: 'reply'; id: number; ok: true; stopped?: boolean; value?: unknown }
  | { t: 'reply'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'event'; event: EngineEvent }
  /** renew: the server rejected the last access token; a fresh one is wanted. */
  | { t: 'secret-req'; id: number; repository: string; renew?: boolean };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (what: string, why: string): never => { throw new ProtocolError(`engine protocol: ${what}: ${why}`); };

function keys(m: Obj, what: string, allowed: string[]): void {
  for (const k of Object.keys(m)) if (!allowed.includes(k)) fail(what, `unknown field "${k}"`);
}
function str(m: Obj, k: string, what: string, optional = false): void {
  if (optional && m[k] === undefined) return;
  if (typeof m[k] !== 'string') fail(what, `"${k}" must be a string`);
}
function num(m: Obj, k: string, what: string, optional = false): void {
  if (optional && m[k] === undefined) return;
  if (typeof m[k] !== 'number' || !Number.isFinite(m[k])) fail(what, `"${k}" must be a finite number`);
}
function id(m: Obj, what: string): void {
  if (!Number.isSafeInteger(m.id) || (m.id as number) < 0) fail(what, '"id" must be a non-negative integer');
}
function oneOf(m: Obj, k: string, what: string, values: readonly string[]): void {
  if (!values.includes(m[k] as string)) fail(what, `"${k}" must be one of ${values.join(', ')}`);
}
function config(m: Obj, what: string): void {
  const problems = validateConfig(m.config);
  if (problems.length) fail(what, `invalid config: ${problems.slice(0, 3).map((p) => `${p.path || '(root)'} ${p.message}`).join('; ')}`);
}

function event(e: unknown): void {
  const what = 'event';
  if (!isObj(e) || !isObj(e.data)) return fail(what, 'must be { name, data }');
  keys(e, what, ['name', 'data']);
  const d = e.data;
  const w = `event ${String(e.name)}`;
  switch (e.name) {
    case 'account-state':
      str(d, 'account', w); oneOf(d, 'state', w, STATES); num(d, 'lastSync', w, true); str(d, 'error', w, true);
      return keys(d, w, ['account', 'state', 'lastSync', 'error']);
    case 'folder-state':
      str(d, 'account', w); str(d, 'folder', w); oneOf(d, 'state', w, ['syncing', 'synced', 'skipped', 'error']);
      if (d.summary !== undefined && (!isObj(d.summary) || Object.values(d.summary).some((n) => typeof n !== 'number'))) fail(w, '"summary" must map names to numbers');
      return keys(d, w, ['account', 'folder', 'state', 'summary']);
    case 'progress':
      str(d, 'account', w); str(d, 'folder', w); num(d, 'messagesDone', w); num(d, 'messagesTotal', w, true);
      num(d, 'bytesDone', w); num(d, 'bytesTotal', w, true);
      return keys(d, w, ['account', 'folder', 'messagesDone', 'messagesTotal', 'bytesDone', 'bytesTotal']);
    case 'error':
      str(d, 'account', w, true); str(d, 'folder', w, true); oneOf(d, 'scope', w, SCOPES); oneOf(d, 'retry', w, RETRIES); str(d, 'code', w); str(d, 'message', w);
      return keys(d, w, ['account', 'folder', 'scope', 'retry', 'code', 'message']);
    case 'log':
      oneOf(d, 'level', w, ['error', 'info', 'debug']); str(d, 'account', w, true); str(d, 'message', w);
      return keys(d, w, ['level', 'account', 'message']);
    default:
      return fail(what, `unknown event "${String(e.name)}"`);
  }
}

/** Validates a message received by the engine; throws ProtocolError naming the problem. */
export function decodeToEngine(m: unknown): ToEngine {
  if (!isObj(m)) return fail('message', 'must be an object');
  const what = `message "${String(m.t)}"`;
  switch (m.t) {
    case 'init':
      num(m, 'v', what); num(m, 'secretTimeoutMs', what); config(m, what);
      if (typeof m.autostart !== 'boolean') fail(what, '"autostart" must be a boolean');
      if (m.paused !== undefined) {
        const p = m.paused;
        if (!isObj(p) || typeof p.all !== 'boolean' || !Array.isArray(p.accounts) || !p.accounts.every((a) => typeof a === 'string')) {
          fail(what, '"paused" must be { all: boolean, accounts: string[] }');
        }
      }
      keys(m, what, ['t', 'v', 'config', 'autostart', 'secretTimeoutMs', 'paused']);
      break;
    case 'req':
      id(m, what); oneOf(m, 'op', what, OPS); str(m, 'account', what, true); num(m, 'deadlineMs', what, true);
      str(m, 'reason', what, true);
      if (m.op === 'reconfigure' || m.config !== undefined) config(m, what);
      keys(m, what, ['t', 'id', 'op', 'account', 'config', 'deadlineMs', 'reason']);
      break;
    case 'tool':
      id(m, what); oneOf(m, 'name', what, ACCOUNT_TOOL_NAMES);
      if (!Array.isArray(m.args)) fail(what, '"args" must be an array');
      else { const why = checkCall(m.name, m.args); if (why) fail(what, why); }
      keys(m, what, ['t', 'id', 'name', 'args']);
      break;
    case 'secret-reply':
      id(m, what);
      if (m.ok === true) { str(m, 'secret', what); keys(m, what, ['t', 'id', 'ok', 'secret']); }
      else if (m.ok === false) {
        str(m, 'error', what); keys(m, what, ['t', 'id', 'ok', 'error', 'code', 'retry']);
        if (m.code !== undefined) str(m, 'code', what);
        if (m.retry !== undefined && !['now', 'later', 'needs-user'].includes(m.retry as string)) fail(what, '"retry" must be now, later or needs-user');
      }
      else fail(what, '"ok" must be a boolean');
      break;
    default:
      fail('message', `unknown type "${String(m.t)}" for the engine`);
  }
  return m as unknown as ToEngine;
}

/** Validates a message received by the host; throws ProtocolError naming the problem. */
export function decodeFromEngine(m: unknown): FromEngine {
  if (!isObj(m)) return fail('message', 'must be an object');
  const what = `message "${String(m.t)}"`;
  switch (m.t) {
    case 'hello': case 'ready':
      num(m, 'v', what); keys(m, what, ['t', 'v']);
      break;
    case 'reply':
      id(m, what);
      if (m.ok === true) {
        if (m.stopped !== undefined && typeof m.stopped !== 'boolean') fail(what, '"stopped" must be a boolean');
        keys(m, what, ['t', 'id', 'ok', 'stopped', 'value']);
      } else if (m.ok === false) {
        if (!isObj(m.error)) fail(what, '"error" must be { code, message }');
        const e = m.error as Obj;
        str(e, 'code', what); str(e, 'message', what); keys(e, what, ['code', 'message']);
        keys(m, what, ['t', 'id', 'ok', 'error']);
      } else fail(what, '"ok" must be a boolean');
      break;
    case 'event':
      event(m.event); keys(m, what, ['t', 'event']);
      break;
    case 'secret-req':
      id(m, what); str(m, 'repository', what); keys(m, what, ['t', 'id', 'repository', 'renew']);
      if (m.renew !== undefined && typeof m.renew !== 'boolean') fail(what, '"renew" must be a boolean');
      break;
    default:
      fail('message', `unknown type "${String(m.t)}" from the engine`);
  }
  return m as unknown as FromEngine;
}

/**
 * The configuration as the engine receives it: every IMAP password source replaced by
 * { kind: 'prompt' } (= ask the host), so no inline password or keyring reference travels
 * with the config; the engine asks for each secret on demand with a secret-request.
 */
const ASK_HOST: PasswordSource = { kind: 'prompt' };

export function redactConfig(config: SatchelConfig): SatchelConfig {
  return {
    ...config,
    accounts: config.accounts.map((a) => ({
      ...a,
      local: a.local.type === 'imap' ? { ...a.local, password: ASK_HOST, ...withoutTokens(a.local.oauth2) } : a.local,
      remote: a.remote.type === 'imap' ? { ...a.remote, password: ASK_HOST, ...withoutTokens(a.remote.oauth2) } : a.remote,
    })),
  };
}

/** OAuth2 settings without the secrets a configuration file may hold: the engine only says "OAuth2" and asks the host for tokens. */
function withoutTokens(o: OAuth2Config | undefined): { oauth2?: OAuth2Config } {
  if (!o) return {};
  const { clientSecret: _s, refreshTokenSeed: _r, accessToken: _a, ...rest } = o;
  return { oauth2: rest };
}
