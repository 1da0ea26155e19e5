// Which bridge the interface talks to: the preload's `window.satchel` in the desktop app, else
// the WebSocket client of browser mode. Nothing else in renderer/ knows which one it has; the
// desktop-only extras (open the mail folder, try again, navigation from the tray) are optional.
// In browser mode a page without a session token gets no bridge (it must be opened with the address).

import type { SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { createWsBridge } from './ws-bridge.js';
import { sessionToken } from './session-token.js';

export type DesktopView = 'accounts' | 'account' | 'edit' | 'wizard' | 'errors' | 'preferences' | 'log';

export interface DesktopExtras {
  retry(): Promise<void>;
  openFolder(account: string): Promise<void>;
  loginItem(): Promise<boolean>;
  onNavigate(fn: (to: { view: DesktopView; account?: string }) => void): () => void;
}

declare global {
  interface Window {
    satchel?: SatchelBridge;
    satchelDesktop?: DesktopExtras;
  }
}

export type Picked = { bridge: SatchelBridge; desktop?: DesktopExtras; onConnection?: (fn: (c: boolean) => void) => () => void };

/** The bridge, or undefined in a browser page that has no session token. */
export async function pickBridge(): Promise<Picked | undefined> {
  if (window.satchel) return { bridge: window.satchel, desktop: window.satchelDesktop };
  const token = await sessionToken();
  if (!token) return undefined;
  const ws = createWsBridge({ token });
  return { bridge: ws, onConnection: (fn) => ws.onConnection(fn) };
}
