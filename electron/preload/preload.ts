// The sandboxed preload: exposes to the renderer a bridge of functions only, generated from
// the IPC contract (one per invoke channel, one on<Event> per event channel). It never exposes
// ipcRenderer, Node, or an event object. Bundled to one CommonJS file (npm run bundle:preload),
// because sandboxed preloads cannot be ES modules.

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAME, EVENT_CHANNELS, INVOKE_CHANNELS, methodName } from '../shared/ipc-contract.js';

const bridge: Record<string, (...args: unknown[]) => unknown> = {};
for (const channel of Object.keys(INVOKE_CHANNELS)) {
  bridge[methodName(channel)] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}
for (const channel of EVENT_CHANNELS) {
  bridge[methodName(channel, 'on')] = (fn: unknown) => {
    if (typeof fn !== 'function') throw new TypeError(`${methodName(channel, 'on')} takes a function`);
    const listener = (_e: unknown, payload: unknown) => (fn as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, listener);
    return () => {
      ipcRenderer.removeListener(channel, listener);
    };
  };
}
contextBridge.exposeInMainWorld(BRIDGE_NAME, Object.freeze(bridge));
