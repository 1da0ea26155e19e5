// The sandboxed preload: exposes to the renderer `satchel`, the SatchelBridge (exactly its
// methods plus onStatus / onLog, so the renderer cannot tell it from browser mode), and
// `satchelDesktop` with the desktop-only extras, all generated from the IPC contract. It never
// exposes ipcRenderer, Node, or an event object. Bundled to one CommonJS file (npm run bundle:preload).

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_METHODS } from '../../core/contract/bridge-contract.js';
import {
  BRIDGE_EVENT_CHANNELS, BRIDGE_NAME, bridgeChannel, DESKTOP_CHANNELS, DESKTOP_EVENT_CHANNELS, DESKTOP_NAME, type BridgeChannel,
} from '../shared/ipc-contract.js';

type Fn = (...args: unknown[]) => unknown;

function subscriber(name: string, channel: string): Fn {
  return (fn: unknown) => {
    if (typeof fn !== 'function') throw new TypeError(`${name} takes a function`);
    const listener = (_e: unknown, payload: unknown) => (fn as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, listener);
    return () => {
      ipcRenderer.removeListener(channel, listener);
    };
  };
}

const bridge: Record<string, Fn> = {};
for (const m of Object.keys(BRIDGE_METHODS) as Array<keyof typeof BRIDGE_METHODS>) {
  const channel: BridgeChannel = bridgeChannel(m);
  bridge[m] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}
for (const [name, channel] of Object.entries(BRIDGE_EVENT_CHANNELS)) bridge[name] = subscriber(name, channel);

const desktop: Record<string, Fn> = {};
for (const [channel, [name]] of Object.entries(DESKTOP_CHANNELS)) desktop[name] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
for (const [name, channel] of Object.entries(DESKTOP_EVENT_CHANNELS)) desktop[name] = subscriber(name, channel);

contextBridge.exposeInMainWorld(BRIDGE_NAME, Object.freeze(bridge));
contextBridge.exposeInMainWorld(DESKTOP_NAME, Object.freeze(desktop));
