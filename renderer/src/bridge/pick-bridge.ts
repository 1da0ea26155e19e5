// Which bridge the interface talks to: the preload's `window.satchel` in the desktop app, else
// the WebSocket client of browser mode. Nothing else in renderer/ knows which one it has; the
// desktop-only extras (open the mail folder, try again, navigation from the tray) are optional.

import type { SatchelBridge } from '../../../core/contract/bridge-contract.js';
import { createWsBridge } from './ws-bridge.js';

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

export function pickBridge(): { bridge: SatchelBridge; desktop?: DesktopExtras; onConnection?: (fn: (c: boolean) => void) => () => void } {
  if (window.satchel) return { bridge: window.satchel, desktop: window.satchelDesktop };
  const ws = createWsBridge();
  return { bridge: ws, onConnection: (fn) => ws.onConnection(fn) };
}
