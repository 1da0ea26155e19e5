// The EnginePort of an engine that runs in this process (browser mode, tests): createEngine and
// the account-setup tools of core/accounts, bound to the configuration in force. A pure
// translation: every decision stays in the engine (schedule, IDLE, pause) or in the app service
// (what the user sees). It never reads a password itself: the service's getSecret does.

import type { SatchelConfig } from '../config/model.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { SecretGetter } from '../engine/store-factory.js';
import { createAccountTools, type AccountTools } from '../accounts/account-tools.js';
import type { EnginePort, PortEventName, PortEvents } from './engine-port.js';

export interface InProcessDeps {
  /** The configuration before start() (tools may run before it). */
  config: SatchelConfig;
  getSecret: SecretGetter;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** Default: the real tools of core/accounts. */
  tools?: AccountTools;
}

export interface InProcessEngine extends EnginePort {
  readonly engine: Engine;
}

export function createInProcessEngine(deps: InProcessDeps): InProcessEngine {
  let config = deps.config;
  const engine = createEngine({ config, getSecret: deps.getSecret });
  const tools = deps.tools ?? createAccountTools({
    config: () => config, getSecret: deps.getSecret,
    ...(deps.home ? { home: deps.home, importing: { env: deps.env ?? process.env, home: deps.home } } : {}),
  });
  const hostFns = new Set<(e: PortEvents['host']) => void>();
  const host = (e: PortEvents['host']) => { for (const fn of hostFns) fn(e); };
  let started = false;

  return {
    engine,
    async start(next) {
      config = next;
      engine.reconfigure(next);
      if (started) return;
      started = true;
      host({ state: 'ready' });
      void engine.start().catch(() => { /* reported through error events */ });
    },
    async syncNow(account) { await engine.syncNow(account ? { account } : {}); },
    async pause(account) { engine.pause(account); },
    async resume(account) { engine.resume(account); },
    async reconfigure(next) { config = next; engine.reconfigure(next); },
    async wake(reason) { engine.wake(reason); },
    async retry() { /* nothing to restart in process */ },
    async stop(deadlineMs) {
      await engine.stop(deadlineMs);
      if (started) host({ state: 'stopped' });
      started = false;
    },
    tool: ((name: keyof AccountTools, ...args: unknown[]) => (tools[name] as (...a: unknown[]) => Promise<unknown>)(...args)) as EnginePort['tool'],
    on<K extends PortEventName>(name: K, fn: (e: PortEvents[K]) => void): () => void {
      if (name === 'host') {
        const f = fn as (e: PortEvents['host']) => void;
        hostFns.add(f);
        return () => { hostFns.delete(f); };
      }
      return engine.on(name as Exclude<K, 'host'>, fn as never);
    },
  };
}
