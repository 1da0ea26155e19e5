// The renderer⇄main channels, derived from the one bridge contract (core/contract/bridge-contract.ts):
// one invoke channel 'bridge:<method>' per SatchelBridge method, checked by the contract's own
// argument checks, and 'bridge:status' / 'bridge:log' for onStatus / onLog. The few desktop-only
// extras (try again, open the mail folder, navigation from the tray) have their own channels and
// a second global. No Electron, no Node: bundled into the sandboxed preload. Never a secret back.

import { BRIDGE_METHODS, checkCall, type BridgeMethod } from '../../core/contract/bridge-contract.js';

type Check = (args: unknown[]) => string | undefined;

const none: Check = (a) => (a.length === 0 ? undefined : 'takes no arguments');
const account: Check = (a) => (a.length === 1 && typeof a[0] === 'string' && a[0].length > 0 && a[0].length <= 256 ? undefined : 'takes an account name');

export const BRIDGE_CHANNEL_PREFIX = 'bridge:';
export type BridgeChannel = `bridge:${BridgeMethod}`;
export const bridgeChannel = (m: BridgeMethod): BridgeChannel => `bridge:${m}`;
export const BRIDGE_CHANNELS = Object.keys(BRIDGE_METHODS).map((m) => bridgeChannel(m as BridgeMethod));

/** Desktop-only calls, on the second global: channel → [method name, argument check]. */
export const DESKTOP_CHANNELS = {
  'desktop:retry': ['retry', none],
  'desktop:open-folder': ['openFolder', account],
  'desktop:login-item': ['loginItem', none],
} as const satisfies Record<string, readonly [string, Check]>;
export type DesktopChannel = keyof typeof DESKTOP_CHANNELS;

export type InvokeChannel = BridgeChannel | DesktopChannel;
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [...BRIDGE_CHANNELS, ...(Object.keys(DESKTOP_CHANNELS) as DesktopChannel[])];

/** Main → renderer events: the bridge's onStatus / onLog, and the desktop global's onNavigate. */
export const BRIDGE_EVENT_CHANNELS = { onStatus: 'bridge:status', onLog: 'bridge:log' } as const;
export const DESKTOP_EVENT_CHANNELS = { onNavigate: 'desktop:navigate' } as const;
export type EventChannel = (typeof BRIDGE_EVENT_CHANNELS)[keyof typeof BRIDGE_EVENT_CHANNELS] | (typeof DESKTOP_EVENT_CHANNELS)[keyof typeof DESKTOP_EVENT_CHANNELS];

export function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(c);
}

/** The bridge method of a 'bridge:<method>' channel, else undefined. */
export function bridgeMethodOf(channel: string): BridgeMethod | undefined {
  if (!channel.startsWith(BRIDGE_CHANNEL_PREFIX)) return undefined;
  const m = channel.slice(BRIDGE_CHANNEL_PREFIX.length);
  return Object.prototype.hasOwnProperty.call(BRIDGE_METHODS, m) ? (m as BridgeMethod) : undefined;
}

/** undefined when the call is acceptable, else why not. */
export function checkInvoke(channel: unknown, args: unknown[]): string | undefined {
  if (!isInvokeChannel(channel)) return `unknown channel ${JSON.stringify(channel)}`;
  const method = bridgeMethodOf(channel);
  if (method) return checkCall(method, args);
  const [name, check] = DESKTOP_CHANNELS[channel as DesktopChannel];
  const why = check(args);
  return why ? `${name} ${why}` : undefined;
}

/** The globals the preload exposes: the SatchelBridge, and the desktop extras. */
export const BRIDGE_NAME = 'satchel';
export const DESKTOP_NAME = 'satchelDesktop';
