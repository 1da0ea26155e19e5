// The one interface between the app service (app-service.ts) and the engine, wherever it runs:
// in-process (in-process-engine.ts: browser mode, tests) or in a supervised child process
// (core/engine-host: Electron's utility process, or a forked Node). The service never knows
// which. Raw engine events flow up (the service folds them); commands flow down. Types only.
// A port never decides what the user sees; it never returns or logs a secret.

import type { HostState, SatchelBridge } from '../contract/bridge-contract.js';
import type { AccountToolName as ToolName } from '../contract/bridge-contract.js';
import type { SatchelConfig } from '../config/model.js';
import type { EngineEvents } from '../engine/engine-events.js';

export type { ToolName };

/** The engine's own events, plus the life of whatever runs it ('host'). */
export interface PortEvents extends Omit<EngineEvents, 'wake'> {
  /** 'ready' once the engine answers; 'restarting'/'failed' after a crash (error says why). */
  host: { state: HostState; error?: string };
}
export type PortEventName = keyof PortEvents;

export interface EnginePort {
  /** Starts the engine on `config` and its schedule (a first sync of every account, then autorefresh, IDLE). */
  start(config: SatchelConfig): Promise<void>;
  syncNow(account?: string): Promise<void>;
  /** Pauses every account, or just this one (the engine's two pause levels). */
  pause(account?: string): Promise<void>;
  resume(account?: string): Promise<void>;
  /** The running schedule follows the new accounts (syncs under way finish first). */
  reconfigure(config: SatchelConfig): Promise<void>;
  /** After resume from suspend or when the network is back: interrupt waits, sync, reconnect IDLE. */
  wake(reason: string): Promise<void>;
  /** "Try again" after a host spent its crash budget; nothing to do in process. */
  retry(): Promise<void>;
  /** Stops at a safe point within deadlineMs (a child process is killed after it). */
  stop(deadlineMs: number): Promise<void>;
  /** Runs one of the bridge's account-setup tools beside the engine. */
  tool<N extends ToolName>(name: N, ...args: Parameters<SatchelBridge[N]>): ReturnType<SatchelBridge[N]>;
  on<K extends PortEventName>(name: K, fn: (e: PortEvents[K]) => void): () => void;
}
