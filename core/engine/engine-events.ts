// The engine's event vocabulary, shared by every front end (CLI, utility process, browser
// mode): account and folder states, progress, errors with scope and retry class, log lines.
// Types only, plus a tiny typed emitter. Events never carry a secret.

import type { ErrorScope, RetryClass } from '../errors.js';

export type AccountState = 'idle' | 'syncing' | 'paused' | 'offline' | 'error' | 'auth-required';

export interface EngineEvents {
  'account-state': { account: string; state: AccountState; lastSync?: number; error?: string };
  'folder-state': { account: string; folder: string; state: 'syncing' | 'synced' | 'skipped' | 'error'; summary?: Record<string, number> };
  progress: { account: string; folder: string; messagesDone: number; messagesTotal?: number; bytesDone: number; bytesTotal?: number };
  error: { account?: string; folder?: string; scope: ErrorScope; retry: RetryClass; code: string; message: string };
  /** The scheduler noticed a suspend (clock jump) and is syncing every account now. */
  wake: { reason: string };
  log: { level: 'error' | 'info' | 'debug'; account?: string; message: string };
}

export type EngineEventName = keyof EngineEvents;
type Listener<K extends EngineEventName> = (e: EngineEvents[K]) => void;

export class EventHub {
  private readonly listeners = new Map<EngineEventName, Set<Listener<never>>>();

  on<K extends EngineEventName>(name: K, fn: Listener<K>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(fn as Listener<never>);
    this.listeners.set(name, set);
    return () => set.delete(fn as Listener<never>);
  }

  emit<K extends EngineEventName>(name: K, e: EngineEvents[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as Listener<K>)(e);
  }
}
