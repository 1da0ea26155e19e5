// The contract between the desktop shell's main process and whatever runs the engine for it
// (the supervised utility process of engine-host.ts). The tray, notifications and windows
// depend on this interface only, so they can be written and tested without a running engine.
// Types only: no Electron, no Node APIs.

import type { SatchelBridge } from '../../core/contract/bridge-contract.js';
import type { SatchelConfig } from '../../core/config/model.js';
import type { ToolName } from '../../core/engine-host/engine-protocol.js';

/** Per-account state, as the engine reports it. */
export type AccountStatus = 'auth-required' | 'error' | 'syncing' | 'offline' | 'paused' | 'idle';

export interface AccountSnapshot {
  account: string;
  state: AccountStatus;
  /** Epoch ms of the last finished sync. */
  lastSync?: number;
  /** The last error's message (with its fix), while the account is in error/auth-required/offline. */
  error?: string;
  progress?: { folder?: string; messagesDone: number; messagesTotal: number; bytesDone: number; bytesTotal: number };
}

/** The engine host's own life: 'failed' = crash budget spent, waiting for "Try again". */
export type HostState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface EngineSnapshot {
  host: HostState;
  /** Why the host failed or is restarting. */
  hostError?: string;
  accounts: AccountSnapshot[];
}

export interface EngineNotice {
  kind: 'error' | 'auth-required' | 'new-mail';
  account: string;
  folder?: string;
  message: string;
  /** For new-mail: how many messages arrived. */
  count?: number;
}

export interface EnginePort {
  syncNow(account?: string): Promise<void>;
  /** Pauses every account, or just this one (the engine's two pause levels, core/engine/engine.ts). */
  pause(account?: string): Promise<void>;
  resume(account?: string): Promise<void>;
  reconfigure(config: SatchelConfig): Promise<void>;
  /** After resume from suspend or when the network is back: interrupt waits, quick sync. */
  wake(reason: 'resume' | 'online'): Promise<void>;
  /** "Try again" after the crash budget was spent. */
  retry(): Promise<void>;
  /** Ask the engine to stop, wait up to deadlineMs, then kill it. */
  stop(deadlineMs: number): Promise<void>;
  /** Runs one of the bridge's account-setup tools (network, rules) in the engine process. */
  tool<N extends ToolName>(name: N, ...args: Parameters<SatchelBridge[N]>): ReturnType<SatchelBridge[N]>;
  snapshot(): EngineSnapshot;
  /** Coalesced: at most a few calls a second, state transitions at once. Returns an unsubscribe. */
  onSnapshot(fn: (s: EngineSnapshot) => void): () => void;
  onNotice(fn: (n: EngineNotice) => void): () => void;
}
