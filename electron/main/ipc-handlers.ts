// The IPC transport of the app service: one handler per contract channel, generated from the
// bridge contract (each 'bridge:<method>' calls the same method of the one service that browser
// mode serves over its WebSocket), and the gate around every call: its sender (one of our
// windows, a top frame, from our own origin: app://satchel, never file://), then its arguments
// against the contract. It decides nothing else, never answers a call it cannot attribute.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHODS, type SatchelBridge } from '../../core/contract/bridge-contract.js';
import { bridgeChannel, checkInvoke, INVOKE_CHANNELS, type BridgeChannel, type DesktopChannel, type InvokeChannel } from '../shared/ipc-contract.js';

/** One handler per bridge method (with the SatchelBridge signature) and per desktop channel. */
export type Handlers = { [C in BridgeChannel]: C extends `bridge:${infer M extends keyof SatchelBridge}` ? SatchelBridge[M] : never }
  & { [C in DesktopChannel]: (...args: any[]) => unknown };

/** The bridge channels, each bound to the service's method of that name (nothing in between). */
export function bridgeHandlers(service: Omit<SatchelBridge, 'onStatus' | 'onLog'>): Pick<Handlers, BridgeChannel> {
  const out: Record<string, unknown> = {};
  for (const m of Object.keys(BRIDGE_METHODS) as Array<keyof typeof BRIDGE_METHODS>) {
    const fn = service[m] as (...a: unknown[]) => unknown;
    out[bridgeChannel(m)] = (...args: unknown[]) => fn.apply(service, args);
  }
  return out as Pick<Handlers, BridgeChannel>;
}

export interface SenderInfo {
  /** URL of the frame that sent the message (event.senderFrame.url), or null when gone. */
  frameUrl: string | null;
  /** Whether that frame is its page's main frame. */
  isMainFrame: boolean;
  /** Whether event.sender belongs to a window this app created. */
  knownWindow: boolean;
}

/** scheme://host[:port] of a URL; also for schemes WHATWG gives an opaque origin (app:). */
function originOf(u: URL): string {
  return `${u.protocol}//${u.host}`;
}

/**
 * Pure sender check. `allowed` holds the renderer's origins: the app protocol's
 * ("app://satchel") or a dev server's ("http://localhost:5173"); only scheme, host and port of
 * each count. file:// is never trusted, whatever `allowed` says: any local page shares it.
 */
export function isTrustedSender(s: SenderInfo, allowed: readonly string[]): boolean {
  if (!s.knownWindow || !s.isMainFrame || !s.frameUrl) return false;
  let url: URL;
  try {
    url = new URL(s.frameUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'file:' || !url.host || url.username || url.password) return false;
  return allowed.some((a) => {
    try {
      return originOf(new URL(a)) === originOf(url);
    } catch {
      return false;
    }
  });
}

export class IpcRejected extends Error {
  override name = 'IpcRejected';
}

/** The gate around one handler: sender, then arguments, then the handler. */
export function guard(channel: InvokeChannel, handler: (...args: any[]) => unknown, trusted: (e: IpcMainInvokeEvent) => boolean) {
  return async (e: IpcMainInvokeEvent, ...args: unknown[]): Promise<unknown> => {
    if (!trusted(e)) throw new IpcRejected(`${channel}: refused, the sender is not a Satchel window`);
    const why = checkInvoke(channel, args);
    if (why) throw new IpcRejected(why);
    return handler(...args);
  };
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: Handlers, trusted: (e: IpcMainInvokeEvent) => boolean): () => void {
  const channels = [...INVOKE_CHANNELS];
  for (const c of channels) ipcMain.handle(c, guard(c, handlers[c] as (...args: any[]) => unknown, trusted));
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}
